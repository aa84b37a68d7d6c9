/*
 * kernel/ksyms.c: lookups in the embedded symbol table. The table is
 * generated after a first link (tools/ksyms.py) and placed last in .rodata
 * (linker.ld), so embedding it moves no function. The first link uses an
 * empty table of the same form.
 */
#include "kernel/ksyms.h"
#include <string.h>

/* Sorted by address; names are offsets into ksyms_names. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];
extern char __text_start[], __text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi;

	if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end)
		return NULL;
	hi = ksyms_count;
	/* The last symbol at or below addr. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksyms_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	*offset = addr - ksyms_addrs[lo - 1];
	return ksyms_names + ksyms_name_offsets[lo - 1];
}

uint64_t ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (strcmp(ksyms_names + ksyms_name_offsets[i], name) == 0)
			return ksyms_addrs[i];
	return 0;
}
