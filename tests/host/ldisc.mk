# tests/host/ldisc.mk: host unit test of the terminal line discipline
# library (drivers/tty/ldisc*.c): canonical editing, echo, signal
# characters, VMIN/VTIME, output processing, the ioctls and job control,
# and its constants against the host's Linux uapi headers.
HOST_TESTS += ldisc
ldisc_SRCS := drivers/tty/ldisc.c drivers/tty/ldisc_out.c drivers/tty/ldisc_ctl.c
# host.mk's rule only knows kernel/, mm/ and syscall/ headers.
$(HOST_BUILD)/test_ldisc: drivers/tty/ldisc.h drivers/tty/ldisc_priv.h

# The library must also build for the daemons: static musl for AArch64,
# beside musl's own <termios.h> (forced in first to prove the LD_ names do
# not clash with it).
# tests/host/ldisc_musl_check.c holds the library's layout and constants
# against musl's for AArch64.
LDISC_MUSL_OBJS := $(ldisc_SRCS:drivers/tty/%.c=$(HOST_BUILD)/ldisc-musl/%.o) \
	$(HOST_BUILD)/ldisc-musl/ldisc_musl_check.o
ldisc_DEPS := $(LDISC_MUSL_OBJS)
$(HOST_BUILD)/ldisc-musl/ldisc_musl_check.o: tests/host/ldisc_musl_check.c drivers/tty/ldisc.h \
		$(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) -std=gnu11 -Wall -Wextra -Werror -I. -c -o $@ $<
$(HOST_BUILD)/ldisc-musl/%.o: drivers/tty/%.c drivers/tty/ldisc.h drivers/tty/ldisc_priv.h \
		$(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. -include termios.h -c -o $@ $<
