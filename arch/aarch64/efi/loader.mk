# arch/aarch64/efi/loader.mk: builds BOOTAA64.EFI, Anode's UEFI loader, with
# Debian's gnu-efi (arm64, unpacked into $(DEPS_ROOT) by install-deps.sh) and
# libfdt. Included by tools/efi/efi.mk; paths are relative to the top.
#
# gnu-efi 3.0.15's AArch64 crt0 carries its own PE/COFF header, so the
# shared object is linked from address 0 and objcopy'd -O binary (binutils
# 2.40 has no efi-app-aarch64 target); at run time _relocate (libgnuefi)
# applies the ELF R_AARCH64_RELATIVE relocations, the only kind allowed.

EFI_LOADER_DIR := arch/aarch64/efi
EFI_BUILD := $(BUILD)/efi
EFI_LOADER := $(EFI_BUILD)/BOOTAA64.EFI
GNU_EFI_LIB := $(DEPS_ROOT)/usr/lib
GNU_EFI_INC := $(DEPS_ROOT)/usr/include/efi
EFI_SUBSYSTEM_APPLICATION := 10
EFI_PE_FILE_ALIGN := 512

EFI_CFLAGS = -std=gnu11 -O2 -g -fpic -fshort-wchar -ffreestanding \
	-fno-stack-protector -fno-stack-check -fno-strict-aliasing \
	-mgeneral-regs-only -mno-outline-atomics -Wall -Wextra -Werror -MMD -MP \
	-nostdinc -I$(EFI_LOADER_DIR) -Ikernel/lib/libc \
	-isystem $(GCC_INCLUDE) \
	-isystem $(GNU_EFI_INC) -isystem $(GNU_EFI_INC)/aarch64 \
	-isystem $(DEPS_ROOT)/usr/include
EFI_ASFLAGS := -D__ASSEMBLER__ -g -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined \
	--no-warn-rwx-segments -T $(GNU_EFI_LIB)/elf_aarch64_efi.lds \
	--defsym=EFI_SUBSYSTEM=$(EFI_SUBSYSTEM_APPLICATION)
EFI_SECTIONS := .text .sdata .data .dynamic .rodata .rel .rela .rel.* .rela.* .reloc

EFI_SRCS := $(wildcard $(EFI_LOADER_DIR)/*.c $(EFI_LOADER_DIR)/*.S)
# The kernel's C library functions, except memcpy/memset (libefi has them).
EFI_LIBC := kernel/lib/libc/string.c
EFI_OBJS := $(patsubst $(EFI_LOADER_DIR)/%,$(EFI_BUILD)/%.o,$(basename $(EFI_SRCS))) \
	$(EFI_BUILD)/libc_string.o

$(EFI_BUILD)/%.o: $(EFI_LOADER_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(EFI_BUILD)/libc_string.o: $(EFI_LIBC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(EFI_BUILD)/%.o: $(EFI_LOADER_DIR)/%.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_ASFLAGS) -c $< -o $@

# The .so keeps the symbols (for GDB: add-symbol-file at the load address).
# Any dynamic relocation but RELATIVE would be left undone by _relocate.
$(EFI_BUILD)/BOOTAA64.so: $(EFI_OBJS) | $(DEPS_STAMP)
	$(LD) $(EFI_LDFLAGS) -o $@ $(GNU_EFI_LIB)/crt0-efi-aarch64.o $(EFI_OBJS) \
		$(LIBFDT) $(GNU_EFI_LIB)/libefi.a $(GNU_EFI_LIB)/libgnuefi.a $(LIBGCC)
	@if $(CROSS)readelf -rW $@ | grep -E '^[0-9a-f]+ ' | grep -qv R_AARCH64_RELATIVE; then \
		echo "$@: dynamic relocations other than R_AARCH64_RELATIVE:" >&2; \
		$(CROSS)readelf -rW $@ | grep -E '^[0-9a-f]+ ' | grep -v R_AARCH64_RELATIVE >&2; \
		rm -f $@; exit 1; fi

# The PE header's .data ends at _edata, 512-aligned by the linker script
# but not in objcopy's output: pad the file to it (PE FileAlignment).
$(EFI_LOADER): $(EFI_BUILD)/BOOTAA64.so $(EFI_LOADER_DIR)/loader.mk
	$(OBJCOPY) $(addprefix -j ,$(EFI_SECTIONS)) -O binary $< $@
	truncate -s %$(EFI_PE_FILE_ALIGN) $@

-include $(EFI_OBJS:.o=.d)
