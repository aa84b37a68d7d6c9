#!/bin/sh
# tools/install-deps.sh: installs, idempotently and only what is missing, every
# Debian package the Anode build and its tests need. Host tools come from the
# host architecture; AArch64 target libraries (libfdt, musl, gnu-efi, the Pi 3
# u-boot) come from Debian's arm64 packages and are unpacked with dpkg -x into
# $DEPS (default: .deps/ at the top of the tree) so that nothing of the host's
# own libraries changes.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
DEPS=${DEPS:-$TOP/.deps}

# Host packages: cross toolchain, emulator and firmware, image tools, debugger,
# and the host test frameworks (cmocka, pytest, pexpect) plus host libfdt.
HOST_PKGS="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm \
u-boot-qemu u-boot-tools device-tree-compiler gdb-multiarch mtools dosfstools \
qemu-efi-aarch64 cpio fdisk python3 python3-pytest python3-pexpect \
libcmocka-dev libfdt-dev pkg-config make gcc libc6-dev ipxe-qemu"

# Target packages unpacked into $DEPS/<name>.
# busybox-static is Debian's own build (static, glibc), unmodified: the
# initfs's /bin/busybox.
TARGET_PKGS="libfdt-dev libfdt1 musl-dev musl gnu-efi u-boot-rpi busybox-static"

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: must run as root to install: $*" >&2
		exit 1
	fi
}

missing=""
for p in $HOST_PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	need_root "arm64 architecture"
	dpkg --add-architecture arm64
	updated=no
else
	updated=yes
fi

if [ -n "$missing" ] || [ "$updated" = no ]; then
	need_root "$missing"
	apt-get update -q
fi
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

mkdir -p "$DEPS"
for p in $TARGET_PKGS; do
	[ -f "$DEPS/$p.done" ] && continue
	echo "install-deps: unpacking $p:arm64 into $DEPS"
	tmp=$(mktemp -d)
	if ! (cd "$tmp" && apt-get download -q "$p:arm64" >/dev/null 2>&1); then
		need_root "apt-get update"
		apt-get update -q
		(cd "$tmp" && apt-get download -q "$p:arm64")
	fi
	dpkg -x "$tmp"/*.deb "$DEPS/root"
	rm -rf "$tmp"
	touch "$DEPS/$p.done"
done
echo "install-deps: all dependencies present"
