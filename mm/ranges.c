/*
 * mm/ranges.c: range-list arithmetic (see ranges.h).
 */
#include "mm/ranges.h"
#include "kernel/lib/errno.h"

void ranges_sort(struct mem_range *r, int n)
{
	for (int i = 1; i < n; i++) {
		struct mem_range key = r[i];
		int j = i - 1;

		for (; j >= 0 && r[j].base > key.base; j--)
			r[j + 1] = r[j];
		r[j + 1] = key;
	}
}

bool ranges_contain(const struct mem_range *r, int n, paddr_t start, uint64_t size)
{
	if (start + size < start)
		return false;
	for (int i = 0; i < n; i++)
		if (start >= r[i].base && start - r[i].base <= r[i].size &&
		    size <= r[i].size - (start - r[i].base))
			return true;
	return false;
}

int ranges_subtract(struct mem_range *r, int n, int max, paddr_t start, paddr_t end)
{
	int splits = 0;

	if (end <= start)
		return n;
	for (int i = 0; i < n; i++)
		if (r[i].base < start && r[i].base + r[i].size > end)
			splits++;
	if (n + splits > max)
		return -ENOSPC;
	for (int i = 0; i < n; i++) {
		paddr_t rs = r[i].base, re = r[i].base + r[i].size;

		if (re <= start || rs >= end)
			continue;
		if (rs < start && re > end) {
			/* The hole is inside: keep the head here, the tail after it. */
			for (int j = n; j > i + 1; j--)
				r[j] = r[j - 1];
			r[i + 1] = (struct mem_range){ end, re - end };
			r[i].size = start - rs;
			n++;
			i++;
		} else if (rs < start) {
			r[i].size = start - rs;
		} else if (re > end) {
			r[i] = (struct mem_range){ end, re - end };
		} else {
			for (int j = i; j < n - 1; j++)
				r[j] = r[j + 1];
			n--;
			i--;
		}
	}
	return n;
}
