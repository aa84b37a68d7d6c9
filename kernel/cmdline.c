/*
 * kernel/cmdline.c: parses the kernel command line into words and looks up
 * "key" / "key=value" options. It owns only the parsed copy in struct
 * cmdline; the caller decides where that lives (it is too big for a
 * small kernel stack).
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "kernel/cmdline.h"
#include "kernel/lib/errno.h"

#define QUOTE '"'
#define KEY_VALUE_SEP '='
/* Separates the kernel's words from the first program's arguments. */
#define ARGS_SEPARATOR "--"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void cmdline_clear(struct cmdline *cl)
{
	cl->buf[0] = '\0';
	cl->nwords = 0;
	cl->nargs = 0;
	memset(cl->asked, 0, sizeof(cl->asked));
}

/*
 * Copy one word from *s to *out, dropping quotes and NUL-terminating it.
 * Advances both cursors. Returns whether any part of it was quoted, so an
 * explicit "--" in quotes is kept as an ordinary word. The output never
 * outgrows the input plus its NUL, which cmdline_parse bounds by
 * CMDLINE_MAX.
 */
static bool copy_word(const char **s, char **out)
{
	bool quoted = false, in_quote = false;
	const char *p = *s;
	char *o = *out;

	for (; *p != '\0' && (in_quote || !is_blank(*p)); p++) {
		if (*p == QUOTE) {
			quoted = true;
			in_quote = !in_quote;
			continue;
		}
		*o++ = *p;
	}
	*o++ = '\0';
	*s = p;
	*out = o;
	return quoted;
}

/* File a word under the kernel's words or the program's args. */
static int add_word(struct cmdline *cl, char *word, bool quoted,
		    bool *in_args)
{
	if (!*in_args && !quoted && strcmp(word, ARGS_SEPARATOR) == 0) {
		*in_args = true;
		return 0;
	}
	if (*in_args) {
		if (cl->nargs >= CMDLINE_MAX_WORDS)
			return -E2BIG;
		cl->args[cl->nargs++] = word;
	} else {
		if (cl->nwords >= CMDLINE_MAX_WORDS)
			return -E2BIG;
		cl->words[cl->nwords++] = word;
	}
	return 0;
}

int cmdline_parse(struct cmdline *cl, const char *s)
{
	bool in_args = false;
	char *out = cl->buf;

	cmdline_clear(cl);
	if (s == NULL)
		return 0;
	if (strnlen(s, CMDLINE_MAX) >= CMDLINE_MAX)
		return -E2BIG;
	for (;;) {
		char *word;
		bool quoted;
		int err;

		while (is_blank(*s))
			s++;
		if (*s == '\0')
			return 0;
		word = out;
		quoted = copy_word(&s, &out);
		err = add_word(cl, word, quoted, &in_args);
		if (err) {
			cmdline_clear(cl);
			return err;
		}
	}
}

/* The value if word is exactly key or starts with "key=", else NULL. */
static const char *match_key(const char *word, const char *key, size_t len)
{
	if (strncmp(word, key, len) != 0)
		return NULL;
	if (word[len] == '\0')
		return word + len;
	if (word[len] == KEY_VALUE_SEP)
		return word + len + 1;
	return NULL;
}

const char *cmdline_get(struct cmdline *cl, const char *key)
{
	const char *found = NULL;
	size_t len;

	if (key == NULL || *key == '\0')
		return NULL;
	len = strlen(key);
	/* Every occurrence is asked for; the last one wins. */
	for (int i = 0; i < cl->nwords; i++) {
		const char *value = match_key(cl->words[i], key, len);

		if (value != NULL) {
			cl->asked[i] = true;
			found = value;
		}
	}
	return found;
}

bool cmdline_has(struct cmdline *cl, const char *key)
{
	return cmdline_get(cl, key) != NULL;
}

const char *cmdline_unasked(const struct cmdline *cl, int index)
{
	for (int i = 0; i < cl->nwords; i++)
		if (!cl->asked[i] && index-- == 0)
			return cl->words[i];
	return NULL;
}
