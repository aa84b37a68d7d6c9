/*
 * syscall/sys_sendfile.c: sendfile(2), which busybox's cp and cat use to
 * copy a file: bytes go from one descriptor to another through a kernel
 * buffer, never through the caller's memory. With an offset pointer the
 * input is read from *offset (which moves) and its file offset stays; without
 * one the input's offset moves as a read's would. Errors and the result are
 * Linux's: the bytes copied before a failure, else the failure.
 */
#include "syscall/handlers.h"
#include "kernel/proc.h"
#include "kernel/scheme/file.h"
#include "kernel/scheme/fdtable.h"
#include "kernel/signal.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"
#include "mm/heap.h"

#define SENDFILE_CHUNK 4096
#define SENDFILE_MAX 0x7ffff000UL /* Linux's MAX_RW_COUNT */

/* Copies up to count bytes from in (at *pos, or its offset if pos is NULL)
 * to out; the bytes copied, or the first error if none were. */
static long copy_between(struct file *in, struct file *out, int64_t *pos, uint64_t count, char *buf)
{
	long done = 0;

	while ((uint64_t)done < count) {
		struct uio u = uio_kernel(buf, MIN(count - (uint64_t)done, SENDFILE_CHUNK));
		long got = file_read(in, &u, pos ? *pos : -1), put = 0;

		if (got <= 0)
			return done ? done : got;
		while (put < got) {
			struct uio w = uio_kernel(buf + put, (size_t)(got - put));
			long n = file_write(out, &w, -1);

			if (n <= 0) {
				/* The bytes read but not written are lost to an
				 * input without an offset pointer, as on Linux. */
				if (pos)
					*pos += put;
				done += put;
				if (n == -EPIPE)
					signal_raise_sigpipe();
				return done ? done : (n ? n : -EIO);
			}
			put += n;
		}
		if (pos)
			*pos += got;
		done += got;
		if (got < (long)u.len)
			break; /* end of the input */
	}
	return done;
}

SYSCALL(sendfile)
{
	uint64_t upos = ARG(2), count = MIN(ARG(3), SENDFILE_MAX);
	struct file *in, *out;
	int64_t pos = 0;
	char *buf;
	long n;

	if (upos && copy_from_user(&pos, upos, sizeof(pos)))
		return -EFAULT;
	if (upos && pos < 0)
		return -EINVAL;
	out = fd_get(current_proc()->fds, (int)ARG(0));
	in = fd_get(current_proc()->fds, (int)ARG(1));
	n = !in || !out ? -EBADF : !file_readable(in) || !file_writable(out) ? -EBADF : 0;
	if (!n && (file_flags(out) & ABI_O_APPEND))
		n = -EINVAL; /* Linux refuses an O_APPEND output */
	buf = n ? NULL : kmalloc(SENDFILE_CHUNK);
	if (!n && !buf)
		n = -ENOMEM;
	if (!n && count)
		n = copy_between(in, out, upos ? &pos : NULL, count, buf);
	kfree(buf);
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	if (n >= 0 && upos && copy_to_user(upos, &pos, sizeof(pos)))
		return -EFAULT;
	return n;
}
