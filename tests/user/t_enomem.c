/*
 * t_enomem: system calls that need kernel memory fail cleanly when they
 * cannot get it, and give back everything they took.
 *
 * Runs ROUNDS rounds of calls that allocate in the kernel: fork + exit +
 * wait, fork + execve of /bin/true + wait, pipe2 + writev + readv, private
 * mmap + touch + mprotect of a middle page (a region split) + munmap, mmap
 * MAP_FIXED over the middle of a mapping, shared mmap + touch + munmap,
 * open of a directory + openat relative to it, stat, dup,
 * fcntl(F_DUPFD_CLOEXEC) and chdir, all while holding a shared and a
 * private mapping that every fork copies. Each call must either succeed or
 * fail with ENOMEM; anything else fails the test (fork's EAGAIN is for
 * process limits, which this test never reaches, on Linux as on Anode).
 *
 * A failed call must leave nothing behind: no descriptor (the lowest free
 * descriptor stays free between rounds), no half-made object (a directory
 * that opened serves openat once memory allows), no child (wait says ECHILD
 * at the end), no damage to the held mappings (the children that ran
 * counted themselves in the shared one; their writes to the private one
 * stayed theirs), and no memory: MemFree in sys:meminfo after the rounds,
 * with every child reaped, equals MemFree before them, to the page, once
 * the empty slabs the kernel heap keeps for reuse (HeapCached) are counted
 * as free: with calls failing, which size classes get used first is a
 * matter of chance; and once the daemon serving the root has answered the
 * closes queued to it (closing a file a daemon serves does not wait for
 * the daemon): a round trip to it comes before each figure. The held
 * mappings, made first, also give the mapping area its page table (user
 * page tables live as long as the process), and a few warm-up rounds run
 * before the first figure. Calls that may need
 * memory to clean up (munmap of part of a region) are retried until they
 * succeed, as a program would; so is reading sys:meminfo.
 *
 * Without memory pressure every call simply succeeds. Booted with the
 * kernel's failalloc=N knob (tests/qemu/test_failalloc.py), some fail with
 * ENOMEM; the count is printed as "t_enomem: C calls, F failed cleanly, ...".
 * On Linux sys:meminfo does not exist: the memory figure is skipped there
 * (the rest runs the same).
 * Prints "PASS: t_enomem" or "FAIL: t_enomem: <reason>".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meminfo.h"

#define WARMUP_ROUNDS 3
#define ROUNDS 30
#define MAP_PAGES 3          /* the middle one gets its own protection */
#define SHARED_PAGES 2
#define HELD_PAGES 2         /* of each held mapping */
#define PRIVATE_BYTE 0x5a    /* in the held private mapping */
#define IOV_BYTES 12         /* pipe2 + writev/readv: entries of one byte */
#define RETRIES 1000         /* clean-up attempts before giving up */
#define CHILD_STATUS 42      /* fork + exit: the child's exit status */
#define EXEC_ENOMEM 100      /* fork + execve: the child's execve got ENOMEM */
#define EXEC_OTHER 101       /* ... got another error */
#define EXEC_PATH "/bin/true"
#define DIR_PATH "/bin"
#define DIR_ENTRY "true"     /* in DIR_PATH */

#define FAIL(...) do { \
	printf("FAIL: t_enomem: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static unsigned long calls, failed;
static long page_size;

/*
 * Accounts for one call that returned r (negative: failed with errno).
 * True if it succeeded; false if it failed cleanly (ENOMEM); any other
 * failure ends the test.
 */
static bool ok(long r, const char *what)
{
	calls++;
	if (r >= 0)
		return true;
	if (errno == ENOMEM) {
		failed++;
		return false;
	}
	FAIL("%s: %s", what, strerror(errno));
}

/* Reaps pid and returns its exit status; it must have exited normally. */
static int reap(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		FAIL("%s: waitpid: %s", what, strerror(errno));
	if (!WIFEXITED(status))
		FAIL("%s: child died with status %#x", what, status);
	return WEXITSTATUS(status);
}

static void touch(volatile char *p, int pages)
{
	for (int i = 0; i < pages; i++)
		p[i * page_size] = (char)i;
}

/* A read-write anonymous mapping of pages, touched; NULL if mmap failed
 * cleanly. */
static char *map_anon(int pages, int flags)
{
	char *p = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (!ok(p == MAP_FAILED ? -1 : 0, "mmap"))
		return NULL;
	touch(p, pages);
	return p;
}

/*
 * Memory the process holds through every round, so that each fork copies a
 * shared and a private mapping: children count themselves in the shared
 * page and scribble on their copy of the private one (copy-on-write), and
 * neither may change what the parent sees but for the count.
 */
struct held {
	volatile unsigned long *shared; /* [0]: children that ran */
	volatile char *private;         /* PRIVATE_BYTE in every page */
	unsigned long forks;            /* children that should have counted */
};

static struct held held;

static void *map_retried(int flags)
{
	for (int i = 0; i < RETRIES; i++) {
		char *p = map_anon(HELD_PAGES, flags);

		if (p)
			return p;
	}
	FAIL("mmap kept failing with ENOMEM");
}

static void hold_memory(void)
{
	held.shared = map_retried(MAP_SHARED);
	held.private = map_retried(MAP_PRIVATE);
	for (int i = 0; i < HELD_PAGES; i++) {
		held.shared[i * page_size / sizeof(*held.shared)] = 0;
		held.private[i * page_size] = PRIVATE_BYTE;
	}
}

static void check_held_memory(void)
{
	if (held.shared[0] != held.forks)
		FAIL("shared page counts %lu children, %lu ran", held.shared[0], held.forks);
	for (int i = 0; i < HELD_PAGES; i++)
		if (held.private[i * page_size] != PRIVATE_BYTE)
			FAIL("a child's write reached the parent's private page %d", i);
}

static void fork_exit(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		__atomic_add_fetch(held.shared, 1, __ATOMIC_SEQ_CST);
		for (int i = 0; i < HELD_PAGES; i++)
			held.private[i * page_size] = 0;
		_exit(CHILD_STATUS);
	}
	if (!ok(pid, "fork"))
		return;
	if (reap(pid, "fork + exit") != CHILD_STATUS)
		FAIL("fork + exit: wrong exit status");
	held.forks++;
}

static void fork_exec(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execl(EXEC_PATH, "true", (char *)NULL);
		_exit(errno == ENOMEM ? EXEC_ENOMEM : EXEC_OTHER);
	}
	if (!ok(pid, "fork"))
		return;
	status = reap(pid, "fork + execve");
	calls++;
	if (status == EXEC_ENOMEM)
		failed++;
	else if (status != 0)
		FAIL("execve %s: child exited with %d", EXEC_PATH, status);
}

/* One byte per entry, through IOV_BYTES entries: more than a kernel keeps
 * on its stack (Linux's UIO_FASTIOV is 8), so the vector is allocated. */
static void pipe_io(void)
{
	int fd[2];
	char out[IOV_BYTES], in[IOV_BYTES];
	struct iovec wv[IOV_BYTES], rv[IOV_BYTES];

	for (int i = 0; i < IOV_BYTES; i++) {
		out[i] = (char)('a' + i);
		wv[i] = (struct iovec){ &out[i], 1 };
		rv[i] = (struct iovec){ &in[i], 1 };
	}
	if (!ok(pipe2(fd, O_CLOEXEC), "pipe2"))
		return;
	if (ok(writev(fd[1], wv, IOV_BYTES), "writev")) {
		if (ok(readv(fd[0], rv, IOV_BYTES), "readv") && memcmp(in, out, sizeof(in)) != 0)
			FAIL("readv got other bytes than writev wrote");
	}
	close(fd[0]);
	close(fd[1]);
}

/* munmap, retried while it fails for want of memory (a split may need it). */
static void unmap(void *p, size_t len)
{
	for (int i = 0; i < RETRIES; i++)
		if (ok(munmap(p, len), "munmap"))
			return;
	FAIL("munmap kept failing with ENOMEM");
}

static void mmap_private(void)
{
	char *p = map_anon(MAP_PAGES, MAP_PRIVATE);

	if (!p)
		return;
	ok(mprotect(p + page_size, page_size, PROT_READ), "mprotect");
	unmap(p, MAP_PAGES * page_size);
}

/* MAP_FIXED over the middle page of a mapping replaces it (a split). */
static void mmap_fixed(void)
{
	char *p = map_anon(MAP_PAGES, MAP_PRIVATE), *q;

	if (!p)
		return;
	q = mmap(p + page_size, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (ok(q == MAP_FAILED ? -1 : 0, "mmap MAP_FIXED") && q != p + page_size)
		FAIL("mmap MAP_FIXED moved the mapping");
	unmap(p, MAP_PAGES * page_size);
}

static void mmap_shared(void)
{
	char *p = map_anon(SHARED_PAGES, MAP_SHARED);

	if (p)
		unmap(p, SHARED_PAGES * page_size);
}

static void files(void)
{
	struct stat st;
	int dir = open(DIR_PATH, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;

	if (ok(dir, "open " DIR_PATH)) {
		/* A directory that opened must serve openat once memory allows. */
		for (int i = 0; (fd = openat(dir, DIR_ENTRY, O_RDONLY | O_CLOEXEC)) < 0; i++) {
			ok(fd, "openat " DIR_ENTRY);
			if (i == RETRIES)
				FAIL("openat relative to an open directory kept failing with ENOMEM");
		}
		ok(fd, "openat " DIR_ENTRY);
		close(fd);
		close(dir);
	}
	ok(stat(EXEC_PATH, &st), "stat " EXEC_PATH);
	fd = dup(STDOUT_FILENO);
	if (ok(fd, "dup"))
		close(fd);
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
	if (ok(fd, "fcntl F_DUPFD_CLOEXEC"))
		close(fd);
	ok(chdir("."), "chdir .");
}

static void round_of_calls(int free_fd)
{
	fork_exit();
	fork_exec();
	pipe_io();
	mmap_private();
	mmap_fixed();
	mmap_shared();
	files();
	/* A call that failed must not have kept a descriptor. */
	errno = 0;
	if (fcntl(free_fd, F_GETFD) != -1 || errno != EBADF)
		FAIL("descriptor %d is in use after a round", free_fd);
}

struct mem {
	unsigned long free_kb, heap_kb, cached_kb;
};

/*
 * Closing a file a daemon serves (Anode's file:, initfsd) only queues its
 * CLOSE: the kernel frees the close packet, allocated at open, when the
 * daemon answers it, and the daemon answers in order. A figure taken before
 * the daemon got the CPU would count the last round's closes as memory
 * kept. mkdir of an existing directory is a round trip to that daemon that
 * opens and creates nothing: once it is answered (EEXIST), every close
 * queued before it has been. Retried while it fails for want of memory.
 */
static void settle(void)
{
	for (int i = 0; i < RETRIES; i++) {
		if (mkdir(DIR_PATH, 0) == 0)
			FAIL("mkdir %s: it did not exist", DIR_PATH);
		if (errno == EEXIST)
			return;
		if (errno != ENOMEM)
			FAIL("mkdir %s: %s", DIR_PATH, strerror(errno));
	}
	FAIL("mkdir %s kept failing with ENOMEM", DIR_PATH);
}

/* MemFree, KernelHeap and HeapCached, retried while sys:meminfo cannot be
 * opened for want of memory; false if there is no sys:meminfo (not Anode).
 * Closes queued to the daemon are answered first (settle). */
static bool mem_read(struct mem *m)
{
	settle();
	for (int i = 0; i < RETRIES; i++) {
		int err = meminfo_load();

		if (err == ENOENT)
			return false;
		if (err == ENOMEM)
			continue;
		if (err)
			FAIL("reading %s: %s", MEMINFO, strerror(err));
		if (meminfo_get("MemFree", &m->free_kb) || meminfo_get("KernelHeap", &m->heap_kb) ||
		    meminfo_get("HeapCached", &m->cached_kb))
			FAIL("no MemFree, KernelHeap or HeapCached line in %s", MEMINFO);
		return true;
	}
	FAIL("reading %s kept failing with ENOMEM", MEMINFO);
}

int main(void)
{
	struct mem m0, m1;
	bool have_meminfo;
	int free_fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_enomem: start\n");
	page_size = sysconf(_SC_PAGESIZE);
	/* The lowest free descriptor, found before anything can fail. */
	free_fd = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
	for (int i = 0; free_fd < 0 && errno == ENOMEM && i < RETRIES; i++)
		free_fd = open(DIR_PATH, O_RDONLY | O_DIRECTORY);
	if (free_fd < 0)
		FAIL("open %s: %s", DIR_PATH, strerror(errno));
	close(free_fd);
	hold_memory();
	mem_read(&m0); /* warms up the meminfo path too */
	for (int i = 0; i < WARMUP_ROUNDS; i++)
		round_of_calls(free_fd);
	have_meminfo = mem_read(&m0);
	calls = failed = 0;
	for (int i = 0; i < ROUNDS; i++)
		round_of_calls(free_fd);
	errno = 0;
	if (wait(NULL) != -1 || errno != ECHILD)
		FAIL("a child is left over");
	check_held_memory();
	printf("t_enomem: %lu calls, %lu failed cleanly, %lu children ran\n", calls, failed, held.forks);
	if (have_meminfo) {
		mem_read(&m1);
		long change = (long)(m1.free_kb + m1.cached_kb) - (long)(m0.free_kb + m0.cached_kb);

		printf("t_enomem: MemFree %lu -> %lu kB, KernelHeap %lu -> %lu kB, HeapCached %lu -> %lu kB\n",
		       m0.free_kb, m1.free_kb, m0.heap_kb, m1.heap_kb, m0.cached_kb, m1.cached_kb);
		if (change)
			FAIL("MemFree + HeapCached changed by %ld kB", change);
	} else {
		printf("t_enomem: no %s (not Anode): memory check skipped\n", MEMINFO);
	}
	printf("PASS: t_enomem\n");
	return 0;
}
