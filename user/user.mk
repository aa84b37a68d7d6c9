# user/user.mk: Anode's user programs and user-space tests. They are ordinary
# static AArch64 Linux C programs (Anode's system-call ABI is Linux's), built
# against Debian's musl (musl-dev:arm64, unpacked under $(DEPS_ROOT)/usr by
# tools/install-deps.sh). Included by the top Makefile through
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

USER_CC ?= $(CROSS)gcc
USER_MUSL := $(DEPS_ROOT)/usr
USER_MUSL_LIB := $(USER_MUSL)/lib/aarch64-linux-musl

# Static, non-PIE (Anode's loader takes ET_EXEC), 4 KiB segment alignment,
# stripped. musl's own start files and libc.a replace the toolchain's glibc.
USER_CFLAGS = -std=gnu11 -O2 -Wall -Wextra -Werror \
	-fno-pie -no-pie -static -s -mno-outline-atomics \
	-nostdinc -isystem $(USER_MUSL)/include/aarch64-linux-musl \
	-isystem $(shell $(USER_CC) -print-file-name=include) \
	-nostdlib -Wl,-z,max-page-size=4096 -Wl,--gc-sections
USER_CRT_BEGIN = $(USER_MUSL_LIB)/crt1.o $(USER_MUSL_LIB)/crti.o
USER_CRT_END = $(USER_MUSL_LIB)/libc.a $(shell $(USER_CC) -print-libgcc-file-name) \
	$(USER_MUSL_LIB)/crtn.o

USER_PROGS := $(sort $(basename $(notdir $(wildcard user/*.c))))
USER_TESTS := $(sort $(basename $(notdir $(wildcard tests/user/*.c))))
USER_BINS := $(USER_PROGS:%=$(BUILD)/user/bin/%)
USER_TEST_BINS := $(USER_TESTS:%=$(BUILD)/user/tests/%)
USER_MOTD := user/motd
export USER_PROGS USER_BINS USER_TEST_BINS

.PHONY: user-progs
user-progs: $(USER_BINS) $(USER_TEST_BINS)

$(BUILD)/user/bin/%: user/%.c $(wildcard user/*.h) user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -o $@ $(USER_CRT_BEGIN) $< $(USER_CRT_END)

$(BUILD)/user/tests/%: tests/user/%.c $(wildcard user/*.h) user/user.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -iquote user -o $@ $(USER_CRT_BEGIN) $< $(USER_CRT_END)
