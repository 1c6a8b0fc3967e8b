#!/usr/bin/env bash
# Installs the Debian packages emuflock needs, only those missing, so a second call costs
# a dpkg-query and nothing else. As a non-root user it prints the exact apt line and exits 3
# (emuflock's "environment missing" code).
set -euo pipefail

# One group per reason, so a package that is no longer needed is easy to find.
runtime=(qemu-system-misc qemu-system-x86 qemu-utils cpio util-linux gzip)
build_qemu=(build-essential python3 ninja-build meson pkg-config ccache
            libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev git dpkg-dev)
charts=(libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev)
browser=(chromium)
profiling=(linux-perf)
guest_x86=(gcc)  # builds the x86_64 probe guest (harness/guest/x86-probe/), -m32 without libgcc: no multilib
ci=(rsync)  # gitlab-ci-local copies job files and artifacts with it (test/e2e/pipeline.test.ts)
wanted=("${runtime[@]}" "${build_qemu[@]}" "${charts[@]}" "${browser[@]}" "${profiling[@]}" "${guest_x86[@]}" "${ci[@]}")

missing=()
for p in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "emuflock: missing Debian packages; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 3
fi
echo "emuflock: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
