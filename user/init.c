/*
 * init: Anode's first user program, PID 1, the one program the kernel
 * starts (from the boot archive; kernel/main.c).
 *
 *   init [-f RCFILE] [PROG [ARG...]]
 *
 * In order:
 *  1. forks initfsd (drivers/initfsd/), the daemon serving initfs: and
 *     file: from the boot archive, and waits (at most 5 s) until file:
 *     exists; initfsd is the only child that keeps the private scheme
 *     boot: (every other child execs, and exec drops it: kernel/exec.c);
 *  2. runs /etc/init.rc (or RCFILE) line by line;
 *  3. from then on reaps every child and orphan, restarts initfsd and the
 *     `respawn` programs at once when they exit, logging
 *     "init: NAME (pid P) exited with status S; restarting", and when the
 *     main program exits prints "init: exited with status N" and powers
 *     the machine off (reboot(RB_POWER_OFF)).
 *
 * SIGUSR1 and SIGUSR2 power the machine off, SIGTERM restarts it (how
 * busybox's halt, poweroff and reboot ask init).
 *
 * The kernel passes its command line's choice as arguments: with
 * "init=PROG -- ARGS", PROG ARGS... replaces init.rc's `main` line (the
 * program whose exit ends the system); "-- -f RCFILE" (no init=) makes
 * init read RCFILE instead of /etc/init.rc. Until a `console` line opens
 * another, init and its children write to the kernel's console (debug:).
 *
 * init.rc: one command per line, words separated by blanks, no quoting;
 * '#' starts a comment, blank lines are skipped. PROG is a path.
 *   env NAME=VALUE        set NAME in the environment of what follows
 *   start SCHEME PROG [ARG...]
 *                         start the daemon PROG and wait until it has
 *                         registered SCHEME (at most 5 s, then log and go
 *                         on); it is started again whenever it exits (a
 *                         daemon that dies within a second of its start
 *                         waits out the second first)
 *   respawn PROG [ARG...] start PROG and start it again whenever it exits
 *   run PROG [ARG...]     run PROG to completion before the next line
 *   console SCHEME:PATH   wait (at most 5 s) until SCHEME is served, then
 *                         open it as stdin, stdout and stderr of init and
 *                         of everything started after this line; the main
 *                         program gets a session of its own with it as
 *                         its controlling terminal
 *   main PROG [ARG...]    start the main program: when it exits, the
 *                         system powers off (the command line's init=
 *                         replaces it; without either, init keeps running)
 *   login PROG [ARG...]   start the console's login program (a getty),
 *                         and again whenever it exits (at most once a
 *                         second); it makes its own session. The
 *                         command line's init= replaces it with a main
 *                         program, as it replaces a main line
 * A malformed line is reported ("init: FILE:LINE: what is wrong") and
 * skipped; the rest of the file still runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "schemeinfo.h"
#include "init/rc.h"
#include "init/supervise.h"
#include "drivers/initfsd/initfsd.h"

#define INIT_RC "/etc/init.rc"
#define SCHEME_WAIT_NS (5 * 1000000000LL) /* longest wait for a scheme to appear */
/* Between two looks at sys:schemes: the first soon (a daemon registers
 * within a few hundred microseconds of starting; a fixed 5 ms was most of
 * the boot to the login prompt), doubling up to the longest, so that a slow
 * daemon does not keep init busy. */
#define SCHEME_POLL_FIRST_NS (20 * 1000LL)
#define SCHEME_POLL_MAX_NS (5 * 1000000LL)
#define RC_LINES_MAX 64                   /* lines of init.rc kept (their argv live on) */

static char *cmdline_main[RC_WORDS_MAX + 1]; /* the command line's main program */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Whether a daemon (pid > 0) serves scheme. */
static int scheme_served(const char *scheme)
{
	return scheme_server(scheme) > 0;
}

/* Waits (bounded) until scheme is served, reaping meanwhile so that a
 * daemon that dies is restarted. 0, or -1 after logging the time-out. */
static int wait_scheme(const char *scheme)
{
	long long deadline = now_ns() + SCHEME_WAIT_NS, pause = SCHEME_POLL_FIRST_NS;

	while (!scheme_served(scheme)) {
		if (now_ns() >= deadline) {
			fprintf(stderr, "init: %s: did not appear within %lld s; going on\n", scheme,
				SCHEME_WAIT_NS / 1000000000LL);
			return -1;
		}
		supervise_reap(false);
		nanosleep(&(struct timespec){ 0, (long)pause }, NULL);
		if (pause < SCHEME_POLL_MAX_NS)
			pause = pause * 2 < SCHEME_POLL_MAX_NS ? pause * 2 : SCHEME_POLL_MAX_NS;
	}
	return 0;
}

/* init's own descriptors, opened with O_NOCTTY so that the terminal stays
 * free for the main program's session (supervise.c's main_session). A
 * console served by a daemon is waited for (bounded) first. */
static void open_console(const char *path)
{
	const char *colon = strchr(path, ':');
	char scheme[SUPERVISE_CONSOLE_MAX];
	int fd;

	if (colon && colon != path && (size_t)(colon - path) < sizeof(scheme)) {
		memcpy(scheme, path, (size_t)(colon - path));
		scheme[colon - path] = '\0';
		if (strcmp(scheme, "debug") != 0) /* the kernel's is always there */
			wait_scheme(scheme);
	}
	fd = open(path, O_RDWR | O_NOCTTY);

	if (fd < 0) {
		fprintf(stderr, "init: console %s: %s; keeping the old one\n", path, strerror(errno));
		return;
	}
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i <= STDERR_FILENO; i++)
		dup2(fd, i);
	if (fd > STDERR_FILENO)
		close(fd);
	supervise_set_console(path);
}

/* Runs one parsed line; *main_started is set once the main program runs. */
static void run_line(struct rc_line *l, int *main_started)
{
	pid_t pid;

	switch (l->cmd) {
	case RC_NONE:
		break;
	case RC_ENV:
		putenv(l->argv[0]);
		break;
	case RC_START:
		if (supervise_start(CHILD_DAEMON, l->argv) > 0)
			wait_scheme(l->scheme);
		break;
	case RC_RESPAWN:
		supervise_start(CHILD_RESPAWN, l->argv);
		break;
	case RC_RUN:
		pid = supervise_start(CHILD_RUN, l->argv);
		while (pid > 0 && supervise_alive(pid))
			supervise_reap(true);
		break;
	case RC_CONSOLE:
		open_console(l->argv[0]);
		break;
	case RC_MAIN:
		supervise_start(CHILD_MAIN, cmdline_main[0] ? cmdline_main : l->argv);
		*main_started = 1;
		break;
	case RC_LOGIN:
		/* init= runs its program exactly as a main line would. */
		if (cmdline_main[0])
			supervise_start(CHILD_MAIN, cmdline_main);
		else
			supervise_start(CHILD_LOGIN, l->argv);
		*main_started = 1;
		break;
	}
}

/* Runs the file's lines in order; whether a main program was started. */
static int run_rc(const char *path)
{
	static char lines[RC_LINES_MAX][RC_LINE_MAX];
	static struct rc_line parsed[RC_LINES_MAX];
	int n = 0, lineno = 0, main_started = 0;
	char buf[RC_LINE_MAX];
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "init: %s: %s\n", path, strerror(errno));
		return 0;
	}
	while (fgets(buf, sizeof(buf), f)) {
		const char *error;
		size_t len = strlen(buf);

		lineno++;
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
			fprintf(stderr, "init: %s:%d: line longer than %d bytes; skipped\n", path, lineno,
				RC_LINE_MAX - 2);
			while (fgets(buf, sizeof(buf), f) && buf[strlen(buf) - 1] != '\n')
				;
			continue;
		}
		if (n == RC_LINES_MAX) {
			fprintf(stderr, "init: %s:%d: more than %d lines; the rest is skipped\n", path,
				lineno, RC_LINES_MAX);
			break;
		}
		memcpy(lines[n], buf, len + 1);
		if (rc_parse(lines[n], &parsed[n], &error)) {
			fprintf(stderr, "init: %s:%d: %s; skipped\n", path, lineno, error);
			continue;
		}
		run_line(&parsed[n], &main_started);
		n++;
	}
	fclose(f);
	return main_started;
}

/* busybox's halt, poweroff and reboot ask init with a signal (as they
 * ask sysvinit and busybox's init): SIGUSR1 halt, SIGUSR2 power off,
 * SIGTERM reboot. Only root may signal init (kill(2)'s rule). */
static void shutdown_signal(int sig)
{
	static const char msg[] = "init: shutting down on request\n";

	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing to do about it: the machine goes down anyway */
	}
	/* No sync: the root file system lives in RAM and goes with it. */
	reboot(sig == SIGTERM ? RB_AUTOBOOT : RB_POWER_OFF);
}

static void catch_shutdown_signals(void)
{
	struct sigaction sa = { .sa_handler = shutdown_signal };
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGTERM };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char *argv[])
{
	const char *rc = INIT_RC;
	int first = 1;

	if (argc > 2 && strcmp(argv[1], "-f") == 0) {
		rc = argv[2];
		first = 3;
	}
	catch_shutdown_signals();
	for (int i = first; i < argc && i - first < RC_WORDS_MAX; i++)
		cmdline_main[i - first] = argv[i];
	if (supervise_start(CHILD_INITFSD, NULL) > 0)
		wait_scheme(INITFSD_SCHEME_FILE);
	if (!run_rc(rc)) {
		if (cmdline_main[0])
			supervise_start(CHILD_MAIN, cmdline_main);
		else /* nothing will end the system: say so rather than look hung */
			fprintf(stderr, "init: no main program (no main line in %s, no init=); "
				"serving on\n", rc);
	}
	for (;;)
		supervise_reap(true);
}
