#!/bin/sh
# tools/bench/get-linux.sh: fetches the performance peer, idempotently:
# Debian's arm64 Linux 6.1 kernel (linux-image-6.1.0-*-arm64-unsigned) and
# busybox-static, unpacked into $OUT (default .deps/linux). Only the
# benchmark needs them, so install-deps.sh does not.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$TOP/.deps/linux}
[ -f "$OUT/done" ] && exit 0
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The newest 6.1 generic arm64 kernel the archive offers.
pkg=$(apt-cache pkgnames linux-image-6.1.0- | grep -E '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$' | sort -V | tail -1)
[ -n "$pkg" ] || { echo "get-linux: no linux-image-6.1.0-*-arm64-unsigned package" >&2; exit 1; }
(cd "$tmp" && apt-get download -q "$pkg:arm64" busybox-static:arm64 >/dev/null 2>&1) ||
	{ echo "get-linux: apt-get download $pkg failed" >&2; exit 1; }
for deb in "$tmp"/*.deb; do
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './bin/busybox' 2>/dev/null || true
done
cp "$tmp"/boot/vmlinuz-* "$OUT/vmlinuz"
cp "$tmp"/bin/busybox "$OUT/busybox"
echo "$pkg" > "$OUT/done"
echo "get-linux: $pkg and busybox-static in $OUT"
