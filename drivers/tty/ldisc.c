/*
 * drivers/tty/ldisc.c: the line discipline's input side: received bytes
 * through input mapping, signal characters, canonical editing (erase,
 * kill, word erase, literal next, end of line and end of file) or the
 * non-canonical queue, with echo; and reads, VMIN/VTIME readiness, poll
 * readiness and FIONREAD. The rules are n_tty_receive_char_special(),
 * eraser(), canon_copy_from_read_buf() and n_tty_read() in Linux's
 * drivers/tty/n_tty.c, and termios(3) for VMIN/VTIME.
 */
#include "drivers/tty/ldisc_priv.h"

#define LD_IN_MASK (LDISC_INBUF_SIZE - 1)
_Static_assert((LDISC_INBUF_SIZE & LD_IN_MASK) == 0, "input ring is a power of two");
/* VTIME counts tenths of a second. */
#define LD_MS_PER_VTIME 100

static size_t in_count(const struct ldisc *ld)
{
	return ld->in_head - ld->in_tail;
}

static uint8_t in_byte(const struct ldisc *ld, size_t i)
{
	return ld->in[i & LD_IN_MASK];
}

static uint8_t in_flag(const struct ldisc *ld, size_t i)
{
	return ld->in_flags[i & LD_IN_MASK];
}

static void in_put(struct ldisc *ld, uint8_t c, uint8_t flags)
{
	ld->in[ld->in_head & LD_IN_MASK] = c;
	ld->in_flags[ld->in_head & LD_IN_MASK] = flags;
	ld->in_head++;
}

static bool is_cc(const struct ldisc *ld, uint8_t c, int idx)
{
	return c != LD_DISABLED_CHAR && c == ld->termios.c_cc[idx];
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->in_head = ld->in_canon = ld->in_tail = 0;
	ld->lnext = false;
}

/* Columns byte c takes when echoed (ECHOCTL's ^X is two). */
static unsigned echo_width(const struct ldisc *ld, uint8_t c, unsigned col)
{
	if (c == '\t')
		return LD_TAB_STOP - (col % LD_TAB_STOP);
	if (ld_iscntrl(c))
		return (ld->termios.c_lflag & LD_ECHOCTL) ? LD_CTRL_ECHO_WIDTH : 0;
	return ld_is_continuation(ld, c) ? 0 : 1;
}

/* Echo of erasing the byte at ring index pos (ECHOE), as Linux's eraser(). */
static void echo_erase_one(struct ldisc *ld, uint8_t c, size_t pos)
{
	unsigned cols;

	if (c == '\t') {
		unsigned col = ld->canon_column;

		for (size_t i = ld->in_canon; i != pos; i++)
			col += echo_width(ld, in_byte(ld, i), col);
		cols = echo_width(ld, c, col);
		while (cols--)
			ldisc_echo_raw(ld, '\b');
		return;
	}
	cols = echo_width(ld, c, 0);
	if (ld_is_continuation(ld, c))
		return;
	for (unsigned i = 0; i < cols; i++) {
		ldisc_echo_raw(ld, '\b');
		ldisc_echo_raw(ld, ' ');
		ldisc_echo_raw(ld, '\b');
	}
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

static void eraser(struct ldisc *ld, enum erase_kind kind, uint8_t c)
{
	uint32_t l = ld->termios.c_lflag;
	bool echo = l & LD_ECHO;
	bool seen_word = false;

	if (ld->in_head == ld->in_canon)
		return;
	if (kind == ERASE_LINE) {
		if (!echo) {
			ld->in_head = ld->in_canon;
			return;
		}
		if (!(l & LD_ECHOK) || !(l & LD_ECHOKE) || !(l & LD_ECHOE)) {
			/* Show the kill character, then a new line under ECHOK. */
			ld->in_head = ld->in_canon;
			ldisc_echo_char(ld, c);
			if (l & LD_ECHOK)
				ldisc_echo_raw(ld, '\n');
			return;
		}
	}
	while (ld->in_head != ld->in_canon) {
		size_t pos = ld->in_head;
		uint8_t b;

		/* One whole character: a UTF-8 sequence under IUTF8. */
		do {
			pos--;
			b = in_byte(ld, pos);
		} while (ld_is_continuation(ld, b) && pos != ld->in_canon);
		if (kind == ERASE_WORD) {
			/* BSD's ALTWERASE, as Linux: separators, then the word. */
			bool word = b == '_' || (b >= '0' && b <= '9') ||
				    (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');

			if (word)
				seen_word = true;
			else if (seen_word)
				break;
		}
		ld->in_head = pos;
		if (echo) {
			if (kind == ERASE_CHAR && !(l & LD_ECHOE))
				ldisc_echo_char(ld, c);
			else
				echo_erase_one(ld, b, pos);
		}
		if (kind == ERASE_CHAR)
			break;
	}
}

/* ISIG: flush unless NOFLSH, echo the character, ask for the signal. */
static void signal_char(struct ldisc *ld, int sig, uint8_t c)
{
	if (!(ld->termios.c_lflag & LD_NOFLSH)) {
		ldisc_flush_input(ld);
		ld->out_head = ld->out_tail;   /* Linux flushes the driver's output too */
	}
	if (ld->termios.c_lflag & LD_ECHO)
		ldisc_echo_char(ld, c);
	ldisc_queue_signal(ld, sig, ld->pgrp);
}

/*
 * An ordinary byte of a line or of raw input, echoed. nl_raw: a NL that
 * came from CR through ICRNL is echoed as a new line; a typed ^J (or one
 * after VLNEXT) shows as ^J under ECHOCTL, as in n_tty.
 */
static void put_echoed(struct ldisc *ld, uint8_t c, bool nl_raw)
{
	if (ld->termios.c_lflag & LD_ECHO) {
		if (ld->in_head == ld->in_canon)
			ld->canon_column = ld->column;
		if (c == '\n' && nl_raw)
			ldisc_echo_raw(ld, c);
		else
			ldisc_echo_char(ld, c);
	}
	in_put(ld, c, 0);
}

/* Ends the line with terminator c; false when there is no room at all. */
static bool end_line(struct ldisc *ld, uint8_t c, uint8_t flags)
{
	if (in_count(ld) >= LDISC_INBUF_SIZE) {
		if (ld->in_canon != ld->in_tail)
			return false;   /* complete lines fill it: the reader must drain */
		ld->in_head--;          /* give up the line's last byte for its end */
	}
	in_put(ld, c, flags | LDISC_F_EOL);
	ld->in_canon = ld->in_head;
	return true;
}

static void receive_canon(struct ldisc *ld, uint8_t c)
{
	uint32_t l = ld->termios.c_lflag;
	bool iexten = l & LD_IEXTEN;

	if (is_cc(ld, c, LD_VERASE)) {
		eraser(ld, ERASE_CHAR, c);
	} else if (is_cc(ld, c, LD_VKILL)) {
		eraser(ld, ERASE_LINE, c);
	} else if (iexten && is_cc(ld, c, LD_VWERASE)) {
		eraser(ld, ERASE_WORD, c);
	} else if (iexten && is_cc(ld, c, LD_VLNEXT)) {
		ld->lnext = true;
		if ((l & LD_ECHO) && (l & LD_ECHOCTL))
			(void)ldisc_out_raw(ld, "^\b", 2);
	} else if (c == '\n') {
		if (end_line(ld, c, 0) && (l & (LD_ECHO | LD_ECHONL)))
			ldisc_echo_raw(ld, c);
	} else if (is_cc(ld, c, LD_VEOF)) {
		(void)end_line(ld, LD_DISABLED_CHAR, LDISC_F_EOF);
	} else if (is_cc(ld, c, LD_VEOL) || (iexten && is_cc(ld, c, LD_VEOL2))) {
		if (l & LD_ECHO) {
			if (ld->in_head == ld->in_canon)
				ld->canon_column = ld->column;
			ldisc_echo_char(ld, c);
		}
		(void)end_line(ld, c, 0);
	} else if (in_count(ld) < LDISC_INBUF_SIZE - 1) {
		put_echoed(ld, c, false);
	}
	/* else: full; dropped, the last slot is kept for the line's end */
}

/* One received byte; false if it does not fit (non-canonical, full). */
static bool receive(struct ldisc *ld, uint8_t c)
{
	const struct ld_termios *t = &ld->termios;
	bool from_cr = false;

	if (ld->lnext) {
		/* VLNEXT exists only in canonical mode: the ordinary-byte limit. */
		ld->lnext = false;
		if (in_count(ld) < LDISC_INBUF_SIZE - 1)
			put_echoed(ld, c, false);
		return true;
	}
	if (t->c_lflag & LD_ISIG) {
		if (is_cc(ld, c, LD_VINTR)) {
			signal_char(ld, LD_SIGINT, c);
			return true;
		}
		if (is_cc(ld, c, LD_VQUIT)) {
			signal_char(ld, LD_SIGQUIT, c);
			return true;
		}
		if (is_cc(ld, c, LD_VSUSP)) {
			signal_char(ld, LD_SIGTSTP, c);
			return true;
		}
	}
	if (c == '\r') {
		if (t->c_iflag & LD_IGNCR)
			return true;
		if (t->c_iflag & LD_ICRNL) {
			c = '\n';
			from_cr = true;
		}
	} else if (c == '\n' && (t->c_iflag & LD_INLCR)) {
		c = '\r';
	}
	if (t->c_lflag & LD_ICANON) {
		receive_canon(ld, c);
		return true;
	}
	if (in_count(ld) >= LDISC_INBUF_SIZE)
		return false;
	put_echoed(ld, c, from_cr);
	return true;
}

size_t ldisc_input(struct ldisc *ld, const char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* Non-canonical: everything queued is readable at once. */
		if (!receive(ld, (uint8_t)bytes[i]))
			break;
		if (!(ld->termios.c_lflag & LD_ICANON))
			ld->in_canon = ld->in_head;
	}
	return i;
}

/* The end of the first complete line at or after the tail, canonical. */
static size_t line_end(const struct ldisc *ld)
{
	size_t i = ld->in_tail;

	while (i != ld->in_canon && !(in_flag(ld, i) & LDISC_F_EOL))
		i++;
	return i;
}

size_t ldisc_read(struct ldisc *ld, char *buf, size_t n)
{
	size_t len, end = 0;
	bool canon = ld->termios.c_lflag & LD_ICANON;
	bool found = false;

	if (n == 0)
		return 0;   /* and a VEOF waiting stays for the next read */
	if (canon) {
		end = line_end(ld);
		found = end != ld->in_canon;
		/* Bytes a reader gets: through the terminator unless it is VEOF. */
		len = end - ld->in_tail;
		if (found && !(in_flag(ld, end) & LDISC_F_EOF))
			len++;
	} else {
		len = in_count(ld);
	}
	if (n > len)
		n = len;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)in_byte(ld, ld->in_tail + i);
	ld->in_tail += n;
	/* The whole line taken: its VEOF goes too (read 0 only at a line's start). */
	if (found && n == len)
		ld->in_tail = end + 1;
	if (!canon)
		ld->in_canon = ld->in_head;
	return n;
}

size_t ldisc_inq(const struct ldisc *ld)
{
	size_t n = 0;

	if (!(ld->termios.c_lflag & LD_ICANON))
		return in_count(ld);
	for (size_t i = ld->in_tail; i != ld->in_canon; i++)
		if (!(in_flag(ld, i) & LDISC_F_EOF))
			n++;
	return n;
}

bool ldisc_read_ready(const struct ldisc *ld, size_t nr, struct ldisc_wait *wait)
{
	unsigned vmin = ld->termios.c_cc[LD_VMIN];
	unsigned vtime = ld->termios.c_cc[LD_VTIME];
	size_t avail = in_count(ld);

	wait->timer = LDISC_TIMER_NONE;
	wait->timeout_ms = 0;
	if (nr == 0)
		return true;
	if (ld->termios.c_lflag & LD_ICANON)
		return ld->in_tail != ld->in_canon;
	if (vmin > nr)
		vmin = (unsigned)nr;
	if (vmin == 0) {
		if (vtime == 0 || avail > 0)
			return true;
		wait->timer = LDISC_TIMER_READ;   /* MIN 0, TIME > 0: a read timer */
		wait->timeout_ms = vtime * LD_MS_PER_VTIME;
		return false;
	}
	if (avail >= vmin)
		return true;
	if (vtime > 0 && avail > 0) {
		/* MIN > 0, TIME > 0: an inter-byte timer once a byte came. */
		wait->timer = LDISC_TIMER_INTERBYTE;
		wait->timeout_ms = vtime * LD_MS_PER_VTIME;
	}
	return false;
}

bool ldisc_readable(const struct ldisc *ld)
{
	unsigned need;

	if (ld->termios.c_lflag & LD_ICANON)
		return ld->in_tail != ld->in_canon;
	/* n_tty_poll: input_available_p(tty, TIME_CHAR ? 0 : MIN_CHAR), 0 meaning 1. */
	need = ld->termios.c_cc[LD_VTIME] ? 1 : ld->termios.c_cc[LD_VMIN];
	if (need == 0)
		need = 1;
	return in_count(ld) >= need;
}
