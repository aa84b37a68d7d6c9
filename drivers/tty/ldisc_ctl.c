/*
 * drivers/tty/ldisc_ctl.c: the line discipline's control side: default
 * settings, termios changes, queue flushes, the window size, the
 * foreground process group and session, the job-control rule, and the
 * ioctl dispatcher a daemon forwards raw ioctls to. The rules are Linux's
 * (drivers/tty/tty_io.c tty_ioctl(), tty_ioctl.c set_termios(),
 * tty_jobctrl.c __tty_check_change(), tiocsctty(), tiocspgrp(),
 * disassociate_ctty()); error numbers are Linux's, from <errno.h>.
 */
#include <errno.h>
#include <string.h>

#include "drivers/tty/ldisc_priv.h"

/* A pid or process group number, as the ioctls pass it (pid_t). */
#define LD_PID_SIZE ((int)sizeof(int32_t))
/* TIOCOUTQ and FIONREAD answer an int. */
#define LD_INT_SIZE ((int)sizeof(int32_t))
/* TIOCSCTTY's argument asking to steal the terminal from another session. */
#define LD_SCTTY_STEAL 1
/* VMIN's default: a non-canonical read waits for one byte. */
#define LD_DEFAULT_VMIN 1

void ldisc_init(struct ldisc *ld)
{
	struct ld_termios *t = &ld->termios;

	memset(ld, 0, sizeof(*ld));
	/* tty_std_termios and INIT_C_CC (include/linux/tty.h, drivers/tty/tty_io.c). */
	t->c_iflag = LD_ICRNL | LD_IXON;
	t->c_oflag = LD_OPOST | LD_ONLCR;
	t->c_cflag = LD_B38400 | LD_CS8 | LD_CREAD | LD_HUPCL;
	t->c_lflag = LD_ISIG | LD_ICANON | LD_ECHO | LD_ECHOE | LD_ECHOK | LD_ECHOCTL |
		     LD_ECHOKE | LD_IEXTEN;
	t->c_cc[LD_VINTR] = LD_CTRL('C');
	t->c_cc[LD_VQUIT] = LD_CTRL('\\');
	t->c_cc[LD_VERASE] = LD_DEL;
	t->c_cc[LD_VKILL] = LD_CTRL('U');
	t->c_cc[LD_VEOF] = LD_CTRL('D');
	t->c_cc[LD_VMIN] = LD_DEFAULT_VMIN;
	t->c_cc[LD_VSTART] = LD_CTRL('Q');
	t->c_cc[LD_VSTOP] = LD_CTRL('S');
	t->c_cc[LD_VSUSP] = LD_CTRL('Z');
	t->c_cc[LD_VREPRINT] = LD_CTRL('R');
	t->c_cc[LD_VDISCARD] = LD_CTRL('O');
	t->c_cc[LD_VWERASE] = LD_CTRL('W');
	t->c_cc[LD_VLNEXT] = LD_CTRL('V');
}

void ldisc_set_pgrp_check(struct ldisc *ld, ldisc_pgrp_check_fn fn, void *ctx)
{
	ld->pgrp_check = fn;
	ld->pgrp_check_ctx = ctx;
}

void ldisc_get_termios(const struct ldisc *ld, struct ld_termios *t)
{
	*t = ld->termios;
}

void ldisc_set_termios(struct ldisc *ld, const struct ld_termios *t)
{
	bool canon_changed = (ld->termios.c_lflag ^ t->c_lflag) & LD_ICANON;

	ld->termios = *t;
	if (!canon_changed)
		return;
	/*
	 * As n_tty_set_termios(): line marks are forgotten; entering
	 * canonical mode, what is queued becomes the line being edited;
	 * leaving it, all of it is readable (a VEOF mark reads as NUL).
	 */
	for (size_t i = ld->in_tail; i != ld->in_head; i++)
		ld->in_flags[i & (LDISC_INBUF_SIZE - 1)] = 0;
	ld->in_canon = (t->c_lflag & LD_ICANON) ? ld->in_tail : ld->in_head;
	ld->lnext = false;
}

int ldisc_flush(struct ldisc *ld, int queue)
{
	switch (queue) {
	case LD_TCIFLUSH:
		ldisc_flush_input(ld);
		return 0;
	case LD_TCOFLUSH:
		ld->out_head = ld->out_tail;
		return 0;
	case LD_TCIOFLUSH:
		ldisc_flush_input(ld);
		ld->out_head = ld->out_tail;
		return 0;
	default:
		return -EINVAL;
	}
}

int ldisc_job_check(const struct ldisc *ld, const struct ldisc_caller *caller,
		    enum ldisc_job_op op)
{
	bool read = op == LDISC_JOB_READ;

	if (!caller->ctty_is_this || ld->pgrp == 0 || caller->pgrp == ld->pgrp)
		return 0;
	if (op == LDISC_JOB_WRITE && !(ld->termios.c_lflag & LD_TOSTOP))
		return 0;
	if (read ? caller->sigttin_ignored : caller->sigttou_ignored)
		return read ? -EIO : 0;
	if (caller->pgrp_orphaned)
		return -EIO;
	return read ? LD_SIGTTIN : LD_SIGTTOU;
}

/* tty_check_change() inside an ioctl: a signal becomes a queued request and -EINTR. */
static int change_check(struct ldisc *ld, const struct ldisc_caller *caller)
{
	int r = ldisc_job_check(ld, caller, LDISC_JOB_CHANGE);

	if (r > 0) {
		ldisc_queue_signal(ld, r, caller->pgrp);
		return -EINTR;
	}
	return r;
}

struct ioctl_desc {
	unsigned long cmd;
	int size;
	int dir;
};

static const struct ioctl_desc ioctls[] = {
	{ LD_TCGETS, LD_TERMIOS_SIZE, LDISC_IO_OUT },
	{ LD_TCSETS, LD_TERMIOS_SIZE, LDISC_IO_IN },
	{ LD_TCSETSW, LD_TERMIOS_SIZE, LDISC_IO_IN },
	{ LD_TCSETSF, LD_TERMIOS_SIZE, LDISC_IO_IN },
	{ LD_TCSBRK, 0, LDISC_IO_NONE },
	{ LD_TCFLSH, 0, LDISC_IO_NONE },
	{ LD_TIOCSCTTY, 0, LDISC_IO_NONE },
	{ LD_TIOCGPGRP, LD_PID_SIZE, LDISC_IO_OUT },
	{ LD_TIOCSPGRP, LD_PID_SIZE, LDISC_IO_IN },
	{ LD_TIOCOUTQ, LD_INT_SIZE, LDISC_IO_OUT },
	{ LD_TIOCGWINSZ, (int)sizeof(struct ld_winsize), LDISC_IO_OUT },
	{ LD_TIOCSWINSZ, (int)sizeof(struct ld_winsize), LDISC_IO_IN },
	{ LD_FIONREAD, LD_INT_SIZE, LDISC_IO_OUT },
	{ LD_TIOCNOTTY, 0, LDISC_IO_NONE },
	{ LD_TIOCGSID, LD_PID_SIZE, LDISC_IO_OUT },
};

static const struct ioctl_desc *find_ioctl(unsigned long cmd)
{
	for (size_t i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++)
		if (ioctls[i].cmd == cmd)
			return &ioctls[i];
	return NULL;
}

int ldisc_ioctl_size(unsigned long cmd)
{
	const struct ioctl_desc *d = find_ioctl(cmd);

	return d ? d->size : -ENOTTY;
}

int ldisc_ioctl_dir(unsigned long cmd)
{
	const struct ioctl_desc *d = find_ioctl(cmd);

	return d ? d->dir : -ENOTTY;
}

static void put_i32(void *buf, int32_t v)
{
	memcpy(buf, &v, sizeof(v));
}

static int32_t get_i32(const void *buf)
{
	int32_t v;

	memcpy(&v, buf, sizeof(v));
	return v;
}

static int set_termios_cmd(struct ldisc *ld, unsigned long cmd, const void *buf,
			   const struct ldisc_caller *caller)
{
	struct ld_termios t;
	int r = change_check(ld, caller);

	if (r)
		return r;
	if (cmd != LD_TCSETS && ldisc_output_pending(ld))
		return LDISC_IOCTL_DRAIN;
	memcpy(&t, buf, sizeof(t));
	if (cmd == LD_TCSETSF)
		ldisc_flush_input(ld);
	ldisc_set_termios(ld, &t);
	return 0;
}

static int set_winsize(struct ldisc *ld, const void *buf)
{
	struct ld_winsize ws;

	memcpy(&ws, buf, sizeof(ws));
	/* tiocswinsz(): only a change signals the foreground group. */
	if (memcmp(&ws, &ld->winsize, sizeof(ws)) != 0) {
		ld->winsize = ws;
		ldisc_queue_signal(ld, LD_SIGWINCH, ld->pgrp);
	}
	return 0;
}

static int set_pgrp(struct ldisc *ld, const void *buf, const struct ldisc_caller *caller)
{
	int32_t pgrp;
	int r = change_check(ld, caller);

	if (r == -EIO)
		return -ENOTTY;   /* as tiocspgrp() */
	if (r)
		return r;
	pgrp = get_i32(buf);
	if (pgrp < 0)
		return -EINVAL;
	if (!caller->ctty_is_this || ld->session != caller->sid)
		return -ENOTTY;
	if (pgrp == 0)
		return -ESRCH;
	if (ld->pgrp_check) {
		r = ld->pgrp_check(ld->pgrp_check_ctx, pgrp, caller->sid);
		if (r)
			return r;
	}
	ld->pgrp = pgrp;
	return 0;
}

static int set_ctty(struct ldisc *ld, unsigned long arg, const struct ldisc_caller *caller)
{
	bool leader = caller->pid == caller->sid;

	if (leader && ld->session == caller->sid)
		return 0;
	if (!leader || caller->has_ctty)
		return -EPERM;
	if (ld->session && !(arg == LD_SCTTY_STEAL && caller->privileged))
		return -EPERM;
	/* The daemon tells the kernel; a stolen terminal's old session loses it. */
	ld->session = caller->sid;
	ld->pgrp = caller->pgrp;
	return 0;
}

static int drop_ctty(struct ldisc *ld, const struct ldisc_caller *caller)
{
	if (!caller->ctty_is_this)
		return -ENOTTY;
	if (caller->pid == caller->sid) {
		/* disassociate_ctty(0): hang up the foreground group, forget the session. */
		ldisc_queue_signal(ld, LD_SIGHUP, ld->pgrp);
		ldisc_queue_signal(ld, LD_SIGCONT, ld->pgrp);
		ld->session = 0;
		ld->pgrp = 0;
	}
	return 0;
}

int ldisc_ioctl(struct ldisc *ld, unsigned long cmd, unsigned long value, void *buf,
		size_t size, const struct ldisc_caller *caller)
{
	const struct ioctl_desc *d = find_ioctl(cmd);
	int r;

	if (!d)
		return -ENOTTY;
	if (!caller)
		return -EINVAL;
	if (size < (size_t)d->size || (d->size && !buf))
		return -EFAULT;
	switch (cmd) {
	case LD_TCGETS:
		memcpy(buf, &ld->termios, sizeof(ld->termios));
		return 0;
	case LD_TCSETS:
	case LD_TCSETSW:
	case LD_TCSETSF:
		return set_termios_cmd(ld, cmd, buf, caller);
	case LD_TCSBRK:
		/* Waits for output; a break (value 0) is not generated. */
		r = change_check(ld, caller);
		if (r)
			return r;
		return ldisc_output_pending(ld) ? LDISC_IOCTL_DRAIN : 0;
	case LD_TCFLSH:
		r = change_check(ld, caller);
		if (r)
			return r;
		return value > LD_TCIOFLUSH ? -EINVAL : ldisc_flush(ld, (int)value);
	case LD_TIOCSCTTY:
		return set_ctty(ld, value, caller);
	case LD_TIOCGPGRP:
		if (!caller->ctty_is_this)
			return -ENOTTY;
		put_i32(buf, ld->pgrp);
		return 0;
	case LD_TIOCSPGRP:
		return set_pgrp(ld, buf, caller);
	case LD_TIOCOUTQ:
		put_i32(buf, (int32_t)ldisc_output_pending(ld));
		return 0;
	case LD_TIOCGWINSZ:
		memcpy(buf, &ld->winsize, sizeof(ld->winsize));
		return 0;
	case LD_TIOCSWINSZ:
		return set_winsize(ld, buf);
	case LD_FIONREAD:
		put_i32(buf, (int32_t)ldisc_inq(ld));
		return 0;
	case LD_TIOCNOTTY:
		return drop_ctty(ld, caller);
	case LD_TIOCGSID:
		if (!caller->ctty_is_this || ld->session == 0)
			return -ENOTTY;
		put_i32(buf, ld->session);
		return 0;
	default:
		return -ENOTTY;
	}
}
