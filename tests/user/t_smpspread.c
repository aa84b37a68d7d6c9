/*
 * t_smpspread: CPU-bound processes spread over every CPU.
 *
 * Starts one spinning child per online CPU (none pinned: placing them is
 * the scheduler's job), lets them spin SPIN_MS, and reads sys:cpus before
 * and after: every CPU must have found a thread running at no less than
 * BUSY_PERCENT of its ticks in between. Each child also reports, by its
 * exit status, a CPU it ran on (sched_getcpu). Only meaningful on Anode
 * (sys:cpus); with one CPU it checks just that one.
 * Prints "PASS: t_smpspread" or "FAIL: t_smpspread: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 8
#define SPIN_MS 1500
#define BUSY_PERCENT 60
#define SYS_CPUS "sys:cpus"

#define FAIL(...) do { \
	printf("FAIL: t_smpspread: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

struct cpu_ticks {
	unsigned long ticks, busy;
};

/* Reads sys:cpus ("ID MPIDR STATE TICKS BUSY" lines after a header). */
static int read_cpus(struct cpu_ticks *out)
{
	static char text[4096];
	int fd = open(SYS_CPUS, O_RDONLY), n = 0;
	ssize_t len;
	char *line;

	if (fd < 0)
		FAIL("open %s: %s", SYS_CPUS, strerror(errno));
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (len <= 0)
		FAIL("read %s: %s", SYS_CPUS, strerror(errno));
	text[len] = '\0';
	line = strchr(text, '\n');
	while (line && *++line && n < MAX_CPUS) {
		unsigned id;
		char state[16];

		if (sscanf(line, "%u %*s %15s %lu %lu", &id, state, &out[n].ticks, &out[n].busy) != 4)
			FAIL("malformed %s line: %.40s", SYS_CPUS, line);
		if (strcmp(state, "online") == 0)
			n++;
		line = strchr(line, '\n');
	}
	return n;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void spin(void)
{
	long end = now_ms() + SPIN_MS;
	volatile unsigned long x = 0;

	while (now_ms() < end)
		x++;
	_exit(sched_getcpu());
}

int main(void)
{
	struct cpu_ticks before[MAX_CPUS], after[MAX_CPUS];
	int n, m;
	pid_t kids[MAX_CPUS];

	setvbuf(stdout, NULL, _IOLBF, 0);
	n = read_cpus(before);
	printf("t_smpspread: %d CPUs online\n", n);
	if (n < 1)
		FAIL("no online CPU in %s", SYS_CPUS);
	for (int i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			FAIL("fork: %s", strerror(errno));
		if (kids[i] == 0)
			spin();
	}
	/* Sample while they all still spin: the parent sleeps meanwhile. */
	usleep(SPIN_MS * 1000 / 4);
	read_cpus(before);
	usleep(SPIN_MS * 1000 / 2);
	m = read_cpus(after);
	for (int i = 0; i < n; i++) {
		int status;

		if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status))
			FAIL("child %d: %s, status %#x", i, strerror(errno), status);
		printf("t_smpspread: child %d last ran on CPU %d\n", i, WEXITSTATUS(status));
	}
	if (m != n)
		FAIL("%d CPUs online, then %d", n, m);
	for (int i = 0; i < n; i++) {
		unsigned long t = after[i].ticks - before[i].ticks, b = after[i].busy - before[i].busy;

		printf("t_smpspread: CPU %d busy %lu of %lu ticks\n", i, b, t);
		if (t == 0 || b * 100 < t * BUSY_PERCENT)
			FAIL("CPU %d was busy %lu of %lu ticks (< %d%%)", i, b, t, BUSY_PERCENT);
	}
	printf("PASS: t_smpspread\n");
	return 0;
}
