#!/usr/bin/env bash
# The real guest for the hot-plug end-to-end tests: Debian's kernel with a busybox initramfs,
# booted by QEMU (software emulation, TCG) under a private libvirtd that lives in its own mount and
# network namespaces, so nothing it does shows on the host. See README "Real guest".
#
#   scripts/real-guest/guest.sh build             # kernel + initramfs into the cache (apt-get download)
#   scripts/real-guest/guest.sh paths             # KERNEL=... INITRD=...
#   scripts/real-guest/guest.sh start DIR         # private libvirtd in DIR; prints URI=, PID=, SERIAL_DIR=
#   scripts/real-guest/guest.sh stop DIR          # destroys its domains, stops it, removes DIR
#   scripts/real-guest/guest.sh boot DIR NAME     # (by hand) defines and starts a 256 MiB guest NAME
#
# Needs root (unshare), qemu-system-x86, libvirt-daemon, libvirt-daemon-driver-qemu, libvirt-clients
# and apt (.ci/run installs them). The cache is $VIRTPLANE_GUEST_CACHE (default
# ~/.cache/virtplane/real-guest), outside the repository, so a second build is instant. DIR holds the
# daemon's socket, so keep it short (unix sockets take 107 bytes): e.g. /tmp/vprg-1.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${VIRTPLANE_GUEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/virtplane/real-guest}"
MODULES=(
  drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
  drivers/virtio/virtio_pci drivers/virtio/virtio_mem drivers/virtio/virtio_balloon net/core/failover drivers/net/net_failover
  drivers/net/virtio_net
)

die() { echo "real-guest: $*" >&2; exit 1; }

# The kernel Debian's linux-image-amd64 points at now (e.g. linux-image-6.1.0-56-amd64).
kernel_package() {
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  [ -n "$pkg" ] || die "apt offers no linux-image-amd64 (run apt-get update first)"
  echo "$pkg"
}

build() {
  command -v apt-get >/dev/null || die "apt-get is needed to fetch Debian's kernel"
  mkdir -p "$CACHE"
  local pkg version stamp want
  pkg=$(kernel_package 2>/dev/null || true)
  if [ -z "$pkg" ] && [ -s "$CACHE/vmlinuz" ] && [ -s "$CACHE/initrd.gz" ]; then
    echo "real-guest: apt offers no linux-image-amd64 (no package lists?); using the cached $(cut -d' ' -f1 "$CACHE/built-from" 2>/dev/null)"
    return 0
  fi
  [ -n "$pkg" ] || kernel_package >/dev/null
  version=${pkg#linux-image-}
  want="$pkg $(sha256sum "$HERE/guest-init.sh" | cut -d' ' -f1)"
  stamp="$CACHE/built-from"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -s "$CACHE/vmlinuz" ] && [ -s "$CACHE/initrd.gz" ]; then
    echo "real-guest: cached in $CACHE ($pkg)"
    return 0
  fi
  local work="$CACHE/work"
  rm -rf "$work"; mkdir -p "$work/dl" "$work/initrd"/{bin,dev,proc,sys,tmp,lib/modules}
  # apt-get download writes into the current directory and needs no root.
  if ! ls "$CACHE"/dl/"$pkg"_*.deb >/dev/null 2>&1 || ! ls "$CACHE"/dl/busybox-static_*.deb >/dev/null 2>&1; then
    mkdir -p "$CACHE/dl"
    rm -f "$CACHE"/dl/*.deb
    # (as root apt warns that its _apt user cannot write here; the download is fine)
    (cd "$CACHE/dl" && apt-get download -q "$pkg" busybox-static 2>&1 >/dev/null | grep -v "unsandboxed as root" >&2 || true)
    ls "$CACHE"/dl/"$pkg"_*.deb >/dev/null 2>&1 || die "apt-get download $pkg failed"
  fi
  dpkg -x "$CACHE"/dl/"$pkg"_*.deb "$work/kernel"
  dpkg -x "$CACHE"/dl/busybox-static_*.deb "$work/busybox"
  cp "$work/kernel/boot/vmlinuz-$version" "$CACHE/vmlinuz.new"
  cp "$work/busybox/bin/busybox" "$work/initrd/bin/busybox"
  local tree="$work/kernel/lib/modules/$version/kernel" m base
  for m in "${MODULES[@]}"; do
    base=${m##*/}
    if [ -f "$tree/$m.ko" ]; then cp "$tree/$m.ko" "$work/initrd/lib/modules/$base.ko"
    elif [ -f "$tree/$m.ko.xz" ]; then xz -dc "$tree/$m.ko.xz" > "$work/initrd/lib/modules/$base.ko"
    else die "$pkg has no module $m"; fi
  done
  install -m 0755 "$HERE/guest-init.sh" "$work/initrd/init"
  # Debian has no cpio by default: busybox's makes the newc archive the kernel unpacks.
  (cd "$work/initrd" && find . | "$work/busybox/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1 > "$CACHE/initrd.gz.new")
  mv "$CACHE/vmlinuz.new" "$CACHE/vmlinuz"; mv "$CACHE/initrd.gz.new" "$CACHE/initrd.gz"
  rm -rf "$work"
  echo "$want" > "$stamp"
  echo "real-guest: built $CACHE/vmlinuz and $CACHE/initrd.gz ($pkg)"
}

paths() {
  [ -s "$CACHE/vmlinuz" ] && [ -s "$CACHE/initrd.gz" ] || die "no guest built in $CACHE (run: $0 build)"
  echo "KERNEL=$CACHE/vmlinuz"
  echo "INITRD=$CACHE/initrd.gz"
}

uri_of() { echo "qemu:///system?socket=$1/sock/libvirt-sock"; }
alive() { [ -n "${1:-}" ] && [ -e "/proc/$1" ] && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null; }

start() {
  local dir=${1:?start DIR}
  [ "$(id -u)" = 0 ] || die "the private libvirtd needs root (unshare --mount --net)"
  local b; for b in libvirtd virsh qemu-system-x86_64 unshare ip; do command -v $b >/dev/null || die "$b is not installed (.ci/run installs it)"; done
  [ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] || die "libvirt's qemu driver is not installed (libvirt-daemon-driver-qemu)"
  local sock="$dir/sock/libvirt-sock"
  [ "${#sock}" -le 107 ] || die "DIR too long for a unix socket: $sock"
  if alive "$(cat "$dir/libvirtd.pid" 2>/dev/null || true)"; then die "already running in $dir"; fi
  mkdir -p "$dir"/{sock,serial,etc-up,etc-work,var-up,var-work}
  dir=$(cd "$dir" && pwd)
  cat > "$dir/libvirtd.conf" <<CONF
unix_sock_dir = "$dir/sock"
unix_sock_rw_perms = "0770"
unix_sock_ro_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:$dir/libvirtd.log"
CONF
  # The namespace's own /etc (an overlay: the host's stays as it is) gets the libvirt-qemu user,
  # which libvirt 9.0 resolves before reading qemu.conf, and a qemu.conf that runs QEMU as root with
  # no cgroups, namespaces or security driver (none of which this sandbox has).
  cat > "$dir/ns-init.sh" <<INIT
#!/bin/bash
set -e
mount -t overlay overlay -o lowerdir=/etc,upperdir=$dir/etc-up,workdir=$dir/etc-work /etc
mount -t overlay overlay -o lowerdir=/var,upperdir=$dir/var-up,workdir=$dir/var-work /var
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/libvirt /etc/libvirt
grep -q '^libvirt-qemu:' /etc/passwd || echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >> /etc/passwd
grep -q '^libvirt-qemu:' /etc/group || echo 'libvirt-qemu:x:64055:' >> /etc/group
grep -q '^kvm:' /etc/group || echo 'kvm:x:64056:' >> /etc/group
cat > /etc/libvirt/qemu.conf <<'QEMU'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
QEMU
ip link set lo up
ip link add br0 type bridge
ip link set br0 up
exec libvirtd --config $dir/libvirtd.conf --pid-file $dir/libvirtd.pid
INIT
  chmod +x "$dir/ns-init.sh"
  setsid unshare --mount --net --propagation private "$dir/ns-init.sh" > "$dir/libvirtd.stdout" 2>&1 < /dev/null &
  local launched=$! uri; uri=$(uri_of "$dir")
  echo "$launched" > "$dir/libvirtd.pid"
  # The first connection waits for the qemu driver's capability probe (8 s seen here).
  for _ in $(seq 1 300); do
    [ -S "$sock" ] && virsh -q -c "$uri" uri >/dev/null 2>&1 && break
    alive "$launched" || { cat "$dir/libvirtd.stdout" "$dir/libvirtd.log" >&2 2>/dev/null || true; die "libvirtd exited during start-up"; }
    sleep 0.1
  done
  virsh -q -c "$uri" uri >/dev/null 2>&1 || die "libvirtd did not answer on $sock within 30 s"
  echo "URI=$uri"
  echo "PID=$launched"
  echo "SERIAL_DIR=$dir/serial"
}

# Every process in the daemon's network namespace: libvirtd and the QEMUs it started.
namespace_pids() {
  local pid=$1 ns p
  ns=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
  done
  return 0
}

stop() {
  local dir=${1:?stop DIR} pid uri dom pids
  [ -d "$dir" ] || return 0
  uri=$(uri_of "$dir")
  pid=$(cat "$dir/libvirtd.pid" 2>/dev/null || true)
  if alive "$pid"; then
    for dom in $(timeout 10 virsh -q -c "$uri" list --name 2>/dev/null); do timeout 10 virsh -q -c "$uri" destroy "$dom" >/dev/null 2>&1 || true; done
    pids=$(namespace_pids "$pid")
    kill -TERM $pid 2>/dev/null || true
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    # A QEMU libvirt could not destroy outlives the daemon: it is ours (same namespace), end it.
    for p in $pids; do alive "$p" && kill -KILL "$p" 2>/dev/null || true; done
  fi
  rm -rf "$dir"
}

# By hand: a guest like the one the cluster simulator defines (256 MiB of 512, 1 of 4 vCPUs).
boot() {
  local dir=${1:?boot DIR NAME} name=${2:?boot DIR NAME} uri kernel initrd
  dir=$(cd "$dir" && pwd); uri=$(uri_of "$dir")
  eval "$(paths)"; kernel=$KERNEL; initrd=$INITRD
  cat > "$dir/$name.xml" <<XML
<domain type='qemu'>
  <name>$name</name>
  <maxMemory slots='4' unit='MiB'>2048</maxMemory>
  <memory unit='MiB'>512</memory>
  <currentMemory unit='MiB'>256</currentMemory>
  <vcpu placement='static' current='1'>4</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>$kernel</kernel><initrd>$initrd</initrd><cmdline>console=ttyS0 quiet panic=-1</cmdline></os>
  <features><acpi/><apic/></features>
  <cpu mode='maximum'><numa><cell id='0' cpus='0-3' memory='512' unit='MiB'/></numa></cpu>
  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <serial type='file'><source path='$dir/serial/$name.log'/><target port='0'/></serial>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
XML
  virsh -q -c "$uri" define "$dir/$name.xml" >/dev/null
  virsh -q -c "$uri" start "$name"
  for _ in $(seq 1 120); do grep -q GUEST-STAT "$dir/serial/$name.log" 2>/dev/null && break; sleep 0.5; done
  grep -m1 GUEST-STAT "$dir/serial/$name.log" || die "no GUEST-STAT in 60 s (see $dir/serial/$name.log)"
}

case "${1:-}" in
  build) build ;;
  paths) paths ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  boot) boot "${2:-}" "${3:-}" ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
