# tools/gdb/gdb.mk: included by the top Makefile. Owns `make debug` (QEMU
# halted with its GDB stub) and `make gdb` (gdb-multiarch attached with
# tools/gdb/gdbinit). GDB_PORT=... picks the stub's TCP port for both.

GDB ?= gdb-multiarch
GDB_PORT ?= 1234

.PHONY: debug gdb

debug: all
	@echo "debug: QEMU starts halted, GDB stub on tcp port $(GDB_PORT)."
	@echo "debug: attach from another terminal (in $(CURDIR)) with: make gdb$(if $(filter-out 1234,$(GDB_PORT)), GDB_PORT=$(GDB_PORT))"
	@echo "debug: quit QEMU with Ctrl-A X."
	$(QEMU_VIRT) -kernel $(BUILD)/kernel.img -append "$(APPEND)" -S -gdb tcp::$(GDB_PORT) $(QEMU_ARGS)

# Not rebuilding: the symbols must match the image `make debug` booted.
gdb: | $(DEPS_STAMP)
	@test -f $(BUILD)/kernel.elf || { echo "gdb: no $(BUILD)/kernel.elf; run make debug first" >&2; exit 1; }
	$(GDB) -q -x tools/gdb/gdbinit -ex 'target remote localhost:$(GDB_PORT)'
