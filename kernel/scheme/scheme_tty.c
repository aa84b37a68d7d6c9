/*
 * kernel/scheme/scheme_tty.c: tty: (/dev/tty links to it): opening it
 * opens the caller's controlling terminal again, ENXIO without one, as
 * Linux's /dev/tty. The terminal is a daemon's (pl011d's serial:), which
 * alone knows which session it controls, so the kernel asks: the first of
 * the caller's descriptors whose terminal answers TIOCGSID with the
 * caller's session is it, opened again by the path it was opened by
 * (kernel/scheme/proc_proxy.c). A process that has closed every
 * descriptor of its terminal cannot reach it here, unlike on Linux, which
 * keeps the terminal in the session.
 */
#include "kernel/scheme/procfs.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/jobctl.h"
#include "kernel/lib/errno.h"

/* Whether f is the controlling terminal of session sid. */
static bool controls(struct file *f, int sid, const struct caller *c)
{
	int32_t got = 0;
	struct uio arg = uio_kernel(&got, sizeof(got));

	if (f->type != ABI_S_IFCHR || !f->scheme->ops->ioctl)
		return false;
	return f->scheme->ops->ioctl(f, ABI_TIOCGSID, &arg, c) == 0 && got == sid;
}

static int tty_open(const struct scheme *s, const char *path, int flags, struct file *f,
		    const struct caller *c)
{
	struct fdtable *fds = current_proc()->fds; /* the caller's own table */
	long sid = jobctl_getsid(0);

	(void)s;
	if (*path)
		return -ENOENT;
	if (sid <= 0)
		return -ENXIO;
	for (int fd = 0; fd < FD_MAX; fd++) {
		struct file *t = fd_get(fds, fd);

		if (!t)
			continue;
		if (controls(t, (int)sid, c))
			return procfs_reopen(f, t, flags);
		file_put(t);
	}
	return -ENXIO;
}

static const struct scheme_ops tty_ops = { .open = tty_open };
const struct scheme tty_scheme = { .name = "tty", .ops = &tty_ops };
