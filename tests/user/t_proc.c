/*
 * t_proc: /proc in Linux's formats, and the device files /dev links to.
 * /proc/self/stat parses and its pid, comm, state (R: it is running the
 * read), ppid, pgrp and session match getpid/getppid/getpgrp/getsid;
 * status has Name, State, Pid, PPid and Uid/Gid lines with the real,
 * effective, saved and fs ids; cmdline is argv; readlink /proc/self is the
 * pid and /proc/self/exe names this program; /proc/self/fd lists 0, 1, 2
 * and a file just opened, and its link names that file; task/ lists the
 * thread, and task/TID/stat is its own; opening fd/N
 * reaches the same object (a pipe's data comes out of it) and of a file is
 * a new open file (offset 0, the first's unmoved); on Anode a cwd named
 * through /proc/self/cwd loops back into itself: ELOOP; a child's
 * state goes S (blocked on a pipe), then Z (exited, not reaped), and its
 * directory is ENOENT once reaped, as is a path below a file; as nobody,
 * init's fd/ and exe are EACCES and its stat readable; the root
 * lists the child's pid; meminfo's totals are consistent; uptime grows;
 * loadavg and the cpu line of stat have Linux's format; mounts has "/";
 * sysinfo agrees with meminfo and uptime; writes to /proc files are
 * refused (EACCES; root opens them, and the write is EINVAL); /dev/full
 * gives zeros and ENOSPC, /dev/urandom bytes, /dev/tty ENXIO after setsid.
 * Passes on Linux; on Anode /proc is /scheme/proc until the /proc link
 * exists, and the devices are reached as /scheme/X.
 * Prints "PASS: t_proc" or "FAIL: t_proc: <reason>".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#define TEST_NAME "t_proc"
#include "check.h"

#define TEXT_MAX 16384
#define PATH_LEN 256
#define POLL_NS 1000000L        /* 1 ms between looks at a child's state */
#define WAIT_LOOKS 5000         /* at most 5 s for a state to show */
#define UPTIME_GAP_NS 50000000L /* uptime shows hundredths: 50 ms must show */
#define STAT_FIELDS 52          /* Linux 6.1's /proc/PID/stat */
#define RANDOM_BYTES 64

static const char *proc = "/proc";

static void path_of(char *out, const char *fmt, int pid, const char *rest)
{
	char mid[64];

	snprintf(mid, sizeof(mid), fmt, pid);
	snprintf(out, PATH_LEN, "%s/%s%s", proc, mid, rest);
}

/* The whole file (NUL-terminated); its length, -1 with errno on failure. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, size - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	if (r < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static void sleep_ns(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

/* The state letter of pid's stat, or 0 if it cannot be read. */
static char state_of(int pid)
{
	char path[PATH_LEN], text[TEXT_MAX], *p;

	path_of(path, "%d", pid, "/stat");
	if (slurp(path, text, sizeof(text)) < 0 || !(p = strrchr(text, ')')))
		return 0;
	return p[2];
}

static void wait_state(int pid, char want)
{
	char got = 0;

	for (int i = 0; i < WAIT_LOOKS && (got = state_of(pid)) != want; i++)
		sleep_ns(POLL_NS);
	CHECK(got == want, "child %d state %c, want %c", pid, got ? got : '?', want);
}

static void test_stat(void)
{
	static char text[TEXT_MAX];
	char path[PATH_LEN], comm[64], state, *close_paren;
	int pid, ppid, pgrp, sid, fields = 2; /* pid and comm, then one per space */

	snprintf(path, sizeof(path), "%s/self/stat", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	CHECK(sscanf(text, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid, &pgrp, &sid) == 6,
	      "stat does not parse: %s", text);
	CHECK(pid == getpid() && ppid == getppid() && pgrp == getpgrp() && sid == getsid(0),
	      "stat ids %d %d %d %d, want %d %d %d %d", pid, ppid, pgrp, sid, getpid(), getppid(),
	      getpgrp(), getsid(0));
	CHECK(strcmp(comm, "t_proc") == 0, "comm %s", comm);
	CHECK(state == 'R', "own state %c, want R", state);
	close_paren = strrchr(text, ')');
	for (char *p = close_paren; *p; p++)
		fields += *p == ' ';
	CHECK(fields == STAT_FIELDS, "stat has %d fields, want %d", fields, STAT_FIELDS);
	CHECK(text[strlen(text) - 1] == '\n', "stat does not end in a newline");
}

static void test_status(void)
{
	static char text[TEXT_MAX];
	char path[PATH_LEN], want[128];

	snprintf(path, sizeof(path), "%s/self/status", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	CHECK(strncmp(text, "Name:\tt_proc\n", 13) == 0, "status starts: %.40s", text);
	CHECK(strstr(text, "\nState:\tR (running)\n"), "no running State line");
	snprintf(want, sizeof(want), "\nPid:\t%d\nPPid:\t%d\n", getpid(), getppid());
	CHECK(strstr(text, want), "no Pid/PPid lines %d %d", getpid(), getppid());
	snprintf(want, sizeof(want), "\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", getuid(),
		 geteuid(), geteuid(), geteuid(), getgid(), getegid(), getegid(), getegid());
	CHECK(strstr(text, want), "no Uid/Gid lines for %u/%u", getuid(), getgid());
	CHECK(strstr(text, "\nThreads:\t1\n"), "no Threads line");
}

static void test_cmdline(int argc, char **argv)
{
	static char text[TEXT_MAX];
	char path[PATH_LEN];
	long n, pos = 0;

	snprintf(path, sizeof(path), "%s/self/cmdline", proc);
	n = slurp(path, text, sizeof(text));
	CHECK(n > 0, "read %s: %s", path, strerror(errno));
	for (int i = 0; i < argc; i++) {
		CHECK(pos < n && strcmp(text + pos, argv[i]) == 0, "cmdline arg %d: %s, want %s", i,
		      pos < n ? text + pos : "(end)", argv[i]);
		pos += (long)strlen(argv[i]) + 1;
	}
	CHECK(pos == n, "cmdline is %ld bytes, argv %ld", n, pos);
}

static void test_links(void)
{
	char path[PATH_LEN], target[PATH_LEN], want[32];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self", proc);
	n = readlink(path, target, sizeof(target) - 1);
	CHECK(n > 0, "readlink %s: %s", path, strerror(errno));
	target[n] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	CHECK(strcmp(target, want) == 0, "%s -> %s, want %s", path, target, want);
	snprintf(path, sizeof(path), "%s/self/exe", proc);
	n = readlink(path, target, sizeof(target) - 1);
	CHECK(n > 0, "readlink %s: %s", path, strerror(errno));
	target[n] = '\0';
	CHECK(target[0] == '/' && n >= 7 && strcmp(target + n - 7, "/t_proc") == 0,
	      "exe -> %s", target);
}

/* fd/ lists 0 1 2 and fd; fd's link names path. */
static void test_fds(void)
{
	char path[PATH_LEN], target[PATH_LEN];
	bool seen[4] = { false };
	int fd, listing;
	struct dirent *d;
	DIR *dir;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/self/status", proc);
	fd = open(path, O_RDONLY);
	CHECK(fd > 2, "open %s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/self/fd", proc);
	dir = opendir(path);
	CHECK(dir, "opendir %s: %s", path, strerror(errno));
	listing = dirfd(dir);
	while ((d = readdir(dir)) != NULL) {
		int n2 = atoi(d->d_name);

		if (d->d_name[0] == '.')
			continue;
		CHECK(d->d_type == DT_LNK, "fd/%s is type %d", d->d_name, d->d_type);
		if (n2 <= 2)
			seen[n2] = true;
		if (n2 == fd)
			seen[3] = true;
	}
	closedir(dir);
	CHECK(seen[0] && seen[1] && seen[2] && seen[3], "fd/ lacks one of 0 1 2 %d (dir fd %d)", fd,
	      listing);
	snprintf(path, sizeof(path), "%s/self/fd/%d", proc, fd);
	n = readlink(path, target, sizeof(target) - 1);
	CHECK(n > 0, "readlink %s: %s", path, strerror(errno));
	target[n] = '\0';
	CHECK(strstr(target, "/self/status") || strstr(target, "/status"), "fd link -> %s", target);
	close(fd);
}

/* Opening fd/N of a pipe's read end reads what the write end gets; of a
 * file, it is a new open file (its own offset), as Linux reopens it. */
static void test_fd_reopen(void)
{
	char path[PATH_LEN], buf[8], first[8];
	int p[2], again, fd;

	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/self/fd/%d", proc, p[0]);
	again = open(path, O_RDONLY);
	CHECK(again >= 0, "open %s: %s", path, strerror(errno));
	CHECK(write(p[1], "hey", 3) == 3, "write pipe: %s", strerror(errno));
	CHECK(read(again, buf, sizeof(buf)) == 3 && memcmp(buf, "hey", 3) == 0,
	      "the reopened read end did not give the data");
	close(again);
	close(p[0]);
	close(p[1]);
	snprintf(path, sizeof(path), "%s/self/status", proc);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read(fd, first, sizeof(first)) == (ssize_t)sizeof(first), "read %s", path);
	snprintf(path, sizeof(path), "%s/self/fd/%d", proc, fd);
	again = open(path, O_RDONLY);
	CHECK(again >= 0, "open %s: %s", path, strerror(errno));
	CHECK(read(again, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && !memcmp(buf, first, sizeof(buf)),
	      "the reopened file does not start at offset 0");
	CHECK(lseek(fd, 0, SEEK_CUR) == (off_t)sizeof(first), "the reopen moved the first's offset");
	close(again);
	close(fd);
}

/* task/ lists the one thread, whose own stat names it. */
static void test_task(void)
{
	char path[PATH_LEN], text[TEXT_MAX], name[32];
	bool listed = false;
	struct dirent *d;
	DIR *dir;
	int tid = 0;

	snprintf(path, sizeof(path), "%s/self/task", proc);
	dir = opendir(path);
	CHECK(dir, "opendir %s: %s", path, strerror(errno));
	snprintf(name, sizeof(name), "%d", getpid());
	while ((d = readdir(dir)) != NULL)
		listed |= strcmp(d->d_name, name) == 0;
	closedir(dir);
	CHECK(listed, "%s does not list %s", path, name);
	snprintf(path, sizeof(path), "%s/self/task/%d/stat", proc, getpid());
	CHECK(slurp(path, text, sizeof(text)) > 0 && sscanf(text, "%d (t_proc) R ", &tid) == 1 &&
	      tid == getpid(), "task stat: %.40s", text);
}

/* Anode only: the working directory is kept as a path (".." lexical), so
 * a cwd named through /proc/self/cwd leads back into itself; following it
 * must end in ELOOP (Linux keeps the directory itself: no loop). */
static void test_cwd_loop(void)
{
	char path[PATH_LEN];
	int status = -1;
	pid_t child;

	if (access("/scheme", F_OK) != 0)
		return;
	child = fork();
	CHECK(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		snprintf(path, sizeof(path), "%s/self/cwd", proc);
		if (chdir(path) != 0)
			_exit(2);
		snprintf(path, sizeof(path), "%s/self/cwd/status", proc);
		_exit(open(path, O_RDONLY) < 0 && errno == ELOOP ? 0 : 1);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a cwd through %s/self/cwd: status %#x, want ELOOP", proc, status);
}

#define NOBODY_ID 65534
#define SETUID_UNAVAILABLE 3 /* the child's status where setuid is not there yet */

/* Another user's fd/ and exe are the owner's and root's only (EACCES);
 * its stat is anyone's. Checked in a child that drops to nobody; where
 * setuid does not exist yet (Anode before its credentials), skipped. */
static void test_other_user(void)
{
	char path[PATH_LEN], target[PATH_LEN], text[TEXT_MAX];
	int status = -1;
	pid_t child;

	if (getuid() != 0)
		return;
	child = fork();
	CHECK(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		if (setgid(NOBODY_ID) != 0 || setuid(NOBODY_ID) != 0)
			_exit(SETUID_UNAVAILABLE);
		path_of(path, "%d", 1, "/fd");
		if (open(path, O_RDONLY | O_DIRECTORY) >= 0 || errno != EACCES)
			_exit(1);
		path_of(path, "%d", 1, "/exe");
		if (readlink(path, target, sizeof(target)) >= 0 || errno != EACCES)
			_exit(1);
		path_of(path, "%d", 1, "/stat");
		_exit(slurp(path, text, sizeof(text)) > 0 ? 0 : 1);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status), "child status %#x", status);
	if (WEXITSTATUS(status) == SETUID_UNAVAILABLE) {
		printf("t_proc: no setuid here; the other-user checks skipped\n");
		return;
	}
	CHECK(WEXITSTATUS(status) == 0, "as nobody, init's fd/ or exe was not EACCES or its stat "
	      "not readable");
}

static void test_child_states(void)
{
	char path[PATH_LEN], text[TEXT_MAX], name[32];
	int p[2], status;
	bool listed = false;
	struct dirent *d;
	pid_t child;
	DIR *dir;

	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	child = fork();
	CHECK(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		char c;

		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	wait_state(child, 'S');
	dir = opendir(proc);
	CHECK(dir, "opendir %s: %s", proc, strerror(errno));
	snprintf(name, sizeof(name), "%d", child);
	while ((d = readdir(dir)) != NULL)
		listed |= strcmp(d->d_name, name) == 0;
	closedir(dir);
	CHECK(listed, "%s does not list the child %d", proc, child);
	close(p[1]); /* end of file: the child exits */
	wait_state(child, 'Z');
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status %#x", status);
	path_of(path, "%d", child, "/stat");
	CHECK_ERR(slurp(path, text, sizeof(text)), ENOENT, "stat of a reaped child");
	path_of(path, "%d", child, "");
	CHECK_ERR(open(path, O_RDONLY), ENOENT, "directory of a reaped child");
	snprintf(path, sizeof(path), "%s/self/stat/x", proc);
	CHECK_ERR(open(path, O_RDONLY), ENOTDIR, "a path below a file");
}

static long meminfo_kb(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	long v = -1;

	if (p)
		sscanf(p + strlen(name), ": %ld kB", &v);
	return v;
}

static void test_meminfo(void)
{
	static char text[TEXT_MAX];
	char path[PATH_LEN];
	long total, free_kb, avail;
	struct sysinfo si;

	snprintf(path, sizeof(path), "%s/meminfo", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	total = meminfo_kb(text, "MemTotal");
	free_kb = meminfo_kb(text, "MemFree");
	avail = meminfo_kb(text, "MemAvailable");
	CHECK(strncmp(text, "MemTotal:", 9) == 0, "meminfo starts: %.20s", text);
	CHECK(total > 0 && free_kb > 0 && free_kb <= total && avail >= 0 && avail <= total,
	      "meminfo totals %ld %ld %ld", total, free_kb, avail);
	CHECK(sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
	CHECK(si.mem_unit > 0 && (long)(si.totalram / 1024 * si.mem_unit) == total,
	      "sysinfo totalram %lu x %u, meminfo %ld kB", si.totalram, si.mem_unit, total);
	CHECK(si.freeram <= si.totalram && si.procs > 0, "sysinfo freeram %lu procs %u",
	      si.freeram, si.procs);
}

static double uptime_now(void)
{
	char path[PATH_LEN], text[256];
	double up = -1, idle = -1;

	snprintf(path, sizeof(path), "%s/uptime", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	CHECK(sscanf(text, "%lf %lf\n", &up, &idle) == 2 && up > 0 && idle >= 0, "uptime: %s", text);
	return up;
}

static void test_uptime_loadavg(void)
{
	char path[PATH_LEN], text[256], extra;
	double first = uptime_now(), l1, l5, l15;
	int running, total, last, n;
	struct sysinfo si;

	sleep_ns(UPTIME_GAP_NS);
	CHECK(uptime_now() > first, "uptime did not grow from %.2f", first);
	CHECK(sysinfo(&si) == 0 && (double)si.uptime >= first, "sysinfo uptime %ld < %.2f",
	      si.uptime, first);
	snprintf(path, sizeof(path), "%s/loadavg", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	n = sscanf(text, "%lf %lf %lf %d/%d %d%c", &l1, &l5, &l15, &running, &total, &last, &extra);
	CHECK(n == 7 && extra == '\n' && l1 >= 0 && running >= 1 && total >= running && last > 0,
	      "loadavg: %s", text);
	snprintf(path, sizeof(path), "%s/stat", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	CHECK(strncmp(text, "cpu  ", 5) == 0 && strstr(text, "\ncpu0 ") && strstr(text, "\nbtime "),
	      "stat: %.60s", text);
}

static void test_mounts(void)
{
	static char text[TEXT_MAX];
	char path[PATH_LEN];

	snprintf(path, sizeof(path), "%s/mounts", proc);
	CHECK(slurp(path, text, sizeof(text)) > 0, "read %s: %s", path, strerror(errno));
	CHECK(strstr(text, " / ") != NULL, "mounts has no /: %.200s", text);
	/* 0444: root may open it for writing (its permission override), but
	 * the write fails; anyone else cannot open it. */
	if (geteuid() == 0) {
		int fd = open(path, O_WRONLY);

		CHECK(fd >= 0, "root's write open of %s: %s", path, strerror(errno));
		CHECK_ERR(write(fd, "x", 1), EINVAL, "write to mounts");
		close(fd);
	} else {
		CHECK_ERR(open(path, O_WRONLY), EACCES, "write open of mounts");
	}
}

/* The device NAME: on Anode its scheme (/scheme/NAME: the kernel's path
 * table still sends some /dev names elsewhere), on Linux /dev/NAME; false
 * where there is none (a Linux initramfs without devtmpfs). */
static bool dev_path(char *out, const char *name)
{
	snprintf(out, PATH_LEN, "/scheme/%s", name);
	if (access("/scheme", F_OK) != 0)
		snprintf(out, PATH_LEN, "/dev/%s", name);
	return access(out, F_OK) == 0;
}

/* In a session of its own (no controlling terminal) /dev/tty is ENXIO. */
static void test_no_ctty(void)
{
	char path[PATH_LEN];
	int status = -1;
	pid_t child;

	CHECK(dev_path(path, "tty"), "no tty where full is");
	child = fork();
	CHECK(child >= 0, "fork: %s", strerror(errno));
	if (child == 0) {
		if (setsid() < 0)
			_exit(2);
		_exit(open(path, O_RDWR) < 0 && errno == ENXIO ? 0 : 1);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "%s without a controlling terminal: status %#x, want ENXIO", path, status);
}

static void test_devices(void)
{
	unsigned char buf[RANDOM_BYTES], zeros[RANDOM_BYTES] = { 0 };
	char path[PATH_LEN];
	int fd;

	if (!dev_path(path, "full")) {
		printf("t_proc: no /dev/full here; device checks skipped\n");
		return;
	}
	fd = open(path, O_RDWR);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	memset(buf, 1, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && !memcmp(buf, zeros, sizeof(buf)),
	      "%s did not read zeros", path);
	CHECK_ERR(write(fd, "x", 1), ENOSPC, "write to full");
	close(fd);
	CHECK(dev_path(path, "urandom"), "no urandom where full is");
	fd = open(path, O_RDWR);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && memcmp(buf, zeros, sizeof(buf)),
	      "%s gave no random bytes", path);
	CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf), "write to urandom: %s",
	      strerror(errno));
	close(fd);
	test_no_ctty();
}

int main(int argc, char **argv)
{
	if (access("/proc/self", F_OK) != 0)
		proc = "/scheme/proc";
	test_stat();
	printf("t_proc: stat ok\n");
	test_status();
	test_cmdline(argc, argv);
	printf("t_proc: status, cmdline ok\n");
	test_links();
	test_fds();
	test_fd_reopen();
	test_task();
	test_cwd_loop();
	test_other_user();
	printf("t_proc: links, fd, task ok\n");
	test_child_states();
	printf("t_proc: child states ok\n");
	test_meminfo();
	test_uptime_loadavg();
	test_mounts();
	printf("t_proc: system files ok\n");
	test_devices();
	printf("PASS: t_proc\n");
	return 0;
}
