# tests/host/drvmatch.mk: host unit test of the driver manager's
# /etc/drivers.conf parser and device-tree matching (drivers/drvmgr/),
# against QEMU virt's tree, the sample drivers.conf and, when fetched
# (make rpi3-dtb), Debian's Raspberry Pi 3 B tree.
HOST_TESTS += drvmatch
drvmatch_SRCS := drivers/drvmgr/drvconf.c drivers/drvmgr/match.c $(FDT_SRCS) \
	kernel/scheme/nameset.c mm/ranges.c
drvmatch_LIBS := -lfdt
drvmatch_DEPS := $(HOST_BUILD)/virt.dtb drivers/drvmgr/drivers.conf
drvmatch_ARGS := $(HOST_BUILD)/virt.dtb drivers/drvmgr/drivers.conf \
	$(wildcard $(DEPS)/rpi3/bcm2837-rpi-3-b.dtb)
