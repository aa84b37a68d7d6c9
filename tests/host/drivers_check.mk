# tests/host/drivers_check.mk: the daemon cores (drivers/sp804,
# drivers/drvmgr, and the kernel's pure fdt.c, nameset.c and ranges.c they
# reuse) must also build as static musl user code against libfdt.a, as
# sp804d and drvmgr will: make test-host links tests/host/drivers_check.c
# with them by the user programs' compiler (user/user.mk's USER_CC).
DRIVERS_CORE_SRCS := $(filter-out drivers/drvmgr/drvmgr%.c,$(wildcard drivers/sp804/*.c drivers/drvmgr/*.c)) \
	$(FDT_SRCS) kernel/scheme/nameset.c mm/ranges.c
DRIVERS_CHECK := $(BUILD)/drivers/check

$(DRIVERS_CHECK): tests/host/drivers_check.c $(DRIVERS_CORE_SRCS) $(wildcard drivers/*/*.h) \
		$(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -idirafter $(DEPS_ROOT)/usr/include -o $@ \
		tests/host/drivers_check.c $(DRIVERS_CORE_SRCS) $(LIBFDT)

test-host: $(DRIVERS_CHECK)
