# user/user.mk: Anode's user programs and user-space tests. They are ordinary
# static AArch64 Linux C programs (Anode's system-call ABI is Linux's), built
# by tools/anode-cc against Debian's musl (musl-dev:arm64, unpacked under
# $(DEPS_ROOT)/usr by tools/install-deps.sh). Included by the top Makefile through
# tools/user/user.mk; also works alone: make -f user/user.mk user-progs
#
#   user/NAME.c        -> $(BUILD)/user/bin/NAME      (the initfs's /bin)
#   tests/user/NAME.c  -> $(BUILD)/user/tests/NAME (may include user/*.h)
#   user/motd          -> the initfs's /etc/motd ($(USER_MOTD))
#
#   make user-progs    build every program and test program
#
# For the initfs rule: USER_PROGS (program names), USER_BINS and
# USER_TEST_BINS (paths of the built files).

# Defaults for standalone use; the top Makefile sets these first.
BUILD ?= build
DEPS_ROOT ?= .deps/root
CROSS ?= aarch64-linux-gnu-

# tools/anode-cc holds the flags every Anode program needs (static, non-PIE,
# musl's headers, start files and libc.a); what is added here is only how
# Anode builds its own: warnings as errors, stripped, unused code dropped.
ANODE_CC := tools/anode-cc
USER_CC = CROSS=$(CROSS) ANODE_DEPS_ROOT=$(abspath $(DEPS_ROOT)) $(ANODE_CC)
USER_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -s -Wl,--gc-sections

USER_PROGS := $(sort $(basename $(notdir $(wildcard user/*.c))))
USER_TESTS := $(sort $(basename $(notdir $(wildcard tests/user/*.c))))
USER_BINS := $(USER_PROGS:%=$(BUILD)/user/bin/%)
USER_TEST_BINS := $(USER_TESTS:%=$(BUILD)/user/tests/%)
USER_MOTD := user/motd
export USER_PROGS USER_BINS USER_TEST_BINS

.PHONY: user-progs
user-progs: $(USER_BINS) $(USER_TEST_BINS) ## build the user programs and tests only (build/user/)

$(BUILD)/user/bin/%: user/%.c $(wildcard user/*.h) user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(BUILD)/user/tests/%: tests/user/%.c $(wildcard user/*.h tests/user/*.h) user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -iquote user -o $@ $<

# t_aslr as a static-pie program: ASLR moves its load address too.
$(BUILD)/user/tests/t_aslr_pie: USER_CFLAGS += -static-pie
$(BUILD)/user/tests/t_aslr_pie: tests/user/t_aslr.c

# /bin/fuzz, the system-call fuzzer: user/fuzz.c and the files under
# user/fuzz/, linked together (the rule above builds one file per program).
FUZZ_SRCS := $(wildcard user/fuzz/*.c)
$(BUILD)/user/bin/fuzz: user/fuzz.c $(FUZZ_SRCS) $(wildcard user/fuzz/*.h user/*.h) user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -iquote user -iquote user/fuzz -o $@ user/fuzz.c $(FUZZ_SRCS) -lpthread
