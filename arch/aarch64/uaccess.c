/*
 * arch/aarch64/uaccess.c: the string copy-in, which needs its own bounds
 * (see uaccess.h).
 */
#include "arch/aarch64/uaccess.h"

long strncpy_from_user(char *dst, uint64_t usrc, size_t max)
{
	size_t limit;
	long n;

	if (max == 0)
		return -ENAMETOOLONG;
	if (usrc >= USER_TOP)
		return -EFAULT;
	/* Never read past the end of user space. The NUL may take dst's
	 * last byte: max - 1 characters fit, as PATH_MAX on Linux. */
	limit = MIN(max, USER_TOP - usrc);
	n = __strncpy_from_user(dst, (const char *)usrc, limit);
	if (n < 0)
		return n;
	if ((size_t)n == limit) {
		/* No NUL within the limit. */
		dst[0] = '\0';
		return limit < max ? -EFAULT : -ENAMETOOLONG;
	}
	return n;
}
