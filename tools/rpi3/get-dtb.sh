#!/bin/sh
# tools/rpi3/get-dtb.sh: puts Debian's Raspberry Pi 3 Model B device tree at
# $DEPS/rpi3/bcm2837-rpi-3-b.dtb (default DEPS: .deps/ at the top of the
# tree), idempotently: nothing happens once it is there. The tree comes from
# Debian's arm64 Linux kernel package (linux-image-6.1.0-N-arm64-unsigned),
# which is large: it is downloaded into a temporary folder and only that one
# file is extracted from it. The package's name goes to $DEPS/rpi3/dtb-source.
#   tools/rpi3/get-dtb.sh [package]   (default: the version the
#                                      linux-image-arm64 metapackage names)
# Needs the arm64 architecture in dpkg (tools/install-deps.sh adds it); run
# as root, it refreshes apt's lists once if the download fails.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DEPS=${DEPS:-$TOP/.deps}
OUT=$DEPS/rpi3/bcm2837-rpi-3-b.dtb
MEMBER='usr/lib/linux-image-*/broadcom/bcm2837-rpi-3-b.dtb'

[ -s "$OUT" ] && exit 0

# The unsigned image package of the current Debian 12 kernel ABI.
find_package() {
	# linux-image-arm64 depends on the current (signed) image package; the
	# unsigned one has the same name with -unsigned.
	p=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.[0-9.]*-[0-9]*-arm64\)\(:arm64\)\{0,1\}$/\1-unsigned/p' |
		head -n 1)
	if [ -z "$p" ]; then
		p=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$' 2>/dev/null |
			awk '{print $1}' | sort -V | tail -n 1)
	fi
	echo "$p"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp" # apt-get download runs as _apt when it can

pkg=${1:-$(find_package)}
if [ -z "$pkg" ] || ! (cd "$tmp" && apt-get download -q "$pkg:arm64" > /dev/null 2>&1); then
	if [ "$(id -u)" != 0 ]; then
		echo "get-dtb: cannot download ${pkg:-a linux-image-6.1.0-*-arm64-unsigned package};" \
			"run tools/install-deps.sh, or this script as root (it runs apt-get update)" >&2
		exit 1
	fi
	echo "get-dtb: refreshing apt's package lists"
	apt-get update -q > /dev/null
	pkg=${1:-$(find_package)}
	[ -n "$pkg" ] || {
		echo "get-dtb: apt knows no linux-image-6.1.0-*-arm64-unsigned package" \
			"(is the arm64 architecture added? tools/install-deps.sh does it)" >&2
		exit 1
	}
	echo "get-dtb: downloading $pkg:arm64"
	(cd "$tmp" && apt-get download -q "$pkg:arm64" > /dev/null) || {
		echo "get-dtb: apt-get download $pkg:arm64 failed" >&2
		exit 1
	}
fi

# One member, whatever the kernel version in its path.
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" --wildcards --no-anchored "$MEMBER" 2> /dev/null || true
src=$(find "$tmp/usr/lib" -path '*/broadcom/bcm2837-rpi-3-b.dtb' 2> /dev/null | head -n 1)
if [ -z "$src" ]; then
	echo "get-dtb: $pkg holds no $MEMBER" >&2
	exit 1
fi
mkdir -p "$(dirname "$OUT")"
cp "$src" "$OUT.tmp"
echo "$pkg" > "$DEPS/rpi3/dtb-source"
mv "$OUT.tmp" "$OUT"
echo "get-dtb: $OUT (from $pkg)"
