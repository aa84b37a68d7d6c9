# tests/host/fdt_bad.mk: host unit test of kernel/fdt*.c on QEMU virt's tree
# with one property missing or nonsensical at a time.
HOST_TESTS += fdt_bad
fdt_bad_SRCS := $(FDT_SRCS) mm/ranges.c
fdt_bad_LIBS := -lfdt
fdt_bad_DEPS := $(HOST_BUILD)/virt.dtb
fdt_bad_ARGS := $(HOST_BUILD)/virt.dtb
