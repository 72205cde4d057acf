-- Neutron's networks, subnets and ports, one row per stream; a deleted one keeps its row with
-- deleted = 1 (its id stays taken). Lists are JSON text. Both dialects.
CREATE TABLE IF NOT EXISTS networks (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  shared INTEGER NOT NULL,
  external INTEGER NOT NULL,
  mtu INTEGER NOT NULL,
  admin_state_up INTEGER NOT NULL,
  subnets TEXT NOT NULL,
  port_count INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS networks_project_idx ON networks (project_id, deleted);

-- total_ips is decimal text: the pools of an IPv6 /64 hold 2^64 - 2 addresses.
CREATE TABLE IF NOT EXISTS subnets (
  id TEXT PRIMARY KEY,
  network_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  ip_version INTEGER NOT NULL,
  cidr TEXT NOT NULL,
  gateway_ip TEXT,
  allocation_pools TEXT NOT NULL,
  excluded_ranges TEXT NOT NULL,
  dns_nameservers TEXT NOT NULL,
  enable_dhcp INTEGER NOT NULL,
  used_ips BIGINT NOT NULL,
  total_ips TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS subnets_network_idx ON subnets (network_id, deleted);

CREATE TABLE IF NOT EXISTS ports (
  id TEXT PRIMARY KEY,
  network_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  admin_state_up INTEGER NOT NULL,
  mac_address TEXT NOT NULL,
  fixed_ips TEXT NOT NULL,
  vnic_type TEXT NOT NULL,
  vif_type TEXT NOT NULL,
  host_id TEXT,
  device_id TEXT NOT NULL,
  device_owner TEXT NOT NULL,
  phase TEXT NOT NULL,
  status TEXT NOT NULL,
  port_security_enabled INTEGER NOT NULL,
  security_groups TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ports_network_idx ON ports (network_id, deleted);
CREATE INDEX IF NOT EXISTS ports_device_idx ON ports (device_id);
