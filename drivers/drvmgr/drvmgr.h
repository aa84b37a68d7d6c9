/*
 * drivers/drvmgr/drvmgr.h: the driver manager daemon's shared state. The
 * daemon (drvmgr.c: start-up; drvmgr_run.c: starting, reaping and
 * restarting drivers; drvmgr_serve.c: the drvmgr: scheme) runs two
 * threads: the supervisor (the main thread), which alone forks, reaps and
 * restarts, sleeping in ppoll with SIGCHLD let in and a timeout at the
 * next back-off deadline; and the scheme thread, blocked in scheme_serve
 * (a user scheme's descriptor has no poll operation, so one thread cannot
 * wait for both). The scheme thread only reads the table and flags
 * restart requests, then wakes the supervisor through a pipe.
 */
#ifndef DRIVERS_DRVMGR_DRVMGR_H
#define DRIVERS_DRVMGR_DRVMGR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "drivers/drvmgr/backoff.h"
#include "drivers/drvmgr/match.h"

#define DRVMGR_MAX_DEVICES DRVCONF_MAX_DRIVERS
/* PROGRAM ARGUMENT... NODE-PATH and the NULL. */
#define DRVMGR_ARGV_MAX (DRVCONF_MAX_ARGS + 3)

enum dev_state { DEV_RUNNING, DEV_BACKOFF, DEV_FAILED, DEV_STOPPED };

struct device {
	/* Set at start-up, then read-only. */
	char path[DRVMATCH_PATH_MAX];		/* the node, "/pl031@9010000" */
	const char *name;			/* the driver: the program's basename */
	const struct drvconf_entry *drv;
	char *argv[DRVMGR_ARGV_MAX];		/* into drv and path */
	char ns[NAMESET_BUF_MAX];		/* the namespace, NUL-separated */
	size_t ns_len;
	/* The rest under drvmgr.lock. */
	enum dev_state state;
	pid_t pid;				/* DEV_RUNNING: the driver; else 0 */
	struct backoff bo;
	uint64_t restart_at_ms;			/* DEV_BACKOFF: when to start it */
	bool restart_requested;			/* drvctl restart, not yet acted on */
	bool killed_for_restart;		/* SIGKILLed on request: restart at once */
};

struct drvmgr {
	/* Guards every device's state fields (see struct device). */
	pthread_mutex_t lock;
	int ndev;
	struct device dev[DRVMGR_MAX_DEVICES];
	struct backoff_policy policy;
	int wake[2];	/* a pipe: the scheme thread -> the supervisor */
};

extern struct drvmgr drvmgr;

/* CLOCK_MONOTONIC in ms. */
uint64_t drvmgr_now_ms(void);

/* drvmgr_run.c: starts every device's driver, then supervises them
 * forever (returns only to exit, on SIGTERM or SIGINT: the drivers are
 * killed first). The status to exit with. */
int drvmgr_supervise(void);

/* drvmgr_serve.c: registers the scheme (the descriptor, or -1 with errno)
 * and serves it on a thread of its own (0 or an errno). */
int drvmgr_serve_register(const char *name);
int drvmgr_serve_start(void);

/* The table as drvmgr: reads it, into buf (size bytes, NUL-terminated):
 * the length. Takes drvmgr.lock. */
size_t drvmgr_format(char *buf, size_t size);

/* Flags the devices whose node path or driver name is name for a restart
 * and wakes the supervisor: how many matched. Takes drvmgr.lock. */
int drvmgr_request_restart(const char *name);

#endif
