/*
 * ttypoll: readiness of the serial terminal (pl011d's reports through
 * SCHEME_IOC_READY), driven by tests/qemu/test_login.py on serial:0 as
 * stdin. For poll, ppoll and epoll in turn, canonical then raw: a poll
 * with no wait finds stdin not readable (but writable); then, after
 * printing "waiting MECH MODE", the call blocks (bounded) until the host
 * types, and must return POLLIN; the input is read and echoed back as
 * "got MECH MODE [text]". In canonical mode a partial line is not ready:
 * the host sends "ab" first (poll stays empty after "partial" is printed)
 * and then the newline. Prints "PASS: ttypoll" or "FAIL: ttypoll: why".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define TEST_NAME "ttypoll"
#include "check.h"

#define WAIT_MS 30000 /* "for ever" that still ends if readiness is broken */
#define PARTIAL_MS 300 /* how long a partial line must stay not ready */

enum mech { MECH_POLL, MECH_PPOLL, MECH_EPOLL };
static const char *const mech_names[] = { "poll", "ppoll", "epoll" };

/* stdin's readiness now or after waiting up to ms: the revents. */
static unsigned wait_ready(enum mech m, unsigned events, int ms)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = (short)events };
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	struct epoll_event ev = { .events = events }, out;
	int n, ep;

	switch (m) {
	case MECH_POLL:
		n = poll(&p, 1, ms);
		break;
	case MECH_PPOLL:
		n = ppoll(&p, 1, &ts, NULL);
		break;
	default:
		ep = epoll_create1(EPOLL_CLOEXEC);
		CHECK(ep >= 0, "epoll_create1: %s", strerror(errno));
		CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) == 0, "epoll_ctl: %s",
		      strerror(errno));
		n = epoll_wait(ep, &out, 1, ms);
		close(ep);
		p.revents = n > 0 ? (short)out.events : 0;
		break;
	}
	CHECK(n >= 0, "%s: %s", mech_names[m], strerror(errno));
	return n ? (unsigned short)p.revents : 0;
}

static void set_canonical(bool on)
{
	struct termios t;

	CHECK(tcgetattr(STDIN_FILENO, &t) == 0, "tcgetattr: %s", strerror(errno));
	if (on) {
		t.c_lflag |= ICANON | ECHO;
	} else {
		t.c_lflag &= ~(ICANON | ECHO);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
	}
	CHECK(tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0, "tcsetattr: %s", strerror(errno));
}

static void one(enum mech m, bool canonical)
{
	const char *mode = canonical ? "line" : "raw";
	char buf[64];
	unsigned r;
	ssize_t n;

	set_canonical(canonical);
	CHECK(wait_ready(m, POLLIN, 0) == 0, "%s %s: stdin readable with no input", mech_names[m],
	      mode);
	CHECK(wait_ready(m, POLLOUT, 0) & POLLOUT, "%s %s: not writable", mech_names[m], mode);
	if (canonical) {
		printf("partial %s\n", mech_names[m]);
		/* The host typed "ab" without a newline: still no line. */
		CHECK(wait_ready(m, POLLIN, PARTIAL_MS) == 0, "%s: a partial line is readable",
		      mech_names[m]);
	}
	printf("waiting %s %s\n", mech_names[m], mode);
	r = wait_ready(m, POLLIN, WAIT_MS);
	CHECK(r & POLLIN, "%s %s: woke with %#x, not POLLIN", mech_names[m], mode, r);
	n = read(STDIN_FILENO, buf, sizeof(buf) - 1);
	CHECK(n > 0, "read: %s", strerror(errno));
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("got %s %s [%s]\n", mech_names[m], mode, buf);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (enum mech m = MECH_POLL; m <= MECH_EPOLL; m++) {
		one(m, true);
		one(m, false);
	}
	set_canonical(true);
	printf("PASS: ttypoll\n");
	return 0;
}
