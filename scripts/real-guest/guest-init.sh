#!/bin/busybox sh
# /init of the real guest's initramfs (scripts/real-guest/guest.sh build copies it in). It reports
# the guest's own view once a second on the serial console, one line the tests parse:
#   GUEST-STAT t=<seconds> nproc=<online CPUs> MemTotal_kB=<kB> nics=<name@mac,...>
# and brings hot-added CPUs and memory blocks online, as udev rules would on a distribution: each
# CPU or block once while it is present (writing again would fight a guest-side unplug), memory as
# online_movable so that it can be unplugged again.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "GUEST-INIT: kernel $(uname -r) at uptime $(cut -d' ' -f1 /proc/uptime)s"
# The virtio drivers are modules in Debian's kernel: load them in dependency order.
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_mem virtio_balloon failover net_failover virtio_net; do
  insmod /lib/modules/$m.ko 2>&1 | sed "s/^/GUEST: insmod $m: /"
done
: > /tmp/seen
nics() {
  out=""
  for n in /sys/class/net/*; do
    name=${n##*/}
    [ "$name" = lo ] && continue
    out="$out${out:+,}$name@$(cat $n/address)"
  done
  echo "$out"
}
t=0
while true; do
  # forget what was unplugged, so that a CPU or block added again is brought online again
  for p in $(cat /tmp/seen); do [ -e "$p" ] && echo "$p"; done > /tmp/seen.next; mv /tmp/seen.next /tmp/seen
  for c in /sys/devices/system/cpu/cpu*/online; do
    [ -f "$c" ] || continue
    grep -qxF "$c" /tmp/seen && continue
    echo "$c" >> /tmp/seen
    [ "$(cat $c)" = 0 ] && echo 1 > "$c" && echo "GUEST: onlined $c"
  done
  for b in /sys/devices/system/memory/memory*/state; do
    [ -f "$b" ] || continue
    grep -qxF "$b" /tmp/seen && continue
    echo "$b" >> /tmp/seen
    [ "$(cat $b)" = offline ] && echo online_movable > "$b" 2>/dev/null && echo "GUEST: onlined (movable) $b"
  done
  echo "GUEST-STAT t=$t nproc=$(nproc) MemTotal_kB=$(awk '/^MemTotal:/{print $2}' /proc/meminfo) nics=$(nics)"
  t=$((t + 1))
  sleep 1
done
