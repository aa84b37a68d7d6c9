/*
 * drivers/tty/ldisc.h: the terminal line discipline, a pure library that
 * a terminal daemon (pl011d first, later virtual terminals and ptys) links.
 * It owns everything between the raw bytes of a device and what a
 * program reads and writes: input mapping, canonical line editing, echo,
 * the characters that raise signals, VMIN/VTIME, output processing, the
 * termios settings, the window size, the foreground process group and
 * session bookkeeping, and the ioctls that read and change all of these.
 * It owns no device, no thread, no clock and no process: the daemon moves
 * bytes, keeps time, blocks callers and delivers signals, following the
 * answers this library gives.
 *
 * The semantics are Linux's N_TTY (drivers/tty/n_tty.c, tty_io.c,
 * tty_jobctrl.c) and termios(3); the layout and values are Linux's uapi
 * (include/uapi/asm-generic/termbits.h, termbits-common.h, ioctls.h,
 * signal.h), which AArch64 uses, under this library's own LD_ names so it
 * compiles beside a host's or musl's <termios.h> without clashing.
 *
 * How a daemon uses it (one struct ldisc per terminal; the library is not
 * thread-safe: the daemon holds one lock around every call on an ldisc):
 *  - ldisc_init() once.
 *  - Device received bytes: ldisc_input(); then deliver every signal
 *    ldisc_take_signal() hands out to its process group, retry blocked
 *    readers (ldisc_read_ready()) and move echoes out (below).
 *  - A program's read: ldisc_job_check(LDISC_JOB_READ) first; then while
 *    !ldisc_read_ready() wait for input or the deadline it gives; then
 *    ldisc_read(). poll: ldisc_readable() / ldisc_writable().
 *  - A program's write: ldisc_job_check(LDISC_JOB_WRITE); ldisc_write()
 *    accepts what fits; block for the rest until the queue drains.
 *  - Transmit: ldisc_output_pending() bytes wait; ldisc_drain() copies
 *    them out for the UART FIFO (echoes and program output share the
 *    queue, in order).
 *  - ioctl: ldisc_ioctl_size()/ldisc_ioctl_dir() say how many bytes of the
 *    caller's buffer to copy in and out; ldisc_ioctl() does the work and
 *    may answer LDISC_IOCTL_DRAIN (call again once output has drained).
 *    Afterwards deliver queued signals and re-check blocked readers and
 *    writers: settings (ICANON, VMIN, VTIME) or flushes may free them.
 *  - TIOCSCTTY/TIOCNOTTY change ld->session; the daemon mirrors that in
 *    what it tells the kernel about each session's controlling terminal
 *    (a steal takes it from the session that had it).
 * Every struct ldisc_caller pointer must be valid (the daemon fills one
 * per request from the kernel's caller information).
 *
 * Deliberately left out (documented so nobody expects them): IXON/IXOFF
 * flow control, VREPRINT, VDISCARD, ECHOPRT, PARMRK/INPCK/ISTRIP/IUCLC,
 * OLCUC, delays and fill characters, BRKINT (the device layer reports no
 * breaks yet), packet mode, TIOCSTI. Their flag bits are stored and read
 * back unchanged, as Linux does for bits a driver ignores.
 */
#ifndef DRIVERS_TTY_LDISC_H
#define DRIVERS_TTY_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Linux's termios layout (include/uapi/asm-generic/termbits.h). ---- */

#define LD_NCCS 19

/*
 * The kernel's struct termios, which TCGETS/TCSETS* copy: 36 bytes. libc's
 * struct termios (glibc and musl) is 60 bytes (NCCS 32 plus two speed
 * words); tcgetattr() hands that bigger buffer to TCGETS and the kernel
 * fills only these first 36 bytes, so 36 is what an ioctl moves.
 */
struct ld_termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LD_NCCS];
};
#define LD_TERMIOS_SIZE 36
_Static_assert(sizeof(struct ld_termios) == LD_TERMIOS_SIZE, "Linux struct termios is 36 bytes");
_Static_assert(offsetof(struct ld_termios, c_oflag) == 4, "c_oflag");
_Static_assert(offsetof(struct ld_termios, c_cflag) == 8, "c_cflag");
_Static_assert(offsetof(struct ld_termios, c_lflag) == 12, "c_lflag");
_Static_assert(offsetof(struct ld_termios, c_line) == 16, "c_line");
_Static_assert(offsetof(struct ld_termios, c_cc) == 17, "c_cc");

/* struct winsize (include/uapi/asm-generic/termios.h). */
struct ld_winsize {
	uint16_t ws_row;
	uint16_t ws_col;
	uint16_t ws_xpixel;
	uint16_t ws_ypixel;
};
_Static_assert(sizeof(struct ld_winsize) == 8, "Linux struct winsize is 8 bytes");

/* c_cc indices. */
#define LD_VINTR 0
#define LD_VQUIT 1
#define LD_VERASE 2
#define LD_VKILL 3
#define LD_VEOF 4
#define LD_VTIME 5
#define LD_VMIN 6
#define LD_VSWTC 7
#define LD_VSTART 8
#define LD_VSTOP 9
#define LD_VSUSP 10
#define LD_VEOL 11
#define LD_VREPRINT 12
#define LD_VDISCARD 13
#define LD_VWERASE 14
#define LD_VLNEXT 15
#define LD_VEOL2 16

/* A c_cc entry of 0 disables that function (Linux's __DISABLED_CHAR). */
#define LD_DISABLED_CHAR 0

/* c_iflag (octal, as in termbits.h). */
#define LD_IGNBRK 0000001
#define LD_BRKINT 0000002
#define LD_IGNPAR 0000004
#define LD_PARMRK 0000010
#define LD_INPCK 0000020
#define LD_ISTRIP 0000040
#define LD_INLCR 0000100
#define LD_IGNCR 0000200
#define LD_ICRNL 0000400
#define LD_IUCLC 0001000
#define LD_IXON 0002000
#define LD_IXANY 0004000
#define LD_IXOFF 0010000
#define LD_IMAXBEL 0020000
#define LD_IUTF8 0040000

/* c_oflag. */
#define LD_OPOST 0000001
#define LD_OLCUC 0000002
#define LD_ONLCR 0000004
#define LD_OCRNL 0000010
#define LD_ONOCR 0000020
#define LD_ONLRET 0000040

/* c_cflag. */
#define LD_B38400 0000017
#define LD_CS8 0000060
#define LD_CREAD 0000200
#define LD_HUPCL 0002000

/* c_lflag. */
#define LD_ISIG 0000001
#define LD_ICANON 0000002
#define LD_ECHO 0000010
#define LD_ECHOE 0000020
#define LD_ECHOK 0000040
#define LD_ECHONL 0000100
#define LD_NOFLSH 0000200
#define LD_TOSTOP 0000400
#define LD_ECHOCTL 0001000
#define LD_ECHOPRT 0002000
#define LD_ECHOKE 0004000
#define LD_IEXTEN 0100000

/* TCFLSH arguments. */
#define LD_TCIFLUSH 0
#define LD_TCOFLUSH 1
#define LD_TCIOFLUSH 2

/* ioctl numbers (include/uapi/asm-generic/ioctls.h). */
#define LD_TCGETS 0x5401
#define LD_TCSETS 0x5402
#define LD_TCSETSW 0x5403
#define LD_TCSETSF 0x5404
#define LD_TCSBRK 0x5409
#define LD_TCFLSH 0x540B
#define LD_TIOCSCTTY 0x540E
#define LD_TIOCGPGRP 0x540F
#define LD_TIOCSPGRP 0x5410
#define LD_TIOCOUTQ 0x5411
#define LD_TIOCGWINSZ 0x5413
#define LD_TIOCSWINSZ 0x5414
#define LD_FIONREAD 0x541B
#define LD_TIOCNOTTY 0x5422
#define LD_TIOCGSID 0x5429

/* Signal numbers (include/uapi/asm-generic/signal.h). */
#define LD_SIGHUP 1
#define LD_SIGINT 2
#define LD_SIGQUIT 3
#define LD_SIGCONT 18
#define LD_SIGTSTP 20
#define LD_SIGTTIN 21
#define LD_SIGTTOU 22
#define LD_SIGWINCH 28

/* ---- The line discipline object. ---- */

/* N_TTY_BUF_SIZE: the input buffer, a power of two (ring indices wrap). */
#define LDISC_INBUF_SIZE 4096
/* The output queue (echoes and processed program output). */
#define LDISC_OUTBUF_SIZE 4096
/* poll reports writable below this much queued output (n_tty WAKEUP_CHARS). */
#define LDISC_WAKEUP_CHARS 256
/* Distinct (signal, group) requests waiting for the daemon. */
#define LDISC_SIGQ_MAX 16

/* A signal the daemon must send to process group pgrp. */
struct ldisc_signal {
	int sig;
	int32_t pgrp;
};

/*
 * Who is making a request, as the daemon knows from the kernel. A flag the
 * daemon cannot know is false. The rules that use each field are Linux's
 * (tty_jobctrl.c: __tty_check_change, tiocsctty, tiocspgrp, TIOCNOTTY).
 */
struct ldisc_caller {
	int32_t pid;
	int32_t pgrp;
	int32_t sid;
	bool ctty_is_this;     /* this terminal is the caller's controlling terminal */
	bool has_ctty;         /* the caller's session has some controlling terminal */
	bool sigttin_ignored;  /* SIGTTIN ignored or blocked by the caller */
	bool sigttou_ignored;  /* SIGTTOU ignored or blocked by the caller */
	bool pgrp_orphaned;    /* the caller's process group is orphaned */
	bool privileged;       /* may steal a terminal with TIOCSCTTY 1 */
};

/*
 * Optional upcall for TIOCSPGRP: 0 if process group pgrp exists in session
 * sid, -ESRCH if there is no such group, -EPERM if it is in another
 * session. Without one, any positive pgrp is taken.
 */
typedef int (*ldisc_pgrp_check_fn)(void *ctx, int32_t pgrp, int32_t sid);

struct ldisc {
	struct ld_termios termios;
	struct ld_winsize winsize;
	int32_t pgrp;       /* foreground process group, 0 for none */
	int32_t session;    /* session this is the controlling terminal of, 0 for none */
	ldisc_pgrp_check_fn pgrp_check;
	void *pgrp_check_ctx;

	/*
	 * Input ring: [tail, canon) are completed lines (or every byte when
	 * not canonical), [canon, head) the line being edited. Indices run
	 * free and are reduced modulo LDISC_INBUF_SIZE on access.
	 */
	uint8_t in[LDISC_INBUF_SIZE];
	uint8_t in_flags[LDISC_INBUF_SIZE];   /* LDISC_F_* per slot */
	size_t in_head, in_canon, in_tail;
	bool lnext;          /* the next byte is taken literally (VLNEXT) */

	uint8_t out[LDISC_OUTBUF_SIZE];
	size_t out_head, out_tail;
	unsigned column;        /* output column, for tab erase */
	unsigned canon_column;  /* column where the current line's echo began */

	struct ldisc_signal sigq[LDISC_SIGQ_MAX];
	unsigned nsig;
};

/*
 * Linux's defaults (tty_std_termios): cooked, echo, ^C ^\ ^Z, ONLCR; no
 * window size (0 x 0, as a new Linux tty), no session, no foreground group.
 */
void ldisc_init(struct ldisc *ld);
void ldisc_set_pgrp_check(struct ldisc *ld, ldisc_pgrp_check_fn fn, void *ctx);

/*
 * Received bytes. Returns how many were consumed. Canonical mode consumes
 * all: when the buffer is full, ordinary characters are dropped (not
 * echoed) while erase, kill, word erase, signal characters and line
 * terminators still work, because the last slot is kept for a terminator
 * (Linux keeps the line going the same way, by overwriting its last byte;
 * either way a line holds at most 4095 bytes plus its terminator).
 * Non-canonical mode stops at the first byte that does not fit, so the
 * daemon can leave the rest in the device and stop receiving (as Linux
 * throttles): a signal character behind a full buffer waits like data.
 */
size_t ldisc_input(struct ldisc *ld, const char *bytes, size_t n);

/*
 * Signal requests, for the daemon to deliver in order. Standard signals do
 * not count, so a request equal to one already waiting is merged; with
 * LDISC_SIGQ_MAX distinct ones waiting, a new one is dropped. A pgrp of 0
 * (no foreground group) queues nothing, as Linux's isig() sends nothing.
 */
void ldisc_queue_signal(struct ldisc *ld, int sig, int32_t pgrp);
/* Takes the next signal request; false when none waits. */
bool ldisc_take_signal(struct ldisc *ld, struct ldisc_signal *out);

/* What a blocked read waits for, when ldisc_read_ready() says not yet. */
enum ldisc_timer {
	LDISC_TIMER_NONE,       /* wait for input only */
	LDISC_TIMER_READ,       /* VTIME from when the read began; not restarted */
	LDISC_TIMER_INTERBYTE,  /* VTIME restarted at every byte received */
};
struct ldisc_wait {
	enum ldisc_timer timer;
	unsigned timeout_ms;    /* VTIME in ms (tenths of a second * 100) */
};

/*
 * May a read of up to nr bytes complete now? If not, *wait says what to
 * wait for; when its timer expires the daemon calls ldisc_read() anyway
 * and returns what it gives (possibly 0). Canonical: a completed line (or
 * end of file). Otherwise termios(3)'s four VMIN/VTIME cases, with VMIN
 * capped at nr as Linux does.
 */
bool ldisc_read_ready(const struct ldisc *ld, size_t nr, struct ldisc_wait *wait);

/*
 * Takes completed input. Canonical: at most one line, its newline or EOL
 * included; a VEOF is never returned, and one at the start of a line
 * makes the read return 0 (end of file). Otherwise what is there, up to n.
 */
size_t ldisc_read(struct ldisc *ld, char *buf, size_t n);

/* Bytes a read would get now (FIONREAD): completed lines, less VEOFs. */
size_t ldisc_inq(const struct ldisc *ld);

/* poll: POLLIN (n_tty_poll's rule: VMIN bytes unless VTIME is set). */
bool ldisc_readable(const struct ldisc *ld);

/* poll: POLLOUT, less than LDISC_WAKEUP_CHARS queued. */
bool ldisc_writable(const struct ldisc *ld);

/*
 * A program's output: OPOST processing (ONLCR, OCRNL, ONOCR, ONLRET) into
 * the output queue. Returns how many bytes of buf were taken: a byte is
 * taken whole or not at all (CR LF needs two slots), 0 when full.
 */
size_t ldisc_write(struct ldisc *ld, const char *buf, size_t n);

/* Queued output (TIOCOUTQ) and taking it for the device. */
size_t ldisc_output_pending(const struct ldisc *ld);
size_t ldisc_drain(struct ldisc *ld, char *buf, size_t n);

/* TCFLSH's three queues; -EINVAL for another value. */
int ldisc_flush(struct ldisc *ld, int queue);

/* The settings now. Setting applies at once (TCSETS); see ldisc_ioctl. */
void ldisc_get_termios(const struct ldisc *ld, struct ld_termios *t);
void ldisc_set_termios(struct ldisc *ld, const struct ld_termios *t);

/* Job control. */
enum ldisc_job_op {
	LDISC_JOB_READ,      /* SIGTTIN for a background reader */
	LDISC_JOB_WRITE,     /* SIGTTOU for a background writer if TOSTOP */
	LDISC_JOB_CHANGE,    /* SIGTTOU for a background group changing settings */
};

/*
 * Linux's __tty_check_change rule. Allowed (0) unless this is the caller's
 * controlling terminal, a foreground group is set and the caller is not
 * in it (and, for a write, TOSTOP is set). Then: the signal is ignored or
 * blocked → 0 for a write or change, -EIO for a read; the caller's group
 * is orphaned → -EIO; else the signal number (LD_SIGTTIN/LD_SIGTTOU): the
 * daemon sends it to caller->pgrp and fails the request with -EINTR so it
 * is restarted after the job is continued.
 */
int ldisc_job_check(const struct ldisc *ld, const struct ldisc_caller *caller,
		    enum ldisc_job_op op);

/* ioctl argument direction, for copying the caller's buffer. */
#define LDISC_IO_NONE 0  /* the argument is a value, not a pointer */
#define LDISC_IO_IN 1    /* copy size bytes in before */
#define LDISC_IO_OUT 2   /* copy size bytes out after success */

/* Bytes of the caller's buffer cmd uses (0 for value arguments), -ENOTTY if unknown. */
int ldisc_ioctl_size(unsigned long cmd);
/* LDISC_IO_* bits for cmd, -ENOTTY if unknown. */
int ldisc_ioctl_dir(unsigned long cmd);

/* ldisc_ioctl: apply only once output has drained; call again then. */
#define LDISC_IOCTL_DRAIN 1

/*
 * One ioctl. value is the argument when it is a value (TCFLSH, TCSBRK,
 * TIOCSCTTY); buf/size the copied-in or to-be-copied-out bytes otherwise
 * (size must be at least ldisc_ioctl_size(cmd), else -EFAULT, as a short
 * user buffer is in Linux). Returns 0, -errno (-ENOTTY unknown or not
 * this caller's terminal, -EINVAL bad value, -EPERM, -EIO, -EINTR after a
 * job-control signal was queued), or LDISC_IOCTL_DRAIN for TCSETSW,
 * TCSETSF and TCSBRK while output is queued: nothing changed; the daemon
 * waits for the queue and its own FIFO to empty and calls again. On
 * failure nothing changed.
 */
int ldisc_ioctl(struct ldisc *ld, unsigned long cmd, unsigned long value, void *buf,
		size_t size, const struct ldisc_caller *caller);

#endif
