# tools/gdb/gdb.mk: included by the top Makefile. Owns `make debug` (QEMU
# halted with its GDB stub) and `make gdb` (gdb-multiarch attached with
# tools/gdb/gdbinit). GDB_PORT=... picks the stub's TCP port for both.

GDB ?= gdb-multiarch
GDB_PORT_DEFAULT := 1234
GDB_PORT ?= $(GDB_PORT_DEFAULT)
# What to add to a suggested command so it uses the same port.
GDB_PORT_ARG = $(if $(filter-out $(GDB_PORT_DEFAULT),$(GDB_PORT)), GDB_PORT=$(GDB_PORT))

.PHONY: debug gdb

debug: all ## QEMU virt halted, waiting for GDB on GDB_PORT (default 1234)
	@echo "debug: QEMU starts halted, GDB stub on tcp port $(GDB_PORT)."
	@echo "debug: attach from another terminal (in $(CURDIR)) with: make gdb$(GDB_PORT_ARG)"
	@echo "debug: quit QEMU with Ctrl-A X."
	$(QEMU_VIRT) -kernel $(BUILD)/kernel.img -append "$(APPEND)" -S -gdb tcp::$(GDB_PORT) $(QEMU_ARGS)

# Not rebuilding: the symbols must match the image `make debug` booted.
# The address is numeric: QEMU's stub listens on every IPv4 address, and a
# minimal root (a container, a fresh debootstrap) may have no /etc/hosts to
# name localhost.
# The stub must already listen, or gdb retries for 15 s and then reports a
# time-out that does not say why: a TCP socket on GDB_PORT in the LISTEN
# state (GDB_TCP_LISTEN) in /proc/net/tcp or tcp6, whose local address
# field ends in ":PORT" (hex). Looked up rather than connected to, as a
# connection would reach QEMU's stub before gdb does; skipped where there is
# no /proc/net/tcp (not Linux).
GDB_TCP_LISTEN := 0A
GDB_HINT = start QEMU with its GDB stub first, from another terminal: make debug$(GDB_PORT_ARG)
gdb: | $(DEPS_STAMP) ## gdb-multiarch attached to make debug's QEMU (run make debug first)
	@test -f $(BUILD)/kernel.elf || { echo "gdb: no $(BUILD)/kernel.elf; $(GDB_HINT)" >&2; exit 1; }
	@case '$(GDB_PORT)' in ''|*[!0-9]*) echo "gdb: GDB_PORT=$(GDB_PORT) is not a port number" >&2; exit 1;; esac
	@[ ! -r /proc/net/tcp ] || cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | \
		awk -v port=":$$(printf '%04X' $(GDB_PORT))" -v listen=$(GDB_TCP_LISTEN) \
		'$$4 == listen && substr($$2, length($$2) - 4) == port { found = 1 } END { exit !found }' || \
		{ echo "gdb: nothing listens on port $(GDB_PORT): $(GDB_HINT)" >&2; exit 1; }
	$(GDB) -q -x tools/gdb/gdbinit -ex 'target remote 127.0.0.1:$(GDB_PORT)'
