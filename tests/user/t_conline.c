/*
 * t_conline: kernel log lines and a program's lines on one serial console.
 * The program writes lines to its stdout (serial:0) in two pieces with a
 * kernel log line put in between (written to the log through debug:,
 * which after pl011d's hand-over appends to the kernel log as printk
 * does), pausing between the pieces as a program
 * finishing a line later would (the pause is the scenario, not a wait for
 * an event: nothing tells a program when the console showed the log).
 * Then it leaves a prompt open for longer than pl011d holds kernel text
 * for (drivers/pl011d/kmsg.c) with a kernel line behind it. Last, a line
 * written to debug: itself (the log) in two pieces with a real printk in
 * between (an unknown system call's line, syscall/syscall.c): the kernel
 * line must start on a fresh line (kernel/klog.c). Then kernel lines each
 * logged just before a program line: each must come out first. This program
 * cannot see the serial line: tests/qemu/test_conline.py checks that every
 * program line arrived whole and every kernel line whole at the start of
 * a line. Anode only: Linux prints console messages wherever the cursor
 * is, and its test machine has no kernel log to write to.
 * Prints "PASS: t_conline" or "FAIL: t_conline: <reason>".
 */
#define TEST_NAME "t_conline"
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define ROUNDS 10
#define PIECE_PAUSE_MS 50      /* well inside pl011d's hold (KMSG_HOLD_MS, 1 s) */
#define PROMPT_PAUSE_MS 2500   /* well past it */
#define MS_NS 1000000L
#define MS_PER_S 1000
#define LINE_MAX_ 80
#define UNKNOWN_CALL 244       /* no AArch64 Linux call has it: the kernel logs a line */

static void pause_ms(long ms)
{
	struct timespec t = { .tv_sec = ms / MS_PER_S, .tv_nsec = ms % MS_PER_S * MS_NS };

	while (nanosleep(&t, &t) != 0)
		CHECK(errno == EINTR, "nanosleep: %s", strerror(errno));
}

static void put(int fd, const char *what, const char *text)
{
	size_t n = strlen(text);

	CHECK(write(fd, text, n) == (ssize_t)n, "write to %s: %s", what, strerror(errno));
}

/* The kernel log, through the kernel console (debug:). */
static int open_log(void)
{
	int fd = open("debug:", O_WRONLY);

	CHECK(fd >= 0, "open debug:: %s", strerror(errno));
	return fd;
}

int main(void)
{
	char line[LINE_MAX_];
	int log = open_log();

	setvbuf(stdout, NULL, _IONBF, 0); /* each put() is one write */
	for (int r = 0; r < ROUNDS; r++) {
		snprintf(line, sizeof(line), "conline %d: left ", r);
		put(STDOUT_FILENO, "stdout", line);
		snprintf(line, sizeof(line), "conline-kernel %d\n", r);
		put(log, "the log", line);
		pause_ms(PIECE_PAUSE_MS);
		put(STDOUT_FILENO, "stdout", "right\n");
	}
	put(STDOUT_FILENO, "stdout", "conline-prompt> ");
	put(log, "the log", "conline-kernel prompt\n");
	pause_ms(PROMPT_PAUSE_MS);
	put(STDOUT_FILENO, "stdout", "typed\n");
	put(log, "the log", "conline-debug left ");
	CHECK(syscall(UNKNOWN_CALL) == -1 && errno == ENOSYS, "call %d: %s", UNKNOWN_CALL,
	      strerror(errno));
	put(log, "the log", "right\n");
	/* Causal order: a kernel line logged before a program's write, with
	 * no line open, comes out before that write (pl011d's turn at a
	 * write's arrival), with no pause for the log to be shown. */
	for (int r = 0; r < ROUNDS; r++) {
		snprintf(line, sizeof(line), "conline-before %d\n", r);
		put(log, "the log", line);
		snprintf(line, sizeof(line), "conline-after %d\n", r);
		put(STDOUT_FILENO, "stdout", line);
	}
	close(log);
	printf("PASS: t_conline\n");
	return 0;
}
