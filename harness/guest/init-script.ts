/**
 * The guest's /init, run by busybox sh. It speaks the guest protocol (DESIGN.md): marker lines
 * on the console, the expected disk count from the kernel command line, then power-off.
 * Kernel arguments read here:
 *   emuflock.disks=N          disks to wait for
 *   emuflock.probe_timeout=S  give up S seconds after the init marker, with a `failed` marker
 *                             (so a missing disk is reported by the guest, not just timed out)
 *   emuflock.hold=1           stay up after the ready marker (one guest of a fleet): the
 *                             harness ends it with QMP `quit` once every guest is up
 */
export const markerPrefix = 'EMUFLOCK';

export const initScript = `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox --install -s /bin
export PATH=/bin

uptime_s() { read -r u _ </proc/uptime; echo "$u"; }
fail() { echo "${markerPrefix} failed reason=$1 disks=\${n:-0} expected=\${expected:-?} uptime=$(uptime_s)"; poweroff -f; }

expected=
probe_timeout=600
hold=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    emuflock.disks=*) expected=\${arg#emuflock.disks=} ;;
    emuflock.probe_timeout=*) probe_timeout=\${arg#emuflock.probe_timeout=} ;;
    emuflock.hold=1) hold=1 ;;
  esac
done

start=$(uptime_s)
echo "${markerPrefix} init uptime=$start"
[ -n "$expected" ] || fail no-disk-count-on-kernel-command-line
insmod /lib/modules/virtio_blk.ko || fail insmod-virtio_blk

give_up=$(( \${start%.*} + probe_timeout ))
while :; do
  set -- /sys/block/vd*
  if [ -e "$1" ]; then n=$#; else n=0; fi
  [ "$n" -ge "$expected" ] && break
  now=$(uptime_s)
  [ "\${now%.*}" -ge "$give_up" ] && fail disks-missing
  sleep 0.05
done
echo "${markerPrefix} ready disks=$n uptime=$(uptime_s)"
while [ -n "$hold" ]; do sleep 3600; done
poweroff -f
`;
