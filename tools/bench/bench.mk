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
