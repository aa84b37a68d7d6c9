/*
 * drivers/sp804d/park.c: the table of waiting reads (see park.h). A
 * linear table: PARK_MAX is small and every operation is a short scan.
 */
#include "park.h"

#include <errno.h>
#include <string.h>

void park_init(struct park *p)
{
	memset(p, 0, sizeof(*p));
}

int park_add(struct park *p, int timer, uint64_t tag)
{
	for (int i = 0; i < PARK_MAX; i++) {
		if (!p->e[i].used) {
			p->e[i] = (struct park_entry){ .used = true, .timer = timer, .tag = tag };
			p->order[i] = p->seq++;
			return 0;
		}
	}
	return -EAGAIN;
}

bool park_take_tag(struct park *p, uint64_t tag, int *timer)
{
	for (int i = 0; i < PARK_MAX; i++) {
		if (p->e[i].used && p->e[i].tag == tag) {
			*timer = p->e[i].timer;
			p->e[i].used = false;
			return true;
		}
	}
	return false;
}

bool park_take_timer(struct park *p, int timer, uint64_t *tag)
{
	int oldest = -1;

	for (int i = 0; i < PARK_MAX; i++)
		if (p->e[i].used && p->e[i].timer == timer &&
		    (oldest < 0 || p->order[i] < p->order[oldest]))
			oldest = i;
	if (oldest < 0)
		return false;
	*tag = p->e[oldest].tag;
	p->e[oldest].used = false;
	return true;
}

bool park_waiting(const struct park *p, int timer)
{
	for (int i = 0; i < PARK_MAX; i++)
		if (p->e[i].used && p->e[i].timer == timer)
			return true;
	return false;
}
