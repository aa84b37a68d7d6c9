# tests/host/fdt.mk: host unit test of the device-tree queries, kernel/fdt*.c,
# against QEMU virt's own tree (dumped by host.mk) and trees built in the test.
HOST_TESTS += fdt
fdt_SRCS := $(FDT_SRCS) mm/ranges.c
fdt_LIBS := -lfdt
fdt_DEPS := $(HOST_BUILD)/virt.dtb
fdt_ARGS := $(HOST_BUILD)/virt.dtb
