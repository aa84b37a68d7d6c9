/*
 * kernel/lib/format.c: the freestanding printf engine (ksnprintf, kvsnprintf).
 * It owns format-string parsing and integer/string rendering; it never
 * touches a device, so it is safe to call from any context, including
 * panic paths, and it is unit-tested on the host against glibc.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"

/*
 * <limits.h> is not used: with the Debian cross compiler it chains to the
 * build machine's libc headers. The compiler's own macros say the same.
 */
#define FMT_INT_MAX __INT_MAX__
#define FMT_CHAR_BIT __CHAR_BIT__
/* Octal needs the most digits: one per three bits, rounded up. */
#define NUM_DIGITS_MAX ((sizeof(uintmax_t) * FMT_CHAR_BIT + 2) / 3)
/* Longest prefix: "0x", or one sign character. */
#define NUM_PREFIX_MAX 2
#define DECIMAL 10
#define OCTAL 8
#define HEX 16
/* Precision was not given (distinct from an explicit ".0"). */
#define NO_PRECISION (-1)
/* Integers print at least one digit unless a precision says otherwise. */
#define DEFAULT_INT_PRECISION 1

/* glibc's spellings, so kernel output reads like user-space output. */
#define NULL_STRING "(null)"
#define NULL_POINTER "(nil)"

/* %zd reads a size_t-sized signed value as ptrdiff_t (true on LP64). */
_Static_assert(sizeof(size_t) == sizeof(ptrdiff_t),
	       "%zd assumes ptrdiff_t is the signed counterpart of size_t");

enum fmt_flag {
	FLAG_LEFT = 1 << 0,	/* '-': pad on the right */
	FLAG_ZERO = 1 << 1,	/* '0': pad numbers with zeros */
	FLAG_PLUS = 1 << 2,	/* '+': always print a sign */
	FLAG_SPACE = 1 << 3,	/* ' ': space where a '+' would go */
	FLAG_ALT = 1 << 4,	/* '#': 0x prefix, leading octal 0 */
};

enum fmt_length {
	LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J,
};

/* One parsed conversion specification. */
struct fmt_spec {
	unsigned int flags;
	int width;
	int prec;		/* NO_PRECISION if absent */
	enum fmt_length len;
	char conv;
};

/*
 * The output cursor. pos counts every character produced, stored or not,
 * because the return value is the untruncated length.
 */
struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;
};

/* Store up to n copies of c, leaving room for the terminating NUL. */
static void out_fill(struct fmt_out *o, char c, size_t n)
{
	size_t room = o->pos + 1 < o->size ? o->size - 1 - o->pos : 0;

	if (room > 0)
		memset(o->buf + o->pos, c, MIN(n, room));
	o->pos += n;
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
	size_t room = o->pos + 1 < o->size ? o->size - 1 - o->pos : 0;

	if (room > 0)
		memcpy(o->buf + o->pos, s, MIN(n, room));
	o->pos += n;
}

static void out_char(struct fmt_out *o, char c)
{
	out_fill(o, c, 1);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal number, saturating at INT_MAX rather than overflowing. */
static int parse_number(const char **p)
{
	int n = 0;

	while (is_digit(**p)) {
		int d = **p - '0';

		if (n > (FMT_INT_MAX - d) / DECIMAL)
			n = FMT_INT_MAX;
		else
			n = n * DECIMAL + d;
		(*p)++;
	}
	return n;
}

static unsigned int parse_flags(const char **p)
{
	unsigned int flags = 0;

	for (;; (*p)++) {
		switch (**p) {
		case '-': flags |= FLAG_LEFT; break;
		case '0': flags |= FLAG_ZERO; break;
		case '+': flags |= FLAG_PLUS; break;
		case ' ': flags |= FLAG_SPACE; break;
		case '#': flags |= FLAG_ALT; break;
		default: return flags;
		}
	}
}

/* A negative '*' width means '-' plus the absolute value (C99 7.19.6.1). */
static void parse_width(const char **p, va_list *ap, struct fmt_spec *sp)
{
	if (**p != '*') {
		sp->width = parse_number(p);
		return;
	}
	(*p)++;
	sp->width = va_arg(*ap, int);
	if (sp->width < 0) {
		sp->flags |= FLAG_LEFT;
		/* -INT_MIN overflows; saturate like parse_number. */
		if (sp->width < -FMT_INT_MAX)
			sp->width = FMT_INT_MAX;
		else
			sp->width = -sp->width;
	}
}

/* "." alone means 0; a negative '*' precision means none was given. */
static void parse_precision(const char **p, va_list *ap, struct fmt_spec *sp)
{
	sp->prec = NO_PRECISION;
	if (**p != '.')
		return;
	(*p)++;
	if (**p != '*') {
		sp->prec = parse_number(p);
		return;
	}
	(*p)++;
	sp->prec = va_arg(*ap, int);
	if (sp->prec < 0)
		sp->prec = NO_PRECISION;
}

static enum fmt_length parse_length(const char **p)
{
	switch (**p) {
	case 'h':
		(*p)++;
		if (**p != 'h')
			return LEN_H;
		(*p)++;
		return LEN_HH;
	case 'l':
		(*p)++;
		if (**p != 'l')
			return LEN_L;
		(*p)++;
		return LEN_LL;
	case 'z': (*p)++; return LEN_Z;
	case 't': (*p)++; return LEN_T;
	case 'j': (*p)++; return LEN_J;
	default: return LEN_NONE;
	}
}

/* Parse everything after '%'; *p is left just past the conversion. */
static void parse_spec(const char **p, va_list *ap, struct fmt_spec *sp)
{
	sp->flags = parse_flags(p);
	parse_width(p, ap, sp);
	parse_precision(p, ap, sp);
	sp->len = parse_length(p);
	sp->conv = **p;
	if (sp->conv != '\0')
		(*p)++;
}

static intmax_t fetch_signed(enum fmt_length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return va_arg(*ap, ptrdiff_t);
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t fetch_unsigned(enum fmt_length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* An integer ready to print: magnitude, base and the prefix to show. */
struct fmt_num {
	uintmax_t mag;
	unsigned int base;
	bool upper;
	char prefix[NUM_PREFIX_MAX];
	size_t prefix_len;
};

static void num_set_prefix(struct fmt_num *n, const char *s, size_t len)
{
	memcpy(n->prefix, s, len);
	n->prefix_len = len;
}

/* Build the sign prefix of a signed conversion; no overflow at INT_MIN. */
static void num_signed(struct fmt_num *n, intmax_t v, unsigned int flags)
{
	n->base = DECIMAL;
	n->upper = false;
	n->prefix_len = 0;
	n->mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
	if (v < 0)
		num_set_prefix(n, "-", 1);
	else if (flags & FLAG_PLUS)
		num_set_prefix(n, "+", 1);
	else if (flags & FLAG_SPACE)
		num_set_prefix(n, " ", 1);
}

/* Render digits right-aligned in tmp; returns how many were written. */
static size_t num_digits(const struct fmt_num *n, char *tmp, size_t tmp_size)
{
	const char *set = n->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uintmax_t v = n->mag;
	size_t count = 0;

	while (v != 0) {
		tmp[tmp_size - 1 - count++] = set[v % n->base];
		v /= n->base;
	}
	return count;
}

/* Lay out [spaces][prefix][zeros][digits][spaces] per width/precision. */
static void emit_num(struct fmt_out *o, const struct fmt_spec *sp,
		     const struct fmt_num *n)
{
	char tmp[NUM_DIGITS_MAX];
	size_t ndig = num_digits(n, tmp, sizeof(tmp));
	size_t prec = sp->prec == NO_PRECISION ? DEFAULT_INT_PRECISION
					       : (size_t)sp->prec;
	size_t zeros = prec > ndig ? prec - ndig : 0;
	size_t width = (size_t)sp->width;
	size_t body, pad;

	/* '#' with %o: the first digit printed must be a 0. */
	if (n->base == OCTAL && (sp->flags & FLAG_ALT) && zeros == 0)
		zeros = 1;
	body = n->prefix_len + zeros + ndig;
	/* '0' is ignored with '-' or an explicit precision (C99 7.19.6.1). */
	if ((sp->flags & FLAG_ZERO) && !(sp->flags & FLAG_LEFT) &&
	    sp->prec == NO_PRECISION && width > body) {
		zeros += width - body;
		body = width;
	}
	pad = width > body ? width - body : 0;
	if (!(sp->flags & FLAG_LEFT))
		out_fill(o, ' ', pad);
	out_mem(o, n->prefix, n->prefix_len);
	out_fill(o, '0', zeros);
	out_mem(o, tmp + sizeof(tmp) - ndig, ndig);
	if (sp->flags & FLAG_LEFT)
		out_fill(o, ' ', pad);
}

/* Strings and characters: width pads with spaces only. */
static void emit_str(struct fmt_out *o, const struct fmt_spec *sp,
		     const char *s, size_t len)
{
	size_t width = (size_t)sp->width;
	size_t pad = width > len ? width - len : 0;

	if (!(sp->flags & FLAG_LEFT))
		out_fill(o, ' ', pad);
	out_mem(o, s, len);
	if (sp->flags & FLAG_LEFT)
		out_fill(o, ' ', pad);
}

static void conv_signed(struct fmt_out *o, const struct fmt_spec *sp,
			va_list *ap)
{
	struct fmt_num n;

	num_signed(&n, fetch_signed(sp->len, ap), sp->flags);
	emit_num(o, sp, &n);
}

static void conv_unsigned(struct fmt_out *o, const struct fmt_spec *sp,
			  va_list *ap)
{
	struct fmt_num n = {
		.mag = fetch_unsigned(sp->len, ap),
		.upper = sp->conv == 'X',
	};

	n.base = sp->conv == 'o' ? OCTAL : sp->conv == 'u' ? DECIMAL : HEX;
	if (n.base == HEX && (sp->flags & FLAG_ALT) && n.mag != 0)
		num_set_prefix(&n, n.upper ? "0X" : "0x", NUM_PREFIX_MAX);
	emit_num(o, sp, &n);
}

/* %p: like glibc, "0x" + hex for a pointer, "(nil)" for NULL. */
static void conv_pointer(struct fmt_out *o, const struct fmt_spec *sp,
			 va_list *ap)
{
	uintptr_t p = (uintptr_t)va_arg(*ap, void *);
	struct fmt_num n = { .mag = p, .base = HEX };

	if (p == 0) {
		emit_str(o, sp, NULL_POINTER, strlen(NULL_POINTER));
		return;
	}
	num_set_prefix(&n, "0x", NUM_PREFIX_MAX);
	emit_num(o, sp, &n);
}

/*
 * %s: precision bounds how much of the string is read, so it may point
 * at an unterminated array. NULL follows glibc: "(null)", or nothing if
 * the precision is too small to show it whole.
 */
static void conv_string(struct fmt_out *o, const struct fmt_spec *sp,
			va_list *ap)
{
	const char *s = va_arg(*ap, const char *);
	size_t max = sp->prec == NO_PRECISION ? SIZE_MAX : (size_t)sp->prec;

	if (s == NULL)
		s = max >= strlen(NULL_STRING) ? NULL_STRING : "";
	emit_str(o, sp, s, strnlen(s, max));
}

static void conv_char(struct fmt_out *o, const struct fmt_spec *sp,
		      va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	emit_str(o, sp, &c, 1);
}

/* Format one conversion; start points at its '%' for literal echo. */
static void convert(struct fmt_out *o, const struct fmt_spec *sp,
		    va_list *ap, const char *start, const char *end)
{
	switch (sp->conv) {
	case 'd':
	case 'i':
		conv_signed(o, sp, ap);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		conv_unsigned(o, sp, ap);
		break;
	case 'p':
		conv_pointer(o, sp, ap);
		break;
	case 's':
		conv_string(o, sp, ap);
		break;
	case 'c':
		conv_char(o, sp, ap);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		out_mem(o, start, (size_t)(end - start));
		break;
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .pos = 0 };
	va_list args;

	/* A copy we can pass by pointer whatever va_list's type is. */
	va_copy(args, ap);
	while (*fmt != '\0') {
		const char *start = fmt;
		struct fmt_spec sp;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		parse_spec(&fmt, &args, &sp);
		convert(&o, &sp, &args, start, fmt);
	}
	va_end(args);
	if (size > 0)
		buf[MIN(o.pos, size - 1)] = '\0';
	return o.pos > FMT_INT_MAX ? -EOVERFLOW : (int)o.pos;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
