/*
 * drivers/drvmgr/drvconf.c: the /etc/drivers.conf parser (format in
 * drvconf.h). Each line is copied, cut at its comment, split at '|' into
 * its three fields and the fields into words; every check is made before
 * the entry counts, and the first bad line ends the parse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "drivers/drvmgr/drvconf.h"

#define FIELD_SEP '|'
#define COMMENT '#'
#define NFIELDS 4 /* the last, the rights, may be left out */
enum { F_COMPAT, F_PROGRAM, F_SCHEMES, F_RIGHTS };
/* Words a field may hold: the program and its arguments are the most. */
#define MAX_WORDS (DRVCONF_MAX_ARGS + 1)

static int fail(struct drvconf_error *err, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct drvconf_error *err, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return -EINVAL;
	err->line = line;
	n = snprintf(err->msg, sizeof(err->msg), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split s in place at blanks; the count, or -1 past max words. */
static int split_words(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		while (blank(*s))
			*s++ = '\0';
		if (*s == '\0')
			return n;
		if (n == max)
			return -1;
		w[n++] = s;
		while (*s != '\0' && !blank(*s))
			s++;
	}
}

/* Copy word to dst (size bytes) or say it is too long. */
static int copy_word(char *dst, size_t size, const char *word, const char *what,
		     struct drvconf_error *err, int line)
{
	size_t n = strlen(word);

	if (n >= size)
		return fail(err, line, "%s \"%.16s...\" is longer than %zu bytes",
			    what, word, size - 1);
	memcpy(dst, word, n + 1);
	return 0;
}

static int parse_compat(const struct drvconf *conf, struct drvconf_entry *e, char *field,
			struct drvconf_error *err)
{
	char *w[DRVCONF_MAX_COMPAT];
	int n = split_words(field, w, DRVCONF_MAX_COMPAT);

	if (n < 0)
		return fail(err, e->line, "more than %d compatible strings", DRVCONF_MAX_COMPAT);
	if (n == 0)
		return fail(err, e->line, "no compatible string before the first '|'");
	for (int i = 0; i < n; i++) {
		const struct drvconf_entry *old = drvconf_lookup(conf, w[i]);

		if (old != NULL)
			return fail(err, e->line, "compatible \"%s\" is already driven by line %d",
				    w[i], old->line);
		for (int j = 0; j < i; j++)
			if (strcmp(w[i], w[j]) == 0)
				return fail(err, e->line, "compatible \"%s\" twice", w[i]);
		if (copy_word(e->compat[i], DRVCONF_WORD_MAX, w[i], "compatible", err, e->line))
			return -EINVAL;
	}
	e->ncompat = n;
	return 0;
}

static int parse_program(struct drvconf_entry *e, char *field, struct drvconf_error *err)
{
	char *w[MAX_WORDS];
	int n = split_words(field, w, MAX_WORDS);

	if (n < 0)
		return fail(err, e->line, "more than %d arguments", DRVCONF_MAX_ARGS);
	if (n == 0)
		return fail(err, e->line, "no program between the two '|'");
	if (w[0][0] != '/')
		return fail(err, e->line, "program \"%s\" is not an absolute path", w[0]);
	if (copy_word(e->program, DRVCONF_PATH_MAX, w[0], "program", err, e->line))
		return -EINVAL;
	for (int i = 1; i < n; i++)
		if (copy_word(e->args[i - 1], DRVCONF_WORD_MAX, w[i], "argument", err, e->line))
			return -EINVAL;
	e->nargs = n - 1;
	return 0;
}

/* The schemes as a NUL-separated list, checked by the kernel's own rules. */
static int parse_schemes(struct drvconf_entry *e, char *field, struct drvconf_error *err)
{
	char *w[NAMESET_MAX];
	int n = split_words(field, w, NAMESET_MAX);
	struct nameset check;
	size_t len = 0;

	if (n < 0)
		return fail(err, e->line, "more than %d schemes", NAMESET_MAX);
	for (int i = 0; i < n; i++) {
		size_t wl = strlen(w[i]) + 1;

		if (wl > NAMESET_NAME_MAX)
			return fail(err, e->line, "scheme name \"%.16s...\" is too long", w[i]);
		memcpy(e->schemes + len, w[i], wl);	/* n * NAME_MAX fits */
		len += wl;
		if (nameset_parse(&check, w[i], wl))
			return fail(err, e->line,
				    "bad scheme name \"%s\" (letters a-z, digits, '_', '-', '.')", w[i]);
	}
	e->schemes_len = len;
	return 0;
}

/* The rights: names the kernel's grant: knows ("clock"), kept as the
 * lines drvmgr writes to grant: after the node path ("right clock\n"). */
static int parse_rights(struct drvconf_entry *e, char *field, struct drvconf_error *err)
{
	static const char *const known[] = { "clock" };
	char *w[DRVCONF_MAX_RIGHTS];
	int n = split_words(field, w, DRVCONF_MAX_RIGHTS);
	size_t len = 0;

	if (n < 0)
		return fail(err, e->line, "more than %d rights", DRVCONF_MAX_RIGHTS);
	for (int i = 0; i < n; i++) {
		bool ok = false;

		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			ok = ok || strcmp(w[i], known[k]) == 0;
		if (!ok)
			return fail(err, e->line, "unknown right \"%.16s\" (known: clock)", w[i]);
		len += (size_t)snprintf(e->rights + len, sizeof(e->rights) - len, "right %s\n", w[i]);
	}
	return 0;
}

/* Parse one line (NUL-terminated, writable); *e is filled on success. */
static int parse_line(const struct drvconf *conf, struct drvconf_entry *e, char *s,
		      struct drvconf_error *err)
{
	char *field[NFIELDS];
	char *hash = strchr(s, COMMENT);
	int n = 1;

	if (hash != NULL)
		*hash = '\0';
	field[0] = s;
	for (char *p = s; *p != '\0'; p++) {
		if (*p != FIELD_SEP)
			continue;
		if (n == NFIELDS)
			return fail(err, e->line, "more than three '|'");
		*p = '\0';
		field[n++] = p + 1;
	}
	if (n < F_RIGHTS)
		return fail(err, e->line,
			    "expected \"COMPATIBLE... | PROGRAM [ARG...] | [SCHEME...] [| RIGHT...]\"");
	if (parse_compat(conf, e, field[F_COMPAT], err) ||
	    parse_program(e, field[F_PROGRAM], err) ||
	    parse_schemes(e, field[F_SCHEMES], err) ||
	    (n > F_RIGHTS && parse_rights(e, field[F_RIGHTS], err)))
		return -EINVAL;
	return 0;
}

static bool only_blanks(const char *s)
{
	while (blank(*s))
		s++;
	return *s == '\0' || *s == COMMENT;
}

int drvconf_parse(const char *text, size_t len, struct drvconf *conf,
		  struct drvconf_error *err)
{
	char line[DRVCONF_LINE_MAX + 1];
	size_t pos = 0;
	int lineno = 0, rc = 0;

	conf->count = 0;
	if (err != NULL)
		*err = (struct drvconf_error){ 0 };
	while (pos < len && rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (nl != NULL ? (size_t)(nl - text) : len) - pos;

		lineno++;
		if (n > DRVCONF_LINE_MAX)
			rc = fail(err, lineno, "longer than %d bytes", DRVCONF_LINE_MAX);
		else if (memchr(text + pos, '\0', n) != NULL)
			rc = fail(err, lineno, "a NUL byte");
		pos += n + 1;
		if (rc)
			break;
		memcpy(line, text + pos - n - 1, n);
		line[n] = '\0';
		if (only_blanks(line))
			continue;
		if (conf->count == DRVCONF_MAX_DRIVERS) {
			rc = fail(err, lineno, "more than %d drivers", DRVCONF_MAX_DRIVERS);
			break;
		}
		struct drvconf_entry *e = &conf->drivers[conf->count];

		*e = (struct drvconf_entry){ .line = lineno };
		rc = parse_line(conf, e, line, err);
		if (rc == 0)
			conf->count++;
	}
	if (rc)
		conf->count = 0;
	return rc;
}

const struct drvconf_entry *drvconf_lookup(const struct drvconf *conf, const char *compat)
{
	for (int i = 0; i < conf->count; i++)
		for (int j = 0; j < conf->drivers[i].ncompat; j++)
			if (strcmp(conf->drivers[i].compat[j], compat) == 0)
				return &conf->drivers[i];
	return NULL;
}
