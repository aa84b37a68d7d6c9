/*
 * drivers/tty/ldisc_priv.h: what the line discipline's own files share and
 * a daemon must not use: the output primitives echo is built on, and the
 * per-slot flags of the input ring.
 */
#ifndef DRIVERS_TTY_LDISC_PRIV_H
#define DRIVERS_TTY_LDISC_PRIV_H

#include "drivers/tty/ldisc.h"

/* in_flags: this slot ends a line; and that end is a VEOF (never returned). */
#define LDISC_F_EOL 0x1
#define LDISC_F_EOF 0x2

#define LD_CTRL_MAX 0x1f  /* C0 controls end here */
#define LD_DEL 0x7f
#define LD_CTRL_FLIP 0100 /* ^X shows control c as c ^ 0100 (n_tty echo) */
#define LD_TAB_STOP 8
/* ^X: two columns. */
#define LD_CTRL_ECHO_WIDTH 2
/* UTF-8 continuation bytes are 10xxxxxx. */
#define LD_UTF8_TAG_MASK 0xc0
#define LD_UTF8_CONT_TAG 0x80
/* The control character typed as ^x (CTRL-x). */
#define LD_CTRL(x) ((x) & LD_CTRL_MAX)

/*
 * ASCII controls only: Linux's ctype also calls 0x80..0x9f controls, which
 * would echo UTF-8 continuation bytes as ^X; we keep them printable.
 */
static inline bool ld_iscntrl(uint8_t c)
{
	return c <= LD_CTRL_MAX || c == LD_DEL;
}

/* A UTF-8 continuation byte under IUTF8: it takes no column. */
static inline bool ld_is_continuation(const struct ldisc *ld, uint8_t c)
{
	return (ld->termios.c_iflag & LD_IUTF8) && (c & LD_UTF8_TAG_MASK) == LD_UTF8_CONT_TAG;
}

size_t ldisc_out_room(const struct ldisc *ld);
/* Queues bytes as they are, all or nothing. */
bool ldisc_out_raw(struct ldisc *ld, const char *bytes, size_t n);
/* Queues one byte with OPOST processing, all or nothing. */
bool ldisc_out_char(struct ldisc *ld, uint8_t c);
/* Echoes one input byte: ^X for a control under ECHOCTL (not TAB). */
void ldisc_echo_char(struct ldisc *ld, uint8_t c);
/* Echoes one byte as itself (through OPOST). */
void ldisc_echo_raw(struct ldisc *ld, uint8_t c);
void ldisc_flush_input(struct ldisc *ld);

#endif
