import { decodePortRow, decodeSwitchRow, mergeOwned, portRow, switchConfig } from '../../../../src/adapters/ovs/ovn/ovn-rows.js';

const U = '6ea684e8-0000-4000-8000-000000000001';

describe('OVN northbound rows', () => {
  it('given a dual-stack network, when spelled for OVN, then subnet, a /64 prefix without its length, and exclusions are set', () => {
    expect(switchConfig({ id: 'n1', name: 'net', cidrs: ['10.0.0.0/24', 'fd00::/64'], excludeIps: ['10.0.0.1', '10.0.0.9..10.0.0.12'] })).toEqual({
      otherConfig: { subnet: '10.0.0.0/24', ipv6_prefix: 'fd00::', exclude_ips: '10.0.0.1 10.0.0.9..10.0.0.12' },
      externalIds: { 'virtplane:network-id': 'n1', 'virtplane:network-name': 'net', 'virtplane:cidrs': '10.0.0.0/24,fd00::/64' },
    });
  });

  it('given an IPv6 subnet that is not a /64, when spelled for OVN, then no ipv6_prefix is set (OVN assumes /64)', () => {
    expect(switchConfig({ id: 'n1', name: 'net', cidrs: ['fd00::/56'], excludeIps: [] }).otherConfig).toEqual({});
  });

  it('given a switch row, when decoded, then our network comes back from external_ids and other_config', () => {
    const row = {
      _uuid: ['uuid', U] as ['uuid', string],
      name: 'vp-n1',
      ports: ['set', []] as ['set', []],
      other_config: ['map', [['exclude_ips', '10.0.0.1'], ['mcast_snoop', 'true']]] as ['map', Array<[string, string]>],
      external_ids: ['map', [['virtplane:network-id', 'n1'], ['virtplane:network-name', 'net'], ['virtplane:cidrs', '10.0.0.0/24']]] as ['map', Array<[string, string]>],
    };
    expect(decodeSwitchRow(row).value).toEqual({ id: 'n1', name: 'net', cidrs: ['10.0.0.0/24'], excludeIps: ['10.0.0.1'] });
  });

  it('given a port row with "router" and "unknown" entries and a bare addresses atom, when decoded, then the MAC and IPs entry is used', () => {
    const base = {
      _uuid: ['uuid', U] as ['uuid', string],
      name: 'p1',
      options: ['map', [['requested-chassis', 'node-a']]] as ['map', Array<[string, string]>],
      external_ids: ['map', [['virtplane:network-id', 'n1'], ['virtplane:port-id', 'p1']]] as ['map', Array<[string, string]>],
    };
    expect(decodePortRow({ ...base, addresses: ['set', ['unknown', '02:AB:00:00:00:01 10.0.0.5 fd00::5']] }).value).toEqual({
      portId: 'p1', switchId: 'n1', mac: '02:ab:00:00:00:01', ips: ['10.0.0.5', 'fd00::5'], vmId: null, chassis: 'node-a',
    });
    expect(decodePortRow({ ...base, addresses: '02:00:00:00:00:02' }).value).toMatchObject({ mac: '02:00:00:00:00:02', ips: [] });
  });

  it('given options and ids set by others, when our port row is written, then their keys stay and our dropped keys go', () => {
    const existing = decodePortRow({
      _uuid: ['uuid', U],
      name: 'p1',
      addresses: ['set', []],
      options: ['map', [['requested-chassis', 'node-a'], ['mcast_flood', 'true']]],
      external_ids: ['map', [['virtplane:vm-id', 'old-vm'], ['neutron:owner', 'x']]],
    });
    const row = portRow({ portId: 'p1', switchId: 'n1', mac: '02:00:00:00:00:01', ips: ['10.0.0.5'], vmId: null, chassis: null }, existing);
    expect(row.options).toEqual(['map', [['mcast_flood', 'true']]]);
    expect(row.external_ids).toEqual(['map', [['neutron:owner', 'x'], ['virtplane:port-id', 'p1'], ['virtplane:network-id', 'n1']]]);
    expect(row.addresses).toEqual(['set', ['02:00:00:00:00:01 10.0.0.5']]);
  });

  it('given owned keys, when merged, then ours replace theirs and unowned keys stay', () => {
    expect(mergeOwned({ a: '1', subnet: 'old' }, ['subnet', 'exclude_ips'], { exclude_ips: 'x' })).toEqual({ a: '1', exclude_ips: 'x' });
  });
});
