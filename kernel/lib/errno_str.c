/*
 * kernel/lib/errno_str.c: error numbers to text (see errno_str.h). One entry per
 * number in kernel/lib/errno.h; a number added there gets its text here.
 */
#include "kernel/lib/errno_str.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/types.h"

static const char *const texts[] = {
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "I/O error",
	[ENXIO] = "No such device or address",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child process",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Out of memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[EBUSY] = "Resource busy",
	[EEXIST] = "File exists",
	[ENODEV] = "No such device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "No file descriptors available",
	[ENOTTY] = "Not a tty",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Invalid seek",
	[EROFS] = "Read-only file system",
	[EPIPE] = "Broken pipe",
	[ERANGE] = "Result not representable",
	[EDEADLK] = "Resource deadlock would occur",
	[ENAMETOOLONG] = "Filename too long",
	[ENOSYS] = "Function not implemented",
	[ENOTEMPTY] = "Directory not empty",
	[EOVERFLOW] = "Value too large for data type",
	[ENOTSOCK] = "Not a socket",
	[EMSGSIZE] = "Message too long",
	[EOPNOTSUPP] = "Not supported",
	[EAFNOSUPPORT] = "Address family not supported by protocol",
	[ETIMEDOUT] = "Operation timed out",
};

const char *errno_str(int err)
{
	unsigned int n = err < 0 ? -(unsigned int)err : (unsigned int)err;

	return n < ARRAY_SIZE(texts) && texts[n] ? texts[n] : "Unknown error";
}
