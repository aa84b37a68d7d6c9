/*
 * ttyprobe: the terminal checks tests/qemu/test_terminal.py drives from
 * the host (not a t_* test: it needs a person, or pexpect, at the other
 * end of the serial line, and pl011d serving it). One mode per run:
 *   line      reads one canonical line from stdin, prints it as "line: [..]"
 *   raw N     raw mode (cfmakeraw, VMIN 1): N reads, one byte each, printed
 *             in hex as "raw: 61 62 63 (3 reads)"; the settings restored
 *   vtime     non-canonical, VMIN 0, VTIME 2: a read with no input returns
 *             0 after the 200 ms timer (not at once, not never)
 *   bgjob     a child in a background group that reads the terminal is
 *             stopped by SIGTTIN; with TOSTOP one that writes, by SIGTTOU;
 *             with SIGTTOU ignored the write goes through
 *   flood N   raw mode; once FIONREAD shows the input buffer nearly full
 *             (the daemon stops receiving), reads N bytes of the pattern
 *             'a'..'z' repeated: none lost, none out of order
 *   winsz     TIOCGWINSZ, TIOCSWINSZ 30x100, TIOCGWINSZ again
 *   onlcr     "A\nB\n" with the default output processing, then with OPOST
 *             off "C\nD\n" (the host sees \r\n, then bare \n)
 *   badioctl  an unknown ioctl (ENOTTY), a bad pointer (EFAULT), a bad
 *             TCFLSH queue (EINVAL), a bad TIOCSPGRP group (EINVAL), then
 *             TCGETS still works; TCSETS and TIOCSWINSZ from a bad pointer
 *             (EFAULT, nothing changed), TCSETS of all ones taken and
 *             undone, a 0x0 window kept
 *   killd     kills the running pl011d (drvmgr's) with SIGKILL while a read
 *             of serial:0 waits: the read and a later write fail with EIO,
 *             no hang; drvmgr restarts it within a second and a new open
 *             of /dev/console works
 *   bench N   time of N 4 KiB writes to stdout and N empty non-blocking
 *             reads of stdin (clock_gettime, CLOCK_MONOTONIC)
 * Prints "PASS: ttyprobe MODE" or "FAIL: ttyprobe MODE: reason".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "schemeinfo.h"

#define LINE_MAX_BYTES 256
#define RAW_MAX 16
#define WIN_ROWS 30
#define WIN_COLS 100
#define UNKNOWN_IOCTL 0x54ff      /* no terminal ioctl has this number */
#define BAD_FLUSH_QUEUE 7         /* TCFLSH takes 0, 1 or 2 */
#define DAEMON_WAIT_STEPS 500     /* 5 s in 10 ms steps for a new pl011d to appear */
#define DAEMON_WAIT_STEP_NS 10000000L
#define BENCH_CHUNK 4096
#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL

static const char *mode = "";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: ttyprobe %s: ", mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return 1;
}

static int pass(void)
{
	printf("PASS: ttyprobe %s\n", mode);
	return 0;
}

static int do_line(void)
{
	char buf[LINE_MAX_BYTES];
	ssize_t n;

	printf("type a line\n");
	fflush(stdout);
	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0)
		return fail("read: %s", strerror(errno));
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	printf("line: [%.*s]\n", (int)n, buf);
	return pass();
}

static int do_raw(int count)
{
	struct termios old, raw;
	unsigned char got[RAW_MAX];
	int reads = 0;

	if (count < 1 || count > RAW_MAX)
		return fail("count %d not in 1..%d", count, RAW_MAX);
	if (tcgetattr(STDIN_FILENO, &old))
		return fail("tcgetattr: %s", strerror(errno));
	raw = old;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		return fail("tcsetattr: %s", strerror(errno));
	printf("raw ready\r\n");
	fflush(stdout);
	for (int i = 0; i < count; i++, reads++)
		if (read(STDIN_FILENO, &got[i], 1) != 1)
			break;
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	printf("raw:");
	for (int i = 0; i < reads; i++)
		printf(" %02x", got[i]);
	printf(" (%d reads)\n", reads);
	return reads == count ? pass() : fail("only %d of %d bytes", reads, count);
}

#define VTIME_TENTHS 2
#define VTIME_MIN_NS 150000000LL /* the timer may end a tick early, not more */

static long long now_ns(void);

static int do_vtime(void)
{
	struct termios old, t;
	long long t0, waited;
	char c;
	ssize_t n;

	if (tcgetattr(STDIN_FILENO, &old))
		return fail("tcgetattr: %s", strerror(errno));
	t = old;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = VTIME_TENTHS;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t))
		return fail("tcsetattr: %s", strerror(errno));
	t0 = now_ns();
	n = read(STDIN_FILENO, &c, 1);
	waited = now_ns() - t0;
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	printf("vtime: read %zd after %lld ms\n", n, waited / NS_PER_MS);
	if (n != 0)
		return fail("the read returned %zd, not 0", n);
	if (waited < VTIME_MIN_NS)
		return fail("the read ended after %lld ns, before VTIME", waited);
	return pass();
}

/* A child in a process group of its own (a background job) that reads
 * (or writes) the terminal; how it ended or stopped. */
static int background(bool write_it, bool ignore_ttou)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char c;

		setpgid(0, 0);
		if (ignore_ttou)
			signal(SIGTTOU, SIG_IGN);
		if (write_it)
			_exit(write(STDOUT_FILENO, "bgjob: background write\n", 24) == 24 ? 0 : 1);
		_exit(read(STDIN_FILENO, &c, 1) >= 0 ? 0 : 1);
	}
	setpgid(pid, pid);
	if (waitpid(pid, &status, WUNTRACED) != pid)
		return -1;
	if (WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return status;
}

static int do_bgjob(void)
{
	struct termios t;
	int st = background(false, false);

	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTIN)
		return fail("a background reader was not stopped by SIGTTIN (status %#x)", st);
	printf("bgjob: background reader stopped by SIGTTIN\n");
	if (tcgetattr(STDOUT_FILENO, &t))
		return fail("tcgetattr: %s", strerror(errno));
	t.c_lflag |= TOSTOP;
	if (tcsetattr(STDOUT_FILENO, TCSANOW, &t))
		return fail("tcsetattr: %s", strerror(errno));
	st = background(true, false);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTOU)
		return fail("a background writer with TOSTOP was not stopped by SIGTTOU (status %#x)", st);
	printf("bgjob: background writer stopped by SIGTTOU\n");
	st = background(true, true);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return fail("a background writer ignoring SIGTTOU did not write (status %#x)", st);
	t.c_lflag &= ~TOSTOP;
	tcsetattr(STDOUT_FILENO, TCSANOW, &t);
	return pass();
}

#define FLOOD_FULL 4000 /* bytes queued that mean the 4 KiB buffer is nearly full */
#define ALPHABET 26

static int do_flood(long total)
{
	struct timespec step = { .tv_nsec = DAEMON_WAIT_STEP_NS };
	struct termios old, raw;
	char buf[LINE_MAX_BYTES];
	long got = 0;
	int queued = 0;

	if (tcgetattr(STDIN_FILENO, &old))
		return fail("tcgetattr: %s", strerror(errno));
	raw = old;
	cfmakeraw(&raw);
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	printf("flood ready\r\n");
	/* The sender's bytes pile up (nothing reads them) until the buffer is
	 * nearly full: the daemon must stop receiving, not drop. */
	for (int i = 0; i < DAEMON_WAIT_STEPS && queued < FLOOD_FULL; i++)
		if (ioctl(STDIN_FILENO, FIONREAD, &queued) || queued < FLOOD_FULL)
			nanosleep(&step, NULL);
	while (got < total) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++, got++)
			if (buf[i] != 'a' + got % ALPHABET) {
				tcsetattr(STDIN_FILENO, TCSANOW, &old);
				return fail("byte %ld is %#x, not '%c'", got, buf[i], (int)('a' + got % ALPHABET));
			}
	}
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	printf("flood: %ld bytes in order (%d were queued at once)\n", got, queued);
	return got == total ? pass() : fail("%ld of %ld bytes", got, total);
}

static int do_winsz(void)
{
	struct winsize w, set = { .ws_row = WIN_ROWS, .ws_col = WIN_COLS };

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &w))
		return fail("TIOCGWINSZ: %s", strerror(errno));
	printf("winsz %u %u\n", w.ws_row, w.ws_col);
	if (ioctl(STDIN_FILENO, TIOCSWINSZ, &set))
		return fail("TIOCSWINSZ: %s", strerror(errno));
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &w))
		return fail("TIOCGWINSZ after set: %s", strerror(errno));
	printf("winsz %u %u\n", w.ws_row, w.ws_col);
	if (w.ws_row != WIN_ROWS || w.ws_col != WIN_COLS)
		return fail("the size set did not come back");
	return pass();
}

static int do_onlcr(void)
{
	struct termios t, plain;

	if (tcgetattr(STDOUT_FILENO, &t))
		return fail("tcgetattr: %s", strerror(errno));
	if (!(t.c_oflag & OPOST) || !(t.c_oflag & ONLCR))
		return fail("OPOST|ONLCR not on by default");
	write(STDOUT_FILENO, "onlcr A\nonlcr B\n", 16);
	plain = t;
	plain.c_oflag &= ~OPOST;
	if (tcsetattr(STDOUT_FILENO, TCSADRAIN, &plain))
		return fail("tcsetattr: %s", strerror(errno));
	write(STDOUT_FILENO, "plain C\nplain D\n", 16);
	tcsetattr(STDOUT_FILENO, TCSADRAIN, &t);
	return pass();
}

static int do_badioctl(void)
{
	/* Zeroed: TCGETS fills only the kernel's part of musl's termios. */
	struct termios t = { 0 }, now = { 0 }, garbage;
	struct winsize zero = { 0 }, ws;
	int bad_group = -5;

	if (ioctl(STDIN_FILENO, UNKNOWN_IOCTL, 0) != -1 || errno != ENOTTY)
		return fail("an unknown ioctl is not ENOTTY (%s)", strerror(errno));
	if (ioctl(STDIN_FILENO, TCGETS, (void *)8) != -1 || errno != EFAULT)
		return fail("TCGETS to a bad pointer is not EFAULT (%s)", strerror(errno));
	if (ioctl(STDIN_FILENO, TCFLSH, BAD_FLUSH_QUEUE) != -1 || errno != EINVAL)
		return fail("TCFLSH %d is not EINVAL (%s)", BAD_FLUSH_QUEUE, strerror(errno));
	if (ioctl(STDIN_FILENO, TIOCSPGRP, &bad_group) != -1 || errno != EINVAL)
		return fail("TIOCSPGRP -5 is not EINVAL (%s)", strerror(errno));
	if (tcgetattr(STDIN_FILENO, &t))
		return fail("tcgetattr after the bad ones: %s", strerror(errno));
	if (ioctl(STDIN_FILENO, TCSETS, (void *)8) != -1 || errno != EFAULT)
		return fail("TCSETS from a bad pointer is not EFAULT (%s)", strerror(errno));
	if (ioctl(STDIN_FILENO, TIOCSWINSZ, (void *)8) != -1 || errno != EFAULT)
		return fail("TIOCSWINSZ from a bad pointer is not EFAULT (%s)", strerror(errno));
	if (tcgetattr(STDIN_FILENO, &now) || memcmp(&now, &t, sizeof(t)))
		return fail("a refused TCSETS changed the settings");
	/* Any bits are taken, as on Linux; then the old ones go back. */
	memset(&garbage, 0xff, sizeof(garbage));
	if (ioctl(STDIN_FILENO, TCSETS, &garbage) || tcsetattr(STDIN_FILENO, TCSAFLUSH, &t))
		return fail("TCSETS of all ones and back: %s", strerror(errno));
	if (ioctl(STDIN_FILENO, TIOCSWINSZ, &zero) || ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) ||
	    ws.ws_row || ws.ws_col)
		return fail("a 0x0 window is not kept: %s", strerror(errno));
	printf("bad ioctls refused, still serving\n");
	return pass();
}

static void *blocked_read(void *arg)
{
	char c;
	ssize_t n = read(*(int *)arg, &c, 1);

	return (void *)(intptr_t)(n < 0 ? errno : 0);
}

/* On the boot chain's terminal: kill -9 of pl011d (drvmgr's) while a read
 * waits; the read and a later write get EIO, drvmgr restarts it within a
 * second, and a new open of the console works. */
static int do_killd(void)
{
	struct timespec step = { .tv_nsec = DAEMON_WAIT_STEP_NS };
	pid_t old = scheme_server("serial"), now = 0;
	long long t0;
	int fd, i;
	pthread_t t;
	void *err;

	if (old <= 0)
		return fail("no pl011d serves serial:");
	fd = open("serial:0", O_RDWR | O_NOCTTY);
	if (fd < 0 || write(fd, "killd: before\n", 14) != 14)
		return fail("write before the kill: %s", strerror(errno));
	pthread_create(&t, NULL, blocked_read, &fd);
	/* The read is outstanding or about to be: either way it must end. */
	nanosleep(&step, NULL);
	t0 = now_ns();
	kill(old, SIGKILL);
	pthread_join(t, &err);
	if ((intptr_t)err != EIO)
		return fail("the waiting read got %s, not EIO", strerror((int)(intptr_t)err));
	if (write(fd, "x", 1) != -1 || errno != EIO)
		return fail("a write after the kill is not EIO (%s)", strerror(errno));
	close(fd);
	/* drvmgr restarts it; its scheme appears when it is ready. */
	for (i = 0; i < DAEMON_WAIT_STEPS; i++) {
		now = scheme_server("serial");
		if (now > 0 && now != old)
			break;
		nanosleep(&step, NULL);
	}
	if (now <= 0 || now == old)
		return fail("pl011d was not restarted");
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return fail("console after the restart: %s", strerror(errno));
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	printf("killd: held descriptor gets EIO; pl011d restarted (pid %d) after %lld ms\n",
	       (int)now, (now_ns() - t0) / NS_PER_MS);
	if (now_ns() - t0 > NS_PER_S)
		return fail("the restart took more than a second");
	return pass();
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int do_bench(int rounds)
{
	static char chunk[BENCH_CHUNK];
	long long t0, t1, t2;
	char c;

	memset(chunk, '.', sizeof(chunk));
	chunk[sizeof(chunk) - 1] = '\n';
	fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	t0 = now_ns();
	for (int i = 0; i < rounds; i++)
		write(STDOUT_FILENO, chunk, sizeof(chunk));
	t1 = now_ns();
	for (int i = 0; i < rounds; i++)
		read(STDIN_FILENO, &c, 1);
	t2 = now_ns();
	printf("bench: write 4 KiB %lld ns, empty read %lld ns (%d rounds)\n",
	       (t1 - t0) / rounds, (t2 - t1) / rounds, rounds);
	return pass();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	mode = argc > 1 ? argv[1] : "";
	if (strcmp(mode, "line") == 0)
		return do_line();
	if (strcmp(mode, "raw") == 0 && argc > 2)
		return do_raw(atoi(argv[2]));
	if (strcmp(mode, "winsz") == 0)
		return do_winsz();
	if (strcmp(mode, "vtime") == 0)
		return do_vtime();
	if (strcmp(mode, "bgjob") == 0)
		return do_bgjob();
	if (strcmp(mode, "flood") == 0 && argc > 2)
		return do_flood(atol(argv[2]));
	if (strcmp(mode, "onlcr") == 0)
		return do_onlcr();
	if (strcmp(mode, "badioctl") == 0)
		return do_badioctl();
	if (strcmp(mode, "killd") == 0)
		return do_killd();
	if (strcmp(mode, "bench") == 0 && argc > 2)
		return do_bench(atoi(argv[2]));
	return fail("usage: ttyprobe line|raw N|vtime|bgjob|flood N|winsz|onlcr|badioctl|killd|bench N");
}
