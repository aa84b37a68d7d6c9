# tools/efi/efi.mk: the UEFI boot path. Builds the loader (its rules are in
# arch/aarch64/efi/loader.mk), a disk image holding it and the kernel, and
# boots that disk under EDK2 (Debian's qemu-efi-aarch64) or u-boot's UEFI.
# Included by the top-level Makefile.
#
#   make efi            build/efi.img: an MBR disk whose one partition (FAT32,
#                       type ef: EFI system partition) holds
#                       EFI/BOOT/BOOTAA64.EFI, kernel.img, cmdline.txt (the
#                       APPEND words) and startup.nsh
#   make run-efi        EDK2 boots it from a virtio disk: its boot manager
#                       finds the removable-media path EFI/BOOT/BOOTAA64.EFI
#                       (the UEFI shell's startup.nsh is the fallback)
#   make run-efi-uboot  u-boot's distro boot finds EFI/BOOT/BOOTAA64.EFI and
#                       runs it with bootefi. By hand, at the u-boot prompt:
#                       load virtio 0:1 ${kernel_addr_r} EFI/BOOT/BOOTAA64.EFI
#                       bootefi ${kernel_addr_r} ${fdtcontroladdr}
#
# EDK2 on QEMU virt hands its OS a device tree only when QEMU offers no ACPI
# tables, hence acpi=off; u-boot always passes QEMU's tree. EFI_DTB=<file>
# puts that tree on the partition as anode.dtb, which the loader prefers
# over the firmware's. EFI_IMG and EFI_KERNEL choose the disk and kernel.
# INITRD=<file> (or EFI_INITRD) puts it on the partition as initrd.img and
# starts cmdline.txt with "initrd=\initrd.img", which the loader loads and
# hands over in /chosen/linux,initrd-start|end; with LoadOptions (u-boot's
# bootargs, a shell command line) the same word names it there.

include arch/aarch64/efi/loader.mk

EFI_IMG ?= $(BUILD)/efi.img
EFI_KERNEL ?= $(BUILD)/kernel.img
EFI_DTB ?=
EFI_INITRD ?= $(INITRD)
EFI_INITRD_WORD := $(if $(EFI_INITRD),initrd=\initrd.img )
EFI_FIRMWARE ?= /usr/share/qemu-efi-aarch64/QEMU_EFI.fd
EFI_UBOOT_BIOS ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
EFI_CMDLINE := $(basename $(EFI_IMG)).cmdline.txt
EFI_STARTUP := $(EFI_BUILD)/startup.nsh
EFI_IMG_MIB := 64
# The partition starts at 1 MiB, as usual; MBR type ef: EFI system partition.
EFI_PART_START_SECTOR := 2048
EFI_PART_TYPE := ef
EFI_SECTOR_SIZE := 512
EFI_KIB := 1024
EFI_FAT_BITS := 32
# The firmware, the disk, and no network (EDK2 would try PXE and HTTP first).
EFI_QEMU := $(QEMU) -M $(MACHINE),acpi=off -cpu $(CPU) -m $(MEM) -nographic -nic none \
	-drive if=none,file=$(EFI_IMG),format=raw,id=hd0 -device virtio-blk-device,drive=hd0

.PHONY: efi run-efi run-efi-uboot efi-cmdline-check
efi: $(EFI_IMG) ## build/efi.img: a disk with the UEFI loader and kernel.img

# Rewritten only when APPEND changes, so the disk is rebuilt only then.
efi-cmdline-check:
$(EFI_CMDLINE): efi-cmdline-check
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(EFI_INITRD_WORD)$(subst ','\'',$(APPEND))' > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

# The UEFI shell runs this when no boot option worked (CRLF, as the shell
# writes its scripts); the loader drops its own path from the arguments.
$(EFI_STARTUP): tools/efi/efi.mk
	@mkdir -p $(dir $@)
	printf 'fs0:\r\n\\EFI\\BOOT\\BOOTAA64.EFI\r\n' > $@

$(EFI_IMG): $(EFI_LOADER) $(EFI_KERNEL) $(EFI_CMDLINE) $(EFI_STARTUP) $(EFI_DTB) $(EFI_INITRD) tools/efi/efi.mk
	rm -f $@.part $@.new
	mkfs.vfat -C -F $(EFI_FAT_BITS) -n ANODE-EFI $@.part \
		$$(( $(EFI_IMG_MIB) * $(EFI_KIB) - $(EFI_PART_START_SECTOR) * $(EFI_SECTOR_SIZE) / $(EFI_KIB) )) >/dev/null
	mmd -i $@.part ::/EFI ::/EFI/BOOT
	mcopy -i $@.part $(EFI_LOADER) ::/EFI/BOOT/BOOTAA64.EFI
	mcopy -i $@.part $(EFI_KERNEL) ::/kernel.img
	mcopy -i $@.part $(EFI_CMDLINE) ::/cmdline.txt
	mcopy -i $@.part $(EFI_STARTUP) ::/startup.nsh
	$(if $(EFI_DTB),mcopy -i $@.part $(EFI_DTB) ::/anode.dtb)
	$(if $(EFI_INITRD),mcopy -i $@.part $(EFI_INITRD) ::/initrd.img)
	truncate -s $(EFI_IMG_MIB)M $@.new
	echo 'start=$(EFI_PART_START_SECTOR), type=$(EFI_PART_TYPE)' | sfdisk -q $@.new
	dd if=$@.part of=$@.new bs=$(EFI_SECTOR_SIZE) seek=$(EFI_PART_START_SECTOR) conv=notrunc status=none
	rm -f $@.part
	mv $@.new $@

run-efi: efi ## boot efi.img under EDK2 (UEFI firmware) on QEMU virt
	$(EFI_QEMU) -bios $(EFI_FIRMWARE) $(QEMU_ARGS)

run-efi-uboot: efi ## boot efi.img under u-boot's UEFI on QEMU virt
	$(EFI_QEMU) -bios $(EFI_UBOOT_BIOS) $(QEMU_ARGS)
