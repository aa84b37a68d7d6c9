# tests/host/efi_loader.mk: host unit test of the EFI loader's pure parts:
# UEFI memory map to ranges (memmap.c), command line (bootargs.c) and the
# device-tree edits (dt_update.c) on QEMU virt's tree and trees built here.
HOST_TESTS += efi_loader
efi_loader_SRCS := arch/aarch64/efi/memmap.c arch/aarch64/efi/bootargs.c arch/aarch64/efi/dt_update.c
efi_loader_LIBS := -lfdt
efi_loader_DEPS := $(HOST_BUILD)/virt.dtb
efi_loader_ARGS := $(HOST_BUILD)/virt.dtb
