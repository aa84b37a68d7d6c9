/*
 * drivers/sp804d/park.h: the reads sp804d holds back: a read of a timer:
 * handle with no expiration to report waits (the daemon answers it
 * later, SCHEME_REPLY_LATER) until the timer expires or the caller gives
 * up (a cancel). This is the table of such reads, by request tag and
 * timer id. Pure logic, host-tested (tests/host/test_sp804d.c); not
 * thread-safe: sp804d holds its lock around it.
 */
#ifndef DRIVERS_SP804D_PARK_H
#define DRIVERS_SP804D_PARK_H

#include <stdbool.h>
#include <stdint.h>

#define PARK_MAX 64	/* reads waiting at once, over all timers */

struct park_entry {
	bool used;
	int timer;	/* timerset id */
	uint64_t tag;	/* the read request to answer */
};

struct park {
	struct park_entry e[PARK_MAX];
	uint64_t seq;	/* arrival order, so the oldest read is answered first */
	uint64_t order[PARK_MAX];
};

void park_init(struct park *p);
/* Holds read tag on timer: 0, or -EAGAIN when the table is full. */
int park_add(struct park *p, int timer, uint64_t tag);
/* Drops the read tag (cancelled): true and *timer if it was held. */
bool park_take_tag(struct park *p, uint64_t tag, int *timer);
/* Takes the oldest read held on timer: true and *tag, or false. */
bool park_take_timer(struct park *p, int timer, uint64_t *tag);
/* Whether any read waits on timer. */
bool park_waiting(const struct park *p, int timer);

#endif
