/*
 * drivers/sp804/timerset.c: the timer: scheme's client timers (timerfd
 * semantics) multiplexed on one SP804 timer, nearest deadline first.
 * See timerset.h. Pure logic: the caller supplies the time.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "drivers/sp804/timerset.h"

#define NEVER UINT64_MAX

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > NEVER - b ? NEVER : a + b;
}

static struct tset_timer *lookup(const struct timerset *ts, int id)
{
	if (id < 0 || id >= TIMERSET_MAX || !ts->t[id].used)
		return NULL;
	return (struct tset_timer *)&ts->t[id];
}

void timerset_init(struct timerset *ts)
{
	memset(ts, 0, sizeof(*ts));
}

int timerset_create(struct timerset *ts)
{
	for (int i = 0; i < TIMERSET_MAX; i++) {
		if (!ts->t[i].used) {
			ts->t[i] = (struct tset_timer){ .used = true };
			return i;
		}
	}
	return -EMFILE;
}

int timerset_destroy(struct timerset *ts, int id)
{
	struct tset_timer *t = lookup(ts, id);

	if (t == NULL)
		return -EBADF;
	*t = (struct tset_timer){ 0 };
	return 0;
}

int timerset_gettime(const struct timerset *ts, int id, uint64_t now,
		     uint64_t *value, uint64_t *interval)
{
	const struct tset_timer *t = lookup(ts, id);

	if (t == NULL)
		return -EBADF;
	/* An overdue timer not yet expired reads as due now: 0 would say disarmed, so 1. */
	*value = !t->armed ? 0 : t->deadline > now ? t->deadline - now : 1;
	*interval = t->armed ? t->interval : 0;
	return 0;
}

int timerset_settime(struct timerset *ts, int id, uint64_t now, unsigned flags,
		     uint64_t value, uint64_t interval,
		     uint64_t *old_value, uint64_t *old_interval)
{
	struct tset_timer *t = lookup(ts, id);
	uint64_t ov, oi;

	if (t == NULL)
		return -EBADF;
	if (flags & ~TIMERSET_ABSTIME)
		return -EINVAL;
	timerset_gettime(ts, id, now, &ov, &oi);
	if (old_value != NULL)
		*old_value = ov;
	if (old_interval != NULL)
		*old_interval = oi;
	t->count = 0;
	t->armed = value != 0;
	t->interval = t->armed ? interval : 0;
	t->deadline = !t->armed ? 0 : flags & TIMERSET_ABSTIME ? value : sat_add(now, value);
	return 0;
}

int timerset_read(struct timerset *ts, int id, uint64_t *count)
{
	struct tset_timer *t = lookup(ts, id);

	if (t == NULL)
		return -EBADF;
	if (t->count == 0)
		return -EAGAIN;
	*count = t->count;
	t->count = 0;
	return 0;
}

bool timerset_readable(const struct timerset *ts, int id)
{
	const struct tset_timer *t = lookup(ts, id);

	return t != NULL && t->count > 0;
}

/* Expire t at now (its deadline has passed). */
static void expire_one(struct tset_timer *t, uint64_t now)
{
	uint64_t periods;

	if (t->interval == 0) {
		t->count = sat_add(t->count, 1);
		t->armed = false;
		return;
	}
	/* The deadline itself plus every whole interval since. */
	periods = (now - t->deadline) / t->interval + 1;
	t->count = sat_add(t->count, periods);
	if (periods > (NEVER - t->deadline) / t->interval)
		t->deadline = NEVER;	/* past the end of the clock: never again */
	else
		t->deadline += periods * t->interval;
}

int timerset_expire(struct timerset *ts, uint64_t now)
{
	int expired = 0;

	for (int i = 0; i < TIMERSET_MAX; i++) {
		struct tset_timer *t = &ts->t[i];

		if (!t->used || !t->armed || t->deadline > now || t->deadline == NEVER)
			continue;
		expire_one(t, now);
		expired++;
	}
	return expired;
}

int timerset_next(const struct timerset *ts, uint64_t *deadline)
{
	uint64_t best = NEVER;
	bool any = false;

	for (int i = 0; i < TIMERSET_MAX; i++) {
		const struct tset_timer *t = &ts->t[i];

		if (t->used && t->armed && t->deadline != NEVER && t->deadline <= best) {
			best = t->deadline;
			any = true;
		}
	}
	if (!any)
		return -ENOENT;
	*deadline = best;
	return 0;
}

int timerset_program(const struct timerset *ts, struct sp804 *dev, unsigned hw,
		     uint64_t now)
{
	uint64_t deadline, delay, max = sp804_max_us(dev);

	if (timerset_next(ts, &deadline) == -ENOENT)
		return sp804_cancel(dev, hw);
	delay = deadline > now ? deadline - now : 0;
	return sp804_arm(dev, hw, delay < max ? delay : max, SP804_ONESHOT);
}
