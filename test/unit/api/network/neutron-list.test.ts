import { NotFoundException } from '@nestjs/common';
import { NeutronBadRequest } from '../../../../src/api/network/neutron-errors.js';
import { neutronList, type ListSpec } from '../../../../src/api/network/neutron-list.js';

const SPEC: ListSpec = { collection: 'ports', filterable: ['id', 'name', 'shared', 'fixed_ips', 'mtu'], url: 'http://x/network/v2.0/ports', markerNotFound: (id) => `Port ${id} could not be found.` };
const ITEMS = [
  { id: 'a', name: 'web', shared: true, mtu: 9000, fixed_ips: [{ subnet_id: 's4', ip_address: '10.0.0.5' }] },
  { id: 'b', name: 'db', shared: false, mtu: 1500, fixed_ips: [{ subnet_id: 's4', ip_address: '10.0.0.6' }, { subnet_id: 's6', ip_address: 'fd00::6' }] },
  { id: 'c', name: 'web', shared: false, mtu: 1442, fixed_ips: [] },
];
const ids = (body: Record<string, unknown>) => (body.ports as { id: string }[]).map((p) => p.id);

describe('Neutron list semantics', () => {
  it('given filters, then equality per attribute, any of repeated values, booleans in any case, fixed_ips by address or subnet', () => {
    expect(ids(neutronList(ITEMS, { name: 'web' }, SPEC))).toEqual(['a', 'c']);
    expect(ids(neutronList(ITEMS, { name: ['web', 'db'], shared: 'False' }, SPEC))).toEqual(['b', 'c']);
    expect(ids(neutronList(ITEMS, { fixed_ips: 'ip_address=10.0.0.6' }, SPEC))).toEqual(['b']);
    expect(ids(neutronList(ITEMS, { fixed_ips: ['subnet_id=s4', 'subnet_id=s6'] }, SPEC))).toEqual(['b']);
    expect(() => neutronList(ITEMS, { colour: 'red' }, SPEC)).toThrow(NeutronBadRequest);
  });

  it('given sort keys, then numbers sort as numbers, id breaks ties, and a bad key or direction is 400', () => {
    expect(ids(neutronList(ITEMS, { sort_key: 'mtu', sort_dir: 'asc' }, SPEC))).toEqual(['c', 'b', 'a']);
    expect(ids(neutronList(ITEMS, { sort_key: 'name', sort_dir: 'desc' }, SPEC))).toEqual(['a', 'c', 'b']);
    expect(() => neutronList(ITEMS, { sort_key: 'fixed_ips' }, SPEC)).toThrow(NeutronBadRequest);
    expect(() => neutronList(ITEMS, { sort_key: 'name', sort_dir: 'up' }, SPEC)).toThrow(NeutronBadRequest);
  });

  it('given limit and marker, then pages with next and previous links keeping the other parameters; an unknown marker is 404', () => {
    const first = neutronList(ITEMS, { limit: '2', name: ['web', 'db'] }, SPEC);
    expect(ids(first)).toEqual(['a', 'b']);
    expect(first.ports_links).toEqual([{ rel: 'next', href: 'http://x/network/v2.0/ports?limit=2&name=web&name=db&marker=b' }]);
    const second = neutronList(ITEMS, { limit: '2', name: ['web', 'db'], marker: 'b' }, SPEC);
    expect(ids(second)).toEqual(['c']);
    expect((second.ports_links as { rel: string }[]).map((l) => l.rel)).toEqual(['previous']);
    expect(() => neutronList(ITEMS, { marker: 'zz' }, SPEC)).toThrow(NotFoundException);
    expect(() => neutronList(ITEMS, { limit: '-1' }, SPEC)).toThrow(NeutronBadRequest);
  });

  it('given fields, then only those keys', () => {
    expect(neutronList(ITEMS, { fields: ['id', 'mtu'], name: 'db' }, SPEC).ports).toEqual([{ id: 'b', mtu: 1500 }]);
  });
});
