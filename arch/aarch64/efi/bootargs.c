/*
 * arch/aarch64/efi/bootargs.c: builds the kernel command line from UCS-2
 * LoadOptions or cmdline.txt text (see bootargs.h).
 */
#include <stdbool.h>
#include "bootargs.h"

#define ASCII_FIRST_PRINTABLE 0x20	/* space */
#define ASCII_LAST_PRINTABLE 0x7e	/* '~' */
#define EFI_SUFFIX ".efi"
#define EFI_SUFFIX_LEN 4
#define ASCII_CASE_BIT 0x20

static bool printable(unsigned c)
{
	return c >= ASCII_FIRST_PRINTABLE && c <= ASCII_LAST_PRINTABLE;
}

static bool blank(char c)
{
	return c == ' ';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | ASCII_CASE_BIT) : c;
}

/* Does the word [w, w+len) end in ".efi", in any case? */
static bool ends_in_efi(const char *w, size_t len)
{
	if (len < EFI_SUFFIX_LEN)
		return false;
	for (size_t i = 0; i < EFI_SUFFIX_LEN; i++)
		if (lower(w[len - EFI_SUFFIX_LEN + i]) != EFI_SUFFIX[i])
			return false;
	return true;
}

/* Trims out[0..len) in place: blanks at both ends, a leading *.efi word. */
static enum bootargs_status finish(char *out, size_t len, bool drop_efi_word)
{
	size_t start = 0, word;

	while (start < len && blank(out[start]))
		start++;
	if (drop_efi_word) {
		word = start;
		while (word < len && !blank(out[word]))
			word++;
		if (ends_in_efi(out + start, word - start)) {
			start = word;
			while (start < len && blank(out[start]))
				start++;
		}
	}
	while (len > start && blank(out[len - 1]))
		len--;
	for (size_t i = start; i < len; i++)
		out[i - start] = out[i];
	out[len - start] = '\0';
	return len > start ? BOOTARGS_OK : BOOTARGS_EMPTY;
}

/* Appends character c (whitespace becomes a space) to out[0, *n). */
static enum bootargs_status put_char(unsigned c, char *out, size_t *n, size_t cap)
{
	if (c == '\t' || c == '\r' || c == '\n')
		c = ' ';
	if (!printable(c)) {
		out[0] = '\0';
		return BOOTARGS_NOT_TEXT;
	}
	if (*n + 1 >= cap) {
		out[0] = '\0';
		return BOOTARGS_TOO_LONG;
	}
	out[(*n)++] = (char)c;
	return BOOTARGS_OK;
}

enum bootargs_status bootargs_from_ucs2(const uint16_t *opts, size_t size, char *out, size_t cap)
{
	size_t n = 0, chars = size / sizeof(uint16_t);

	if (cap == 0)
		return BOOTARGS_TOO_LONG;
	out[0] = '\0';
	if (opts == NULL || size == 0)
		return BOOTARGS_EMPTY;
	if (size % sizeof(uint16_t))
		return BOOTARGS_NOT_TEXT;
	for (size_t i = 0; i < chars && opts[i] != 0; i++) {
		enum bootargs_status st = put_char(opts[i], out, &n, cap);

		if (st != BOOTARGS_OK)
			return st;
	}
	return finish(out, n, true);
}

enum bootargs_status bootargs_from_text(const char *text, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return BOOTARGS_TOO_LONG;
	out[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		enum bootargs_status st = put_char((unsigned char)text[i], out, &n, cap);

		if (st != BOOTARGS_OK)
			return st;
	}
	return finish(out, n, false);
}

const char *bootargs_status_str(enum bootargs_status status)
{
	switch (status) {
	case BOOTARGS_OK:
		return "ok";
	case BOOTARGS_EMPTY:
		return "empty";
	case BOOTARGS_NOT_TEXT:
		return "not printable ASCII text";
	case BOOTARGS_TOO_LONG:
		return "longer than the kernel's 1023-byte command line";
	}
	return "unknown command-line result";
}

/* Does the word [w, w+len) start with prefix? */
static bool starts_with(const char *w, size_t len, const char *prefix)
{
	size_t i = 0;

	for (; prefix[i]; i++)
		if (i >= len || w[i] != prefix[i])
			return false;
	return true;
}

enum bootargs_status bootargs_initrd(const char *cmdline, char *out, size_t cap)
{
	const size_t skip = sizeof(BOOTARGS_INITRD) - 1;
	const char *w = cmdline;

	out[0] = '\0';
	while (*w) {
		size_t len = 0;

		while (blank(*w))
			w++;
		while (w[len] && !blank(w[len]))
			len++;
		if (len == sizeof(BOOTARGS_END_OF_OPTIONS) - 1 &&
		    starts_with(w, len, BOOTARGS_END_OF_OPTIONS))
			break;
		if (starts_with(w, len, BOOTARGS_INITRD)) {
			if (len - skip >= cap)
				return BOOTARGS_TOO_LONG;
			for (size_t i = skip; i < len; i++)
				out[i - skip] = w[i] == '/' ? '\\' : w[i];
			out[len - skip] = '\0';
			return len > skip ? BOOTARGS_OK : BOOTARGS_EMPTY;
		}
		w += len;
	}
	return BOOTARGS_EMPTY;
}
