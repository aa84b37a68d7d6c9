/*
 * t_rlimit: resource limits (getrlimit, setrlimit, prlimit64): reading and
 * setting, soft above hard (EINVAL), a bad resource (EINVAL), raising the
 * hard limit unprivileged (EPERM), prlimit64 on another user's process
 * (EPERM) and, as root, on another's; inheritance over fork and execve;
 * and each limit enforced: NOFILE (EMFILE, dup2 EBADF, F_DUPFD EINVAL),
 * FSIZE (a short write, then SIGXFSZ and EFBIG; pwrite, O_APPEND and
 * ftruncate too), CPU (SIGXCPU at the soft limit, SIGKILL at the hard),
 * AS and DATA (mmap, mremap, mprotect and brk ENOMEM), STACK (a deep
 * recursion after exec dies of SIGSEGV), NPROC (fork EAGAIN for uid 1000;
 * root is exempt),
 * and an anonymous writable 64 TiB mmap refused (ENOMEM: larger than RAM,
 * Linux's default overcommit heuristic).
 * Each part runs in a child, so its limits end with it.
 * Prints "PASS: t_rlimit" or "FAIL: t_rlimit: <reason>".
 */
#define _GNU_SOURCE
#define TEST_NAME "t_rlimit"
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define USER_ID 1000
#define SELF "/proc/self/exe"
#define FSIZE_PATH "/tmp/t_rlimit.fsize"
#define FSIZE_LIMIT 100
#define NOFILE_LIMIT 10
#define CORE_HARD 4096
#define MiB (1024UL * 1024)
#define TiB (1024UL * 1024 * MiB)
#define AS_LIMIT (64 * MiB)
#define DATA_LIMIT (32 * MiB)
#define BIG_MAP (128 * MiB)
#define HUGE_MAP (64 * TiB)
#define STACK_LIMIT (256 * 1024)
#define STACK_FRAME (64 * 1024)
#define STACK_DEPTH 64          /* 4 MiB of frames: past STACK_LIMIT */
#define CPU_SOFT 1
#define CPU_HARD 2
#define BAD_RESOURCE 99

/* Runs fn in a child and checks it exited 0. */
static void in_child(void (*fn)(void), const char *what)
{
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork for %s: %s", what, strerror(errno));
	if (pid == 0) {
		fn();
		exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid %s", what);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: child status %#x", what, st);
	printf("t_rlimit: %s ok\n", what);
}

static void set(int r, rlim_t cur, rlim_t max)
{
	struct rlimit l = { cur, max };

	CHECK(setrlimit(r, &l) == 0, "setrlimit(%d, %lu, %lu): %s", r, (unsigned long)cur,
	      (unsigned long)max, strerror(errno));
}

static void get_set(void)
{
	struct rlimit l, bad;

	CHECK(getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur <= l.rlim_max && l.rlim_cur >= 64,
	      "NOFILE default");
	CHECK(getrlimit(RLIMIT_STACK, &l) == 0 && l.rlim_cur >= 128 * 1024, "STACK default");
	set(RLIMIT_CORE, 0, CORE_HARD);
	CHECK(getrlimit(RLIMIT_CORE, &l) == 0 && l.rlim_cur == 0 && l.rlim_max == CORE_HARD,
	      "CORE read back");
	bad = (struct rlimit){ CORE_HARD, CORE_HARD - 1 };
	CHECK_ERR(setrlimit(RLIMIT_CORE, &bad), EINVAL, "soft above hard");
	CHECK(getrlimit(RLIMIT_CORE, &l) == 0 && l.rlim_max == CORE_HARD, "unchanged after EINVAL");
	CHECK_ERR(syscall(SYS_prlimit64, 0, BAD_RESOURCE, NULL, &l), EINVAL, "bad resource");
	CHECK_ERR(syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, (void *)8), EFAULT, "bad old pointer");
	/* Root may raise a hard limit again. */
	set(RLIMIT_CORE, 0, RLIM_INFINITY);
}

static void exec_check(void)
{
	char *argv[] = { "t_rlimit", "inherit", NULL };

	set(RLIMIT_CORE, 0, CORE_HARD);
	execv(SELF, argv);
	FAIL("execv %s: %s", SELF, strerror(errno));
}

/* After execve: the limits exec_check set. */
static int inherit_mode(void)
{
	struct rlimit l;

	if (getrlimit(RLIMIT_CORE, &l) || l.rlim_max != CORE_HARD)
		FAIL("CORE not kept across execve");
	return 0;
}

static void fork_inherit(void)
{
	struct rlimit l;

	set(RLIMIT_CORE, 0, CORE_HARD);
	in_child(exec_check, "inherited over fork and execve");
	CHECK(getrlimit(RLIMIT_CORE, &l) == 0 && l.rlim_max == CORE_HARD, "parent's own");
}

static void unprivileged(void)
{
	struct rlimit l, up = { 0, RLIM_INFINITY };
	pid_t parent = getppid();

	set(RLIMIT_CORE, 0, CORE_HARD);
	CHECK(syscall(SYS_prlimit64, parent, RLIMIT_CORE, NULL, &l) == 0, "root reads its parent");
	CHECK(setuid(USER_ID) == 0, "setuid: %s", strerror(errno));
	CHECK_ERR(setrlimit(RLIMIT_CORE, &up), EPERM, "raise hard as uid 1000");
	set(RLIMIT_CORE, 0, CORE_HARD / 2); /* lowering is free */
	CHECK_ERR(setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, CORE_HARD }), EPERM, "raise back");
	CHECK_ERR(syscall(SYS_prlimit64, parent, RLIMIT_CORE, NULL, &l), EPERM,
		  "prlimit64 on root's process");
}

static void nofile(void)
{
	int fd, last = -1;

	set(RLIMIT_NOFILE, NOFILE_LIMIT, NOFILE_LIMIT);
	while ((fd = dup(0)) >= 0)
		last = fd;
	CHECK(errno == EMFILE && last == NOFILE_LIMIT - 1, "dup until EMFILE: last %d, %s", last,
	      strerror(errno));
	CHECK_ERR(dup2(0, NOFILE_LIMIT), EBADF, "dup2 past NOFILE");
	CHECK_ERR(fcntl(0, F_DUPFD, NOFILE_LIMIT), EINVAL, "F_DUPFD past NOFILE");
}

static volatile sig_atomic_t sig_count;

static void on_signal(int sig)
{
	(void)sig;
	sig_count++;
}

static void fsize(void)
{
	char buf[FSIZE_LIMIT + FSIZE_LIMIT / 2] = { 0 };
	int fd = open(FSIZE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600), afd;

	CHECK(fd >= 0, "open %s: %s", FSIZE_PATH, strerror(errno));
	signal(SIGXFSZ, on_signal);
	set(RLIMIT_FSIZE, FSIZE_LIMIT, FSIZE_LIMIT);
	CHECK(write(fd, buf, sizeof(buf)) == FSIZE_LIMIT, "write is cut at the limit");
	CHECK(sig_count == 0, "no SIGXFSZ for a short write");
	CHECK_ERR(write(fd, buf, 1), EFBIG, "write at the limit");
	CHECK(sig_count == 1, "SIGXFSZ for the write (%d)", (int)sig_count);
	CHECK_ERR(pwrite(fd, buf, 1, FSIZE_LIMIT + 1), EFBIG, "pwrite past the limit");
	CHECK(pwrite(fd, buf, 1, 0) == 1, "pwrite below the limit");
	CHECK_ERR(ftruncate(fd, FSIZE_LIMIT + 1), EFBIG, "ftruncate past the limit");
	CHECK(ftruncate(fd, FSIZE_LIMIT) == 0, "ftruncate to the limit");
	afd = open(FSIZE_PATH, O_WRONLY | O_APPEND);
	CHECK(afd >= 0, "open O_APPEND");
	CHECK_ERR(write(afd, buf, 1), EFBIG, "append at the limit");
	CHECK(sig_count == 4, "SIGXFSZ for each refusal (%d)", (int)sig_count);
	close(afd);
	close(fd);
	unlink(FSIZE_PATH);
}

static int cpu_pipe[2];

static void on_xcpu(int sig)
{
	(void)sig;
	if (!sig_count++)
		(void)!write(cpu_pipe[1], "x", 1);
}

static void cpu_burn(void)
{
	signal(SIGXCPU, on_xcpu);
	set(RLIMIT_CPU, CPU_SOFT, CPU_HARD);
	for (volatile uint64_t i = 0;; i++)
		;
}

static void cpu(void)
{
	char c;
	int st;
	pid_t pid;

	CHECK(pipe(cpu_pipe) == 0, "pipe");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0)
		cpu_burn();
	close(cpu_pipe[1]);
	CHECK(read(cpu_pipe[0], &c, 1) == 1, "SIGXCPU at the soft limit");
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL at the hard limit: %#x", st);
}

static void mem_as(void)
{
	void *p;

	set(RLIMIT_AS, AS_LIMIT, AS_LIMIT);
	CHECK(mmap(NULL, BIG_MAP, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM, "mmap past AS");
	p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap within AS: %s", strerror(errno));
}

static void mem_data(void)
{
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	void *p;

	set(RLIMIT_DATA, DATA_LIMIT, DATA_LIMIT);
	CHECK(mmap(NULL, BIG_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	      MAP_FAILED && errno == ENOMEM, "private writable mmap past DATA");
	p = mmap(NULL, BIG_MAP, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "read-only mmap is not data: %s", strerror(errno));
	CHECK_ERR(mprotect(p, BIG_MAP, PROT_READ | PROT_WRITE), ENOMEM, "mprotect writable past DATA");
	p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "private writable mmap within DATA: %s", strerror(errno));
	CHECK(mremap(p, MiB, BIG_MAP, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM,
	      "mremap past DATA");
	CHECK((uintptr_t)syscall(SYS_brk, cur + BIG_MAP) == cur, "brk past DATA stays");
	CHECK((uintptr_t)syscall(SYS_brk, cur + MiB) == cur + MiB, "brk within DATA");
}

/* After execve with a small STACK: recursion past it must die. */
static int deep(int n)
{
	volatile char frame[STACK_FRAME];

	frame[0] = (char)n;
	return n ? deep(n - 1) + frame[0] : frame[0];
}

static void stack_exec(void)
{
	char *argv[] = { "t_rlimit", "deep", NULL };

	set(RLIMIT_STACK, STACK_LIMIT, RLIM_INFINITY);
	execv(SELF, argv);
	FAIL("execv: %s", strerror(errno));
}

static void stack(void)
{
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork");
	if (pid == 0)
		stack_exec();
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "recursion past STACK: status %#x", st);
}

static void nproc(void)
{
	int st;
	pid_t pid;

	set(RLIMIT_NPROC, 1, 1);
	pid = fork(); /* root is exempt */
	CHECK(pid >= 0, "root forks past NPROC: %s", strerror(errno));
	if (pid == 0)
		exit(0);
	CHECK(waitpid(pid, &st, 0) == pid, "waitpid");
	CHECK(setuid(USER_ID) == 0, "setuid: %s", strerror(errno));
	CHECK_ERR(fork(), EAGAIN, "fork past NPROC as uid 1000");
}

static void overcommit(void)
{
	void *p = mmap(NULL, HUGE_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p == MAP_FAILED && errno == ENOMEM, "64 TiB mmap: %s",
	      p == MAP_FAILED ? strerror(errno) : "mapped");
	p = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "1 MiB mmap after: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && strcmp(argv[1], "inherit") == 0)
		return inherit_mode();
	if (argc > 1 && strcmp(argv[1], "deep") == 0)
		return deep(STACK_DEPTH) == -1; /* never returns: SIGSEGV */
	in_child(get_set, "get, set, EINVAL");
	in_child(fork_inherit, "fork");
	in_child(unprivileged, "EPERM as uid 1000");
	in_child(nofile, "NOFILE");
	in_child(fsize, "FSIZE");
	in_child(cpu, "CPU");
	in_child(mem_as, "AS");
	in_child(mem_data, "DATA");
	in_child(stack, "STACK");
	in_child(nproc, "NPROC");
	in_child(overcommit, "64 TiB mmap");
	printf("PASS: t_rlimit\n");
	return 0;
}
