/*
 * drivers/tty/ldisc_out.c: the line discipline's output side: OPOST
 * processing (ONLCR, OCRNL, ONOCR, ONLRET) with the column it implies,
 * echo, the bounded output queue the daemon drains into the device, and
 * the queue of signal requests. The rules follow Linux's do_output_char()
 * and echo_char() in drivers/tty/n_tty.c.
 */
#include <string.h>

#include "drivers/tty/ldisc_priv.h"

#define LD_OUT_MASK (LDISC_OUTBUF_SIZE - 1)
_Static_assert((LDISC_OUTBUF_SIZE & LD_OUT_MASK) == 0, "output ring is a power of two");

size_t ldisc_output_pending(const struct ldisc *ld)
{
	return ld->out_head - ld->out_tail;
}

size_t ldisc_out_room(const struct ldisc *ld)
{
	return LDISC_OUTBUF_SIZE - ldisc_output_pending(ld);
}

bool ldisc_writable(const struct ldisc *ld)
{
	return ldisc_output_pending(ld) < LDISC_WAKEUP_CHARS;
}

bool ldisc_out_raw(struct ldisc *ld, const char *bytes, size_t n)
{
	if (n > ldisc_out_room(ld))
		return false;
	for (size_t i = 0; i < n; i++)
		ld->out[ld->out_head++ & LD_OUT_MASK] = (uint8_t)bytes[i];
	return true;
}

bool ldisc_out_char(struct ldisc *ld, uint8_t c)
{
	uint32_t o = ld->termios.c_oflag;
	char b = (char)c;

	if (!(o & LD_OPOST))
		return ldisc_out_raw(ld, &b, 1);
	if (ldisc_out_room(ld) == 0)
		return false;
	switch (c) {
	case '\n':
		if (o & LD_ONLCR) {
			if (!ldisc_out_raw(ld, "\r\n", 2))
				return false;
			ld->column = ld->canon_column = 0;
			return true;
		}
		if (o & LD_ONLRET)
			ld->column = 0;
		ld->canon_column = ld->column;
		break;
	case '\r':
		if ((o & LD_ONOCR) && ld->column == 0)
			return true;   /* taken, nothing to send */
		if (o & LD_OCRNL) {
			b = '\n';
			if (o & LD_ONLRET)
				ld->column = ld->canon_column = 0;
			break;
		}
		ld->column = ld->canon_column = 0;
		break;
	case '\t':
		ld->column += LD_TAB_STOP - (ld->column % LD_TAB_STOP);
		break;
	case '\b':
		if (ld->column > 0)
			ld->column--;
		break;
	default:
		if (!ld_iscntrl(c) && !ld_is_continuation(ld, c))
			ld->column++;
		break;
	}
	return ldisc_out_raw(ld, &b, 1);
}

void ldisc_echo_raw(struct ldisc *ld, uint8_t c)
{
	/* An echo that does not fit is lost, as Linux's echo buffer drops its oldest. */
	(void)ldisc_out_char(ld, c);
}

void ldisc_echo_char(struct ldisc *ld, uint8_t c)
{
	if ((ld->termios.c_lflag & LD_ECHOCTL) && ld_iscntrl(c) && c != '\t') {
		char pair[2] = { '^', (char)(c ^ LD_CTRL_FLIP) };

		if (ldisc_out_raw(ld, pair, sizeof(pair)))
			ld->column += LD_CTRL_ECHO_WIDTH;
		return;
	}
	ldisc_echo_raw(ld, c);
}

size_t ldisc_write(struct ldisc *ld, const char *buf, size_t n)
{
	size_t done = 0;

	while (done < n && ldisc_out_char(ld, (uint8_t)buf[done]))
		done++;
	return done;
}

size_t ldisc_drain(struct ldisc *ld, char *buf, size_t n)
{
	size_t avail = ldisc_output_pending(ld);

	if (n > avail)
		n = avail;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)ld->out[ld->out_tail++ & LD_OUT_MASK];
	return n;
}

void ldisc_queue_signal(struct ldisc *ld, int sig, int32_t pgrp)
{
	if (pgrp <= 0)
		return;
	for (unsigned i = 0; i < ld->nsig; i++)
		if (ld->sigq[i].sig == sig && ld->sigq[i].pgrp == pgrp)
			return;
	if (ld->nsig == LDISC_SIGQ_MAX)
		return;
	ld->sigq[ld->nsig].sig = sig;
	ld->sigq[ld->nsig].pgrp = pgrp;
	ld->nsig++;
}

bool ldisc_take_signal(struct ldisc *ld, struct ldisc_signal *out)
{
	if (ld->nsig == 0)
		return false;
	*out = ld->sigq[0];
	ld->nsig--;
	memmove(&ld->sigq[0], &ld->sigq[1], ld->nsig * sizeof(ld->sigq[0]));
	return true;
}
