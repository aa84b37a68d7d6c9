# drivers/sp804d/sp804d.mk: the SP804 timer daemon, a static musl program
# built like the user programs (user/user.mk's USER_CC) on the SP804 core
# (drivers/sp804/) and installed in the initfs as /bin/sp804d (DRIVER_BINS).
SP804D_SRCS := drivers/sp804d/sp804d.c drivers/sp804d/park.c drivers/sp804d/setting.c \
	drivers/sp804/sp804.c drivers/sp804/timerset.c drivers/devgrant/devgrant.c
DRIVER_BINS += $(BUILD)/drivers/bin/sp804d

$(BUILD)/drivers/bin/sp804d: $(SP804D_SRCS) $(wildcard drivers/sp804d/*.h drivers/sp804/*.h drivers/devgrant/*.h) \
		user/libscheme.h syscall/abi/scheme_proto.h drivers/sp804d/sp804d.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -o $@ $(SP804D_SRCS) -lpthread
