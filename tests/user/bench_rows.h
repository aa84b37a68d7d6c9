/*
 * bench_rows.h: the rows of tests/user/bench.c that go through files,
 * memory and the console (issue 14's table), kept apart so that bench.c
 * stays one screenful of IPC rows. Included once, by bench.c, after its
 * helpers (die, now_ns, report, fork_or_die, reap):
 *
 *   fork_exec_wait  fork, execve of this same static binary (served by the
 *                   file daemon on Anode) with BENCH_EXIT_ARG, which exits
 *                   at once, and wait
 *   open_read_close open + read 4 KiB + close of a file on the file system
 *                   (Anode: the user-space one)
 *   stat_3deep      stat of a path three directories deep
 *   mmap_touch      mmap 64 KiB anonymous, write one byte to each of its 16
 *                   pages, munmap
 *   console_write_4k  write(1) of 4 KiB to the console (Anode: the serial
 *                   daemon; Linux: ttyAMA0)
 *
 * The file rows use bench_file.h's file, three directories deep.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include "bench_file.h"

#define BENCH_EXIT_ARG "--exit"
#define FORK_EXEC_ITERS 200
#define FILE_ITERS 2000
#define STAT_ITERS 5000
#define MMAP_ITERS 2000
#define CONSOLE_ITERS 16
#define CONSOLE_LIMIT_S 5
#define MMAP_BYTES (64 * 1024)
#define PAGE_BYTES 4096
#define CONSOLE_BYTES 4096

static void bench_fork_exec(const char *self)
{
	if (self[0] != '/') {
		printf("bench: fork_exec_wait skipped: argv[0] \"%s\" is not a path\n", self);
		return;
	}
	fflush(stdout);
	int64_t t0 = now_ns();
	for (long i = 0; i < FORK_EXEC_ITERS; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execl(self, self, BENCH_EXIT_ARG, (char *)NULL);
			_exit(1);
		}
		reap(pid);
	}
	report("fork_exec_wait", now_ns() - t0, FORK_EXEC_ITERS);
}

static void bench_open_read(void)
{
	static char buf[FILE_BYTES];

	int64_t t0 = now_ns();
	for (long i = 0; i < FILE_ITERS; i++) {
		int fd = open(BENCH_FILE, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || close(fd) != 0)
			die(BENCH_FILE);
	}
	report("open_read_close", now_ns() - t0, FILE_ITERS);
}

static void bench_stat(void)
{
	struct stat st;

	int64_t t0 = now_ns();
	for (long i = 0; i < STAT_ITERS; i++)
		if (stat(BENCH_FILE, &st) != 0)
			die("stat");
	report("stat_3deep", now_ns() - t0, STAT_ITERS);
	if (st.st_size != FILE_BYTES) {
		printf("bench: stat says %lld bytes, want %d\n", (long long)st.st_size, FILE_BYTES);
		exit(1);
	}
}

static void bench_mmap(void)
{
	int64_t t0 = now_ns();
	for (long i = 0; i < MMAP_ITERS; i++) {
		volatile char *p = mmap(NULL, MMAP_BYTES, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		for (long off = 0; off < MMAP_BYTES; off += PAGE_BYTES)
			p[off] = 1;
		if (munmap((void *)p, MMAP_BYTES) != 0)
			die("munmap");
	}
	report("mmap_touch", now_ns() - t0, MMAP_ITERS);
}

static void on_console_alarm(int sig)
{
	(void)sig; /* only interrupts a write that does not finish */
}

/* 4 KiB lines of dots to the console; the report starts on a line of its
 * own, so the host finds it. A write that has not finished after
 * CONSOLE_LIMIT_S is interrupted (SIGALRM without SA_RESTART) and the row
 * says "stuck" instead of hanging the run. */
static void bench_console(void)
{
	static char text[CONSOLE_BYTES];
	struct sigaction sa = { .sa_handler = on_console_alarm };

	memset(text, '.', sizeof(text));
	text[sizeof(text) - 1] = '\n';
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		die("sigaction");
	fflush(stdout);
	alarm(CONSOLE_LIMIT_S);
	int64_t t0 = now_ns();
	for (long i = 0; i < CONSOLE_ITERS; i++)
		if (write(STDOUT_FILENO, text, sizeof(text)) != (ssize_t)sizeof(text)) {
			printf("\nbench: console_write_4k stuck: write %ld of %d did not finish in %d s\n",
			       i + 1, CONSOLE_ITERS, CONSOLE_LIMIT_S);
			return;
		}
	int64_t ns = now_ns() - t0;
	alarm(0);
	report("console_write_4k", ns, CONSOLE_ITERS);
}

static void bench_file_rows(const char *self)
{
	make_bench_file();
	bench_fork_exec(self);
	bench_open_read();
	bench_stat();
	bench_mmap();
	bench_console();
}
