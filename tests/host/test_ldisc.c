/*
 * tests/host/test_ldisc.c: the terminal line discipline library
 * (drivers/tty/ldisc*.c) against Linux's N_TTY behaviour: its layout and
 * constants against the host's Linux uapi headers, canonical editing with
 * and without echo, signal characters, end of file, input and output
 * mapping, raw and cbreak modes with VMIN/VTIME, full buffers, the
 * ioctls, job control and output back-pressure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

/* Linux's own definitions, which AArch64 shares (asm-generic). */
#include <asm-generic/termbits.h>
#include <asm-generic/termios.h>
#include <asm-generic/ioctls.h>
#include <asm-generic/signal.h>

#include "drivers/tty/ldisc.h"

#define BIG 8192

static struct ldisc L;
static char out[BIG];

/* A session leader with this terminal as its controlling terminal. */
static const struct ldisc_caller LEADER = {
	.pid = 10, .pgrp = 10, .sid = 10, .ctty_is_this = true, .has_ctty = true,
};

static int setup(void **state)
{
	(void)state;
	ldisc_init(&L);
	return 0;
}

static void in(const char *s)
{
	assert_int_equal(ldisc_input(&L, s, strlen(s)), strlen(s));
}

/* Everything queued for the device, as a string. */
static const char *drained(void)
{
	size_t n = ldisc_drain(&L, out, sizeof(out) - 1);

	out[n] = '\0';
	return out;
}

/* One read of up to n bytes, as a string; must be ready. */
static const char *rd(size_t n)
{
	static char buf[BIG];
	struct ldisc_wait w;
	size_t got;

	assert_true(n < sizeof(buf));
	assert_true(ldisc_read_ready(&L, n, &w));
	got = ldisc_read(&L, buf, n);
	buf[got] = '\0';
	return buf;
}

static bool ready(size_t n)
{
	struct ldisc_wait w;

	return ldisc_read_ready(&L, n, &w);
}

enum flag_word { IFLAG, OFLAG, LFLAG };

/* Turns flags on and off in one of the termios flag words. */
static void set_flags(enum flag_word w, uint32_t on, uint32_t off)
{
	struct ld_termios t;
	uint32_t *word[] = { [IFLAG] = &t.c_iflag, [OFLAG] = &t.c_oflag, [LFLAG] = &t.c_lflag };

	ldisc_get_termios(&L, &t);
	*word[w] = (*word[w] | on) & ~off;
	ldisc_set_termios(&L, &t);
}
#define set_iflag(on, off) set_flags(IFLAG, (on), (off))
#define set_oflag(on, off) set_flags(OFLAG, (on), (off))
#define set_lflag(on, off) set_flags(LFLAG, (on), (off))

static void set_cc(int idx, uint8_t v)
{
	struct ld_termios t;

	ldisc_get_termios(&L, &t);
	t.c_cc[idx] = v;
	ldisc_set_termios(&L, &t);
}

static void raw_mode(uint8_t vmin, uint8_t vtime)
{
	set_lflag(0, LD_ICANON | LD_ECHO | LD_ISIG | LD_IEXTEN);
	set_cc(LD_VMIN, vmin);
	set_cc(LD_VTIME, vtime);
}

static int ioctl_int(unsigned long cmd)
{
	int32_t v = -1;

	assert_int_equal(ldisc_ioctl(&L, cmd, 0, &v, sizeof(v), &LEADER), 0);
	return v;
}

static void expect_signal(int sig, int32_t pgrp)
{
	struct ldisc_signal s;

	assert_true(ldisc_take_signal(&L, &s));
	assert_int_equal(s.sig, sig);
	assert_int_equal(s.pgrp, pgrp);
}

static void expect_no_signal(void)
{
	struct ldisc_signal s;

	assert_false(ldisc_take_signal(&L, &s));
}

/* Makes LEADER's session own the terminal, foreground group 10. */
static void own_terminal(void)
{
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 0, NULL, 0,
				     &(struct ldisc_caller){ .pid = 10, .pgrp = 10, .sid = 10 }), 0);
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct ld_termios), sizeof(struct termios));
	assert_int_equal(offsetof(struct ld_termios, c_lflag), offsetof(struct termios, c_lflag));
	assert_int_equal(offsetof(struct ld_termios, c_line), offsetof(struct termios, c_line));
	assert_int_equal(offsetof(struct ld_termios, c_cc), offsetof(struct termios, c_cc));
	assert_int_equal(LD_NCCS, NCCS);
	assert_int_equal(sizeof(struct ld_winsize), sizeof(struct winsize));
	assert_int_equal(offsetof(struct ld_winsize, ws_col), offsetof(struct winsize, ws_col));

	assert_int_equal(LD_VINTR, VINTR);
	assert_int_equal(LD_VQUIT, VQUIT);
	assert_int_equal(LD_VERASE, VERASE);
	assert_int_equal(LD_VKILL, VKILL);
	assert_int_equal(LD_VEOF, VEOF);
	assert_int_equal(LD_VTIME, VTIME);
	assert_int_equal(LD_VMIN, VMIN);
	assert_int_equal(LD_VSTART, VSTART);
	assert_int_equal(LD_VSTOP, VSTOP);
	assert_int_equal(LD_VSUSP, VSUSP);
	assert_int_equal(LD_VEOL, VEOL);
	assert_int_equal(LD_VREPRINT, VREPRINT);
	assert_int_equal(LD_VDISCARD, VDISCARD);
	assert_int_equal(LD_VWERASE, VWERASE);
	assert_int_equal(LD_VLNEXT, VLNEXT);
	assert_int_equal(LD_VEOL2, VEOL2);

	assert_int_equal(LD_INLCR, INLCR);
	assert_int_equal(LD_IGNCR, IGNCR);
	assert_int_equal(LD_ICRNL, ICRNL);
	assert_int_equal(LD_IXON, IXON);
	assert_int_equal(LD_IUTF8, IUTF8);
	assert_int_equal(LD_OPOST, OPOST);
	assert_int_equal(LD_ONLCR, ONLCR);
	assert_int_equal(LD_OCRNL, OCRNL);
	assert_int_equal(LD_ONOCR, ONOCR);
	assert_int_equal(LD_ONLRET, ONLRET);
	assert_int_equal(LD_B38400, B38400);
	assert_int_equal(LD_CS8, CS8);
	assert_int_equal(LD_CREAD, CREAD);
	assert_int_equal(LD_HUPCL, HUPCL);
	assert_int_equal(LD_ISIG, ISIG);
	assert_int_equal(LD_ICANON, ICANON);
	assert_int_equal(LD_ECHO, ECHO);
	assert_int_equal(LD_ECHOE, ECHOE);
	assert_int_equal(LD_ECHOK, ECHOK);
	assert_int_equal(LD_ECHONL, ECHONL);
	assert_int_equal(LD_NOFLSH, NOFLSH);
	assert_int_equal(LD_TOSTOP, TOSTOP);
	assert_int_equal(LD_ECHOCTL, ECHOCTL);
	assert_int_equal(LD_ECHOPRT, ECHOPRT);
	assert_int_equal(LD_ECHOKE, ECHOKE);
	assert_int_equal(LD_IEXTEN, IEXTEN);
	assert_int_equal(LD_TCIFLUSH, TCIFLUSH);
	assert_int_equal(LD_TCOFLUSH, TCOFLUSH);
	assert_int_equal(LD_TCIOFLUSH, TCIOFLUSH);

	assert_int_equal(LD_TCGETS, TCGETS);
	assert_int_equal(LD_TCSETS, TCSETS);
	assert_int_equal(LD_TCSETSW, TCSETSW);
	assert_int_equal(LD_TCSETSF, TCSETSF);
	assert_int_equal(LD_TCSBRK, TCSBRK);
	assert_int_equal(LD_TCFLSH, TCFLSH);
	assert_int_equal(LD_TIOCSCTTY, TIOCSCTTY);
	assert_int_equal(LD_TIOCGPGRP, TIOCGPGRP);
	assert_int_equal(LD_TIOCSPGRP, TIOCSPGRP);
	assert_int_equal(LD_TIOCOUTQ, TIOCOUTQ);
	assert_int_equal(LD_TIOCGWINSZ, TIOCGWINSZ);
	assert_int_equal(LD_TIOCSWINSZ, TIOCSWINSZ);
	assert_int_equal(LD_FIONREAD, FIONREAD);
	assert_int_equal(LD_TIOCNOTTY, TIOCNOTTY);
	assert_int_equal(LD_TIOCGSID, TIOCGSID);

	assert_int_equal(LD_SIGHUP, SIGHUP);
	assert_int_equal(LD_SIGINT, SIGINT);
	assert_int_equal(LD_SIGQUIT, SIGQUIT);
	assert_int_equal(LD_SIGCONT, SIGCONT);
	assert_int_equal(LD_SIGTSTP, SIGTSTP);
	assert_int_equal(LD_SIGTTIN, SIGTTIN);
	assert_int_equal(LD_SIGTTOU, SIGTTOU);
	assert_int_equal(LD_SIGWINCH, SIGWINCH);
}

static void test_defaults(void **state)
{
	struct ld_termios t;

	(void)state;
	ldisc_get_termios(&L, &t);
	/* stty -g of a fresh Linux tty: 500:5:bf:8a3b. */
	assert_int_equal(t.c_iflag, 0x500);
	assert_int_equal(t.c_oflag, 0x5);
	assert_int_equal(t.c_cflag, 0xbf | LD_HUPCL);
	assert_int_equal(t.c_lflag, 0x8a3b);
	assert_int_equal(t.c_cc[LD_VINTR], 3);
	assert_int_equal(t.c_cc[LD_VERASE], 0x7f);
	assert_int_equal(t.c_cc[LD_VMIN], 1);
}

static void test_canon_line(void **state)
{
	(void)state;
	in("hello");
	assert_false(ready(100));
	assert_false(ldisc_readable(&L));
	assert_int_equal(ioctl_int(LD_FIONREAD), 0);
	in("\r");
	assert_string_equal(drained(), "hello\r\n");
	assert_true(ldisc_readable(&L));
	assert_int_equal(ioctl_int(LD_FIONREAD), 6);
	assert_string_equal(rd(3), "hel");
	assert_string_equal(rd(100), "lo\n");
	assert_false(ready(100));
	/* One line per read. */
	in("a\nb\n");
	assert_string_equal(rd(100), "a\n");
	assert_string_equal(rd(100), "b\n");
	/* A read of nothing is always ready. */
	assert_true(ready(0));
}

static void test_erase(void **state)
{
	(void)state;
	in("abc\x7f\x7f" "d\n");
	assert_string_equal(drained(), "abc\b \b\b \bd\r\n");
	assert_string_equal(rd(100), "ad\n");
	/* Erase at the start of a line does nothing. */
	in("\x7f");
	assert_string_equal(drained(), "");
	/* A control shown as ^A takes two columns to erase. */
	in("\x01\x7f");
	assert_string_equal(drained(), "^A\b \b\b \b");
	/* A tab goes back to where it started. */
	in("ab\t\x7f\n");
	assert_string_equal(drained(), "ab\t\b\b\b\b\b\b\r\n");
	assert_string_equal(rd(100), "ab\n");
	/* Without ECHOE the erase character itself is echoed. */
	set_lflag(0, LD_ECHOE);
	in("xy\x7f\n");
	assert_string_equal(drained(), "xy^?\r\n");
	assert_string_equal(rd(100), "x\n");
	/* Without ECHO, nothing. */
	set_lflag(0, LD_ECHO);
	in("xy\x7f\n");
	assert_string_equal(drained(), "");
	assert_string_equal(rd(100), "x\n");
}

static void test_erase_utf8(void **state)
{
	(void)state;
	set_iflag(LD_IUTF8, 0);
	in("a\xc3\xa9\x7f\n");
	assert_string_equal(drained(), "a\xc3\xa9\b \b\r\n");
	assert_string_equal(rd(100), "a\n");
}

static void test_kill(void **state)
{
	(void)state;
	in("abc\x15");
	assert_string_equal(drained(), "abc\b \b\b \b\b \b");
	in("x\n");
	assert_string_equal(rd(100), "x\n");
	drained();
	/* Without ECHOKE: ^U, and a new line for ECHOK. */
	set_lflag(0, LD_ECHOKE);
	in("abc\x15");
	assert_string_equal(drained(), "abc^U\r\n");
	set_lflag(0, LD_ECHOK);
	in("abc\x15");
	assert_string_equal(drained(), "abc^U");
	set_lflag(0, LD_ECHO);
	in("abc\x15" "d\n");
	assert_string_equal(drained(), "");
	assert_string_equal(rd(100), "d\n");
}

static void test_werase(void **state)
{
	(void)state;
	in("foo bar  \x17");
	assert_string_equal(drained(), "foo bar  \b \b\b \b\b \b\b \b\b \b");
	in("\x17");   /* "foo " goes: the space, then the word */
	in("x\n");
	assert_string_equal(rd(100), "x\n");
	drained();
	in("one two\x17\n");
	assert_string_equal(rd(100), "one \n");
	/* Without IEXTEN, ^W is an ordinary character. */
	set_lflag(0, LD_IEXTEN);
	in("ab\x17\n");
	assert_string_equal(rd(100), "ab\x17\n");
}

static void test_lnext(void **state)
{
	(void)state;
	own_terminal();
	in("\x16\x03\n");
	assert_string_equal(drained(), "^\b^C\r\n");
	assert_string_equal(rd(100), "\x03\n");
	expect_no_signal();
}

static void test_signals(void **state)
{
	(void)state;
	own_terminal();
	in("abc\x03");
	expect_signal(LD_SIGINT, 10);
	expect_no_signal();
	/* The typed line and the queued echo went; ^C is shown. */
	assert_string_equal(drained(), "^C");
	assert_int_equal(ldisc_inq(&L), 0);
	in("x\n");
	assert_string_equal(rd(100), "x\n");
	drained();
	in("\x1c");
	expect_signal(LD_SIGQUIT, 10);
	assert_string_equal(drained(), "^\\");
	in("\x1a");
	expect_signal(LD_SIGTSTP, 10);
	assert_string_equal(drained(), "^Z");
	/* Twice before the daemon looks: one request (signals do not count). */
	in("\x03\x03");
	expect_signal(LD_SIGINT, 10);
	expect_no_signal();
	drained();
	/* NOFLSH keeps the input. */
	set_lflag(LD_NOFLSH, 0);
	in("ab\x03" "c\n");
	expect_signal(LD_SIGINT, 10);
	assert_string_equal(rd(100), "abc\n");
	/* Without ISIG, ^C is data. */
	set_lflag(0, LD_ISIG);
	in("\x03\n");
	expect_no_signal();
	assert_string_equal(rd(100), "\x03\n");
}

static void test_signal_no_pgrp(void **state)
{
	(void)state;
	in("a\x03");
	expect_no_signal();
	assert_int_equal(ldisc_inq(&L), 0);
}

static void test_eof(void **state)
{
	(void)state;
	in("\x04");
	assert_string_equal(drained(), "");   /* not echoed */
	assert_int_equal(ldisc_read(&L, out, 0), 0);   /* leaves it */
	assert_true(ready(100));
	assert_int_equal(ldisc_inq(&L), 0);
	assert_string_equal(rd(100), "");      /* end of file */
	assert_false(ready(100));
	/* On a non-empty line: the line, without the ^D, then nothing. */
	in("abc\x04");
	assert_int_equal(ldisc_inq(&L), 3);
	assert_string_equal(rd(100), "abc");
	assert_false(ready(100));
	/* Taken in pieces: no end of file after the last piece. */
	in("abc\x04");
	assert_string_equal(rd(2), "ab");
	assert_string_equal(rd(2), "c");
	assert_false(ready(100));
	/* ^D then a new line: two reads, 0 then the line. */
	in("\x04" "x\n");
	assert_string_equal(rd(100), "");
	assert_string_equal(rd(100), "x\n");
}

static void test_eol(void **state)
{
	(void)state;
	set_cc(LD_VEOL, ';');
	in("ab;");
	assert_string_equal(drained(), "ab;");
	assert_string_equal(rd(100), "ab;");
}

static void test_input_mapping(void **state)
{
	(void)state;
	/* ICRNL (default). */
	in("a\r");
	assert_string_equal(rd(100), "a\n");
	/* Without ICRNL, CR is an ordinary character. */
	set_iflag(0, LD_ICRNL);
	in("a\r");
	assert_false(ready(100));
	in("\n");
	assert_string_equal(rd(100), "a\r\n");
	/* IGNCR drops it. */
	set_iflag(LD_IGNCR, 0);
	in("a\rb\n");
	assert_string_equal(rd(100), "ab\n");
	/* INLCR: NL becomes CR, which does not end the line. */
	set_iflag(LD_INLCR, LD_IGNCR);
	in("a\n");
	assert_false(ready(100));
	assert_int_equal(ldisc_inq(&L), 0);
}

static void test_echonl(void **state)
{
	(void)state;
	set_lflag(LD_ECHONL, LD_ECHO);
	in("ab\n");
	assert_string_equal(drained(), "\r\n");
}

static void test_output(void **state)
{
	(void)state;
	assert_int_equal(ldisc_write(&L, "a\nb", 3), 3);
	assert_string_equal(drained(), "a\r\nb");
	set_oflag(0, LD_ONLCR);
	assert_int_equal(ldisc_write(&L, "a\nb", 3), 3);
	assert_string_equal(drained(), "a\nb");
	set_oflag(LD_OCRNL, 0);
	assert_int_equal(ldisc_write(&L, "a\r", 2), 2);
	assert_string_equal(drained(), "a\n");
	/* ONOCR: no CR at column 0. OCRNL's NL left the column at 1. */
	set_oflag(LD_ONOCR, LD_OCRNL);
	assert_int_equal(ldisc_write(&L, "\rb\r\r", 4), 4);
	assert_string_equal(drained(), "\rb\r");
	set_oflag(LD_ONLCR, LD_OPOST);
	assert_int_equal(ldisc_write(&L, "a\n", 2), 2);
	assert_string_equal(drained(), "a\n");
}

static void test_raw_vmin_vtime(void **state)
{
	struct ldisc_wait w;

	(void)state;
	/* MIN 1, TIME 0: wait for a byte, no timer. */
	raw_mode(1, 0);
	assert_false(ldisc_read_ready(&L, 10, &w));
	assert_int_equal(w.timer, LDISC_TIMER_NONE);
	in("\x03\x7f" "a");
	assert_string_equal(drained(), "");     /* no echo */
	expect_no_signal();
	assert_string_equal(rd(2), "\x03\x7f");
	assert_string_equal(rd(10), "a");
	/* MIN 0, TIME 0: never waits. */
	raw_mode(0, 0);
	assert_true(ldisc_read_ready(&L, 10, &w));
	assert_int_equal(ldisc_read(&L, out, 10), 0);
	/* MIN 0, TIME 5: a 500 ms read timer, or the first byte. */
	raw_mode(0, 5);
	assert_false(ldisc_read_ready(&L, 10, &w));
	assert_int_equal(w.timer, LDISC_TIMER_READ);
	assert_int_equal(w.timeout_ms, 500);
	in("z");
	assert_string_equal(rd(10), "z");
	/* MIN 3, TIME 2: block for the first byte, then a 200 ms inter-byte timer. */
	raw_mode(3, 2);
	assert_false(ldisc_read_ready(&L, 10, &w));
	assert_int_equal(w.timer, LDISC_TIMER_NONE);
	assert_false(ldisc_readable(&L));
	in("a");
	assert_true(ldisc_readable(&L));          /* TIME set: one byte polls readable */
	assert_false(ldisc_read_ready(&L, 10, &w));
	assert_int_equal(w.timer, LDISC_TIMER_INTERBYTE);
	assert_int_equal(w.timeout_ms, 200);
	/* The timer fired: the daemon reads what is there. */
	assert_int_equal(ldisc_read(&L, out, 10), 1);
	in("ab");
	assert_true(ldisc_read_ready(&L, 2, &w));  /* MIN capped at the request */
	in("c");
	assert_string_equal(rd(10), "abc");
	/* MIN 3, TIME 0: readable only at three bytes. */
	raw_mode(3, 0);
	in("ab");
	assert_false(ldisc_readable(&L));
	assert_false(ldisc_read_ready(&L, 10, &w));
	in("c");
	assert_true(ldisc_readable(&L));
	assert_int_equal(ioctl_int(LD_FIONREAD), 3);
}

static void test_cbreak(void **state)
{
	(void)state;
	own_terminal();
	set_lflag(0, LD_ICANON);
	in("ab");
	assert_string_equal(drained(), "ab");
	assert_string_equal(rd(10), "ab");
	/* Erase is data; CR still maps and echoes as a new line. */
	in("\x7f\r");
	assert_string_equal(drained(), "^?\r\n");
	assert_string_equal(rd(10), "\x7f\n");
	/* A typed ^J shows as ^J (not through ICRNL). */
	in("\n");
	assert_string_equal(drained(), "^J");
	assert_string_equal(rd(10), "\n");
	in("\x03");
	expect_signal(LD_SIGINT, 10);
}

static void test_mode_switch(void **state)
{
	(void)state;
	in("abc");
	set_lflag(0, LD_ICANON);
	assert_int_equal(ldisc_inq(&L), 3);
	set_lflag(LD_ICANON, 0);
	assert_int_equal(ldisc_inq(&L), 0);
	in("\n");
	assert_string_equal(rd(100), "abc\n");
}

static void test_full_canon(void **state)
{
	static char big[5000];

	(void)state;
	memset(big, 'a', sizeof(big));
	assert_int_equal(ldisc_input(&L, big, sizeof(big)), sizeof(big));
	assert_int_equal(ldisc_output_pending(&L), LDISC_INBUF_SIZE - 1);
	drained();
	/* Erase still works; one more fits; then nothing until the line ends. */
	in("\x7f" "bc");
	assert_string_equal(drained(), "\b \bb");
	in("\n");
	assert_int_equal(ldisc_inq(&L), LDISC_INBUF_SIZE);
	assert_int_equal(strlen(rd(BIG - 1)), LDISC_INBUF_SIZE);
	/* Complete lines filling it: even a new line is dropped. */
	for (int i = 0; i < LDISC_INBUF_SIZE / 2; i++)
		in("a\n");
	in("x\n");
	assert_int_equal(ldisc_inq(&L), LDISC_INBUF_SIZE);
	assert_string_equal(rd(100), "a\n");
}

static void test_full_raw(void **state)
{
	static char big[5000];

	(void)state;
	raw_mode(1, 0);
	memset(big, 'r', sizeof(big));
	assert_int_equal(ldisc_input(&L, big, sizeof(big)), LDISC_INBUF_SIZE);
	assert_int_equal(ldisc_input(&L, big, 1), 0);
	assert_int_equal(ldisc_read(&L, out, 100), 100);
	assert_int_equal(ldisc_input(&L, big, sizeof(big)), 100);
	assert_int_equal(ioctl_int(LD_FIONREAD), LDISC_INBUF_SIZE);
}

static void test_tcsets(void **state)
{
	struct ld_termios t, now;

	(void)state;
	ldisc_get_termios(&L, &t);
	t.c_lflag &= ~LD_ECHO;
	/* SETSW/SETSF wait while output is queued; nothing changes. */
	assert_int_equal(ldisc_write(&L, "zz", 2), 2);
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETSW, 0, &t, sizeof(t), &LEADER), LDISC_IOCTL_DRAIN);
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETSF, 0, &t, sizeof(t), &LEADER), LDISC_IOCTL_DRAIN);
	ldisc_get_termios(&L, &now);
	assert_true(now.c_lflag & LD_ECHO);
	in("a\nb");
	drained();
	/* SETSF flushes the input. */
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETSF, 0, &t, sizeof(t), &LEADER), 0);
	assert_int_equal(ldisc_inq(&L), 0);
	assert_false(ready(100));
	assert_int_equal(ldisc_ioctl(&L, LD_TCGETS, 0, &now, sizeof(now), &LEADER), 0);
	assert_memory_equal(&now, &t, sizeof(t));
	/* SETSW keeps it; TCSETS applies at once even with output queued. */
	in("c\n");
	t.c_lflag |= LD_ECHO;
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETSW, 0, &t, sizeof(t), &LEADER), 0);
	assert_int_equal(ldisc_inq(&L), 2);
	assert_int_equal(ldisc_write(&L, "zz", 2), 2);
	t.c_lflag &= ~LD_ECHO;
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETS, 0, &t, sizeof(t), &LEADER), 0);
	/* TCSBRK (tcdrain) waits for the queue only. */
	assert_int_equal(ldisc_ioctl(&L, LD_TCSBRK, 1, NULL, 0, &LEADER), LDISC_IOCTL_DRAIN);
	drained();
	assert_int_equal(ldisc_ioctl(&L, LD_TCSBRK, 1, NULL, 0, &LEADER), 0);
}

static void test_flush(void **state)
{
	(void)state;
	in("a\nb\n");
	assert_int_equal(ldisc_ioctl(&L, LD_TCFLSH, 3, NULL, 0, &LEADER), -EINVAL);
	assert_int_equal(ldisc_inq(&L), 4);
	assert_int_equal(ldisc_ioctl(&L, LD_TCFLSH, LD_TCOFLUSH, NULL, 0, &LEADER), 0);
	assert_int_equal(ldisc_output_pending(&L), 0);
	assert_int_equal(ldisc_inq(&L), 4);
	assert_int_equal(ldisc_ioctl(&L, LD_TCFLSH, LD_TCIFLUSH, NULL, 0, &LEADER), 0);
	assert_int_equal(ldisc_inq(&L), 0);
	in("a\n");
	assert_int_equal(ldisc_ioctl(&L, LD_TCFLSH, LD_TCIOFLUSH, NULL, 0, &LEADER), 0);
	assert_int_equal(ldisc_inq(&L) + ldisc_output_pending(&L), 0);
	assert_int_equal(ldisc_flush(&L, -1), -EINVAL);
}

static void test_winsize(void **state)
{
	struct ld_winsize ws = { .ws_row = 24, .ws_col = 80 }, got;

	(void)state;
	own_terminal();
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSWINSZ, 0, &ws, sizeof(ws), &LEADER), 0);
	expect_signal(LD_SIGWINCH, 10);
	/* The same size again: no signal. */
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSWINSZ, 0, &ws, sizeof(ws), &LEADER), 0);
	expect_no_signal();
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCGWINSZ, 0, &got, sizeof(got), &LEADER), 0);
	assert_memory_equal(&got, &ws, sizeof(ws));
}

static int check_calls;
static int fake_pgrp_check(void *ctx, int32_t pgrp, int32_t sid)
{
	(void)ctx;
	check_calls++;
	assert_int_equal(sid, 10);
	return (pgrp == 10 || pgrp == 20) ? 0 : pgrp == 30 ? -EPERM : -ESRCH;
}

static int spgrp(int32_t pgrp, const struct ldisc_caller *c)
{
	return ldisc_ioctl(&L, LD_TIOCSPGRP, 0, &pgrp, sizeof(pgrp), c);
}

static void test_pgrp(void **state)
{
	struct ldisc_caller other = LEADER;

	(void)state;
	own_terminal();
	ldisc_set_pgrp_check(&L, fake_pgrp_check, NULL);
	assert_int_equal(ioctl_int(LD_TIOCGPGRP), 10);
	assert_int_equal(ioctl_int(LD_TIOCGSID), 10);
	assert_int_equal(spgrp(20, &LEADER), 0);
	assert_int_equal(ioctl_int(LD_TIOCGPGRP), 20);
	/* Bad values and wrong callers change nothing. */
	other.pgrp = 20;   /* in the foreground, so no SIGTTOU */
	assert_int_equal(spgrp(-1, &other), -EINVAL);
	assert_int_equal(spgrp(0, &other), -ESRCH);
	assert_int_equal(spgrp(30, &other), -EPERM);
	assert_int_equal(spgrp(40, &other), -ESRCH);
	other.ctty_is_this = false;
	assert_int_equal(spgrp(20, &other), -ENOTTY);
	other.ctty_is_this = true;
	other.sid = 11;
	assert_int_equal(spgrp(20, &other), -ENOTTY);
	assert_int_equal(ioctl_int(LD_TIOCGPGRP), 20);
	other = LEADER;
	other.ctty_is_this = false;
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCGPGRP, 0, out, 4, &other), -ENOTTY);
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCGSID, 0, out, 4, &other), -ENOTTY);
	/* The shell (group 10) is now in the background: setting is stopped. */
	assert_int_equal(spgrp(10, &LEADER), -EINTR);
	expect_signal(LD_SIGTTOU, 10);
	other = LEADER;
	other.sigttou_ignored = true;
	assert_int_equal(spgrp(10, &other), 0);
	assert_int_equal(ioctl_int(LD_TIOCGPGRP), 10);
	assert_true(check_calls > 0);
}

static void test_job_check(void **state)
{
	struct ldisc_caller bg = LEADER;
	struct ld_termios t;

	(void)state;
	own_terminal();
	assert_int_equal(spgrp(20, &LEADER), 0);
	/* Foreground and strangers pass. */
	bg.pgrp = 20;
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_READ), 0);
	bg = LEADER;
	bg.ctty_is_this = false;
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_READ), 0);
	bg = LEADER;
	/* Background: reading stops, writing only under TOSTOP. */
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_READ), LD_SIGTTIN);
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_WRITE), 0);
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_CHANGE), LD_SIGTTOU);
	set_lflag(LD_TOSTOP, 0);
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_WRITE), LD_SIGTTOU);
	/* Ignored: a write goes ahead, a read fails. */
	bg.sigttou_ignored = bg.sigttin_ignored = true;
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_WRITE), 0);
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_READ), -EIO);
	/* Orphaned groups get EIO instead of stopping forever. */
	bg = LEADER;
	bg.pgrp_orphaned = true;
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_WRITE), -EIO);
	assert_int_equal(ldisc_job_check(&L, &bg, LDISC_JOB_READ), -EIO);
	/* A background TCSETS is refused with a SIGTTOU request; nothing changes. */
	ldisc_get_termios(&L, &t);
	t.c_lflag &= ~LD_ECHO;
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETS, 0, &t, sizeof(t), &LEADER), -EINTR);
	expect_signal(LD_SIGTTOU, 10);
	ldisc_get_termios(&L, &t);
	assert_true(t.c_lflag & LD_ECHO);
	assert_int_equal(ldisc_ioctl(&L, LD_TCFLSH, LD_TCIFLUSH, NULL, 0, &bg), -EIO);
}

static void test_ctty(void **state)
{
	struct ldisc_caller c = { .pid = 11, .pgrp = 10, .sid = 10 };

	(void)state;
	/* Only a session leader without a terminal takes one. */
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 0, NULL, 0, &c), -EPERM);
	c = (struct ldisc_caller){ .pid = 10, .pgrp = 10, .sid = 10, .has_ctty = true };
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 0, NULL, 0, &c), -EPERM);
	assert_int_equal(L.session, 0);
	own_terminal();
	assert_int_equal(L.session, 10);
	/* Again from its own session: fine. */
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 0, NULL, 0, &LEADER), 0);
	/* Another session: no, unless privileged and asking to steal. */
	c = (struct ldisc_caller){ .pid = 50, .pgrp = 50, .sid = 50 };
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 1, NULL, 0, &c), -EPERM);
	c.privileged = true;
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 0, NULL, 0, &c), -EPERM);
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSCTTY, 1, NULL, 0, &c), 0);
	assert_int_equal(L.session, 50);
	assert_int_equal(L.pgrp, 50);
	/* TIOCNOTTY: not ours → ENOTTY; a member leaves quietly; the leader hangs up. */
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCNOTTY, 0, NULL, 0, &(struct ldisc_caller){ .pid = 50, .sid = 50 }), -ENOTTY);
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCNOTTY, 0, NULL, 0,
				     &(struct ldisc_caller){ .pid = 51, .pgrp = 50, .sid = 50, .ctty_is_this = true }), 0);
	expect_no_signal();
	assert_int_equal(L.session, 50);
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCNOTTY, 0, NULL, 0,
				     &(struct ldisc_caller){ .pid = 50, .pgrp = 50, .sid = 50, .ctty_is_this = true }), 0);
	expect_signal(LD_SIGHUP, 50);
	expect_signal(LD_SIGCONT, 50);
	assert_int_equal(L.session, 0);
	assert_int_equal(L.pgrp, 0);
}

static void test_bad_ioctls(void **state)
{
	struct ld_winsize ws = { 0 };

	(void)state;
	assert_int_equal(ldisc_ioctl(&L, 0x1234, 0, out, sizeof(out), &LEADER), -ENOTTY);
	assert_int_equal(ldisc_ioctl_size(0x1234), -ENOTTY);
	assert_int_equal(ldisc_ioctl_dir(0x1234), -ENOTTY);
	assert_int_equal(ldisc_ioctl_size(LD_TCGETS), LD_TERMIOS_SIZE);
	assert_int_equal(ldisc_ioctl_dir(LD_TCGETS), LDISC_IO_OUT);
	assert_int_equal(ldisc_ioctl_dir(LD_TCSETSF), LDISC_IO_IN);
	assert_int_equal(ldisc_ioctl_size(LD_TIOCGWINSZ), 8);
	assert_int_equal(ldisc_ioctl_size(LD_TCFLSH), 0);
	assert_int_equal(ldisc_ioctl_dir(LD_TCFLSH), LDISC_IO_NONE);
	assert_int_equal(ldisc_ioctl_size(LD_FIONREAD), 4);
	/* Short or missing buffers. */
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSWINSZ, 0, &ws, sizeof(ws) - 1, &LEADER), -EFAULT);
	assert_int_equal(ldisc_ioctl(&L, LD_TCGETS, 0, NULL, LD_TERMIOS_SIZE, &LEADER), -EFAULT);
	assert_int_equal(ldisc_ioctl(&L, LD_TCGETS, 0, out, sizeof(out), NULL), -EINVAL);
}

static void test_counts(void **state)
{
	(void)state;
	in("ab\ncd\n\x04" "ef");
	assert_int_equal(ioctl_int(LD_FIONREAD), 6);
	assert_int_equal(ioctl_int(LD_TIOCOUTQ), (int)ldisc_output_pending(&L));
	assert_int_equal(ioctl_int(LD_TIOCOUTQ), strlen("ab\r\ncd\r\nef"));
	drained();
	assert_int_equal(ioctl_int(LD_TIOCOUTQ), 0);
	assert_int_equal(ldisc_write(&L, "x\n", 2), 2);
	assert_int_equal(ioctl_int(LD_TIOCOUTQ), 3);
}

static void test_backpressure(void **state)
{
	static char big[5000];

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_true(ldisc_writable(&L));
	assert_int_equal(ldisc_write(&L, big, sizeof(big)), LDISC_OUTBUF_SIZE);
	assert_false(ldisc_writable(&L));
	assert_int_equal(ldisc_write(&L, big, 1), 0);
	/* Echo that does not fit is dropped, input still taken. */
	in("q\n");
	assert_string_equal(rd(10), "q\n");
	/* One slot: a new line needs two under ONLCR, so nothing is taken. */
	assert_int_equal(ldisc_drain(&L, big, 1), 1);
	assert_int_equal(ldisc_write(&L, "\ny", 2), 0);
	assert_int_equal(ldisc_write(&L, "y\n", 2), 1);
	assert_int_equal(ldisc_drain(&L, big, LDISC_OUTBUF_SIZE - LDISC_WAKEUP_CHARS),
			 LDISC_OUTBUF_SIZE - LDISC_WAKEUP_CHARS);
	assert_false(ldisc_writable(&L));   /* exactly LDISC_WAKEUP_CHARS queued */
	assert_int_equal(ldisc_drain(&L, big, 1), 1);
	assert_true(ldisc_writable(&L));
	assert_int_equal(ldisc_drain(&L, big, sizeof(big)), LDISC_WAKEUP_CHARS - 1);
	assert_int_equal(big[LDISC_WAKEUP_CHARS - 2], 'y');
	assert_int_equal(ldisc_write(&L, "a\nb", 3), 3);
	assert_string_equal(drained(), "a\r\nb");
}

/* Every byte value, in and out, under settings of all ones: every flag,
 * every control character 0xff, VMIN and VTIME 255 (TCSETS takes any
 * bits, as Linux does); nothing may leave the buffers (ASan), and the
 * defaults set again give a working line. A zero window is a window. */
static void test_garbage_settings(void **state)
{
	struct ld_termios garbage, def, got;
	struct ld_winsize zero = { 0 }, ws;
	struct ldisc_wait w;
	char all[UINT8_MAX + 1], buf[BIG];

	(void)state;
	ldisc_get_termios(&L, &def);
	memset(&garbage, 0xff, sizeof(garbage));
	for (size_t i = 0; i < sizeof(all); i++)
		all[i] = (char)i;
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETS, 0, &garbage, sizeof(garbage), &LEADER), 0);
	assert_int_equal(ldisc_ioctl(&L, LD_TCGETS, 0, &got, sizeof(got), &LEADER), 0);
	for (int round = 0; round < 4; round++) {
		ldisc_input(&L, all, sizeof(all));
		ldisc_write(&L, all, sizeof(all));
		ldisc_drain(&L, buf, sizeof(buf));
		while (ldisc_read_ready(&L, sizeof(buf), &w) && ldisc_read(&L, buf, sizeof(buf)))
			;
		while (ldisc_take_signal(&L, &(struct ldisc_signal){ 0 }))
			;
	}
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETSF, 0, &def, sizeof(def), &LEADER), 0);
	ldisc_drain(&L, buf, sizeof(buf));
	in("ok\n");
	assert_string_equal(rd(10), "ok\n");
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCSWINSZ, 0, &zero, sizeof(zero), &LEADER), 0);
	assert_int_equal(ldisc_ioctl(&L, LD_TIOCGWINSZ, 0, &ws, sizeof(ws), &LEADER), 0);
	assert_memory_equal(&ws, &zero, sizeof(ws));
	/* A short termios is refused and changes nothing. */
	assert_int_equal(ldisc_ioctl(&L, LD_TCSETS, 0, &garbage, sizeof(garbage) - 1, &LEADER), -EFAULT);
	ldisc_get_termios(&L, &got);
	assert_memory_equal(&got, &def, sizeof(got));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout), T(test_defaults), T(test_canon_line), T(test_erase),
		T(test_erase_utf8), T(test_kill), T(test_werase), T(test_lnext),
		T(test_signals), T(test_signal_no_pgrp), T(test_eof), T(test_eol),
		T(test_input_mapping), T(test_echonl), T(test_output),
		T(test_raw_vmin_vtime), T(test_cbreak), T(test_mode_switch),
		T(test_full_canon), T(test_full_raw), T(test_tcsets), T(test_flush),
		T(test_winsize), T(test_pgrp), T(test_job_check), T(test_ctty),
		T(test_bad_ioctls), T(test_counts), T(test_backpressure),
		T(test_garbage_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
