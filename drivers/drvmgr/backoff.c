/*
 * drivers/drvmgr/backoff.c: the driver manager's restart policy
 * (backoff.h): exponential back-off, the clean-run reset and the
 * crash-loop and configuration-error verdicts. No clock and no system call: the caller passes the
 * time.
 */
#include "drivers/drvmgr/backoff.h"
#include <sys/wait.h>

static uint64_t scaled(uint64_t ms, unsigned scale)
{
	uint64_t v = ms / (scale ? scale : 1);

	return v ? v : 1;
}

struct backoff_policy backoff_policy_scaled(unsigned scale)
{
	return (struct backoff_policy){
		.initial_ms = scaled(BACKOFF_INITIAL_MS, scale),
		.max_ms = scaled(BACKOFF_MAX_MS, scale),
		.clean_ms = scaled(BACKOFF_CLEAN_MS, scale),
		.window_ms = scaled(BACKOFF_WINDOW_MS, scale),
	};
}

void backoff_init(struct backoff *b, const struct backoff_policy *pol)
{
	*b = (struct backoff){ .pol = *pol, .delay_ms = pol->initial_ms };
}

void backoff_started(struct backoff *b, uint64_t now_ms)
{
	b->started_ms = now_ms;
}

/* Crashes still inside the window ending at now. */
static int recent_crashes(const struct backoff *b, uint64_t now_ms)
{
	int n = 0;

	for (int i = 0; i < b->ncrash; i++)
		n += now_ms - b->crash_ms[i] < b->pol.window_ms;
	return n;
}

enum backoff_verdict backoff_exited(struct backoff *b, uint64_t now_ms, int wait_status,
				    uint64_t *delay_ms)
{
	if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == BACKOFF_EXIT_CONFIG) {
		b->failed = true;
		return BACKOFF_FAIL_CONFIG;
	}
	/* A long clean run: the driver had been working, start over. */
	if (now_ms - b->started_ms >= b->pol.clean_ms)
		b->delay_ms = b->pol.initial_ms;
	b->crash_ms[b->next] = now_ms;
	b->next = (b->next + 1) % BACKOFF_MAX_CRASHES;
	if (b->ncrash < BACKOFF_MAX_CRASHES)
		b->ncrash++;
	if (recent_crashes(b, now_ms) >= BACKOFF_MAX_CRASHES) {
		b->failed = true;
		return BACKOFF_FAIL_CRASHES;
	}
	*delay_ms = b->delay_ms;
	b->delay_ms = b->delay_ms * 2 < b->pol.max_ms ? b->delay_ms * 2 : b->pol.max_ms;
	b->restarts++;
	return BACKOFF_RESTART;
}

void backoff_reset(struct backoff *b)
{
	unsigned restarts = b->restarts;

	backoff_init(b, &b->pol);
	b->restarts = restarts;
}
