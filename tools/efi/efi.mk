# tools/efi/efi.mk: the UEFI boot path. Builds the loader (rules in
# arch/aarch64/efi/loader.mk), a FAT disk image holding it and the kernel,
# and boots that image under EDK2 (Debian's qemu-efi-aarch64) or u-boot's
# bootefi. Included by the top-level Makefile.
#
#   make efi            build/efi.img: an MBR disk with one FAT partition (the
#                       EFI system partition) holding EFI/BOOT/BOOTAA64.EFI,
#                       kernel.img, cmdline.txt (= APPEND) and startup.nsh
#   make run-efi        EDK2 boots it from a virtio disk (removable-media path)
#   make run-efi-uboot  u-boot loads EFI/BOOT/BOOTAA64.EFI and runs bootefi
#
# EDK2 on QEMU virt hands its OS a device tree only when QEMU offers no ACPI
# tables, hence acpi=off; u-boot always passes its own (QEMU's) tree. A file
# EFI_DTB=<tree.dtb> is copied to the partition as anode.dtb, which the
# loader then prefers over the firmware's tree.

include arch/aarch64/efi/loader.mk

EFI_IMG ?= $(BUILD)/efi.img
EFI_KERNEL ?= $(BUILD)/kernel.img
EFI_DTB ?=
EFI_FIRMWARE ?= /usr/share/qemu-efi-aarch64/QEMU_EFI.fd
UBOOT_QEMU ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
EFI_IMG_MIB := 64
# The partition starts at 1 MiB, as usual; MBR type ef: EFI system partition.
EFI_PART_START_SECTOR := 2048
EFI_PART_TYPE := ef
SECTOR_SIZE := 512
EFI_FAT_BITS := 32
# u-boot: stop autoboot, then load the loader and run it with QEMU's tree.
UBOOT_EFI_CMD := load virtio 0:1 $${kernel_addr_r} EFI/BOOT/BOOTAA64.EFI; bootefi $${kernel_addr_r} $${fdtcontroladdr}
# The firmware, its disk and no network (EDK2 would try PXE and HTTP first).
EFI_QEMU := $(QEMU) -M $(MACHINE),acpi=off -cpu $(CPU) -m $(MEM) -nographic -nic none \
	-drive if=none,file=$(EFI_IMG),format=raw,id=hd0 -device virtio-blk-device,drive=hd0

.PHONY: efi run-efi run-efi-uboot efi-cmdline-check
efi: $(EFI_IMG)

# Rewritten only when APPEND changes, so the disk is rebuilt only then.
efi-cmdline-check:
$(EFI_BUILD)/cmdline.txt: efi-cmdline-check
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(subst ','\'',$(APPEND))' > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@

$(EFI_BUILD)/startup.nsh: tools/efi/efi.mk
	@mkdir -p $(dir $@)
	printf 'fs0:\r\n\\EFI\\BOOT\\BOOTAA64.EFI\r\n' > $@

$(EFI_IMG): $(EFI_LOADER) $(EFI_KERNEL) $(EFI_BUILD)/cmdline.txt $(EFI_BUILD)/startup.nsh $(EFI_DTB)
	rm -f $@.part $@.new
	mkfs.vfat -C -F $(EFI_FAT_BITS) -n ANODE-EFI $@.part \
		$$(( ($(EFI_IMG_MIB) * 1024 * 1024 / $(SECTOR_SIZE) - $(EFI_PART_START_SECTOR)) / 2 )) >/dev/null
	mmd -i $@.part ::/EFI ::/EFI/BOOT
	mcopy -i $@.part $(EFI_LOADER) ::/EFI/BOOT/BOOTAA64.EFI
	mcopy -i $@.part $(EFI_KERNEL) ::/kernel.img
	mcopy -i $@.part $(EFI_BUILD)/cmdline.txt ::/cmdline.txt
	mcopy -i $@.part $(EFI_BUILD)/startup.nsh ::/startup.nsh
	$(if $(EFI_DTB),mcopy -i $@.part $(EFI_DTB) ::/anode.dtb)
	truncate -s $(EFI_IMG_MIB)M $@.new
	echo 'start=$(EFI_PART_START_SECTOR), type=$(EFI_PART_TYPE)' | sfdisk -q $@.new
	dd if=$@.part of=$@.new bs=$(SECTOR_SIZE) seek=$(EFI_PART_START_SECTOR) conv=notrunc status=none
	rm -f $@.part
	mv $@.new $@

run-efi: efi
	$(EFI_QEMU) -bios $(EFI_FIRMWARE) $(QEMU_ARGS)

run-efi-uboot: efi
	$(PYTHON) tools/efi/uboot_bootefi.py --timeout 0 -- $(EFI_QEMU) -bios $(UBOOT_QEMU) $(QEMU_ARGS)
