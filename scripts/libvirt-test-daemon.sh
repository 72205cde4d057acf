#!/usr/bin/env bash
# A private libvirtd hosting libvirt's "test" driver, for the real hypervisor adapter's tests and bench.
# Needs Debian's libvirt-daemon and libvirt-clients (.ci/run installs them); runs as root or not.
#
#   LIBVIRT_TEST_DIR=/tmp/vpl-1 scripts/libvirt-test-daemon.sh start|stop|status|env
#
# Everything lives under $LIBVIRT_TEST_DIR (default /tmp/virtplane-libvirt): config, sockets, logs,
# pid files. Keep it short: the socket path must fit the 107-byte unix socket limit.
#
# Two things this script exists for:
# - The test driver's shared state (test:///default) lives only while some client is connected: the
#   daemon frees it with its last connection, so a domain defined by one virsh is gone for the next.
#   A "keeper" (`virsh event --all --loop`, which also logs every event to events.log) stays
#   connected for the daemon's lifetime.
# - LIBVIRT_DRIVER_DIR points at an empty directory, so the daemon loads no driver module (qemu,
#   network, storage...): as root those write under /etc/libvirt and /run/libvirt, and the qemu
#   driver makes the daemon exit without Debian's libvirt-qemu user. The test driver is part of
#   libvirt.so itself.
set -euo pipefail

DIR="${LIBVIRT_TEST_DIR:-/tmp/virtplane-libvirt}"
RUN="$DIR/run"
SOCK="$RUN/libvirt-sock"
URI="test+unix:///default?socket=$SOCK"

if [ "${#SOCK}" -gt 107 ]; then
  echo "socket path too long for a unix socket (${#SOCK} > 107 bytes): $SOCK" >&2; exit 2
fi

# A zombie (re-parented daemon not yet reaped) still answers kill -0, so look at its state.
alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null; }
pid_of() { cat "$DIR/$1" 2>/dev/null || true; }
answers() { virsh -q -c "$URI" uri >/dev/null 2>&1; }

start() {
  if alive "$(pid_of libvirtd.pid)"; then echo "already running (pid $(pid_of libvirtd.pid))" >&2; return 1; fi
  command -v libvirtd >/dev/null || { echo "libvirtd is not installed (Debian: apt-get install libvirt-daemon libvirt-clients)" >&2; return 1; }
  command -v virsh >/dev/null || { echo "virsh is not installed (Debian: apt-get install libvirt-clients)" >&2; return 1; }
  rm -rf "$RUN" "$DIR/no-drivers"
  mkdir -p "$RUN" "$DIR/no-drivers" "$DIR/home"
  cat > "$DIR/libvirtd.conf" <<EOF
unix_sock_dir = "$RUN"
unix_sock_rw_perms = "0770"
unix_sock_ro_perms = "0777"
unix_sock_admin_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_level = 3
log_outputs = "3:file:$DIR/libvirtd.log"
EOF
  LIBVIRT_DRIVER_DIR="$DIR/no-drivers" HOME="$DIR/home" XDG_RUNTIME_DIR="$DIR/home" XDG_CONFIG_HOME="$DIR/home" \
    XDG_CACHE_HOME="$DIR/home" setsid libvirtd --config "$DIR/libvirtd.conf" --pid-file "$DIR/libvirtd.pid" \
    >"$DIR/libvirtd.stdout" 2>&1 </dev/null &
  local launched=$!
  for _ in $(seq 1 150); do
    [ -S "$SOCK" ] && answers && break
    if ! alive "$launched" && ! alive "$(pid_of libvirtd.pid)"; then
      echo "libvirtd exited during start-up:" >&2; cat "$DIR/libvirtd.stdout" "$DIR/libvirtd.log" >&2 2>/dev/null || true; return 1
    fi
    sleep 0.1
  done
  answers || { echo "libvirtd did not answer on $SOCK within 15 s" >&2; return 1; }
  [ -s "$DIR/libvirtd.pid" ] || echo "$launched" > "$DIR/libvirtd.pid"
  setsid virsh -c "$URI" event --all --loop --timestamp >"$DIR/events.log" 2>&1 </dev/null &
  echo $! > "$DIR/keeper.pid"
  # Ready once the keeper is connected: until then a test's first virsh may be the only client, and
  # the state it makes would vanish with it. The keeper's connection shows as a client of the daemon.
  local admin="libvirtd:///system?socket=$RUN/libvirt-admin-sock"
  for _ in $(seq 1 100); do
    [ "$(virt-admin -q -c "$admin" srv-clients-list libvirtd 2>/dev/null | grep -c .)" -ge 1 ] && break
    alive "$(pid_of keeper.pid)" || { echo "keeper connection ended:" >&2; cat "$DIR/events.log" >&2; return 1; }
    sleep 0.1
  done
  echo "URI=$URI"
  echo "LIBVIRTD_PID=$(pid_of libvirtd.pid)"
  echo "KEEPER_PID=$(pid_of keeper.pid)"
}

stop() {
  local f pid
  for f in keeper.pid libvirtd.pid; do
    pid="$(pid_of "$f")"
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
      alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/$f"
  done
  echo "stopped"
}

status() {
  if alive "$(pid_of libvirtd.pid)" && answers; then echo "running: $URI"; else echo "not running"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) echo "export LIBVIRT_DEFAULT_URI='$URI'" ;;
  *) echo "usage: LIBVIRT_TEST_DIR=DIR $0 start|stop|status|env" >&2; exit 2 ;;
esac
