# tools/bench/bench.mk: `make bench` compares system-call costs on Anode
# and on Debian's Linux 6.1 on the same emulated machine (tools/bench/).
# The Linux kernel and busybox are fetched on first use (get-linux.sh).
.PHONY: bench
bench: all ## system-call costs on Anode and on Linux, same emulated machine
	./tools/bench/get-linux.sh
	$(PYTHON) tools/bench/bench.py

# The user-space tests on the same Linux: the reference for every system
# call (tools/bench/linux_tests.py).
.PHONY: test-linux
test-linux: all ## run the user-space tests on Debian's Linux 6.1 under QEMU (the reference)
	./tools/bench/get-linux.sh
	$(PYTHON) tools/bench/linux_tests.py

# SMP: speed-up of CPU-bound processes, a contended mutex and pipe round
# trips within and across CPUs, with -smp 4 (tools/bench/bench_smp.py).
.PHONY: bench-smp
bench-smp: all ## SMP speed-ups and cross-CPU costs on Anode with -smp 4 (medians of 3 runs)
	$(PYTHON) tools/bench/bench_smp.py
