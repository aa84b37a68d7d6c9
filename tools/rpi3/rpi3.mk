# tools/rpi3/rpi3.mk: Anode on the Raspberry Pi 3 (QEMU -M raspi3b, and an
# SD card for a real board). Included by the top Makefile, which defines
# BUILD, DEPS, DEPS_ROOT, DEPS_STAMP, QEMU, APPEND and QEMU_ARGS. The same
# kernel.img as on virt: the device tree tells the machines apart.
# Owns the targets:
#
#   make run-rpi3-direct  QEMU raspi3b starts kernel.img itself (at EL2) with
#                         Debian's bcm2837-rpi-3-b.dtb and APPEND as its
#                         command line. The console is UART0 (PL011), QEMU's
#                         first serial port, on the terminal; Ctrl-A X quits.
#   make sdcard           $(SDCARD) (default build/sdcard.img): MBR, one FAT32
#                         partition with config.txt, Debian's u-boot (rpi_3),
#                         boot.scr, kernel.img, the dtb and, from FIRMWARE_DIR
#                         when given, the GPU firmware a real Pi starts from
#                         (tools/rpi3/mksdcard.sh says what goes where)
#   make run-rpi3         QEMU raspi3b starts u-boot (as -kernel), which runs
#                         boot.scr from the card: load kernel.img and the dtb,
#                         booti. Rebuilds the card first (with this make's
#                         APPEND and FIRMWARE_DIR, or the FIRMWARE_DIR an
#                         earlier make sdcard was given).
#   make rpi3-dtb         fetch the dtb into $(DEPS)/rpi3 (tools/rpi3/get-dtb.sh)
#
# The serial ports under run-rpi3: u-boot's console is the mini UART (QEMU's
# second serial port), the kernel's is UART0 (the first). The usual
# "-serial null -serial mon:stdio" would throw the kernel's output away, and
# stdio cannot back two -serial options, so both ports and the QEMU monitor
# share one multiplexed stdio chardev: everything either side prints reaches
# the terminal, keys go to u-boot's port (press one during the countdown
# to get its prompt), Ctrl-A C moves the keyboard to the next of UART0,
# the mini UART and the monitor, Ctrl-A X quits.
#
# Variables:
#   APPEND=...          kernel command line: the -append of run-rpi3-direct,
#                       u-boot's bootargs in boot.scr (no single quote in it)
#   FIRMWARE_DIR=dir    folder with bootcode.bin, start.elf and fixup.dat (the
#                       Raspberry Pi firmware's boot/; not in Debian main).
#                       Remembered in $(RPI3_BUILD)/firmware-dir, so a later
#                       make sdcard or make run-rpi3 without it keeps the
#                       firmware on the card; FIRMWARE_DIR= (empty) forgets it
#   SD_SIZE_MIB=64      card size, a power of two, at least 64
#   SDCARD=file         the image (tests write their own)
#   RPI3_KERNEL=file    the Image put on the card (default build/kernel.img)
#   RPI3_BUILD=dir      where boot.cmd and boot.scr go (default build/rpi3)
#   INITRD=file         a boot archive (make initrd): QEMU's -initrd for
#                       run-rpi3-direct; initrd.img on the card for sdcard
#                       and run-rpi3, which boot.scr hands to booti
#
# Examples:
#   make run-rpi3-direct APPEND=selftest
#   make sdcard && make run-rpi3 APPEND=selftest
#   make sdcard FIRMWARE_DIR=~/firmware/boot    # then dd build/sdcard.img to a card

RPI3_DIR := tools/rpi3
RPI3_BUILD ?= $(BUILD)/rpi3
RPI3_DTB := $(DEPS)/rpi3/bcm2837-rpi-3-b.dtb
RPI3_UBOOT := $(DEPS_ROOT)/usr/lib/u-boot/rpi_3/u-boot.bin
RPI3_KERNEL ?= $(BUILD)/kernel.img
SDCARD ?= $(BUILD)/sdcard.img
SD_SIZE_MIB ?= 64
MKIMAGE ?= mkimage

# FIRMWARE_DIR given (even empty, on the command line or in the environment)
# wins and is recorded by the sdcard rule; not given, the recorded one is
# used, else none.
RPI3_FIRMWARE_RECORD := $(RPI3_BUILD)/firmware-dir
ifeq ($(filter command line environment,$(origin FIRMWARE_DIR)),)
FIRMWARE_DIR := $(shell cat $(RPI3_FIRMWARE_RECORD) 2>/dev/null)
RPI3_FIRMWARE_REMEMBERED := $(FIRMWARE_DIR)
endif
RPI3_FIRMWARE_NOTE = rpi3.mk: using FIRMWARE_DIR=$(FIRMWARE_DIR) (remembered in \
	$(RPI3_FIRMWARE_RECORD); FIRMWARE_DIR= forgets it)

RPI3_QEMU := $(QEMU) -M raspi3b -nographic
# Both serial ports and the monitor on one stdio (see above).
RPI3_SERIALS := -chardev stdio,id=rpi3con,mux=on,signal=off \
	-serial chardev:rpi3con -serial chardev:rpi3con -mon chardev=rpi3con,mode=readline

.PHONY: run-rpi3-direct run-rpi3 sdcard rpi3-dtb rpi3-force
rpi3-force:

rpi3-dtb: $(RPI3_DTB) ## fetch Debian's Raspberry Pi 3 device tree into .deps/rpi3

# Downloaded once (a whole Linux package): only when missing.
$(RPI3_DTB): | $(DEPS_STAMP)
	DEPS=$(abspath $(DEPS)) $(RPI3_DIR)/get-dtb.sh

$(RPI3_UBOOT): | $(DEPS_STAMP)
	@test -f $@ || { echo "rpi3.mk: $@ missing: tools/install-deps.sh unpacks u-boot-rpi" >&2; exit 1; }

run-rpi3-direct: all $(RPI3_DTB) ## QEMU raspi3b boots kernel.img directly
	$(RPI3_QEMU) -kernel $(BUILD)/kernel.img -dtb $(RPI3_DTB) -append "$(APPEND)" $(QEMU_ARGS) \
		$(if $(INITRD),-initrd $(INITRD))

# boot.cmd is regenerated on every make (APPEND is not a file make can
# date) but only written when its text changes; awk takes APPEND from the
# environment, so it needs no escaping; u-boot sees it in single quotes.
$(RPI3_BUILD)/boot.cmd: $(RPI3_DIR)/boot.cmd.in rpi3-force
	@mkdir -p $(dir $@)
	@RPI3_APPEND='$(subst ','\'',$(APPEND))' \
	awk 'BEGIN { a = ENVIRON["RPI3_APPEND"]; if (index(a, "\047")) { \
			print "rpi3.mk: APPEND must not contain a single quote" > "/dev/stderr"; exit 1 } } \
		{ i = index($$0, "@APPEND@"); \
		  if (i) print substr($$0, 1, i - 1) a substr($$0, i + 8); else print }' \
		$< > $@.tmp || { rm -f $@.tmp; exit 1; }
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; echo "  GEN     $@"; fi

$(RPI3_BUILD)/boot.scr: $(RPI3_BUILD)/boot.cmd | $(DEPS_STAMP)
	$(MKIMAGE) -A arm64 -T script -C none -n "Anode boot script" -d $< $@

# Always rewritten (it takes a fraction of a second): FIRMWARE_DIR's files
# are checked, and their presence or absence taken, on every run. Once the
# card is written, FIRMWARE_DIR (as an absolute path) is recorded, or the
# record removed when it is empty.
sdcard: $(RPI3_KERNEL) $(RPI3_DTB) $(RPI3_UBOOT) $(RPI3_BUILD)/boot.scr $(INITRD) | $(DEPS_STAMP) ## build/sdcard.img for a Pi 3 (FIRMWARE_DIR=... adds the firmware)
	@mkdir -p $(dir $(SDCARD))
	$(if $(RPI3_FIRMWARE_REMEMBERED),@echo '$(RPI3_FIRMWARE_NOTE)')
	INITRD='$(INITRD)' $(RPI3_DIR)/mksdcard.sh $(SDCARD) $(SD_SIZE_MIB) $(RPI3_KERNEL) $(RPI3_DTB) \
		$(RPI3_UBOOT) $(RPI3_BUILD)/boot.scr $(FIRMWARE_DIR)
	@$(if $(FIRMWARE_DIR),printf '%s\n' '$(subst ','\'',$(abspath $(FIRMWARE_DIR)))' \
		> $(RPI3_FIRMWARE_RECORD),rm -f $(RPI3_FIRMWARE_RECORD))

run-rpi3: sdcard ## QEMU raspi3b boots the SD card through u-boot
	$(RPI3_QEMU) $(RPI3_SERIALS) -kernel $(RPI3_UBOOT) \
		-drive if=sd,file=$(SDCARD),format=raw $(QEMU_ARGS)
