# drivers/pl031d/pl031d.mk: the PL031 RTC daemon, a static musl program
# built like the user programs (user/user.mk's USER_CC) and installed in
# the initfs as /bin/pl031d (DRIVER_BINS, copied by the top Makefile).
PL031D_SRCS := drivers/pl031d/pl031d.c drivers/pl031d/rtctime.c drivers/devgrant/devgrant.c
DRIVER_BINS += $(BUILD)/drivers/bin/pl031d

$(BUILD)/drivers/bin/pl031d: $(PL031D_SRCS) $(wildcard drivers/pl031d/*.h drivers/devgrant/*.h) \
		user/libscheme.h syscall/abi/scheme_proto.h drivers/pl031d/pl031d.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -o $@ $(PL031D_SRCS)
