# tools/bench/bench.mk: `make bench` compares Anode with Debian's Linux 6.1
# on the same emulated machine, row by row (tools/bench/rows.py): boot,
# system calls, files, memory, schemes, console; medians of BENCH_RUNS runs
# into build/bench.json and a ratio chart build/bench.svg. The Linux kernel
# and busybox are fetched on first use (get-linux.sh), matplotlib installed
# (bench-deps.sh): only this target needs them.
.PHONY: bench
bench: all ## Anode vs Linux 6.1, every row of README's performance table (build/bench.json, build/bench.svg)
	./tools/bench/bench-deps.sh
	./tools/bench/get-linux.sh
	$(PYTHON) tools/bench/bench.py

# The user-space tests on the same Linux: the reference for every system
# call (tools/bench/linux_tests.py).
.PHONY: test-linux
test-linux: all ## run the user-space tests on Debian's Linux 6.1 under QEMU (the reference)
	./tools/bench/get-linux.sh
	$(PYTHON) tools/bench/linux_tests.py

# SMP: speed-up of CPU-bound processes, a contended mutex, and pipe and
# scheme round trips within and across CPUs, with -smp 4, Anode and Linux
# (tools/bench/bench_smp.py).
.PHONY: bench-smp
bench-smp: all ## SMP speed-ups and cross-CPU costs with -smp 4, Anode and Linux 6.1 (medians of 3 runs)
	./tools/bench/get-linux.sh
	$(PYTHON) tools/bench/bench_smp.py

# The profiler: `make profile PROG=/tests/bench ARGS="..."` runs PROG on
# Anode with profile=HZ (kernel/profile.c) and prints a symbolized flat
# profile and the system-call counts (tools/profile.py). The programs in
# the boot archive are stripped; the same source is linked again without
# -s (the code is the same, only the symbols stay) for the user symbols,
# where PROG is one source file (/tests/X: tests/user/X.c, /bin/X:
# user/X.c); other programs' user pcs are shown as addresses.
PROFILE_HZ ?= 10000
PROFILE_ELF := $(BUILD)/profile$(PROG)
PROFILE_SRC := $(wildcard $(patsubst /tests/%,tests/user/%.c,$(filter /tests/%,$(PROG))) \
	$(patsubst /bin/%,user/%.c,$(filter /bin/%,$(PROG))))
.PHONY: profile
profile: all $(if $(PROFILE_SRC),$(PROFILE_ELF)) ## flat profile of PROG (PROG=/tests/bench ARGS=...), kernel and user
	@test -n "$(PROG)" || { echo "make profile: name the program, e.g. PROG=/tests/bench" >&2; exit 1; }
	$(PYTHON) tools/profile.py --hz $(PROFILE_HZ) $(PROG) "$(ARGS)"

$(BUILD)/profile/tests/%: tests/user/%.c $(wildcard user/*.h tests/user/*.h) user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(filter-out -s,$(USER_CFLAGS)) -iquote user -o $@ $<

$(BUILD)/profile/bin/%: user/%.c $(wildcard user/*.h) user/user.mk $(ANODE_CC) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(USER_CC) $(filter-out -s,$(USER_CFLAGS)) -o $@ $<
