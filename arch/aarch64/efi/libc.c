/*
 * arch/aarch64/efi/libc.c: the C library functions Debian's libfdt.a calls
 * (it is built for Linux user space), for the freestanding EFI loader:
 * string functions, strtoul, and the stack-protector symbols. memcpy and
 * memset are gnu-efi libefi's (init.o), so they are not defined here.
 */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#define BASE_DECIMAL 10
#define BASE_OCTAL 8
#define BASE_HEX 16
#define DIGIT_NONE 99		/* above every base */
#define LETTER_VALUE_BASE 10	/* 'a' and 'A' are worth 10 */
/* Any value: libfdt's canaries only need to stay the same while it runs. */
#define STACK_GUARD_VALUE 0x595e9fbd94fda766ul

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else if (d > s) {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + LETTER_VALUE_BASE;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + LETTER_VALUE_BASE;
	return DIGIT_NONE;
}

/* No overflow report (libfdt parses small numbers in paths and aliases). */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long v = 0;
	int any = 0, neg = 0;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == BASE_HEX) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < BASE_HEX) {
		p += 2;
		base = BASE_HEX;
	} else if (base == 0) {
		base = p[0] == '0' ? BASE_OCTAL : BASE_DECIMAL;
	}
	for (; digit_value(*p) < base; p++, any = 1)
		v = v * (unsigned long)base + (unsigned long)digit_value(*p);
	if (end)
		*end = (char *)(any ? p : s);
	return neg ? -v : v;
}

/* libfdt.a was built with -fstack-protector: its canary and its failure. */
uintptr_t __stack_chk_guard = STACK_GUARD_VALUE;

__attribute__((noreturn)) void __stack_chk_fail(void);
__attribute__((noreturn)) void __stack_chk_fail(void)
{
	/* The stack is corrupt: touch nothing, stop here for a debugger. */
	for (;;)
		__asm__ volatile("wfe");
}
