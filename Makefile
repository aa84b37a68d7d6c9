# Makefile: builds Anode and runs it and its tests.
#   make            build/kernel.elf (symbols, for GDB) and build/kernel.img
#                   (arm64 Image: the same bytes, for QEMU -kernel / booti)
#   make run        boot kernel.img on QEMU virt (APPEND=..., QEMU_ARGS=...)
#   make test       host unit tests + QEMU tests (installs what it needs)
#   make test-fresh make test in a fresh Debian 12 root (tools/fresh-check.sh)
#   make bench-boot guest time to kmain, to the end of the self-tests and to
#                   the first process
#   make help       every target, one line each (from the `## ` comments)
# Every target that needs packages runs tools/install-deps.sh first when
# they are missing.

.DEFAULT_GOAL := all
CROSS ?= aarch64-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NM := $(CROSS)nm
CPP := $(CROSS)cpp
PYTHON ?= /usr/bin/python3
QEMU ?= qemu-system-aarch64

BUILD := build
DEPS := .deps
DEPS_ROOT := $(DEPS)/root
DEPS_STAMP := $(DEPS)/installed
LIBFDT := $(DEPS_ROOT)/usr/lib/aarch64-linux-gnu/libfdt.a
# The device-tree queries, also built into drvmgr and the host tests.
FDT_SRCS := kernel/fdt.c kernel/fdt_nodes.c kernel/fdt_search.c kernel/fdt_reg.c kernel/fdt_memory.c kernel/fdt_chosen.c kernel/fdt_irq.c

# QEMU settings shared by every target that boots.
MACHINE ?= virt
CPU ?= cortex-a57
MEM ?= 1G
APPEND ?=
QEMU_ARGS ?=
QEMU_VIRT := $(QEMU) -M $(MACHINE) -cpu $(CPU) -m $(MEM) -nographic

# Asked of the cross compiler when a recipe first needs them, never when the
# Makefile is read: on a fresh machine the compiler only exists once the
# $(DEPS_STAMP) recipe (tools/install-deps.sh) has run, and every rule that
# compiles depends on that stamp. Each is computed once and then cached.
GCC_INCLUDE = $(eval GCC_INCLUDE := $(shell $(CC) -print-file-name=include))$(GCC_INCLUDE)
LIBGCC = $(eval LIBGCC := $(shell $(CC) -print-libgcc-file-name))$(LIBGCC)

# Recursive (=), so that $(GCC_INCLUDE) is expanded in the recipes. The stack
# protector's canary is set per boot before kmain (kernel/stack_chk.c). No
# unwind tables: -g then puts the call-frame information in .debug_frame, which
# GDB unwinds by even where GCC shrink-wraps a prologue (.eh_frame is dropped).
KCFLAGS = -std=gnu11 -O2 -g -ffreestanding -mgeneral-regs-only \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fstack-protector-strong -fno-pic -fno-pie -mcmodel=small -mno-outline-atomics \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-Wall -Wextra -Werror -MMD -MP \
	-nostdinc -I. -Iarch/aarch64/include -Ikernel/lib/libc \
	-isystem $(GCC_INCLUDE) -isystem $(DEPS_ROOT)/usr/include
KASFLAGS := -D__ASSEMBLER__ -g -MMD -MP -I. -Iarch/aarch64/include
KLDFLAGS := -nostdlib -static -z max-page-size=4096 --no-warn-rwx-segments
# make DEBUG_LOCKS=1: the lock-order and hold-time checks (kernel/lockdep.c,
# LOCKING in kernel/lib/spinlock.h), built apart in build-debuglocks/.
ifeq ($(DEBUG_LOCKS),1)
BUILD := build-debuglocks
KCFLAGS += -DDEBUG_LOCKS
endif

KSRCS := $(wildcard arch/aarch64/*.c arch/aarch64/*.S arch/aarch64/boot/*.S \
	arch/aarch64/dev/*.c kernel/*.c kernel/lib/*.c kernel/lib/libc/*.c kernel/scheme/*.c mm/*.c sched/*.c syscall/*.c)
# Boot paths, debugging and user programs keep their rules next to their
# files; included here so their variables (USER_BINS, MKINITFS) exist below.
include $(sort $(wildcard tools/*/*.mk))
# Driver daemons (drivers/NAME/NAME.mk): each adds its program to DRIVER_BINS.
DRIVER_BINS :=
include $(sort $(wildcard drivers/*/*.mk))
KOBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KSRCS))) $(BUILD)/obj/kernel/scheme/initfs_blob.o

.PHONY: all deps run test test-qemu test-fresh bench-boot clean FORCE
all: $(BUILD)/kernel.elf $(BUILD)/kernel.img ## build/kernel.elf (symbols, for GDB) and build/kernel.img (the default)

deps: $(DEPS_STAMP) ## install the packages and target libraries the build needs (tools/install-deps.sh)
$(DEPS_STAMP): tools/install-deps.sh
	./tools/install-deps.sh
	touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/linker.lds: linker.ld mm/layout.h arch/aarch64/include/asm/sysreg.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CPP) -P -D__ASSEMBLER__ -I. -Iarch/aarch64/include $< -o $@

# The initfs: user programs and Debian's busybox in /bin, test programs and their fixtures
# (tests/user/fixtures/) in /tests, /etc/motd, and
# the files of EXTRA_DIR (if given) under /extra. The .extra stamp changes
# whenever EXTRA_DIR or its contents do, so the archive is rebuilt then.
EXTRA_DIR ?=
INITFS_ROOT := $(BUILD)/initfs-root
INITFS_IMG := $(BUILD)/initfs.img
$(BUILD)/initfs.extra: FORCE
	@mkdir -p $(dir $@)
	@{ echo "$(EXTRA_DIR)"; [ -z "$(EXTRA_DIR)" ] || find "$(EXTRA_DIR)" -printf '%P %s %T@\n' | sort; } > $@.new
	@cmp -s $@.new $@ && rm $@.new || mv $@.new $@
USER_TEST_FIXTURES := $(wildcard tests/user/fixtures/*)
# Debian's busybox-static (glibc, unmodified), unpacked by install-deps.sh.
BUSYBOX := $(DEPS_ROOT)/bin/busybox
$(BUSYBOX): | $(DEPS_STAMP)
$(INITFS_IMG): $(DRIVER_BINS) $(USER_BINS) $(USER_TEST_BINS) $(USER_TEST_FIXTURES) $(USER_MOTD) $(BUSYBOX) $(MKINITFS) $(BUILD)/initfs.extra
$(INITFS_IMG): $(INIT_RC)
	@if [ -n "$(EXTRA_DIR)" ] && [ ! -d "$(EXTRA_DIR)" ]; then \
		echo "EXTRA_DIR=$(EXTRA_DIR) is not a directory" >&2; exit 1; fi
	rm -rf $(INITFS_ROOT)
	mkdir -p $(INITFS_ROOT)/bin $(INITFS_ROOT)/tests $(INITFS_ROOT)/etc
	cp $(USER_BINS) $(BUSYBOX) $(INITFS_ROOT)/bin/
	$(if $(DRIVER_BINS),cp $(DRIVER_BINS) $(INITFS_ROOT)/bin/)
	cp $(USER_TEST_BINS) $(USER_TEST_FIXTURES) $(INITFS_ROOT)/tests/
	cp $(USER_MOTD) $(INITFS_ROOT)/etc/motd
	cp $(INIT_RC) $(INITFS_ROOT)/etc/init.rc
	if [ -n "$(EXTRA_DIR)" ]; then mkdir -p $(INITFS_ROOT)/extra && cp -R "$(EXTRA_DIR)"/. $(INITFS_ROOT)/extra/; fi
	cp $(DRVMGR_CONF) $(INITFS_ROOT)/etc/drivers.conf
	tools/initfs/layout.sh $(INITFS_ROOT)
	cp -p $(ETC_USERS) $(INITFS_ROOT)/etc/
	for a in $$(grep -v '^#' $(BUSYBOX_LINKS)); do ln -s busybox $(INITFS_ROOT)/bin/$$a || exit 1; done
	$(MKINITFS) -o tools/initfs/owners $@ $(INITFS_ROOT)

$(INITFS_IMG): $(DRVMGR_CONF)
$(INITFS_IMG): tools/initfs/layout.sh tools/initfs/owners
# The user database (/etc/passwd, group, shadow: tools/users/mkpasswd.py,
# hashed once per build directory) and busybox's applets as links
# (user/busybox.links).
ETC_USERS_DIR := $(BUILD)/etc-users
ETC_USERS := $(ETC_USERS_DIR)/passwd $(ETC_USERS_DIR)/group $(ETC_USERS_DIR)/shadow
BUSYBOX_LINKS := user/busybox.links
$(ETC_USERS) &: tools/users/mkpasswd.py
	python3 tools/users/mkpasswd.py $(ETC_USERS_DIR)
$(INITFS_IMG): $(ETC_USERS) $(BUSYBOX_LINKS)

$(BUILD)/obj/kernel/scheme/initfs_blob.o: kernel/scheme/initfs_blob.S $(INITFS_IMG)
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -DINITFS_IMAGE='"$(INITFS_IMG)"' -c $< -o $@

# Two links: the first, with an empty symbol table, gives the addresses that
# tools/ksyms.py embeds in the second. The table sits last in .rodata, so no
# function moves; the cmp checks that.
$(BUILD)/ksyms0.S:
	@mkdir -p $(dir $@)
	: > $(BUILD)/empty.nm
	$(PYTHON) tools/ksyms.py $(BUILD)/empty.nm $@

$(BUILD)/%.o: $(BUILD)/%.S
	$(CC) $(KASFLAGS) -c $< -o $@

$(BUILD)/kernel.pass1.elf: $(KOBJS) $(BUILD)/ksyms0.o $(BUILD)/linker.lds
	$(LD) $(KLDFLAGS) -T $(BUILD)/linker.lds -o $@ $(KOBJS) $(BUILD)/ksyms0.o $(LIBFDT) $(LIBGCC)

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf tools/ksyms.py
	$(NM) -n $< > $(BUILD)/kernel.pass1.nm
	$(PYTHON) tools/ksyms.py $(BUILD)/kernel.pass1.nm $@

$(BUILD)/kernel.elf: $(BUILD)/kernel.pass1.elf $(BUILD)/ksyms.o
	$(LD) $(KLDFLAGS) -T $(BUILD)/linker.lds -o $@ $(KOBJS) $(BUILD)/ksyms.o $(LIBFDT) $(LIBGCC)
	$(NM) -n $@ | grep ' [Tt] ' > $(BUILD)/kernel.text.nm
	grep ' [Tt] ' $(BUILD)/kernel.pass1.nm | cmp -s - $(BUILD)/kernel.text.nm || \
		{ echo "ksyms: embedding the symbol table moved functions" >&2; rm -f $@; exit 1; }

$(BUILD)/kernel.img: $(BUILD)/kernel.elf
	$(OBJCOPY) -O binary $< $@

run: all ## boot kernel.img on QEMU virt (APPEND=..., QEMU_ARGS=..., EXTRA_DIR=...)
	$(QEMU_VIRT) -kernel $(BUILD)/kernel.img -append "$(APPEND)" $(QEMU_ARGS) $(if $(INITRD),-initrd $(INITRD))

include tests/host/host.mk
test-host: ## host unit tests only (cmocka, ASan/UBSan; tests/host)

test: all test-host test-qemu test-linux ## host unit tests, QEMU tests, and the user tests on Linux

test-qemu: all ## QEMU tests only (tests/qemu, pytest)
	$(PYTHON) -m pytest -v -p no:cacheprovider tests/qemu

# make test as a new user would run it: in a fresh Debian 12 root, on a
# clone of the current commit (tools/fresh-check.sh; needs root).
test-fresh: ## make test in a fresh Debian 12 root, as CI runs it (root)
	tools/fresh-check.sh make test

bench-boot: all ## guest time from reset to kmain, to the first process and to the end of the self-tests
	$(PYTHON) tools/bench_boot.py

clean: ## remove build/
	rm -rf $(BUILD)

# make help: every target with a `## ` comment on its rule line (here and in
# the included .mk files), in file order. A target that is public gets its
# comment there, so the list cannot drift from the rules.
.PHONY: help
help: ## list the targets, one line each
	@awk -F ':[^#]*## ' '/^[a-z][a-z0-9-]*:[^#]*## / { printf "  make %-16s %s\n", $$1, $$2 }' \
		$(filter-out %.d,$(MAKEFILE_LIST))

-include $(KOBJS:.o=.d)

# The boot archive as an initrd. INITRD=file hands file to the kernel as
# one on every boot path (make run: QEMU -initrd; run-uboot/tftp: booti's
# ramdisk; efi/run-efi: the loader's initrd=; sdcard/run-rpi3: booti's
# ramdisk from the card); the kernel then serves it instead of its own.
INITRD ?=
.PHONY: initrd kernel-archive
initrd: $(INITFS_IMG) ## the boot archive alone, build/initfs.img (INITRD=build/initfs.img boots with it)
	@echo "initrd: $(INITFS_IMG)"

# A kernel whose image carries ARCHIVE (a file; empty for none, when an
# initrd must bring everything) instead of build/initfs.img: the same
# objects and symbol table, relinked (the archive sits in .rodata after all
# text, so no function moves), as $(ARCHIVE_BUILD)/kernel.elf and .img.
ARCHIVE ?=
ARCHIVE_BUILD ?= $(BUILD)/archive
kernel-archive: $(BUILD)/kernel.elf ## kernel.img with ARCHIVE=file in it instead (ARCHIVE_BUILD=dir, default build/archive)
	@[ -f "$(ARCHIVE)" ] || { echo "kernel-archive: ARCHIVE=$(ARCHIVE) is not a file" >&2; exit 1; }
	@mkdir -p $(ARCHIVE_BUILD)
	$(CC) $(KASFLAGS) -DINITFS_IMAGE='"$(abspath $(ARCHIVE))"' -c kernel/scheme/initfs_blob.S \
		-o $(ARCHIVE_BUILD)/initfs_blob.o
	$(LD) $(KLDFLAGS) -T $(BUILD)/linker.lds -o $(ARCHIVE_BUILD)/kernel.elf \
		$(filter-out %/initfs_blob.o,$(KOBJS)) $(ARCHIVE_BUILD)/initfs_blob.o $(BUILD)/ksyms.o \
		$(LIBFDT) $(LIBGCC)
	$(OBJCOPY) -O binary $(ARCHIVE_BUILD)/kernel.elf $(ARCHIVE_BUILD)/kernel.img

# make fuzz: /bin/fuzz (user/fuzz.c, the system-call fuzzer) as the main
# program on QEMU virt, for as long as CALLS lasts (Ctrl-A X quits QEMU);
# FUZZ_SMP CPUs. tests/qemu/test_fuzz.py runs a bounded one.
SEED ?= 1
CALLS ?= 1000000
WORKERS ?= 4
FUZZ_SMP ?= 2
.PHONY: fuzz
fuzz: all ## run the system-call fuzzer on QEMU virt (SEED=, CALLS=, WORKERS=, FUZZ_SMP=)
	$(QEMU_VIRT) -smp $(FUZZ_SMP) -kernel $(BUILD)/kernel.img -append "init=/bin/fuzz -- $(SEED) $(CALLS) $(WORKERS)" $(QEMU_ARGS)
