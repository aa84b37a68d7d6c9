/*
 * user/fuzz/pool.c: the paths and descriptors a fuzzing worker passes.
 *
 * Paths: a fixed list (files, directories, names that do not exist,
 * escapes with "..", over-long names and paths, malformed scheme names)
 * plus every entry of /scheme, /dev and /proc, so that each kernel scheme
 * and each daemon's gets opened, read, written and asked ioctls. Left out:
 * the console and the kernel log (debug:, kmsg:, tty:, serial: and their
 * /dev names): random bytes written there would garble the progress lines
 * the test reads, and a worker that took the terminal as its controlling
 * one could stop the others' output; terminal input is another test's.
 * Whatever a worker creates lands below FUZZ_ROOT (its working directory
 * is FUZZ_SCRATCH, and the only writable directory named is that one).
 *
 * Descriptors: opened afresh by each worker incarnation, so that every
 * kind is there to be used, dup'ed, closed and closed again: files,
 * directories, both ends of a pipe, kernel schemes, daemons' files, an
 * event queue (event: and epoll), a timerfd, a message queue, a scheme the
 * worker itself serves (and never answers: a caller blocks until the
 * supervisor kills one of them; what it reads and writes there are
 * requests taken and bogus replies given). Bogus numbers (-1, closed slots, huge ones) come with them.
 */
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "fuzz.h"

#define PATHS_MAX 256
#define FDS_MAX 64
#define LONG_NAME 300        /* over NAME_MAX (255) */
#define LONG_PATH 5000       /* over PATH_MAX (4096) */
#define NAME_LEN 64

static const char *const fixed_paths[] = {
	"", "/", ".", "..", "//", "/./bin/../etc", "/bin", "/bin/sh", "/bin/true", "/bin/fuzz",
	"/etc", "/etc/passwd", "/etc/shadow", "/etc/motd", "/etc/init.rc", "/nonexistent",
	"/etc/passwd/x", "/proc/self", "/proc/self/status", "/proc/1", "/proc/1/status",
	"/tests/not-a-program", "/tests/sh_script.sh", "/home", "/tmp/fuzz",
	FUZZ_SCRATCH, FUZZ_SCRATCH "/f0", FUZZ_SCRATCH "/d0", "f0", "f1", "d0", "d1", "d0/f2",
	"d0/../f1", "../s/f0", "f0/", "s0", "null:", "zero:", "full:", "random:", "urandom:",
	"sys:meminfo", "sys:context", "sys:schemes", "sys:namespace", "sys:", "time:", "time:x",
	"event:", "pipe:", "timerfd:", "mqueue:", "mqueue:/fuzzq0", "memory:", "memory:0",
	"irq:", "irq:1", "grant:", "scheme:", "scheme:fuzz0", "scheme:null", "scheme:" FUZZ_SCHEME "9",
	FUZZ_SCHEME "0:", FUZZ_SCHEME "1:x", "proc:", "proc:1", "initfs:",
	"initfs:/bin/sh", "file:/etc/passwd", "file:", "boot:", "boot:initfs", "rtc:", "rtc:0",
	"bogus:", ":", "a:b:c", "/scheme", "/scheme/sys/meminfo", "/scheme/null", "/dev",
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/proc",
};

static const char *paths[PATHS_MAX];
static int npaths;
static char long_name[LONG_NAME + 1], long_path[LONG_PATH + 1];

/* Names that lead to the console or the kernel log (see above). */
static int console_name(const char *name)
{
	static const char *const bad[] = { "debug", "kmsg", "tty", "serial", "console", "log", "pts" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strncmp(name, bad[i], strlen(bad[i])) == 0)
			return 1;
	return 0;
}

static void add(const char *path)
{
	if (npaths < PATHS_MAX)
		paths[npaths++] = path;
}

static void add_entries(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL && npaths < PATHS_MAX) {
		char *p;

		if (e->d_name[0] == '.' || console_name(e->d_name))
			continue;
		if (asprintf(&p, "%s/%s%s", dir, e->d_name, suffix) >= 0)
			add(p);
		if (strcmp(dir, "/scheme") == 0 && asprintf(&p, "%s:", e->d_name) >= 0)
			add(p);
	}
	closedir(d);
}

void pool_paths_init(void)
{
	for (size_t i = 0; i < sizeof(fixed_paths) / sizeof(fixed_paths[0]); i++)
		add(fixed_paths[i]);
	memset(long_name, 'n', LONG_NAME);
	add(long_name);
	for (int i = 0; i < LONG_PATH; i++)
		long_path[i] = i % 2 ? '/' : 'p';
	add(long_path);
	add_entries("/scheme", "");
	add_entries("/dev", "");
	add_entries("/proc", "");
	add_entries("/proc/1", "");
}

const char *pool_path(uint64_t *rng)
{
	return paths[rng_below(rng, (uint64_t)npaths)];
}

static int fds[FDS_MAX];
static int nfds;

static void keep(int fd)
{
	if (fd >= 0 && nfds < FDS_MAX)
		fds[nfds++] = fd;
}

static void open_path(const char *path, int flags)
{
	keep(open(path, flags | O_CLOEXEC, 0600));
}

void pool_fds_open(int worker, uint64_t *rng)
{
	char name[NAME_LEN];
	int p[2];
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };

	nfds = 0;
	open_path("/etc/passwd", O_RDONLY);
	open_path("/bin/sh", O_RDONLY);
	open_path("/", O_RDONLY | O_DIRECTORY);
	open_path("/etc", O_RDONLY | O_DIRECTORY);
	open_path(FUZZ_SCRATCH, O_RDONLY | O_DIRECTORY);
	snprintf(name, sizeof(name), FUZZ_SCRATCH "/w%d", worker);
	open_path(name, O_RDWR | O_CREAT | O_TRUNC);
	open_path(FUZZ_SCRATCH "/f0", O_RDWR | O_CREAT | O_APPEND);
	if (pipe2(p, O_CLOEXEC) == 0) {
		keep(p[0]);
		keep(p[1]);
	}
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
		keep(p[0]);
		keep(p[1]);
	}
	keep(epoll_create1(EPOLL_CLOEXEC));
	open_path("event:", O_RDWR);
	keep(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	keep(mq_open("/fuzzq0", O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0600, &attr));
	snprintf(name, sizeof(name), "scheme:" FUZZ_SCHEME "%d", worker);
	open_path(name, O_RDWR | O_CREAT);
	/* A few more from the whole pool (kernel and daemon schemes among
	 * them), but not the workers' own schemes: their opens wait for an
	 * answer that never comes, and the worker would not start. */
	for (int i = 0; i < 16; i++) {
		const char *path = pool_path(rng);

		if (strncmp(path, FUZZ_SCHEME, strlen(FUZZ_SCHEME)) != 0)
			open_path(path, rng_below(rng, 2) ? O_RDONLY : O_RDWR);
	}
}

int pool_fd(uint64_t *rng)
{
	static const int bogus[] = { -1, -100, 3, 1023, 1024, 65535, 0x7fffffff, -0x7fffffff - 1 };

	if (nfds == 0 || rng_below(rng, 8) == 0)
		return bogus[rng_below(rng, sizeof(bogus) / sizeof(bogus[0]))];
	return fds[rng_below(rng, (uint64_t)nfds)];
}
