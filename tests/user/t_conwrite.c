/*
 * tests/user/t_conwrite.c: big writes to the console (stdout), each in one
 * write(2): 4 KiB and 64 KiB blocking must return the full count (a
 * blocking terminal write waits for room, it is never short), and 64 KiB
 * with O_NONBLOCK must get through by short writes and EAGAIN, with
 * poll(POLLOUT) saying when to go on. The bytes are a known pattern of
 * 64-byte lines ("cwX NNNNNN " + letters + "\n"); this program cannot see
 * the serial line, so tests/qemu/test_conwrite.py checks that every line
 * arrived, in order. A write that does not finish in STAGE_LIMIT_S fails
 * the test instead of hanging it (SIGALRM without SA_RESTART).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME "t_conwrite"
#define LINE_BYTES 64      /* one pattern line, '\n' included */
#define LINE_HEAD 11       /* "cwX NNNNNN " */
#define LETTERS 26
#define LETTER_STEP 7      /* each line's letters start further on */
#define SMALL_BYTES 4096
#define BIG_BYTES 65536
#define STAGE_LIMIT_S 60   /* generous: the host reads the serial line slowly under load */
#define POLL_LIMIT_MS 30000

static char text[BIG_BYTES];

static void fail(const char *why)
{
	printf("\nFAIL: " NAME ": %s (errno %d: %s)\n", why, errno, strerror(errno));
	exit(1);
}

static void on_alarm(int sig)
{
	(void)sig; /* only interrupts a write that does not finish */
}

/* len bytes of stage tag's pattern (len a multiple of LINE_BYTES). The
 * host side (tests/qemu/test_conwrite.py) makes the same lines. */
static void pattern(char tag, size_t len)
{
	for (size_t line = 0; line < len / LINE_BYTES; line++) {
		char *l = text + line * LINE_BYTES;

		snprintf(l, LINE_HEAD + 1, "cw%c %06zu ", tag, line);
		for (size_t i = LINE_HEAD; i < LINE_BYTES - 1; i++)
			l[i] = (char)('a' + (line * LETTER_STEP + i) % LETTERS);
		l[LINE_BYTES - 1] = '\n';
	}
}

static void announce(char tag, size_t len, const char *how)
{
	printf(NAME ": stage %c: %zu bytes, %s\n", tag, len, how);
	fflush(stdout); /* before the raw write, so the lines do not mix */
}

/* One blocking write of the whole pattern: it must return len. */
static void blocking(char tag, size_t len)
{
	ssize_t n;

	pattern(tag, len);
	announce(tag, len, "one blocking write");
	alarm(STAGE_LIMIT_S);
	n = write(STDOUT_FILENO, text, len);
	alarm(0);
	if (n != (ssize_t)len) {
		printf("\n" NAME ": stage %c: write returned %zd of %zu\n", tag, n, len);
		fail("a blocking console write did not return the full count");
	}
	printf(NAME ": stage %c done\n", tag);
}

/* The pattern through O_NONBLOCK: short writes and EAGAIN are allowed,
 * poll(POLLOUT) must then come back ready, and all of it must go. */
static void nonblocking(char tag, size_t len)
{
	int fl = fcntl(STDOUT_FILENO, F_GETFL);
	size_t off = 0;
	unsigned shorts = 0, eagains = 0;

	if (fl < 0)
		fail("F_GETFL");
	pattern(tag, len);
	announce(tag, len, "O_NONBLOCK");
	if (fcntl(STDOUT_FILENO, F_SETFL, fl | O_NONBLOCK) < 0)
		fail("F_SETFL O_NONBLOCK");
	alarm(STAGE_LIMIT_S);
	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, text + off, len - off);

		if (n > 0) {
			shorts += (size_t)n < len - off;
			off += (size_t)n;
			continue;
		}
		if (n == 0 || errno != EAGAIN)
			break;
		eagains++;
		struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
		int r = poll(&pfd, 1, POLL_LIMIT_MS);

		if (r != 1 || !(pfd.revents & POLLOUT)) {
			fcntl(STDOUT_FILENO, F_SETFL, fl);
			fail("poll(POLLOUT) did not report the console writable");
		}
	}
	alarm(0);
	if (fcntl(STDOUT_FILENO, F_SETFL, fl) < 0)
		fail("F_SETFL back");
	if (off != len) {
		printf("\n" NAME ": stage %c: %zu of %zu written\n", tag, off, len);
		fail("a non-blocking console write failed");
	}
	printf(NAME ": stage %c done (%u short writes, %u EAGAIN)\n", tag, shorts, eagains);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	if (sigaction(SIGALRM, &sa, NULL) != 0)
		fail("sigaction");
	blocking('A', SMALL_BYTES);
	blocking('B', BIG_BYTES);
	nonblocking('C', BIG_BYTES);
	printf("PASS: " NAME "\n");
	return 0;
}
