/*
 * kernel/aslr.c: user-space address-space layout randomization (see aslr.h).
 */
#include "kernel/aslr.h"
#include "kernel/random.h"

/* Set once at boot (norandmaps), before any exec; read-only afterwards. */
static bool aslr_off;

void aslr_disable(void)
{
	aslr_off = true;
}

/* A random page-aligned offset below pages pages (a power of two). */
static uint64_t random_span(uint64_t pages)
{
	uint64_t v;

	random_bytes(&v, sizeof(v));
	return (v & (pages - 1)) * PAGE_SIZE;
}

void aslr_layout(uint32_t personality, struct aslr_layout *l)
{
	bool on = !aslr_off && !(personality & ABI_ADDR_NO_RANDOMIZE);

	l->stack_top = USER_STACK_TOP - (on ? random_span(ASLR_STACK_PAGES) : 0);
	l->mmap_top = USER_MMAP_TOP - (on ? random_span(ASLR_MMAP_PAGES) : 0);
	l->brk_gap = on ? random_span(ASLR_BRK_PAGES) : 0;
	l->dyn_base = ASLR_DYN_BASE + (on ? random_span(ASLR_DYN_PAGES) : 0);
}
