/*
 * user/init/rc.h: one line of init.rc (the format is documented in
 * user/init.c and README.md): split into words and checked, nothing run.
 * Pure C, no allocation: the words point into the caller's line.
 */
#ifndef USER_INIT_RC_H
#define USER_INIT_RC_H

#define RC_LINE_MAX 512   /* bytes in a line, newline included */
#define RC_WORDS_MAX 32   /* words in a line, the command included */

enum rc_cmd {
	RC_NONE,     /* blank or a comment */
	RC_ENV,      /* env NAME=VALUE */
	RC_START,    /* start SCHEME PROG [ARG...] */
	RC_RESPAWN,  /* respawn PROG [ARG...] */
	RC_RUN,      /* run PROG [ARG...] */
	RC_CONSOLE,  /* console SCHEME:PATH */
	RC_MAIN,     /* main PROG [ARG...] */
	RC_LOGIN,    /* login PROG [ARG...] */
};

struct rc_line {
	enum rc_cmd cmd;
	const char *scheme;            /* RC_START: the scheme to wait for */
	char *argv[RC_WORDS_MAX + 1];  /* the program and its arguments, NULL-ended;
					* RC_ENV: argv[0] = "NAME=VALUE";
					* RC_CONSOLE: argv[0] = the path */
};

/* Parses line (NUL-terminated, modified: words are cut in place). 0 with
 * *out filled, or -1 with *error set to a message saying what is wrong
 * (an unknown command, missing or extra words, a malformed argument). */
int rc_parse(char *line, struct rc_line *out, const char **error);

#endif
