import { attachInterfaceSchema } from '../../compute/interfaces/interface-attachment.schema.js';
import type { Catalogue } from '../operation-doc.js';

const TAG = 'Compute: servers';
const SERVER = 'The server\'s UUID.';
const NOT_FOUND = 'No such server (or another project\'s).';

/** Nova v2.1's os-interface: a server's ports, attach (AttachNic) and detach (DetachNic). */
export const computeInterfacesCatalogue: Catalogue = {
  'GET /compute/v2.1/servers/{id}/os-interface': {
    summary: 'List a server\'s interfaces',
    tag: TAG,
    description: 'The ports whose device is the server, in Nova\'s interfaceAttachment form (port_state is the Neutron port\'s status; `tag` from 2.70, always null).',
    params: { id: SERVER },
    success: { status: 200, description: '`interfaceAttachments`.' },
    errors: { 404: NOT_FOUND },
  },
  'GET /compute/v2.1/servers/{id}/os-interface/{portId}': {
    summary: 'Show one of a server\'s interfaces',
    tag: TAG,
    params: { id: SERVER, portId: 'The port\'s UUID.' },
    success: { status: 200, description: '`interfaceAttachment`.' },
    errors: { 404: 'No such server, or the port is not the server\'s.' },
  },
  'POST /compute/v2.1/servers/{id}/os-interface': {
    summary: 'Attach an interface (NIC hotplug)',
    tag: TAG,
    description:
      'Gives an ACTIVE or SHUTOFF server a port: `port_id` (a free port of the project), or `net_id` with optional `fixed_ips` (a port is made on that network and deleted again on detach). ' +
      'The AttachNic saga binds the port, makes its OVN port on the server\'s node, plugs the NIC on the VM (KubeVirt hotplug on the network\'s Multus attachment, MAC and fixed IP as Kube-OVN asks) and waits until the VMI lists it; ' +
      'the answer comes when it is done (as Nova\'s synchronous attach does). Instance action `attach_interface`. Unlike Nova, a body with neither port_id nor net_id is 400 (no network is picked for you).',
    params: { id: SERVER },
    body: attachInterfaceSchema,
    success: { status: 200, description: '`interfaceAttachment` of the bound port.' },
    errors: {
      400: 'A bad body: both port_id and net_id, fixed_ips without net_id, neither, or an address the network\'s subnets refuse; or the server already has a port on that network (one per network).',
      403: 'A reader\'s token.',
      404: 'No such server, port or network (or another project\'s).',
      409: 'The server is not ACTIVE or SHUTOFF, runs a task, is locked, or the port is in use; or the address or MAC is taken.',
      500: 'The attach failed and was undone (the instance action says why; the port is free again).',
    },
  },
  'DELETE /compute/v2.1/servers/{id}/os-interface/{portId}': {
    summary: 'Detach an interface (NIC unplug)',
    tag: TAG,
    description:
      'The DetachNic saga unplugs the NIC (KubeVirt `state: absent`), waits until the VMI no longer lists it, unbinds the port and removes its OVN port; a port made by a net_id attach is deleted. Instance action `detach_interface`.',
    params: { id: SERVER, portId: 'The port\'s UUID.' },
    success: { status: 202, description: 'Accepted; the detach runs.', contentType: null },
    errors: { 403: 'A reader\'s token.', 404: 'No such server, or the port is not attached to it.', 409: 'The server is not ACTIVE or SHUTOFF, runs a task, or is locked.' },
  },
};
