/*
 * mm/failinject.c: the "one allocation in N after START" rule of
 * allocation fault injection (see failinject.h). Pure: the kernel's knob,
 * which decides which allocations are counted, is kernel/failalloc.c.
 */
#include "mm/failinject.h"
#include "kernel/lib/errno.h"

#include <stdlib.h>

#define DECIMAL 10
/* SplitMix64's finalizer constants (Steele, Lea, Flood 2014). */
#define MIX_SHIFT1 30
#define MIX_MUL1 0xbf58476d1ce4e5b9ULL
#define MIX_SHIFT2 27
#define MIX_MUL2 0x94d049bb133111ebULL
#define MIX_SHIFT3 31

/* One decimal number of 1..FAILINJECT_DIGITS_MAX digits at *s, advancing
 * *s past it; -EINVAL if there is none or it is too long. */
static int parse_number(const char **s, uint64_t *out)
{
	char *end;
	unsigned long v;

	if (**s < '0' || **s > '9')
		return -EINVAL; /* strtoul would accept blanks and signs */
	v = strtoul(*s, &end, DECIMAL);
	if (end - *s > FAILINJECT_DIGITS_MAX)
		return -EINVAL;
	*s = end;
	*out = v;
	return 0;
}

int failinject_parse(struct failinject *fi, const char *spec)
{
	uint64_t every, skip = 0;

	if (!spec || parse_number(&spec, &every) || every == 0)
		return -EINVAL;
	if (*spec == ',') {
		spec++;
		if (parse_number(&spec, &skip))
			return -EINVAL;
	}
	if (*spec != '\0')
		return -EINVAL;
	*fi = (struct failinject){ .every = every, .skip = skip };
	return 0;
}

uint64_t failinject_hash(uint64_t k)
{
	k = (k ^ (k >> MIX_SHIFT1)) * MIX_MUL1;
	k = (k ^ (k >> MIX_SHIFT2)) * MIX_MUL2;
	return k ^ (k >> MIX_SHIFT3);
}

bool failinject_next(struct failinject *fi)
{
	uint64_t k = __atomic_add_fetch(&fi->count, 1, __ATOMIC_RELAXED);

	if (fi->every == 0 || k <= fi->skip || failinject_hash(k) % fi->every != 0)
		return false;
	__atomic_add_fetch(&fi->failed, 1, __ATOMIC_RELAXED);
	return true;
}
