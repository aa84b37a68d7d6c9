/*
 * kernel/lib/errno_str.h: the text of an error number, for messages people read
 * ("No such file or directory" rather than -2). The texts are musl's
 * strerror's, so the kernel and user space say the same thing.
 */
#ifndef KERNEL_ERRNO_STR_H
#define KERNEL_ERRNO_STR_H

/* err may be negative (a kernel return value) or positive; a number not in
 * kernel/lib/errno.h gives "Unknown error". */
const char *errno_str(int err);

#endif
