/*
 * kernel/scheme/grant.c: device-rights sets (see grant.h): reference counting and
 * the pure set operations on sorted range and interrupt lists. Nothing here
 * knows about processes or the device tree.
 */
#include "kernel/scheme/grant.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include <string.h>

struct grant *grant_alloc(void)
{
	struct grant *g = kzalloc(sizeof(*g));

	if (g)
		g->refcount = 1;
	return g;
}

struct grant *grant_get(struct grant *g)
{
	if (g)
		__atomic_add_fetch(&g->refcount, 1, __ATOMIC_RELAXED);
	return g;
}

void grant_put(struct grant *g)
{
	if (g && __atomic_sub_fetch(&g->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(g);
}

static uint64_t range_end(const struct mem_range *r)
{
	return r->base + r->size;
}

/* Whether [base, base + size) is non-empty and does not wrap. */
static bool range_ok(paddr_t base, uint64_t size)
{
	return size && base + size > base;
}

int grant_add_range(struct grant *g, paddr_t base, uint64_t size)
{
	uint64_t end = base + size;
	int first, last;

	if (!range_ok(base, size))
		return -EINVAL;
	/* [first, last): the ranges that overlap or touch the new one. */
	for (first = 0; first < g->nranges && range_end(&g->ranges[first]) < base; first++)
		;
	for (last = first; last < g->nranges && g->ranges[last].base <= end; last++)
		;
	if (first == last && g->nranges == GRANT_RANGES_MAX)
		return -ENOSPC;
	if (first < last) {
		base = MIN(base, g->ranges[first].base);
		end = MAX(end, range_end(&g->ranges[last - 1]));
	}
	/* One slot at first replaces the last - first merged ones. */
	memmove(&g->ranges[first + 1], &g->ranges[last], (size_t)(g->nranges - last) * sizeof(g->ranges[0]));
	g->nranges += 1 - (last - first);
	g->ranges[first] = (struct mem_range){ .base = base, .size = end - base };
	return 0;
}

int grant_remove_range(struct grant *g, paddr_t base, uint64_t size)
{
	uint64_t end = base + size;
	int n = 0, splits = 0;
	struct mem_range out[GRANT_RANGES_MAX];

	if (!range_ok(base, size))
		return 0;
	for (int i = 0; i < g->nranges; i++) {
		const struct mem_range *r = &g->ranges[i];

		if (r->base < base && range_end(r) > end)
			splits++;
	}
	if (g->nranges + splits > GRANT_RANGES_MAX)
		return -ENOSPC;
	for (int i = 0; i < g->nranges; i++) {
		const struct mem_range *r = &g->ranges[i];

		if (range_end(r) <= base || r->base >= end) {
			out[n++] = *r;
			continue;
		}
		if (r->base < base)
			out[n++] = (struct mem_range){ .base = r->base, .size = base - r->base };
		if (range_end(r) > end)
			out[n++] = (struct mem_range){ .base = end, .size = range_end(r) - end };
	}
	memcpy(g->ranges, out, (size_t)n * sizeof(out[0]));
	g->nranges = n;
	return 0;
}

/* The index of the first interrupt >= irq. */
static int irq_index(const struct grant *g, uint32_t irq)
{
	int i = 0;

	while (i < g->nirqs && g->irqs[i].irq < irq)
		i++;
	return i;
}

int grant_add_irq(struct grant *g, uint32_t irq, bool edge)
{
	int i = irq_index(g, irq);

	if (i < g->nirqs && g->irqs[i].irq == irq)
		return 0;
	if (g->nirqs == GRANT_IRQS_MAX)
		return -ENOSPC;
	memmove(&g->irqs[i + 1], &g->irqs[i], (size_t)(g->nirqs - i) * sizeof(g->irqs[0]));
	g->irqs[i] = (struct grant_irq){ .irq = irq, .edge = edge };
	g->nirqs++;
	return 0;
}

void grant_remove_irq(struct grant *g, uint32_t irq)
{
	int i = irq_index(g, irq);

	if (i == g->nirqs || g->irqs[i].irq != irq)
		return;
	memmove(&g->irqs[i], &g->irqs[i + 1], (size_t)(g->nirqs - i - 1) * sizeof(g->irqs[0]));
	g->nirqs--;
}

void grant_intersect(const struct grant *a, const struct grant *b, struct grant *out)
{
	int i = 0, j = 0;

	out->nranges = out->nirqs = 0;
	out->rights = 0;
	if (!a || !b)
		return;
	out->rights = a->rights & b->rights;
	/* Both lists are sorted and disjoint: a merge walk, each step dropping
	 * the range that ends first. The pieces could outnumber the array
	 * (up to na + nb - 1); any left over are dropped, which only narrows. */
	while (i < a->nranges && j < b->nranges && out->nranges < GRANT_RANGES_MAX) {
		const struct mem_range *ra = &a->ranges[i], *rb = &b->ranges[j];
		uint64_t lo = MAX(ra->base, rb->base), hi = MIN(range_end(ra), range_end(rb));

		if (lo < hi)
			out->ranges[out->nranges++] = (struct mem_range){ .base = lo, .size = hi - lo };
		if (range_end(ra) < range_end(rb))
			i++;
		else
			j++;
	}
	i = j = 0;
	while (i < a->nirqs && j < b->nirqs) {
		if (a->irqs[i].irq < b->irqs[j].irq) {
			i++;
		} else if (a->irqs[i].irq > b->irqs[j].irq) {
			j++;
		} else {
			out->irqs[out->nirqs++] = a->irqs[i];
			i++;
			j++;
		}
	}
}

bool grant_covers(const struct grant *g, paddr_t base, uint64_t len)
{
	if (!g || !range_ok(base, len))
		return false;
	for (int i = 0; i < g->nranges; i++)
		if (base >= g->ranges[i].base && base + len <= range_end(&g->ranges[i]))
			return true;
	return false;
}

bool grant_overlaps(const struct grant *g, paddr_t base, uint64_t len)
{
	if (!g || !range_ok(base, len))
		return false;
	for (int i = 0; i < g->nranges; i++)
		if (base < range_end(&g->ranges[i]) && base + len > g->ranges[i].base)
			return true;
	return false;
}

const struct grant_irq *grant_find_irq(const struct grant *g, uint32_t irq)
{
	int i;

	if (!g)
		return NULL;
	i = irq_index(g, irq);
	return i < g->nirqs && g->irqs[i].irq == irq ? &g->irqs[i] : NULL;
}
