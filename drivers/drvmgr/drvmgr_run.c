/*
 * drivers/drvmgr/drvmgr_run.c: the supervisor thread (drvmgr.h): starts
 * each device's driver, reaps it when it exits, and restarts it per the
 * policy in backoff.h, logging every restart with the exit status; acts on
 * the restart requests the scheme thread flags. It sleeps in ppoll on the
 * wake pipe with SIGCHLD, SIGTERM and SIGINT let in (blocked everywhere
 * else, so a signal can only end that wait) and a timeout at the earliest
 * back-off deadline: no polling loop, no fixed sleep.
 *
 * A driver's child, between fork and exec, narrows its grant to its node
 * (writes the node path to grant:, kernel/scheme/scheme_grant.c) and its
 * namespace to the table's schemes (anode_setns), then execs
 * PROGRAM ARGUMENT... NODE-PATH. It uses only system calls and formats on
 * its stack: the parent has a second thread, whose locks a child must not
 * touch.
 */
#define _GNU_SOURCE	/* ppoll */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drivers/drvmgr/drvmgr.h"
#include "user/anode.h"

/* A child's exit status when it could not become the driver (as a shell's
 * 126 "found but could not run" and 127 "not found"). */
#define EXIT_SETUP 126
#define EXIT_EXEC 127
#define SHELL_SIGNAL_BASE 128	/* a shell's status for a death by signal */
#define MSG_MAX 320
#define NO_DEADLINE UINT64_MAX
#define MS_NS 1000000L
#define MS_S 1000

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	if (sig != SIGCHLD)
		stop_signal = sig;
}

/* In the child: says why it cannot go on, and exits with status. */
static void child_fail(const struct device *d, const char *what, int err, int status)
{
	char msg[MSG_MAX];
	int n = snprintf(msg, sizeof(msg), "drvmgr: %s %s: %s: %s\n", d->name, d->path, what,
			 strerror(err));

	ssize_t ignored = 0;

	if (n > 0)
		ignored = write(STDERR_FILENO, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	(void)ignored;
	_exit(status);
}

static __attribute__((noreturn)) void child(const struct device *d)
{
	char req[DRVMATCH_PATH_MAX + DRVCONF_RIGHTS_MAX];
	sigset_t none;
	size_t len;
	int fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* The node, and the rights the table names, in one write: a grant
	 * only narrows, so what the first write drops cannot come back. */
	len = (size_t)snprintf(req, sizeof(req), "%s\n%s", d->path, d->drv->rights);
	fd = open("grant:", O_WRONLY);
	if (fd < 0 || len >= sizeof(req) || write(fd, req, len) != (ssize_t)len)
		child_fail(d, "narrowing the grant", errno, EXIT_SETUP);
	close(fd);
	if (anode_setns(d->ns, d->ns_len) < 0)
		child_fail(d, "narrowing the namespace", errno, EXIT_SETUP);
	execv(d->drv->program, d->argv);
	child_fail(d, d->drv->program, errno, EXIT_EXEC);
	_exit(EXIT_EXEC);
}

static void device_exited(struct device *d, int status, uint64_t now);

/* Starts d's driver now. Under drvmgr.lock. */
static void start(struct device *d, uint64_t now)
{
	pid_t pid = fork();

	if (pid == 0)
		child(d);
	d->killed_for_restart = false;
	if (pid < 0) {
		fprintf(stderr, "drvmgr: %s %s: fork: %s\n", d->name, d->path, strerror(errno));
		/* As a crash: the back-off spaces the attempts out. */
		device_exited(d, EXIT_SETUP << 8, now);
		return;
	}
	d->pid = pid;
	d->state = DEV_RUNNING;
	backoff_started(&d->bo, now);
}

/* "1", or "137 (signal 9)" for a death by signal, into buf. */
static void status_text(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "%d (signal %d)", SHELL_SIGNAL_BASE + WTERMSIG(status),
			 WTERMSIG(status));
	else
		snprintf(buf, size, "%d", WEXITSTATUS(status));
}

/* d's driver (pid d->pid, or none if fork failed) ended with status. */
static void device_exited(struct device *d, int status, uint64_t now)
{
	enum backoff_verdict v = BACKOFF_RESTART;
	uint64_t delay = 0;
	char st[32];
	pid_t pid = d->pid;

	status_text(status, st, sizeof(st));
	d->pid = 0;
	if (d->killed_for_restart) {
		/* Asked for: no back-off, and a fresh policy state. */
		backoff_reset(&d->bo);
		d->bo.restarts++;
	} else {
		v = backoff_exited(&d->bo, now, status, &delay);
	}
	if (v != BACKOFF_RESTART) {
		fprintf(stderr, "drvmgr: %s (pid %d) exited with status %s\n", d->name, (int)pid, st);
		if (v == BACKOFF_FAIL_CONFIG)
			fprintf(stderr, "drvmgr: %s failed: a configuration error for %s (its "
				"arguments in drivers.conf, or a device it cannot use); "
				"not restarting\n", d->name, d->path);
		else
			fprintf(stderr, "drvmgr: %s failed: %d crashes in a minute\n", d->name,
				BACKOFF_MAX_CRASHES);
		d->state = DEV_FAILED;
		return;
	}
	fprintf(stderr, "drvmgr: %s (pid %d) exited with status %s; restarting in %llu ms\n",
		d->name, (int)pid, st, (unsigned long long)delay);
	d->state = DEV_BACKOFF;
	d->restart_at_ms = now + delay;
}

static struct device *by_pid(pid_t pid)
{
	for (int i = 0; i < drvmgr.ndev; i++)
		if (drvmgr.dev[i].state == DEV_RUNNING && drvmgr.dev[i].pid == pid)
			return &drvmgr.dev[i];
	return NULL;
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct device *d = by_pid(pid);

		if (d)
			device_exited(d, status, drvmgr_now_ms());
	}
}

/* Acts on requests and due restarts: the next deadline. Under the lock. */
static uint64_t step(uint64_t now)
{
	uint64_t next = NO_DEADLINE;

	for (int i = 0; i < drvmgr.ndev; i++) {
		struct device *d = &drvmgr.dev[i];

		if (d->restart_requested) {
			d->restart_requested = false;
			if (d->state == DEV_RUNNING) {
				/* SIGKILL: a driver asked to restart may be stuck. */
				d->killed_for_restart = true;
				kill(d->pid, SIGKILL);
			} else {
				backoff_reset(&d->bo);
				fprintf(stderr, "drvmgr: %s: restarting on request\n", d->name);
				start(d, now);
			}
		}
		if (d->state == DEV_BACKOFF && d->restart_at_ms <= now)
			start(d, now);
		if (d->state == DEV_BACKOFF && d->restart_at_ms < next)
			next = d->restart_at_ms;
	}
	return next;
}

static void drain_wake(void)
{
	char buf[64];

	while (read(drvmgr.wake[0], buf, sizeof(buf)) > 0)
		;
}

static int shutdown_all(void)
{
	pthread_mutex_lock(&drvmgr.lock);
	for (int i = 0; i < drvmgr.ndev; i++) {
		struct device *d = &drvmgr.dev[i];

		if (d->state == DEV_RUNNING) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, NULL, 0);
		}
		d->pid = 0;
		d->state = DEV_STOPPED;
	}
	pthread_mutex_unlock(&drvmgr.lock);
	fprintf(stderr, "drvmgr: stopped (signal %d)\n", (int)stop_signal);
	return 0;
}

int drvmgr_supervise(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd = { .fd = drvmgr.wake[0], .events = POLLIN };
	sigset_t open_mask;
	uint64_t now = drvmgr_now_ms(), next;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigprocmask(SIG_SETMASK, NULL, &open_mask);
	sigdelset(&open_mask, SIGCHLD);
	sigdelset(&open_mask, SIGTERM);
	sigdelset(&open_mask, SIGINT);
	pthread_mutex_lock(&drvmgr.lock);
	for (int i = 0; i < drvmgr.ndev; i++)
		start(&drvmgr.dev[i], now);
	pthread_mutex_unlock(&drvmgr.lock);
	for (;;) {
		struct timespec ts, *tmo = NULL;

		pthread_mutex_lock(&drvmgr.lock);
		reap();
		now = drvmgr_now_ms();
		next = step(now);
		pthread_mutex_unlock(&drvmgr.lock);
		if (next != NO_DEADLINE) {
			uint64_t wait = next - now;

			ts.tv_sec = (time_t)(wait / MS_S);
			ts.tv_nsec = (long)(wait % MS_S) * MS_NS;
			tmo = &ts;
		}
		/* A child that exited since reap() left SIGCHLD pending: it is
		 * delivered as ppoll lets it in, so the wait ends at once. */
		if (ppoll(&pfd, 1, tmo, &open_mask) > 0)
			drain_wake();
		if (stop_signal)
			return shutdown_all();
	}
}
