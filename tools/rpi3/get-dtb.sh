#!/bin/sh
# tools/rpi3/get-dtb.sh: puts Debian's Raspberry Pi 3 Model B device tree at
# $DEPS/rpi3/bcm2837-rpi-3-b.dtb (default DEPS: .deps/ at the top of the
# tree), idempotently. The tree comes from Debian's arm64 Linux kernel
# package (linux-image-6.1.0-N-arm64-unsigned), which is large: it is
# downloaded once and only that one file is extracted from it.
#   tools/rpi3/get-dtb.sh [package]   (default: the version the
#                                      linux-image-arm64 metapackage names)
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEPS=${DEPS:-$TOP/.deps}
OUT=$DEPS/rpi3/bcm2837-rpi-3-b.dtb

[ -s "$OUT" ] && exit 0

pkg=${1:-}
if [ -z "$pkg" ]; then
	# linux-image-arm64 depends on the current (signed) image package;
	# the unsigned one has the same name with -unsigned.
	pkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.[0-9.]*-[0-9]*-arm64\)\(:arm64\)\{0,1\}$/\1-unsigned/p' | head -n 1)
fi
if [ -z "$pkg" ]; then
	pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$' 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n 1)
fi
if [ -z "$pkg" ]; then
	echo "get-dtb: no linux-image-6.1.0-*-arm64-unsigned package known to apt;" \
	     "run tools/install-deps.sh (it adds the arm64 architecture) first" >&2
	exit 1
fi

tmp=$(mktemp -d)
chmod 755 "$tmp" # apt-get download runs as _apt when it can
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "get-dtb: downloading $pkg:arm64 for broadcom/bcm2837-rpi-3-b.dtb"
if ! (cd "$tmp" && apt-get download -q "$pkg:arm64" >/dev/null); then
	echo "get-dtb: apt-get download $pkg:arm64 failed (apt-get update as root may help)" >&2
	exit 1
fi
# One member, whatever the kernel version in its path.
dpkg-deb --fsys-tarfile "$tmp"/*.deb |
	tar -x -C "$tmp" --wildcards --no-anchored 'usr/lib/linux-image-*/broadcom/bcm2837-rpi-3-b.dtb'
src=$(find "$tmp/usr/lib" -path '*/broadcom/bcm2837-rpi-3-b.dtb' | head -n 1)
if [ -z "$src" ]; then
	echo "get-dtb: $pkg has no broadcom/bcm2837-rpi-3-b.dtb" >&2
	exit 1
fi
mkdir -p "$(dirname "$OUT")"
cp "$src" "$OUT.tmp"
echo "$pkg" > "$DEPS/rpi3/dtb-source"
mv "$OUT.tmp" "$OUT"
echo "get-dtb: $OUT (from $pkg)"
