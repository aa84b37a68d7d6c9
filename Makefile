# Makefile: builds Anode and runs it and its tests.
#   make            build/kernel.elf (symbols, for GDB) and build/kernel.img
#                   (arm64 Image: the same bytes, for QEMU -kernel / booti)
#   make run        boot kernel.img on QEMU virt (APPEND=..., QEMU_ARGS=...)
#   make test       host unit tests + QEMU tests (installs what it needs)
#   make bench-boot guest time to kmain and to the end of the self-tests
# Every target that needs packages runs tools/install-deps.sh first when
# they are missing.

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

# QEMU settings shared by every target that boots.
MACHINE ?= virt
CPU ?= cortex-a57
MEM ?= 1G
APPEND ?=
QEMU_ARGS ?=
QEMU_VIRT := $(QEMU) -M $(MACHINE) -cpu $(CPU) -m $(MEM) -nographic

KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -mgeneral-regs-only \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-stack-protector -fno-pic -fno-pie -mcmodel=small -mno-outline-atomics \
	-Wall -Wextra -Werror -MMD -MP \
	-nostdinc -I. -Iarch/aarch64/include -Ikernel/libc \
	-isystem $(shell $(CC) -print-file-name=include) -isystem $(DEPS_ROOT)/usr/include
KASFLAGS := -D__ASSEMBLER__ -g -MMD -MP -I. -Iarch/aarch64/include
KLDFLAGS := -nostdlib -static -z max-page-size=4096 --no-warn-rwx-segments

KSRCS := $(wildcard arch/aarch64/*.c arch/aarch64/*.S arch/aarch64/boot/*.S \
	arch/aarch64/dev/*.c kernel/*.c kernel/libc/*.c mm/*.c sched/*.c syscall/*.c)
KOBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KSRCS)))
LIBGCC = $(shell $(CC) -print-libgcc-file-name)

.PHONY: all deps run test test-qemu bench-boot clean
all: $(BUILD)/kernel.elf $(BUILD)/kernel.img

deps: $(DEPS_STAMP)
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

run: all
	$(QEMU_VIRT) -kernel $(BUILD)/kernel.img -append "$(APPEND)" $(QEMU_ARGS)

include tests/host/host.mk
# Boot paths and debugging (u-boot, UEFI, Raspberry Pi 3, GDB) each keep
# their rules next to their files.
include $(sort $(wildcard tools/*/*.mk))

test: all test-host test-qemu

test-qemu: all
	$(PYTHON) -m pytest -v -p no:cacheprovider tests/qemu

bench-boot: all
	$(PYTHON) tools/bench_boot.py

clean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d)
