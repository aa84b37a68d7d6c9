# drivers/drvmgr/drvmgr.mk: the driver manager daemon, /bin/drvmgr in the
# initfs, and its table, /etc/drivers.conf. Static musl like the user
# programs (user/user.mk's USER_CC), with the pure cores it shares with the
# host tests (drvconf.c, match.c, backoff.c, and the kernel's fdt.c,
# nameset.c, ranges.c) and Debian's libfdt.a for the target. The libfdt
# headers come after musl's (-idirafter) so they cannot shadow libc's.
# Included by the top Makefile; the initfs rule copies DRIVER_BINS (to /bin)
# and DRVMGR_CONF.
DRVMGR_SRCS := $(wildcard drivers/drvmgr/*.c) $(FDT_SRCS) kernel/scheme/nameset.c mm/ranges.c
DRVMGR_BIN := $(BUILD)/drivers/drvmgr/drvmgr
DRVMGR_CONF := drivers/drvmgr/drivers.conf
DRIVER_BINS += $(DRVMGR_BIN)

$(DRVMGR_BIN): $(DRVMGR_SRCS) $(wildcard drivers/drvmgr/*.h user/*.h) drivers/drvmgr/drvmgr.mk \
		$(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -idirafter $(DEPS_ROOT)/usr/include -o $@ \
		$(DRVMGR_SRCS) $(LIBFDT)

.PHONY: drvmgr
drvmgr: $(DRVMGR_BIN) ## build the driver manager only ($(BUILD)/drivers/drvmgr/drvmgr)
