#!/bin/busybox sh
# /init of the real guest's initramfs (scripts/real-guest/guest.sh build copies it in). It reports
# the guest's own view on the serial console, in lines the tests and the bench parse:
#   GUEST-STAT t=<n> nproc=<CPUs online> MemTotal_kB=<kB> nics=<name@mac,...>    once a second
#   GUEST-CHANGE up=<uptime s> nproc=.. MemTotal_kB=.. nics=..                  as soon as one changes
# and brings hot-added CPUs and memory blocks online, as udev rules would on a distribution: each
# CPU or block once while it is present (writing again would fight a guest-side unplug), memory as
# online_movable so that it can be unplugged again. The loop looks every 0.1 s and forks nothing
# (shell builtins reading sysfs and procfs): this guest runs under software emulation.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
read -r up _ < /proc/uptime
echo "GUEST-INIT: kernel $(uname -r) at uptime ${up}s"
# The virtio drivers are modules in Debian's kernel: load them in dependency order.
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_mem virtio_balloon failover net_failover virtio_net; do
  insmod /lib/modules/$m.ko 2>&1 | sed "s/^/GUEST: insmod $m: /"
done

seen=""
bring_online() {
  # forget what was unplugged, so that a CPU or block added again is brought online again
  kept=""
  for p in $seen; do [ -e "$p" ] && kept="$kept $p"; done
  seen=$kept
  for f in /sys/devices/system/cpu/cpu[0-9]*/online /sys/devices/system/memory/memory[0-9]*/state; do
    [ -f "$f" ] || continue
    case " $seen " in *" $f "*) continue ;; esac
    seen="$seen $f"
    read -r v < "$f"
    case "$v" in
      0) echo 1 > "$f" && echo "GUEST: onlined $f" ;;
      offline) echo online_movable > "$f" 2>/dev/null && echo "GUEST: onlined (movable) $f" ;;
    esac
  done
}
look() {
  nproc=0
  for d in /sys/devices/system/cpu/cpu[0-9]*; do
    if [ -f "$d/online" ]; then
      read -r v < "$d/online"
      [ "$v" = 1 ] && nproc=$((nproc + 1))
    else
      nproc=$((nproc + 1)) # not hot-pluggable (cpu0): always online
    fi
  done
  while read -r key value _; do
    if [ "$key" = MemTotal: ]; then mem=$value; break; fi
  done < /proc/meminfo
  nics=""
  for p in /sys/class/net/*; do
    name=${p##*/}
    [ "$name" = lo ] && continue
    read -r mac < "$p/address"
    nics="$nics${nics:+,}$name@$mac"
  done
}

t=0
tick=0
last=""
while true; do
  bring_online
  look
  view="nproc=$nproc MemTotal_kB=$mem nics=$nics"
  if [ "$view" != "$last" ]; then
    read -r up _ < /proc/uptime
    echo "GUEST-CHANGE up=$up $view"
    last=$view
  fi
  if [ $((tick % 10)) = 0 ]; then
    echo "GUEST-STAT t=$t $view"
    t=$((t + 1))
  fi
  tick=$((tick + 1))
  sleep 0.1
done
