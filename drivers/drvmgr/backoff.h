/*
 * drivers/drvmgr/backoff.h: the driver manager's restart policy, pure
 * (times are passed in, so tests/host/test_backoff.c drives it with a
 * fake clock). A driver that exits is restarted after a delay that starts
 * at BACKOFF_INITIAL_MS and doubles on each exit up to BACKOFF_MAX_MS; a
 * run of BACKOFF_CLEAN_MS or more before an exit resets the delay (it had
 * been working); BACKOFF_MAX_CRASHES exits within BACKOFF_WINDOW_MS mark
 * it failed: it stays stopped until someone asks for a restart
 * (backoff_reset). That is systemd's start limit (StartLimitBurst=5
 * within StartLimitIntervalSec=10s by default, then the unit stays failed
 * until `systemctl reset-failed`), with a longer window because our first
 * delays are short. Every exit counts as a crash (a driver has no reason
 * to exit on its own) except a configuration error: exit status
 * BACKOFF_EXIT_CONFIG says the driver cannot work as drivers.conf set it
 * up (bad arguments, a device it cannot use), which no restart can mend,
 * so it is failed at once (as systemd's RestartPreventExitStatus=).
 * Deaths by signal are crashes.
 *
 * A policy's times can be divided by a scale (drvmgr -S N) so that tests
 * of the crash loop run in a fraction of a second.
 */
#ifndef DRIVERS_DRVMGR_BACKOFF_H
#define DRIVERS_DRVMGR_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#define BACKOFF_INITIAL_MS 10ULL
#define BACKOFF_MAX_MS 10000ULL
#define BACKOFF_CLEAN_MS 60000ULL	/* a clean minute resets the delay */
#define BACKOFF_WINDOW_MS 60000ULL	/* crashes counted over a minute */
#define BACKOFF_MAX_CRASHES 10
/* A driver's exit status for a configuration error (LSB's 2, "invalid or
 * excess arguments"; sp804d's and pl031d's EXIT_NO_DEVICE). */
#define BACKOFF_EXIT_CONFIG 2

struct backoff_policy {
	uint64_t initial_ms, max_ms, clean_ms, window_ms;
};

struct backoff {
	struct backoff_policy pol;
	uint64_t delay_ms;	/* the next restart's delay */
	uint64_t started_ms;	/* when the current run began */
	/* The last BACKOFF_MAX_CRASHES exit times, a ring; ncrash valid. */
	uint64_t crash_ms[BACKOFF_MAX_CRASHES];
	int ncrash, next;
	bool failed;
	unsigned restarts;	/* restarts after an exit, for drvctl list */
};

/* The default policy with every time divided by scale (>= 1; each time
 * stays at least 1 ms). */
struct backoff_policy backoff_policy_scaled(unsigned scale);

/* A fresh state: no crash, the initial delay, not failed. */
void backoff_init(struct backoff *b, const struct backoff_policy *pol);

/* The driver was (re)started at now. */
void backoff_started(struct backoff *b, uint64_t now_ms);

/* What to do about an exit. */
enum backoff_verdict {
	BACKOFF_RESTART,	/* after *delay_ms */
	BACKOFF_FAIL_CRASHES,	/* BACKOFF_MAX_CRASHES within the window */
	BACKOFF_FAIL_CONFIG,	/* a configuration error: never restarted */
};

/*
 * The driver exited at now with wait_status (wait(2)'s encoding).
 * BACKOFF_RESTART with the delay before the restart in *delay_ms; either
 * failure leaves it failed (b->failed): it must stay stopped.
 */
enum backoff_verdict backoff_exited(struct backoff *b, uint64_t now_ms, int wait_status,
				    uint64_t *delay_ms);

/* A restart on request: forgets the crashes, the delay and failure (the
 * restart count is kept: it is the device's history). */
void backoff_reset(struct backoff *b);

#endif
