# drivers/pl011d/pl011d.mk: the PL011 serial daemon, a static musl program
# like user/'s (user/user.mk's compiler and flags), linked with the line
# discipline library (drivers/tty/), installed in the initfs as /bin/pl011d.
PL011D_SRCS := $(wildcard drivers/pl011d/*.c) drivers/tty/ldisc.c drivers/tty/ldisc_ctl.c drivers/tty/ldisc_out.c
PL011D_BIN := $(BUILD)/drivers/pl011d
DRIVER_BINS += $(PL011D_BIN)

$(PL011D_BIN): $(PL011D_SRCS) $(wildcard drivers/pl011d/*.h drivers/tty/*.h user/libscheme.h) \
		drivers/pl011d/pl011d.mk user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -I. -o $@ $(PL011D_SRCS)
