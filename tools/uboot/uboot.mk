# tools/uboot/uboot.mk: booting Anode through u-boot over TFTP (included by
# the top Makefile, which defines BUILD, QEMU_VIRT, APPEND, QEMU_ARGS and
# DEPS_STAMP). Owns the targets:
#
#   make tftp        fill $(TFTP_DIR) (default build/tftp) with:
#                      kernel.img           the arm64 Image, for booti
#                      kernel.uImage        legacy uImage of the same bytes, for
#                                           bootm (boards whose u-boot lacks booti)
#                      boot-booti.scr.uimg  script: tftpboot kernel.img + booti
#                      boot-bootm.scr.uimg  script: tftpboot kernel.uImage + bootm
#                      boot.scr.uimg        the one autoboot fetches: a copy of
#                                           boot-$(UBOOT_BOOT).scr.uimg
#                      boot-*.cmd           the scripts' text, for reading
#                      initrd.img           with INITRD=file: a copy of it, which
#                                           the booti script hands to booti as
#                                           the ramdisk (the kernel boots from it)
#   make run-uboot   QEMU virt with u-boot-qemu as firmware and a user-mode
#                    network whose TFTP server serves $(TFTP_DIR); u-boot's
#                    autoboot does DHCP, fetches boot.scr.uimg and boots Anode
#                    with no key pressed. It remakes the directory first, so
#                    APPEND and UBOOT_BOOT apply to it as to `make tftp`.
#
# Variables:
#   APPEND=...        kernel command line; the script sets u-boot's bootargs
#                     to it and booti/bootm copy that into /chosen/bootargs
#                     (it must not contain a single quote)
#   UBOOT_BOOT=bootm  make boot.scr.uimg the bootm script (default: booti)
#   TFTP_DIR=dir      where the TFTP files go (tests use their own)
#   UBOOT_KERNEL=file the Image to serve (default build/kernel.img; the tests
#                     pass the kernel snapshot they check the logs against)
#   INITRD=file       a boot archive (make initrd) the booti script fetches
#                     and hands over as the initrd; empty: none
#
# Examples:
#   make run-uboot APPEND=selftest
#   make run-uboot APPEND=selftest UBOOT_BOOT=bootm
#   make tftp TFTP_DIR=/srv/tftp APPEND="..."     # for a real board's server

TFTP_DIR ?= $(BUILD)/tftp
UBOOT_KERNEL ?= $(BUILD)/kernel.img
UBOOT_BOOT ?= booti
UBOOT_BIOS ?= /usr/lib/u-boot/qemu_arm64/u-boot.bin
MKIMAGE ?= mkimage

# QEMU virt's RAM starts at 0x40000000. The uImage's load (and entry)
# address is 2 MiB above it, the same place kernel.elf is linked for: the
# kernel needs a 2 MiB-aligned base, and the bottom 2 MiB stay free. The
# bootm script fetches the uImage file 128 MiB into RAM, far enough above
# the load address that bootm's copy of the payload never overlaps the file
# (bootm refuses to boot when they overlap). Set both for a board whose RAM
# starts elsewhere.
UIMAGE_LOAD_ADDR ?= 0x40200000
UIMAGE_STAGE_ADDR ?= 0x48000000

UBOOT_TOOLS := tools/uboot
UBOOT_VARIANTS := booti bootm
UBOOT_CMDS := $(UBOOT_VARIANTS:%=$(TFTP_DIR)/boot-%.cmd)
UBOOT_SCRIPTS := $(UBOOT_VARIANTS:%=$(TFTP_DIR)/boot-%.scr.uimg)

ifeq ($(filter $(UBOOT_BOOT),$(UBOOT_VARIANTS)),)
$(error UBOOT_BOOT must be one of: $(UBOOT_VARIANTS) (got "$(UBOOT_BOOT)"))
endif

.PHONY: tftp run-uboot uboot-force uboot-initrd
uboot-force:

TFTP_FILES = $(TFTP_DIR)/kernel.img $(TFTP_DIR)/kernel.uImage $(UBOOT_SCRIPTS) \
	$(TFTP_DIR)/boot.scr.uimg uboot-initrd
UBOOT_INITRD_NAME := $(if $(INITRD),initrd.img)
tftp: $(TFTP_FILES) ## fill build/tftp with the kernel and u-boot boot scripts

run-uboot: tftp ## u-boot as firmware on QEMU virt boots Anode over TFTP
	$(QEMU_VIRT) -bios $(UBOOT_BIOS) \
		-netdev user,id=n0,tftp=$(TFTP_DIR) -device virtio-net-device,netdev=n0 \
		$(QEMU_ARGS)

# Compared on every make rather than dated, so that naming another, older
# UBOOT_KERNEL still replaces the served copy; the uImage follows the copy.
$(TFTP_DIR)/kernel.img: $(UBOOT_KERNEL) uboot-force
	@mkdir -p $(dir $@)
	@cmp -s $< $@ || { cp $< $@; echo "  CP      $< -> $@"; }

$(TFTP_DIR)/kernel.uImage: $(TFTP_DIR)/kernel.img | $(DEPS_STAMP)
	$(MKIMAGE) -A arm64 -O linux -T kernel -C none \
		-a $(UIMAGE_LOAD_ADDR) -e $(UIMAGE_LOAD_ADDR) -n Anode -d $< $@

# The script text: the template with each @NAME@ (in comments too) replaced
# by the value of UBOOT_NAME in the environment (awk reads it from ENVIRON,
# so the command line needs no escaping for awk or sed; u-boot sees it in
# single quotes, hence the one character it refuses). It is regenerated on
# every make (APPEND is not a file make can date) but only written when its
# text changes, so the .scr.uimg files are only remade when they must be.
$(UBOOT_CMDS): $(TFTP_DIR)/boot-%.cmd: $(UBOOT_TOOLS)/boot-%.cmd.in uboot-force
	@mkdir -p $(dir $@)
	@UBOOT_APPEND='$(subst ','\'',$(APPEND))' \
	UBOOT_UIMAGE_STAGE_ADDR='$(UIMAGE_STAGE_ADDR)' UBOOT_INITRD='$(UBOOT_INITRD_NAME)' \
	awk 'BEGIN { if (index(ENVIRON["UBOOT_APPEND"], "\047")) { \
			print "uboot.mk: APPEND must not contain a single quote" > "/dev/stderr"; exit 1 } } \
		{ out = ""; rest = $$0; \
		  while (match(rest, /@[A-Z_]+@/)) { \
			name = "UBOOT_" substr(rest, RSTART + 1, RLENGTH - 2); \
			if (!(name in ENVIRON)) { \
				print FILENAME ": no value for " name > "/dev/stderr"; exit 1 } \
			out = out substr(rest, 1, RSTART - 1) ENVIRON[name]; \
			rest = substr(rest, RSTART + RLENGTH) } \
		  print out rest }' $< > $@.tmp || { rm -f $@.tmp; exit 1; }
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; echo "  GEN     $@"; fi

$(UBOOT_SCRIPTS): $(TFTP_DIR)/boot-%.scr.uimg: $(TFTP_DIR)/boot-%.cmd | $(DEPS_STAMP)
	$(MKIMAGE) -A arm64 -T script -C none -n "Anode $* over TFTP" -d $< $@

# A copy (not a link, so the directory can be copied to any TFTP server as
# it is), refreshed whenever UBOOT_BOOT names the other script.
$(TFTP_DIR)/boot.scr.uimg: $(TFTP_DIR)/boot-$(UBOOT_BOOT).scr.uimg uboot-force
	@cmp -s $< $@ || { cp $< $@; echo "  CP      $< -> $@"; }

# INITRD's copy, compared on every make like the kernel's; without INITRD no
# copy stays behind (the script then names none either).
uboot-initrd:
	@mkdir -p $(TFTP_DIR)
	@if [ -z "$(INITRD)" ]; then rm -f $(TFTP_DIR)/initrd.img; \
	elif [ ! -f "$(INITRD)" ]; then echo "uboot.mk: INITRD=$(INITRD) is not a file" >&2; exit 1; \
	else cmp -s "$(INITRD)" $(TFTP_DIR)/initrd.img || \
		{ cp "$(INITRD)" $(TFTP_DIR)/initrd.img; echo "  CP      $(INITRD) -> $(TFTP_DIR)/initrd.img"; }; fi
