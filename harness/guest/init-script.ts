import { markerPrefix } from './protocol.js';

/**
 * The guest's /init, run by busybox sh. It speaks the guest protocol (protocol.ts: the kernel
 * arguments it reads, the markers it prints), then powers off. virtio_net and the modules it
 * needs (/lib/modules/net/, in load order) are loaded only when it is told to wait for NICs.
 */
export const initScript = `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox --install -s /bin
export PATH=/bin

uptime_s() { read -r u _ </proc/uptime; echo "$u"; }
fail() { echo "${markerPrefix} failed reason=$1 disks=\${n:-0} expected=\${expected:-?} nics=\${m:-0} expected_nics=\${nics:-0} uptime=$(uptime_s)"; poweroff -f; }
count_nics() { set -- /sys/class/net/*; m=$#; [ -e /sys/class/net/lo ] && m=$((m - 1)); }
# virtnet_probe registers the interface before it sets DRIVER_OK (status bit 4), when QEMU
# starts the device's notifiers: ready means every NIC is driven, so the fds are all open.
nics_driven() {
  for s in /sys/bus/virtio/drivers/virtio_net/*/status; do
    read -r v <"$s"; [ $((v & 4)) -ne 0 ] || return 1
  done
}

expected=
probe_timeout=600
nics=0
hold=
answer=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    emuflock.disks=*) expected=\${arg#emuflock.disks=} ;;
    emuflock.nics=*) nics=\${arg#emuflock.nics=} ;;
    emuflock.probe_timeout=*) probe_timeout=\${arg#emuflock.probe_timeout=} ;;
    emuflock.hold=1) hold=1 ;;
    emuflock.answer=1) answer=1 ;;
  esac
done

start=$(uptime_s)
echo "${markerPrefix} init uptime=$start"
[ -n "$expected" ] || fail no-disk-count-on-kernel-command-line
insmod /lib/modules/virtio_blk.ko || fail insmod-virtio_blk
if [ "$nics" -gt 0 ]; then
  for ko in /lib/modules/net/*.ko; do insmod "$ko" || fail "insmod-\${ko##*/}"; done
fi

give_up=$(( \${start%.*} + probe_timeout ))
while :; do
  set -- /sys/block/vd*
  if [ -e "$1" ]; then n=$#; else n=0; fi
  m=0
  [ "$nics" -gt 0 ] && count_nics
  [ "$n" -ge "$expected" ] && [ "$m" -ge "$nics" ] && { [ "$nics" -eq 0 ] || nics_driven; } && break
  now=$(uptime_s)
  if [ "\${now%.*}" -ge "$give_up" ]; then
    if [ "$n" -ge "$expected" ]; then fail nics-missing; else fail disks-missing; fi
  fi
  sleep 0.05
done
[ "$nics" -gt 0 ] && nics_field=" nics=$m"
echo "${markerPrefix} ready disks=$n\${nics_field:-} uptime=$(uptime_s)"
while [ -n "$hold" ]; do sleep 3600; done
[ -n "$answer" ] && read -r -t 10 _
poweroff -f
`;
