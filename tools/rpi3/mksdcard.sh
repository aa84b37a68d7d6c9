#!/bin/sh
# tools/rpi3/mksdcard.sh: writes a Raspberry Pi 3 SD-card image that boots
# Anode through Debian's u-boot, without loop devices or root:
#
#   mksdcard.sh OUT SIZE_MIB KERNEL DTB UBOOT BOOTSCR [FIRMWARE_DIR]
#
# OUT is SIZE_MIB MiB (a power of two, as QEMU's SD card model wants) with
# an MBR holding one bootable FAT32 partition (type 0x0c) from 1 MiB to the
# end, which gets:
#   bootcode.bin start.elf fixup.dat  from FIRMWARE_DIR, if given (the GPU
#                                     firmware a real Pi starts from; not in
#                                     Debian main, never shipped with Anode)
#   config.txt               arm_64bit=1, enable_uart=1, kernel=u-boot.bin
#   u-boot.bin               UBOOT (Debian's u-boot-rpi, rpi_3)
#   boot.scr                 BOOTSCR (u-boot runs it from partition 1)
#   kernel.img               KERNEL
#   bcm2837-rpi-3-b.dtb      DTB
#   initrd.img               $INITRD, if set in the environment (a boot
#                            archive, make initrd: boot.scr hands it to booti)
# Without FIRMWARE_DIR the card only boots where u-boot is started some
# other way (QEMU's -kernel); the script says so.
# Tools: sfdisk (fdisk), mkfs.vfat (dosfstools), mcopy/mdir (mtools).
set -eu

die() {
	echo "mksdcard: $*" >&2
	exit 1
}

[ $# -eq 6 ] || [ $# -eq 7 ] ||
	die "usage: $0 OUT SIZE_MIB KERNEL DTB UBOOT BOOTSCR [FIRMWARE_DIR]"
out=$1 size_mib=$2 kernel=$3 dtb=$4 uboot=$5 bootscr=$6 fw=${7:-}

PART_START_SECTORS=2048 # 1 MiB: the usual alignment for SD cards' erase blocks
SECTOR=512
FIRMWARE_FILES="bootcode.bin start.elf fixup.dat"
DISK_ID=414e4f44 # "ANOD": fixed MBR disk and FAT volume ids, for repeatable images

case $size_mib in
'' | *[!0-9]*) die "SD_SIZE_MIB must be a number of MiB (got '$size_mib')" ;;
esac
[ "$size_mib" -ge 64 ] || die "SD_SIZE_MIB must be at least 64 (FAT32 needs 65525 clusters), got $size_mib"
[ $((size_mib & (size_mib - 1))) -eq 0 ] ||
	die "SD_SIZE_MIB must be a power of two (QEMU's SD card needs one), got $size_mib"

initrd=${INITRD:-}
for f in "$kernel" "$dtb" "$uboot" "$bootscr" ${initrd:+"$initrd"}; do
	[ -f "$f" ] || die "missing input $f"
done
if [ -n "$fw" ]; then
	[ -d "$fw" ] || die "FIRMWARE_DIR=$fw is not a directory (it must hold $FIRMWARE_FILES)"
	missing="" empty=""
	for f in $FIRMWARE_FILES; do
		if [ ! -f "$fw/$f" ]; then
			missing="$missing $f"
		elif [ ! -s "$fw/$f" ]; then
			empty="$empty $f"
		fi
	done
	[ -z "$missing" ] || die "FIRMWARE_DIR=$fw lacks:$missing (needs $FIRMWARE_FILES, from the" \
		"Raspberry Pi firmware's boot/ folder)"
	# An empty file is a failed download or copy: the Pi would not start.
	[ -z "$empty" ] || die "FIRMWARE_DIR=$fw has empty (0-byte) files:$empty (copy them again" \
		"from the Raspberry Pi firmware's boot/ folder)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mksdcard.XXXXXX")
trap 'rm -rf "$tmp" "$out.tmp"' EXIT
trap 'exit 1' INT TERM

printf '%s\n' \
	"# Raspberry Pi firmware settings for Anode (tools/rpi3/mksdcard.sh)." \
	"# 64-bit mode, the UART on, and u-boot as the \"kernel\": u-boot then" \
	"# runs boot.scr, which boots kernel.img with bcm2837-rpi-3-b.dtb." \
	"arm_64bit=1" \
	"enable_uart=1" \
	"kernel=u-boot.bin" > "$tmp/config.txt"

# What goes on the card: "name<TAB>source" lines, in copying order.
manifest=$tmp/manifest
{
	printf '%s\t%s\n' config.txt "$tmp/config.txt" u-boot.bin "$uboot" boot.scr "$bootscr" \
		kernel.img "$kernel" bcm2837-rpi-3-b.dtb "$dtb"
	[ -z "$initrd" ] || printf '%s\t%s\n' initrd.img "$initrd"
	if [ -n "$fw" ]; then
		for f in $FIRMWARE_FILES; do
			printf '%s\t%s\n' "$f" "$fw/$f"
		done
	fi
} > "$manifest"
TAB=$(printf '\t')

part_sectors=$((size_mib * 1024 * 1024 / SECTOR - PART_START_SECTORS))
fat=$tmp/fat.img
# One sector per cluster keeps FAT32 legal down to 64 MiB cards; -h: the
# partition's offset, which the boot sector records.
mkfs.vfat -F 32 -s 1 -S $SECTOR -h $PART_START_SECTORS -n ANODE -i $DISK_ID -C "$fat" \
	$((part_sectors * SECTOR / 1024)) > "$tmp/mkfs.log" 2>&1 ||
	die "mkfs.vfat failed: $(cat "$tmp/mkfs.log")"

# Room check before copying, with each file rounded up to whole clusters
# (and one more cluster for the root directory's entries).
free=$(mdir -i "$fat" :: 2>/dev/null | sed -n 's/^ *\([0-9 ]*\) bytes free.*/\1/p' | tr -d ' ')
[ -n "$free" ] || die "cannot read the free space of the new FAT file system"
need=$SECTOR
while IFS=$TAB read -r name src; do
	bytes=$(stat -c %s "$src")
	need=$((need + (bytes + SECTOR - 1) / SECTOR * SECTOR))
done < "$manifest"
[ "$need" -le "$free" ] ||
	die "contents ($need bytes) do not fit the ${size_mib} MiB image ($free bytes free in its" \
		"FAT32 partition): raise SD_SIZE_MIB to the next power of two"

while IFS=$TAB read -r name src; do
	mcopy -i "$fat" -o "$src" "::$name" 2> "$tmp/mcopy.log" ||
		die "copying $src to the image failed: $(cat "$tmp/mcopy.log")"
done < "$manifest"

# The card: zeros, the MBR, then the file system at its partition.
rm -f "$out.tmp"
truncate -s "${size_mib}M" "$out.tmp"
printf 'label: dos\nlabel-id: 0x%s\nstart=%d, size=%d, type=c, bootable\n' $DISK_ID \
	$PART_START_SECTORS $part_sectors |
	sfdisk --quiet "$out.tmp" > "$tmp/sfdisk.log" 2>&1 ||
	die "sfdisk failed: $(cat "$tmp/sfdisk.log")"
dd if="$fat" of="$out.tmp" bs=1M seek=$((PART_START_SECTORS * SECTOR / 1024 / 1024)) \
	conv=notrunc status=none
mv "$out.tmp" "$out"

echo "mksdcard: $out: ${size_mib} MiB, FAT32 partition 1:" $(cut -f1 "$manifest")
if [ -z "$fw" ]; then
	echo "mksdcard: no FIRMWARE_DIR given: the card has no Raspberry Pi firmware" \
		"(bootcode.bin, start.elf, fixup.dat), so a real Pi 3 will not start from it;" \
		"QEMU (make run-rpi3) starts u-boot itself and does not need them"
fi
