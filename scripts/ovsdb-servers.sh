#!/usr/bin/env bash
# Private ovsdb-servers for the Open vSwitch/OVN adapter's tests and benchmarks: one Open_vSwitch DB
# and one OVN_Northbound DB, each on a unix socket and a loopback TCP port, under one directory.
# No ovs-vswitchd, ovn-northd or kernel module is needed (nothing here waits for them).
#
#   scripts/ovsdb-servers.sh start|stop|status|env DIR
#
# DIR holds everything (databases, sockets, pid files, logs); keep it short, a unix socket path has
# at most 107 bytes. OVS_TCP_PORT / NB_TCP_PORT choose the TCP ports (default 0: the server picks a
# free one, read back from its log). `env` prints OVS_DB_SOCK, OVS_DB_TCP, OVN_NB_SOCK, OVN_NB_TCP.
# Debian packages: openvswitch-switch (ovsdb-server, ovs-vsctl, vswitch.ovsschema) and ovn-central
# (ovn-nbctl, ovn-nb.ovsschema).
set -euo pipefail

cmd="${1:-}"
DIR="${2:-}"
[ -n "$cmd" ] && [ -n "$DIR" ] || { echo "usage: $0 start|stop|status|env DIR" >&2; exit 2; }
OVS_SCHEMA="${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}"
NB_SCHEMA="${NB_SCHEMA:-/usr/share/ovn/ovn-nb.ovsschema}"
# ovs-vsctl, ovn-nbctl and ovs-appctl look for their run files here, not in /var/run/openvswitch.
export OVS_RUNDIR="$DIR" OVS_LOGDIR="$DIR" OVS_DBDIR="$DIR" OVN_RUNDIR="$DIR" OVN_LOGDIR="$DIR" OVN_DBDIR="$DIR"

running() {  # running PIDFILE: the process lives and is not a zombie
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -e "/proc/$pid" ] && ! grep -q ') Z ' "/proc/$pid/stat" 2>/dev/null
}

# serve NAME SCHEMA TCP_PORT: creates DIR/NAME.db once (a restart keeps the data) and serves it.
serve() {
  local name=$1 schema=$2 port=$3
  [ -f "$DIR/$name.db" ] || ovsdb-tool create "$DIR/$name.db" "$schema"
  rm -f "$DIR/$name.sock"
  # --detach returns once the server listens; the pid file then holds the daemon's pid.
  ovsdb-server "$DIR/$name.db" --remote="punix:$DIR/$name.sock" --remote="ptcp:$port:127.0.0.1" \
    --pidfile="$DIR/$name.pid" --unixctl="$DIR/$name.ctl" --log-file="$DIR/$name.log" \
    --detach --no-chdir 2>>"$DIR/$name.stderr"
  ovsdb-client --timeout=10 list-dbs "unix:$DIR/$name.sock" >/dev/null
}

tcp_port() {  # the port the server logged ("...: listening on port N"), latest start wins
  sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$DIR/$1.log" | tail -1
}

stop_one() {
  local f="$DIR/$1.pid" pid
  running "$f" || { rm -f "$f"; return 0; }
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do running "$f" || break; sleep 0.05; done
  if running "$f"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$f"
}

env_out() {
  echo "export OVS_DB_SOCK=unix:$DIR/ovs.sock OVS_DB_TCP=tcp:127.0.0.1:$(tcp_port ovs)"
  echo "export OVN_NB_SOCK=unix:$DIR/nb.sock OVN_NB_TCP=tcp:127.0.0.1:$(tcp_port nb)"
}

case "$cmd" in
  start)
    mkdir -p "$DIR"
    if running "$DIR/ovs.pid" || running "$DIR/nb.pid"; then echo "already running in $DIR" >&2; exit 1; fi
    serve ovs "$OVS_SCHEMA" "${OVS_TCP_PORT:-0}"
    ovs-vsctl --db="unix:$DIR/ovs.sock" --no-wait init   # the Open_vSwitch root row
    serve nb "$NB_SCHEMA" "${NB_TCP_PORT:-0}"
    ovn-nbctl --db="unix:$DIR/nb.sock" init              # the NB_Global row
    env_out
    ;;
  stop)
    stop_one nb
    stop_one ovs
    echo stopped
    ;;
  status)
    rc=0
    for name in ovs nb; do
      if running "$DIR/$name.pid" && ovsdb-client --timeout=5 list-dbs "unix:$DIR/$name.sock" >/dev/null 2>&1; then echo "$name: up"; else echo "$name: down"; rc=1; fi
    done
    exit $rc
    ;;
  env) env_out ;;
  *) echo "usage: $0 start|stop|status|env DIR" >&2; exit 2 ;;
esac
