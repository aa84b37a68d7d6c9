/*
 * t_drvmgr: the driver manager (Anode only, QEMU virt). Runs /bin/drvmgr
 * on test tables (tests/user/fixtures/drvmgr_*.conf) under its own scheme
 * name (drvmgrt:, so a system drvmgr does not matter), reading its log and
 * its drivers' output through a pipe:
 *  - a malformed table (its line number), a missing table and a corrupt
 *    tree (-t) each give a clear error, exit 1, and start nothing;
 *  - the PL031 gets tests/user/drvtest_driver, which checks its grant is
 *    exactly that node's and that other devices' registers and interrupts
 *    are refused; the table (drvmgrt:list and drvctl list) shows it
 *    running; drvctl restart restarts it (a new pid, logged, count 1);
 *    bad commands and unknown names are refused; a driver killed is
 *    restarted after 10 ms, logged with its status; SIGTERM stops drvmgr
 *    and its drivers;
 *  - a driver that crashes at once (with drvmgr -S 10: every policy time
 *    divided by 10) is restarted with doubling delays 1, 2, ... 256 ms,
 *    then marked failed after ten crashes, and drvctl restart by driver
 *    name starts it again with the back-off forgotten;
 *  - a driver that exits with a configuration error (status 2) is not
 *    restarted: one clear line, failed in drvctl list with no restart.
 * Prints "PASS: t_drvmgr" or "FAIL: t_drvmgr: <reason>".
 */
#define TEST_NAME "t_drvmgr"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define DRVMGR "/bin/drvmgr"
#define DRVCTL "/bin/drvctl"
#define SCHEME "drvmgrt"
#define NODE "/pl031@9010000"
#define DRIVER "drvtest_driver"
#define STAY_CONF "/tests/drvmgr_stay.conf"
#define CRASH_CONF "/tests/drvmgr_crash.conf"
#define BADCONF_CONF "/tests/drvmgr_badconf.conf"
#define BAD_CONF "/tests/drvmgr_bad.conf"
#define BAD_DTB "/tests/drvmgr_bad.dtb"
#define MISSING_CONF "/tests/no-such.conf"
#define SCALE "10"
#define SCALED_INITIAL_MS 1       /* 10 ms / SCALE */
#define UNSCALED_INITIAL_MS 10
#define MAX_CRASHES 10            /* drivers/drvmgr/backoff.h */
#define CRASH_STATUS 3            /* tests/user/drvtest_driver.c */
#define KILLED_STATUS "137 (signal 9)"
#define LINE_WAIT_MS 30000        /* for one line, under TCG, with slack */
#define LINE_MAX 512
#define OUT_MAX 8192

/* A program whose stdout and stderr the test reads, line by line. */
struct prog {
	pid_t pid;
	int out;
	char buf[OUT_MAX];
	size_t len;
};

static void spawn(struct prog *p, const char *const argv[])
{
	int fds[2];

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	fflush(stdout);
	p->pid = fork();
	CHECK(p->pid >= 0, "fork: %s", strerror(errno));
	if (p->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		printf("exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	p->out = fds[0];
	p->len = 0;
}

/* The next line (without its newline) into line; false at end of file. */
static bool next_line(struct prog *p, char *line)
{
	for (;;) {
		char *nl = memchr(p->buf, '\n', p->len);
		struct pollfd pfd = { .fd = p->out, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - p->buf);

			CHECK(l < LINE_MAX, "a line too long");
			memcpy(line, p->buf, l);
			line[l] = '\0';
			memmove(p->buf, nl + 1, p->len - l - 1);
			p->len -= l + 1;
			printf("t_drvmgr: | %s\n", line);
			CHECK(!strstr(line, " FAIL: "), "the test driver failed: %s", line);
			return true;
		}
		CHECK(poll(&pfd, 1, LINE_WAIT_MS) == 1, "no output for %d ms", LINE_WAIT_MS);
		n = read(p->out, p->buf + p->len, sizeof(p->buf) - p->len);
		CHECK(n >= 0, "read: %s", strerror(errno));
		if (n == 0)
			return false;
		p->len += (size_t)n;
	}
}

/* Reads lines until one contains want (into line). */
static void expect(struct prog *p, const char *want, char *line)
{
	while (next_line(p, line))
		if (strstr(line, want))
			return;
	FAIL("output ended before \"%s\"", want);
}

/* Reads to the end and waits: the exit status; the output in all. */
static int finish(struct prog *p, char *all, size_t size)
{
	char line[LINE_MAX];
	size_t len = 0;
	int status;

	all[0] = '\0';
	while (next_line(p, line)) {
		snprintf(all + len, size - len, "%s\n", line);
		len += strlen(all + len);
	}
	close(p->out);
	CHECK(waitpid(p->pid, &status, 0) == p->pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status), "%d killed by signal %d", (int)p->pid, WTERMSIG(status));
	return WEXITSTATUS(status);
}

/* Runs drvmgr with args, which must fail with an error containing want. */
static void expect_error(const char *const argv[], const char *want)
{
	static struct prog p;
	char all[OUT_MAX];

	spawn(&p, argv);
	CHECK(finish(&p, all, sizeof(all)) == 1, "drvmgr %s %s did not exit 1", argv[1], argv[2]);
	CHECK(strstr(all, want), "no \"%s\" in: %s", want, all);
	CHECK(!strstr(all, "drvtest") && !strstr(all, "serving"), "something started: %s", all);
	CHECK(open(SCHEME ":", O_RDONLY) < 0, SCHEME ": exists after a failed start");
}

static void errors(void)
{
	const char *const bad_conf[] = { DRVMGR, "-c", BAD_CONF, "-n", SCHEME, NULL };
	const char *const missing[] = { DRVMGR, "-c", MISSING_CONF, "-n", SCHEME, NULL };
	const char *const bad_dtb[] = { DRVMGR, "-c", STAY_CONF, "-t", BAD_DTB, "-n", SCHEME, NULL };
	const char *const bad_scale[] = { DRVMGR, "-S", "0", "-c", STAY_CONF, NULL };

	expect_error(bad_conf, "drvmgr: " BAD_CONF ": line 3: ");
	expect_error(missing, "drvmgr: " MISSING_CONF ": No such file or directory");
	expect_error(bad_dtb, "drvmgr: " BAD_DTB ": ");
	expect_error(bad_scale, "drvmgr: -S 0: ");
	printf("t_drvmgr: errors ok\n");
}

/* drvctl ARGS...: its exit status, its output in out. */
static int drvctl(char *out, size_t size, const char *a1, const char *a2)
{
	const char *const argv[] = { DRVCTL, "-n", SCHEME, a1, a2, NULL };
	static struct prog p;

	spawn(&p, argv);
	return finish(&p, out, size);
}

/* The table line drvmgrt:list gives must be exactly want. */
static void expect_table(const char *want)
{
	char text[LINE_MAX];
	int fd = open(SCHEME ":list", O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open " SCHEME ":list: %s", strerror(errno));
	n = read(fd, text, sizeof(text) - 1);
	CHECK(n >= 0, "read " SCHEME ":list: %s", strerror(errno));
	text[n] = '\0';
	close(fd);
	CHECK(!strcmp(text, want), "table \"%s\", not \"%s\"", text, want);
}

/* Waits for the test driver's "ok" line: its pid. */
static int driver_ok(struct prog *m)
{
	char line[LINE_MAX];
	int pid = 0;

	expect(m, "drvtest: " NODE " ok pid ", line);
	CHECK(sscanf(strstr(line, "pid "), "pid %d", &pid) == 1 && pid > 0, "no pid in %s", line);
	return pid;
}

static void expect_exit_log(struct prog *m, int pid, const char *status, int delay_ms)
{
	char want[LINE_MAX], line[LINE_MAX];

	snprintf(want, sizeof(want), "drvmgr: " DRIVER " (pid %d) exited with status %s; restarting in %d ms",
		 pid, status, delay_ms);
	expect(m, "drvmgr: " DRIVER " (pid ", line);
	CHECK(!strcmp(line, want), "log \"%s\", not \"%s\"", line, want);
}

static void stop(struct prog *m)
{
	char all[OUT_MAX];

	CHECK(kill(m->pid, SIGTERM) == 0, "kill drvmgr: %s", strerror(errno));
	CHECK(finish(m, all, sizeof(all)) == 0, "drvmgr did not exit 0 on SIGTERM");
	CHECK(strstr(all, "drvmgr: stopped"), "no stop message: %s", all);
}

static void bad_commands(void)
{
	char out[OUT_MAX];
	int fd = open(SCHEME ":", O_WRONLY);

	CHECK(fd >= 0, "open " SCHEME ": %s", strerror(errno));
	CHECK_ERR(write(fd, "reboot now", 10), EINVAL, "an unknown command");
	CHECK_ERR(write(fd, "restart ", 8), EINVAL, "restart without a name");
	CHECK_ERR(write(fd, "restart a b", 11), EINVAL, "restart with two names");
	CHECK_ERR(write(fd, "restart " NODE "\0x", sizeof("restart " NODE "\0x") - 1), EINVAL,
		  "a NUL in the command");
	CHECK_ERR(write(fd, "restart nosuch\n", 15), ENOENT, "restart of an unknown device");
	close(fd);
	CHECK_ERR(open(SCHEME ":other", O_RDONLY), ENOENT, "an unknown name in " SCHEME ":");
	CHECK(drvctl(out, sizeof(out), "restart", "nosuch") == 1 &&
	      strstr(out, "drvctl: nosuch: no such device or driver"), "drvctl restart nosuch: %s", out);
	CHECK(drvctl(out, sizeof(out), "frobnicate", NULL) == 1 && strstr(out, "usage: drvctl"),
	      "drvctl frobnicate: %s", out);
}

static void stay(void)
{
	const char *const argv[] = { DRVMGR, "-c", STAY_CONF, "-n", SCHEME, NULL };
	static struct prog m;
	char line[LINE_MAX], out[OUT_MAX], want[LINE_MAX];
	int pid1, pid2, pid3;

	spawn(&m, argv);
	expect(&m, "drvmgr: serving " SCHEME ": with 1 device", line);
	pid1 = driver_ok(&m);
	snprintf(want, sizeof(want), NODE " " DRIVER " %d running 0\n", pid1);
	expect_table(want);
	CHECK(drvctl(out, sizeof(out), "list", NULL) == 0, "drvctl list failed: %s", out);
	snprintf(want, sizeof(want), "%-24s %-12s %6d %-8s %u\n", NODE, DRIVER, pid1, "running", 0);
	CHECK(strstr(out, "DEVICE") && strstr(out, want), "drvctl list: %s", out);
	printf("t_drvmgr: driver started with its node's rights, listed\n");

	CHECK(drvctl(out, sizeof(out), "restart", NODE) == 0, "drvctl restart failed: %s", out);
	expect_exit_log(&m, pid1, KILLED_STATUS, 0);
	pid2 = driver_ok(&m);
	CHECK(pid2 != pid1, "restarted with the same pid");
	snprintf(want, sizeof(want), NODE " " DRIVER " %d running 1\n", pid2);
	expect_table(want);
	bad_commands();
	printf("t_drvmgr: drvctl restart ok\n");

	CHECK(kill(pid2, SIGKILL) == 0, "kill the driver: %s", strerror(errno));
	expect_exit_log(&m, pid2, KILLED_STATUS, UNSCALED_INITIAL_MS);
	pid3 = driver_ok(&m);
	snprintf(want, sizeof(want), NODE " " DRIVER " %d running 2\n", pid3);
	expect_table(want);
	stop(&m);
	CHECK(kill(pid3, 0) == -1 && errno == ESRCH, "the driver outlived drvmgr");
	printf("t_drvmgr: a killed driver restarted after 10 ms, logged\n");
}

static void crash_loop(void)
{
	const char *const argv[] = { DRVMGR, "-S", SCALE, "-c", CRASH_CONF, "-n", SCHEME, NULL };
	static struct prog m;
	char line[LINE_MAX], status[16], want[LINE_MAX], out[OUT_MAX];
	int pid = 0;

	spawn(&m, argv);
	expect(&m, "drvmgr: serving " SCHEME ":", line);
	snprintf(status, sizeof(status), "%d", CRASH_STATUS);
	for (int i = 0; i < MAX_CRASHES - 1; i++) {
		char tail[LINE_MAX];

		expect(&m, "drvmgr: " DRIVER " (pid ", line);
		CHECK(sscanf(line, "drvmgr: " DRIVER " (pid %d)", &pid) == 1, "no pid in %s", line);
		snprintf(tail, sizeof(tail), "exited with status %s; restarting in %d ms", status,
			 SCALED_INITIAL_MS << i);
		CHECK(strstr(line, tail), "crash %d: \"%s\" lacks \"%s\"", i + 1, line, tail);
	}
	expect(&m, "drvmgr: " DRIVER " (pid ", line);
	CHECK(strstr(line, "exited with status 3") && !strstr(line, "restarting"),
	      "the tenth crash: %s", line);
	CHECK(next_line(&m, line) && !strcmp(line, "drvmgr: " DRIVER " failed: 10 crashes in a minute"),
	      "no failure line after the tenth crash: %s", line);
	snprintf(want, sizeof(want), NODE " " DRIVER " - failed %d\n", MAX_CRASHES - 1);
	expect_table(want);
	printf("t_drvmgr: a crash loop backs off and fails\n");

	CHECK(drvctl(out, sizeof(out), "restart", DRIVER) == 0, "drvctl restart of a failed driver");
	expect(&m, "drvmgr: " DRIVER ": restarting on request", line);
	expect(&m, "drvmgr: " DRIVER " (pid ", line);
	snprintf(want, sizeof(want), "exited with status %s; restarting in %d ms", status,
		 SCALED_INITIAL_MS);
	CHECK(strstr(line, want), "after a restart on request: %s", line);
	stop(&m);
	printf("t_drvmgr: a failed driver restarts on request\n");
}

static void config_error(void)
{
	const char *const argv[] = { DRVMGR, "-S", SCALE, "-c", BADCONF_CONF, "-n", SCHEME, NULL };
	static struct prog m;
	char line[LINE_MAX];

	spawn(&m, argv);
	expect(&m, "drvmgr: serving " SCHEME ":", line);
	expect(&m, "drvmgr: " DRIVER " (pid ", line);
	CHECK(strstr(line, "exited with status 2") && !strstr(line, "restarting"),
	      "a configuration error: %s", line);
	CHECK(next_line(&m, line) &&
	      strstr(line, "drvmgr: " DRIVER " failed: a configuration error for " NODE) &&
	      strstr(line, "not restarting"), "no configuration-error line: %s", line);
	/* Failed at once: no restart, so no back-off state in between. */
	expect_table(NODE " " DRIVER " - failed 0\n");
	stop(&m);
	printf("t_drvmgr: a configuration error is not restarted\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	errors();
	stay();
	crash_loop();
	config_error();
	printf("PASS: t_drvmgr\n");
	return 0;
}
