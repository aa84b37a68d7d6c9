# tests/host/host.mk: host unit tests, built for the build machine (x86-64)
# with cmocka and run under AddressSanitizer and UndefinedBehaviorSanitizer.
# Included by the top-level Makefile; paths are relative to the top.
#
# Each test is tests/host/test_NAME.c plus the kernel sources it exercises,
# declared by a fragment tests/host/NAME.mk:
#     HOST_TESTS += NAME
#     NAME_SRCS := mm/buddy.c            (kernel sources compiled for the host)
#     NAME_LIBS := -lfdt                 (extra host libraries, optional)
#     NAME_DEPS := build/host/virt.dtb   (extra prerequisites, optional)
#     NAME_ARGS := build/host/virt.dtb   (arguments when run, optional)

HOST_CC ?= gcc
HOST_BUILD := build/host
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-I. -Iarch/aarch64/include -DHOST_TEST
HOST_LDLIBS := -lcmocka
HOST_TESTS :=
# Any header change rebuilds the tests (the kernel headers they include).
HOST_HEADERS = $(wildcard tests/host/*.h kernel/*.h mm/*.h kernel/lib/*.h kernel/scheme/*.h syscall/*.h syscall/abi/*.h arch/aarch64/include/asm/*.h)

include $(filter-out tests/host/host.mk,$(wildcard tests/host/*.mk))

define host_test_rule
$(HOST_BUILD)/test_$(1): tests/host/test_$(1).c $$($(1)_SRCS) $$(HOST_HEADERS) | $(HOST_BUILD)
	$$(HOST_CC) $$(HOST_CFLAGS) -o $$@ tests/host/test_$(1).c $$($(1)_SRCS) $$(HOST_LDLIBS) $$($(1)_LIBS)

$(HOST_BUILD)/test_$(1).ok: $(HOST_BUILD)/test_$(1) $$($(1)_DEPS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(HOST_BUILD)/test_$(1) $$($(1)_ARGS)
	touch $$@
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

$(HOST_BUILD): | $(DEPS_STAMP)
	mkdir -p $@

# The device tree QEMU's virt machine hands a kernel, dumped at test time.
# QEMU must not touch a terminal here: plain `timeout` moves it into a
# background process group, where a terminal access (QEMU -nographic sets
# up stdin) stops it with SIGTTOU/SIGTTIN until the time-out. So stdin is
# /dev/null, stdout a file, and --foreground keeps it in make's group.
HOST_DTB_TIMEOUT := 60
$(HOST_BUILD)/virt.dtb: | $(HOST_BUILD)
	timeout --foreground $(HOST_DTB_TIMEOUT) qemu-system-aarch64 -M virt,dumpdtb=$@ \
		-cpu cortex-a57 -m 1G -nographic -nic none </dev/null >/dev/null

.PHONY: test-host
test-host: $(foreach t,$(HOST_TESTS),$(HOST_BUILD)/test_$(t).ok) check-layers

# The kernel's layers (tools/layers.py): no include cycle crosses a folder.
.PHONY: check-layers
check-layers:
	$(PYTHON) tools/layers.py
