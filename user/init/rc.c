/*
 * user/init/rc.c: parsing one line of init.rc (see rc.h). Words are
 * separated by spaces or tabs; '#' at the start of a word begins a comment
 * that runs to the end of the line. There is no quoting.
 */
#include <string.h>
#include "rc.h"

struct rc_syntax {
	const char *name;
	enum rc_cmd cmd;
	int min_args, max_args; /* words after the command */
};

static const struct rc_syntax commands[] = {
	{ "env", RC_ENV, 1, 1 },
	{ "start", RC_START, 2, RC_WORDS_MAX - 1 },
	{ "respawn", RC_RESPAWN, 1, RC_WORDS_MAX - 1 },
	{ "run", RC_RUN, 1, RC_WORDS_MAX - 1 },
	{ "console", RC_CONSOLE, 1, 1 },
	{ "main", RC_MAIN, 1, RC_WORDS_MAX - 1 },
	{ "login", RC_LOGIN, 1, RC_WORDS_MAX - 1 },
};

/* Splits line into words; their number, or -1 if there are too many. */
static int split(char *line, char **words)
{
	int n = 0;

	for (char *p = line;;) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0' || *p == '#')
			return n;
		if (n == RC_WORDS_MAX)
			return -1;
		words[n++] = p;
		p += strcspn(p, " \t\r\n");
		if (*p)
			*p++ = '\0';
	}
}

/* A scheme name as the kernel takes it (kernel/scheme/path.h): [a-z0-9_.-]+. */
static int valid_scheme(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return 0;
	return 1;
}

static const char *check_args(enum rc_cmd cmd, char **args)
{
	const char *eq, *colon;

	switch (cmd) {
	case RC_ENV:
		eq = strchr(args[0], '=');
		return eq && eq != args[0] ? NULL : "env: want NAME=VALUE";
	case RC_START:
		return valid_scheme(args[0], strlen(args[0])) ? NULL : "start: bad scheme name";
	case RC_CONSOLE:
		colon = strchr(args[0], ':');
		return colon && valid_scheme(args[0], (size_t)(colon - args[0])) ? NULL :
			"console: want SCHEME:PATH";
	default:
		return NULL;
	}
}

int rc_parse(char *line, struct rc_line *out, const char **error)
{
	char *words[RC_WORDS_MAX];
	int n = split(line, words), first = 1;

	memset(out, 0, sizeof(*out));
	*error = NULL;
	if (n < 0) {
		*error = "too many words";
		return -1;
	}
	if (n == 0)
		return 0;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct rc_syntax *c = &commands[i];

		if (strcmp(words[0], c->name) != 0)
			continue;
		if (n - 1 < c->min_args || n - 1 > c->max_args) {
			*error = n - 1 < c->min_args ? "missing arguments" : "too many arguments";
			return -1;
		}
		*error = check_args(c->cmd, words + 1);
		if (*error)
			return -1;
		out->cmd = c->cmd;
		if (c->cmd == RC_START) {
			out->scheme = words[1];
			first = 2;
		}
		for (int w = first; w < n; w++)
			out->argv[w - first] = words[w];
		return 0;
	}
	*error = "unknown command";
	return -1;
}
