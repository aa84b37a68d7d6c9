/*
 * t_misc: the small calls a C library reaches for.
 * pause() and ppoll(NULL, 0, NULL, NULL) sleep until a kill from their own
 * child (SIGTERM's default action ends them after >= the child's delay);
 * ppoll and pselect6 honour timeouts (>= 50 ms, 0 returns at once), report
 * POLLNVAL/EBADF for a closed descriptor and a pipe with data as readable,
 * and reject a bad timeout or sigset size (EINVAL); getrusage and times
 * show >= 150 ms of CPU time after a 200 ms spin, for the caller and for a
 * reaped child, and EINVAL for a bad `who`; sched_getaffinity has CPU 0 and
 * every online CPU, sched_setaffinity to CPU 0 works, an empty mask or
 * one naming only an offline CPU is EINVAL; SCHED_OTHER at
 * priority 0, priority ranges, EINVAL for a bad policy or priority;
 * prctl PR_SET_NAME/PR_GET_NAME (truncated to 15 bytes); rseq fails;
 * membarrier's query and the commands it lists succeed, bad ones EINVAL;
 * bad pointers give EFAULT and bad sizes, options EINVAL for each call.
 * Anode only (guarded where there is no sys:): the name in
 * sys:context, rseq is ENOSYS and not logged as an unknown call.
 * Prints "PASS: t_misc" or "FAIL: t_misc: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS 1000000L
#define MS_PER_S 1000L
#define KILL_DELAY_MS 100
#define TIMEOUT_MS 50
#define SPIN_MS 200
#define SPIN_MIN_MS 150     /* what the usage figures must show at least */
#define BAD_FD 200
#define BAD_WHO 42
#define BAD_POLICY 42
#define BAD_PRCTL 0x7fff
#define BAD_ADDR 8          /* in page 0, never mapped */
#define RT_MAX 99
#define CONTEXT_MAX 8192
#define LOG_MAX 65536
#define MEMBARRIER_QUERY 0
#define MEMBARRIER_PRIVATE_EXPEDITED 8
#define MEMBARRIER_REGISTER_PRIVATE_EXPEDITED 16
#define MEMBARRIER_CMD_BITS 5   /* GLOBAL .. REGISTER_PRIVATE_EXPEDITED (SYNC_CORE, RSEQ need more set-up) */
#define MEMBARRIER_BAD_CMD (1 << 30)

#define FAIL(...) do { \
	printf("FAIL: t_misc: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static long now_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * MS_PER_S + ts.tv_nsec / NS_PER_MS;
}

static void expect_errno(long ret, int want, const char *what)
{
	if (ret != -1 || errno != want)
		FAIL("%s: returned %ld errno %d, want errno %d", what, ret, errno, want);
}

/* A child that sleeps with how (0: pause, 1: ppoll with nothing) and is
 * killed by its own child after KILL_DELAY_MS. */
static void pause_test(int how)
{
	long t0 = now_ms(CLOCK_MONOTONIC), ms;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		pid_t killer = fork();

		if (killer == 0) {
			usleep(KILL_DELAY_MS * 1000);
			kill(getppid(), SIGTERM);
			_exit(0);
		}
		if (how == 0)
			pause();
		else
			syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
		_exit(1); /* woken without dying */
	}
	if (waitpid(pid, &status, 0) != pid)
		FAIL("waitpid: %s", strerror(errno));
	ms = now_ms(CLOCK_MONOTONIC) - t0;
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
		FAIL("%s: status %#x, want killed by SIGTERM", how ? "ppoll" : "pause", status);
	if (ms < KILL_DELAY_MS)
		FAIL("%s ended after %ld ms, before the kill", how ? "ppoll" : "pause", ms);
	printf("t_misc: %s sleeps until killed by its child (%ld ms) ok\n",
	       how ? "ppoll(NULL, 0)" : "pause", ms);
}

static void poll_test(void)
{
	struct timespec ts = { 0, TIMEOUT_MS * NS_PER_MS }, zero = { 0, 0 }, bad = { 0, -1 };
	struct timeval tv = { 0, TIMEOUT_MS * 1000 };
	struct pollfd pfd[2];
	fd_set rd;
	long t0, ms;
	int fds[2], closed;
	uint64_t mask = 0;

	t0 = now_ms(CLOCK_MONOTONIC);
	if (ppoll(NULL, 0, &ts, NULL) != 0)
		FAIL("ppoll timeout: %s", strerror(errno));
	ms = now_ms(CLOCK_MONOTONIC) - t0;
	if (ms < TIMEOUT_MS)
		FAIL("ppoll returned after %ld ms, want >= %d", ms, TIMEOUT_MS);
	if (ppoll(NULL, 0, &zero, NULL) != 0)
		FAIL("ppoll zero timeout: %s", strerror(errno));
	expect_errno(ppoll(NULL, 0, &bad, NULL), EINVAL, "ppoll bad timeout");
	expect_errno(syscall(SYS_ppoll, NULL, 0, &zero, &mask, 1), EINVAL, "ppoll sigset size 1");
	t0 = now_ms(CLOCK_MONOTONIC);
	if (select(0, NULL, NULL, NULL, &tv) != 0)
		FAIL("select timeout: %s", strerror(errno));
	ms = now_ms(CLOCK_MONOTONIC) - t0;
	if (ms < TIMEOUT_MS)
		FAIL("select returned after %ld ms, want >= %d", ms, TIMEOUT_MS);
	printf("t_misc: ppoll and pselect6 timeouts (%ld ms) ok\n", ms);

	if (pipe(fds) < 0 || write(fds[1], "x", 1) != 1)
		FAIL("pipe: %s", strerror(errno));
	pfd[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = BAD_FD, .events = POLLIN };
	if (poll(pfd, 2, 0) != 2 || !(pfd[0].revents & POLLIN) || pfd[1].revents != POLLNVAL)
		FAIL("poll: revents %#x %#x", pfd[0].revents, pfd[1].revents);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv = (struct timeval){ 0, 0 };
	if (select(fds[0] + 1, &rd, NULL, NULL, &tv) != 1 || !FD_ISSET(fds[0], &rd))
		FAIL("select on a pipe with data: %s", strerror(errno));
	/* A closed descriptor inside the table: Linux's select ignores bits
	 * past the table's size (BAD_FD is beyond its first 64 entries). */
	closed = dup(0);
	if (closed < 0 || close(closed) < 0)
		FAIL("dup/close: %s", strerror(errno));
	FD_ZERO(&rd);
	FD_SET(closed, &rd);
	tv = (struct timeval){ 0, 0 };
	expect_errno(select(closed + 1, &rd, NULL, NULL, &tv), EBADF, "select on a closed fd");
	close(fds[0]);
	close(fds[1]);
	printf("t_misc: POLLNVAL, EBADF, a readable pipe ok\n");
}

static void spin_ms(long ms)
{
	long end = now_ms(CLOCK_PROCESS_CPUTIME_ID) + ms;

	while (now_ms(CLOCK_PROCESS_CPUTIME_ID) < end)
		;
}

static long ru_ms(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * MS_PER_S +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
}

static void usage_test(void)
{
	struct rusage ru;
	struct tms tms;
	long hz = sysconf(_SC_CLK_TCK), ticks;
	pid_t pid;

	spin_ms(SPIN_MS);
	if (getrusage(RUSAGE_SELF, &ru) != 0 || ru_ms(&ru) < SPIN_MIN_MS)
		FAIL("getrusage(SELF): %s, %ld ms", strerror(errno), ru_ms(&ru));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		spin_ms(SPIN_MS);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0 || ru_ms(&ru) < SPIN_MIN_MS)
		FAIL("getrusage(CHILDREN): %s, %ld ms", strerror(errno), ru_ms(&ru));
	expect_errno(getrusage(BAD_WHO, &ru), EINVAL, "getrusage(42)");
	ticks = (long)times(&tms);
	if (ticks == -1)
		FAIL("times: %s", strerror(errno));
	if ((tms.tms_utime + tms.tms_stime) * MS_PER_S / hz < SPIN_MIN_MS ||
	    (tms.tms_cutime + tms.tms_cstime) * MS_PER_S / hz < SPIN_MIN_MS)
		FAIL("times: self %ld children %ld ticks at %ld Hz", (long)tms.tms_utime,
		     (long)tms.tms_cutime, hz);
	printf("t_misc: getrusage and times after a %d ms spin ok\n", SPIN_MS);
}

static void sched_test(void)
{
	cpu_set_t set;
	struct sched_param sp = { 0 };

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0 || !CPU_ISSET(0, &set))
		FAIL("sched_getaffinity: %s", strerror(errno));
	if (CPU_COUNT(&set) != sysconf(_SC_NPROCESSORS_ONLN))
		FAIL("the mask has %d CPUs, %ld are online", CPU_COUNT(&set),
		     sysconf(_SC_NPROCESSORS_ONLN));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		FAIL("sched_setaffinity(CPU 0): %s", strerror(errno));
	CPU_ZERO(&set);
	expect_errno(sched_setaffinity(0, sizeof(set), &set), EINVAL, "empty affinity");
	CPU_SET(CPU_SETSIZE - 1, &set); /* no machine here has that many */
	expect_errno(sched_setaffinity(0, sizeof(set), &set), EINVAL, "an offline CPU alone");
	/* Raw calls: musl's wrappers of these answer ENOSYS themselves. */
	if (syscall(SYS_sched_getscheduler, 0) != SCHED_OTHER)
		FAIL("sched_getscheduler: %s", strerror(errno));
	sp.sched_priority = -1;
	if (syscall(SYS_sched_getparam, 0, &sp) != 0 || sp.sched_priority != 0)
		FAIL("sched_getparam: %s, priority %d", strerror(errno), sp.sched_priority);
	if (syscall(SYS_sched_get_priority_max, SCHED_OTHER) != 0 ||
	    syscall(SYS_sched_get_priority_min, SCHED_OTHER) != 0 ||
	    syscall(SYS_sched_get_priority_max, SCHED_FIFO) != RT_MAX ||
	    syscall(SYS_sched_get_priority_min, SCHED_RR) != 1)
		FAIL("priority ranges");
	expect_errno(syscall(SYS_sched_get_priority_max, BAD_POLICY), EINVAL, "bad policy max");
	sp.sched_priority = 0;
	if (syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp) != 0 ||
	    syscall(SYS_sched_setparam, 0, &sp) != 0)
		FAIL("sched_setscheduler(SCHED_OTHER, 0): %s", strerror(errno));
	sp.sched_priority = 5;
	expect_errno(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp), EINVAL,
		     "SCHED_OTHER priority 5");
	sp.sched_priority = 0;
	expect_errno(syscall(SYS_sched_setscheduler, 0, BAD_POLICY, &sp), EINVAL, "policy 42");
	expect_errno(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL, "NULL param");
	if (syscall(SYS_sched_getscheduler, 0) != SCHED_OTHER)
		FAIL("the policy changed");
	printf("t_misc: affinity and SCHED_OTHER ok\n");
}

/* Reads a whole sys: file; -1 where there is none (Linux). */
static long read_sys(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n, total = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, size - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return total;
}

static void prctl_test(void)
{
	static char context[CONTEXT_MAX];
	char name[16] = { 0 }, line[64];

	if (prctl(PR_SET_NAME, "misc-renamed") != 0 || prctl(PR_GET_NAME, name) != 0 ||
	    strcmp(name, "misc-renamed") != 0)
		FAIL("PR_SET/GET_NAME: %s, got \"%s\"", strerror(errno), name);
	/* Anode only: sys:context shows it ("pid ppid name ..."). */
	snprintf(line, sizeof(line), "\n%d %d misc-renamed ", getpid(), getppid());
	if (read_sys("sys:context", context + 1, sizeof(context) - 1) >= 0) {
		context[0] = '\n';
		if (!strstr(context, line))
			FAIL("sys:context has no line \"%s\":\n%s", line + 1, context);
	}
	if (prctl(PR_SET_NAME, "a-name-longer-than-15") != 0 || prctl(PR_GET_NAME, name) != 0 ||
	    strcmp(name, "a-name-longer-t") != 0)
		FAIL("a long name: got \"%s\"", name);
	printf("t_misc: prctl PR_SET_NAME/PR_GET_NAME ok\n");
}

static void rseq_membarrier_test(int anode)
{
	static char log[LOG_MAX];
	char unknown[64];
	long mask;

	/* Linux: EINVAL for these arguments; Anode: ENOSYS, not logged. */
	errno = 0;
	if (syscall(SYS_rseq, NULL, 0, 0, 0) != -1)
		FAIL("rseq with no area succeeded");
	if (anode) {
		if (errno != ENOSYS)
			FAIL("rseq: errno %d, want ENOSYS", errno);
		snprintf(unknown, sizeof(unknown), "unknown number %d ", SYS_rseq);
		if (read_sys("sys:log", log, sizeof(log)) >= 0 && strstr(log, unknown))
			FAIL("rseq was logged as unknown");
	}
	mask = syscall(SYS_membarrier, MEMBARRIER_QUERY, 0, 0);
	if (mask < 0)
		FAIL("membarrier query: %s", strerror(errno));
	/* Register before the private command, as Linux requires. */
	if ((mask & MEMBARRIER_REGISTER_PRIVATE_EXPEDITED) &&
	    syscall(SYS_membarrier, MEMBARRIER_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0)
		FAIL("membarrier register: %s", strerror(errno));
	for (int bit = 0; bit < MEMBARRIER_CMD_BITS; bit++)
		if ((mask & (1L << bit)) && syscall(SYS_membarrier, 1L << bit, 0, 0) != 0)
			FAIL("membarrier command %#lx: %s", 1L << bit, strerror(errno));
	expect_errno(syscall(SYS_membarrier, MEMBARRIER_BAD_CMD, 0, 0), EINVAL, "bad command");
	expect_errno(syscall(SYS_membarrier, MEMBARRIER_QUERY, 1, 0), EINVAL, "query flags");
	if (anode && !(mask & MEMBARRIER_PRIVATE_EXPEDITED))
		FAIL("membarrier query %#lx lacks PRIVATE_EXPEDITED", mask);
	printf("t_misc: rseq fails, membarrier query %#lx ok\n", mask);
}

/* Bad pointers (page 0 is never mapped) give EFAULT; bad sizes EINVAL. */
static void malformed_test(void)
{
	void *bad = (void *)BAD_ADDR;
	uint64_t mask;

	expect_errno(syscall(SYS_getrusage, RUSAGE_SELF, bad), EFAULT, "getrusage");
	expect_errno(syscall(SYS_times, bad), EFAULT, "times");
	expect_errno(syscall(SYS_ppoll, bad, 1, NULL, NULL, 0), EFAULT, "ppoll fds");
	expect_errno(syscall(SYS_ppoll, NULL, 0, bad, NULL, 0), EFAULT, "ppoll timeout");
	expect_errno(syscall(SYS_pselect6, 1, bad, NULL, NULL, NULL, NULL), EFAULT, "pselect6");
	expect_errno(syscall(SYS_pselect6, -1, NULL, NULL, NULL, NULL, NULL), EINVAL,
		     "pselect6 nfds -1");
	expect_errno(syscall(SYS_sched_getaffinity, 0, sizeof(mask), bad), EFAULT,
		     "sched_getaffinity");
	expect_errno(syscall(SYS_sched_getaffinity, 0, sizeof(mask) / 2, &mask), EINVAL,
		     "sched_getaffinity half a word");
	expect_errno(syscall(SYS_sched_setaffinity, 0, sizeof(mask), bad), EFAULT,
		     "sched_setaffinity");
	expect_errno(syscall(SYS_sched_getparam, 0, bad), EFAULT, "sched_getparam");
	expect_errno(syscall(SYS_prctl, PR_SET_NAME, bad, 0, 0, 0), EFAULT, "PR_SET_NAME");
	expect_errno(syscall(SYS_prctl, PR_GET_NAME, bad, 0, 0, 0), EFAULT, "PR_GET_NAME");
	expect_errno(syscall(SYS_prctl, BAD_PRCTL, 0, 0, 0, 0), EINVAL, "unknown prctl");
	printf("t_misc: EFAULT and EINVAL for malformed calls ok\n");
}

int main(void)
{
	/* Anode-only parts run where the sys: scheme is. */
	int fd = open("sys:uname", O_RDONLY), anode = fd >= 0;

	if (fd >= 0)
		close(fd);

	setvbuf(stdout, NULL, _IOLBF, 0);
	pause_test(0);
	pause_test(1);
	poll_test();
	usage_test();
	sched_test();
	prctl_test();
	rseq_membarrier_test(anode);
	malformed_test();
	printf("PASS: t_misc\n");
	return 0;
}
