/*
 * arch/aarch64/extable.c: lookup in the fault fix-up table (see extable.h).
 */
#include "arch/aarch64/extable.h"
#include "kernel/percpu.h"

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

uint64_t extable_lookup(uint64_t pc)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}

long probe_exec(const void *addr)
{
	struct cpu *cpu = this_cpu();
	long (*fn)(void) = (long (*)(void))(uintptr_t)addr;
	long ret;

	cpu->exec_probe_addr = (uint64_t)addr;
	ret = fn();
	cpu->exec_probe_addr = 0;
	return ret;
}
