/*
 * t_uscheme: schemes served by user space (Anode only). A forked daemon
 * (tests/user/uscheme_testd.h) serves "utest:" and the test checks, as its
 * clients: registration (EEXIST while live, bad names refused);
 * open/read/write/seek/fstat/getdents/close and an ioctl (its argument
 * sized by the command); replies out of order to concurrent clients; data
 * integrity from 1 byte to 4 MiB at several alignments, both ways; the
 * daemon's window on a caller's buffer stops at its edges; bad replies
 * (unknown tag, twice, malformed) are refused; dup/fork/close reach the
 * daemon as exactly one close; exec of a program the daemon serves and mmap
 * of it (through fmap: its pages, mapped read-only); a shared mapping of
 * its read/write file: the daemon's pages, writes seen both ways and by
 * another process mapping the file itself, a futex there meeting across
 * the two, writable only through a descriptor open for writing.
 * t_uscheme_fail checks signals and the daemon's death.
 * Prints "PASS: t_uscheme" or "FAIL: t_uscheme: <reason>".
 */
#define TEST_NAME "t_uscheme"
#include "uscheme_testd.h"
/* futex(2) operations (linux/futex.h; musl has no header for them). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#include <sched.h>
#include <sys/syscall.h>

/* sched_yield rounds before the child must be asleep on the futex. */
#define WAKE_TRIES 100000
#define WAIT_SLICE_NS 100000000 /* 100 ms */

static void test_basic(void)
{
	char buf[RW_SIZE], names_seen[256] = "";
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd, v = 41;

	CHECK(scheme_register_name(NAME, 0) == -1 && errno == EEXIST, "second registration: %s", strerror(errno));
	CHECK(scheme_register_name("a:b", 0) == -1 && errno == EINVAL, "a name with ':': %s", strerror(errno));
	CHECK(scheme_register_name("0123456789abcdef0123456789abcdef", 0) == -1 && errno == ENAMETOOLONG,
	      "a name too long: %s", strerror(errno));
	CHECK(open(SCHEME_LIST_NAME ":other", O_CREAT | O_RDONLY) == -1 && errno == EINVAL,
	      "registration without O_RDWR: %s", strerror(errno));
	CHECK(open_ut("nosuch", O_RDONLY) == -1 && errno == ENOENT, "unknown file: %s", strerror(errno));
	fd = open_ut("rw", O_RDWR);
	CHECK(fd >= 0, "open rw: %s", strerror(errno));
	CHECK(write(fd, "hello", 5) == 5, "write: %s", strerror(errno));
	CHECK(lseek(fd, 0, SEEK_CUR) == 5, "offset after write");
	CHECK(lseek(fd, 1, SEEK_SET) == 1, "lseek");
	CHECK(read(fd, buf, 4) == 4 && !memcmp(buf, "ello", 4), "read back");
	CHECK(lseek(fd, -2, SEEK_END) == RW_SIZE - 2, "SEEK_END asks the size");
	CHECK(read(fd, buf, sizeof(buf)) == 2, "read at end");
	CHECK(read(fd, buf, sizeof(buf)) == 0, "end of file");
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == RW_SIZE, "fstat");
	close(fd);
	d = opendir(NAME ":");
	CHECK(d, "opendir: %s", strerror(errno));
	while ((e = readdir(d))) {
		size_t used = strlen(names_seen);

		CHECK(used + strlen(e->d_name) + 2 <= sizeof(names_seen), "listing too long");
		strcat(strcat(names_seen, e->d_name), " ");
	}
	closedir(d);
	CHECK(!strcmp(names_seen, "data sink rw order hang probe bad stats prog deaf "), "listing: %s", names_seen);
	CHECK(stat(NAME ":data", &st) == 0 && st.st_size == DATA_SIZE, "stat by path");
	fd = open_ut("rw", O_RDONLY);
	CHECK(fd >= 0, "open rw: %s", strerror(errno));
	CHECK(ioctl(fd, UT_IOC_BUMP, &v) == 0 && v == 42, "ioctl through the daemon: %s", strerror(errno));
	CHECK(ioctl(fd, UT_IOC_BUMP, (void *)8) == -1 && errno == EFAULT, "ioctl with a bad pointer");
	CHECK(ioctl(fd, TCGETS, buf) == -1 && errno == ENOTTY, "TCGETS: %s", strerror(errno));
	close(fd);
	printf("t_uscheme: basic ok\n");
}

static void test_order(void)
{
	pid_t kids[ORDER_N];

	for (int i = 0; i < ORDER_N; i++) {
		kids[i] = fork();
		CHECK(kids[i] >= 0, "fork");
		if (kids[i] == 0) {
			int fd = open_ut("order", O_RDONLY), got = 0;

			_exit(fd >= 0 && read(fd, &got, sizeof(got)) == sizeof(got) && got == getpid() ? 0 : 1);
		}
	}
	for (int i = 0; i < ORDER_N; i++) {
		int status;

		CHECK(waitpid(kids[i], &status, 0) == kids[i] && WIFEXITED(status) && !WEXITSTATUS(status),
		      "client %d of the reversed replies", i);
	}
	printf("t_uscheme: out-of-order replies ok\n");
}

static void test_data(void)
{
	static const size_t sizes[] = { 1, 7, 4096, 4097, 65539, 1024 * 1024, 4 * 1024 * 1024 };
	static const size_t aligns[] = { 0, 1, 7, 4095 };
	static const off_t offs[] = { 0, 13, 4096 };
	uint8_t *buf = malloc(4 * 1024 * 1024 + 8192);
	int fd = open_ut("data", O_RDONLY), sink = open_ut("sink", O_WRONLY);

	CHECK(buf && fd >= 0 && sink >= 0, "open data: %s", strerror(errno));
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (size_t a = 0; a < sizeof(aligns) / sizeof(aligns[0]); a++) {
			for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
				uint8_t *p = buf + aligns[a];
				ssize_t n;

				memset(buf, 0xee, 4 * 1024 * 1024 + 8192);
				n = pread(fd, p, sizes[s], offs[o]);
				CHECK(n == (ssize_t)sizes[s], "pread %zu at %zu+%lld: %zd", sizes[s], aligns[a],
				      (long long)offs[o], n);
				for (size_t i = 0; i < sizes[s]; i++)
					CHECK(p[i] == pattern((uint64_t)offs[o] + i), "byte %zu of %zu", i, sizes[s]);
				CHECK(p[sizes[s]] == 0xee && (aligns[a] == 0 || p[-1] == 0xee), "wrote outside");
				CHECK(pwrite(sink, p, sizes[s], offs[o]) == (ssize_t)sizes[s], "pwrite %zu: %s",
				      sizes[s], strerror(errno));
			}
		}
	}
	buf[0] ^= 1;
	CHECK(pwrite(sink, buf, 1, 0) == -1 && errno == EBADMSG, "the daemon saw the wrong byte");
	CHECK(read(fd, (void *)8, 1) == -1 && errno == EFAULT, "a bad client buffer is EFAULT");
	free(buf);
	close(fd);
	close(sink);
	printf("t_uscheme: data 1 B .. 4 MiB ok\n");
}

static void test_probe_and_bad(void)
{
	uint8_t buf[8];
	int fd = open_ut("probe", O_RDONLY);

	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 0, "the daemon reached outside the buffer");
	close(fd);
	fd = open_ut("bad", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 0, "read after bad replies: %s", strerror(errno));
	close(fd);
	CHECK(stat_of(STAT_FAILS) == 0, "%d bad replies were not refused", stat_of(STAT_FAILS));
	printf("t_uscheme: window and bad replies ok\n");
}

static void test_closes(void)
{
	int fd = open_ut("rw", O_RDONLY), dupfd, status;
	struct stat st;
	pid_t kid;

	CHECK(fd >= 0 && fstat(fd, &st) == 0, "open rw");
	dupfd = dup(fd);
	kid = fork();
	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		close(fd);
		close(dupfd);
		_exit(0);
	}
	CHECK(waitpid(kid, &status, 0) == kid, "wait");
	close(dupfd);
	CHECK(stat_of((uint32_t)st.st_ino) == 0, "a close reached the daemon too early");
	close(fd);
	CHECK(stat_of((uint32_t)st.st_ino) == 1, "%d closes for one file", stat_of((uint32_t)st.st_ino));
	printf("t_uscheme: dup/fork/close ok\n");
}

static void test_exec(void)
{
	int status;
	pid_t kid = fork();

	CHECK(kid >= 0, "fork");
	if (kid == 0) {
		execl(NAME ":prog", "true", (char *)NULL);
		_exit(EXEC_FAILED);
	}
	CHECK(waitpid(kid, &status, 0) == kid && WIFEXITED(status), "wait exec");
	CHECK(WEXITSTATUS(status) == 0, "exec of a daemon's program: status %d", WEXITSTATUS(status));
	CHECK(stat_of(STAT_FMAPS) == 1, "exec asked for %d fmaps, not 1", stat_of(STAT_FMAPS));
	CHECK(stat_of(STAT_FAILS) == 0, "a misaligned fmap answer was not refused");
	printf("t_uscheme: exec ok\n");
}

/* mmap of a daemon's file maps its pages (private, read-only for good). */
static void test_mmap(void)
{
	uint8_t head[PAGE_BYTES];
	int fd = open_ut("prog", O_RDONLY);
	uint8_t *p;

	CHECK(fd >= 0 && pread(fd, head, sizeof(head), 0) == sizeof(head), "read prog");
	p = mmap(NULL, 2 * PAGE_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mmap of a daemon's file: %s", strerror(errno));
	CHECK(!memcmp(p, head, sizeof(head)), "the mapping holds other bytes than read gives");
	CHECK(mprotect(p, PAGE_BYTES, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
	      "a view of the daemon's pages became writable");
	CHECK(mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED &&
	      errno == EACCES, "a writable mapping of the daemon's file");
	CHECK(mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EACCES, "a writable shared mapping of a read-only descriptor");
	munmap(p, 2 * PAGE_BYTES);
	close(fd);
	CHECK(stat_of(STAT_FMAPS) == 2, "%d fmaps, not 2", stat_of(STAT_FMAPS));
	printf("t_uscheme: mmap ok\n");
}

static long futex_op(volatile uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

/* A child maps the rw file on its own and waits on a futex in it until
 * the parent's wake reaches it (a shared, not private, futex). */
static void test_mmap_shared(void)
{
	enum { VAL, WAITING, FLAG, DONE };
	int fd = open_ut("rw", O_RDWR), ro = open_ut("rw", O_RDONLY), status;
	volatile uint32_t *p, *view;
	uint32_t v = 0x5678;
	long woken = 0;
	pid_t pid;

	p = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	view = mmap(NULL, PAGE_BYTES, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED && view != MAP_FAILED, "shared mappings: %s", strerror(errno));
	CHECK(mprotect((void *)view, PAGE_BYTES, PROT_READ | PROT_WRITE) == -1 && errno == EACCES,
	      "a read-only descriptor's shared view became writable");
	p[VAL] = 0x1234;
	CHECK(pread(fd, &v, sizeof(v), 0) == sizeof(v) && v == 0x1234, "the daemon saw %x", v);
	CHECK(view[VAL] == 0x1234, "the other mapping saw %x", view[VAL]);
	v = 0x5678;
	CHECK(pwrite(fd, &v, sizeof(v), 0) == sizeof(v) && p[VAL] == 0x5678,
	      "the mapping saw the daemon's write: %x", p[VAL]);
	p[WAITING] = p[FLAG] = p[DONE] = 0;
	pid = fork();
	if (pid == 0) {
		int cfd = open_ut("rw", O_RDWR);
		volatile uint32_t *c = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);

		if (c == MAP_FAILED)
			_exit(1);
		c[WAITING] = 1;
		/* Each wait bounded, so a wake that never comes fails the
		 * test (woken stays 0) rather than hanging it. */
		while (!c[FLAG])
			futex_op(&c[FLAG], FUTEX_WAIT, 0, &(struct timespec){ .tv_nsec = WAIT_SLICE_NS });
		c[DONE] = 1;
		_exit(0);
	}
	while (!p[WAITING])
		sched_yield();
	/* Wake until a wake finds the child asleep on the word. */
	for (int i = 0; i < WAKE_TRIES && !woken; i++) {
		woken = futex_op(&p[FLAG], FUTEX_WAKE, 1, NULL);
		if (!woken)
			sched_yield();
	}
	p[FLAG] = 1;
	futex_op(&p[FLAG], FUTEX_WAKE, 1, NULL);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	      "the child mapping the file");
	CHECK(woken == 1 && p[DONE] == 1, "a futex wake across two mappings of the file: %ld", woken);
	munmap((void *)p, PAGE_BYTES);
	munmap((void *)view, PAGE_BYTES);
	close(fd);
	close(ro);
	printf("t_uscheme: shared mmap ok\n");
}

int main(void)
{
	pid_t daemon;

	setvbuf(stdout, NULL, _IONBF, 0);
	daemon = start_daemon();
	test_basic();
	test_order();
	test_data();
	test_probe_and_bad();
	test_closes();
	test_exec();
	test_mmap();
	test_mmap_shared();
	kill(daemon, SIGKILL);
	waitpid(daemon, NULL, 0);
	printf("PASS: t_uscheme\n");
	return 0;
}
