/*
 * syscall/sys_sendfile.c: sendfile(2), which busybox's cp tries first:
 * bytes from one file to another through a kernel bounce buffer, one chunk
 * at a time (schemes only move data through a uio, so there is no page
 * cache to splice from). With an offset pointer, in_fd is read at *offset
 * (its own offset unchanged) and *offset is advanced; without, in_fd's
 * offset moves by exactly the bytes written.
 */
#include "syscall/handlers.h"
#include "syscall/fs_args.h"
#include "kernel/scheme/file.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "arch/aarch64/uaccess.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define SENDFILE_CHUNK (16 * 1024)        /* bytes moved per read and write */
#define SENDFILE_MAX 0x7ffff000UL         /* Linux's MAX_RW_COUNT */

/* Moves up to count bytes from in (at *pos) to out; the bytes written, or
 * the first error if none were. */
static long copy_chunks(struct file *in, struct file *out, int64_t *pos, size_t count, char *buf)
{
	long done = 0;

	while ((size_t)done < count) {
		struct uio u = uio_kernel(buf, MIN(count - (size_t)done, (size_t)SENDFILE_CHUNK));
		long n = file_read(in, &u, *pos), w;

		if (n <= 0) {
			if (!done)
				done = n;
			break;
		}
		u.len = (size_t)n;
		w = file_write(out, &u, -1);
		if (w <= 0) {
			if (!done)
				done = w;
			break;
		}
		done += w;
		*pos += w;
		if (w < n)
			break;
	}
	return done;
}

SYSCALL(sendfile)
{
	uint64_t uoff = ARG(2);
	size_t count = MIN((size_t)ARG(3), SENDFILE_MAX);
	struct file *in, *out;
	int64_t pos = 0;
	char *buf;
	long n;

	if (uoff && copy_from_user(&pos, uoff, sizeof(pos)))
		return -EFAULT;
	if (uoff && pos < 0)
		return -EINVAL;
	in = fs_fd((int)ARG(1), false);
	out = fs_fd((int)ARG(0), false);
	buf = kmalloc(SENDFILE_CHUNK);
	if (!in || !out)
		n = -EBADF;
	else if (!file_readable(in) || !file_writable(out))
		n = -EBADF;
	else if (in->type == ABI_S_IFDIR || (file_flags(out) & ABI_O_APPEND))
		n = -EINVAL; /* as Linux: no directories, no appending output */
	else if (!buf)
		n = -ENOMEM;
	else if (uoff)
		n = copy_chunks(in, out, &pos, count, buf);
	else if ((pos = file_seek(in, 0, ABI_SEEK_CUR)) < 0)
		n = pos == -ESPIPE ? -EINVAL : pos; /* Linux: in_fd must be seekable */
	else if ((n = copy_chunks(in, out, &pos, count, buf)) > 0)
		file_seek(in, pos, ABI_SEEK_SET);
	if (uoff && n > 0 && copy_to_user(uoff, &pos, sizeof(pos)))
		n = -EFAULT;
	kfree(buf);
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return n;
}
