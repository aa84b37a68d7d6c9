/*
 * kernel/cmdline.h: the kernel command line (/chosen/bootargs), split into
 * the kernel's own words and the arguments for the first user program.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/lib/types.h"

#define CMDLINE_MAX 1024	/* bytes, including the NUL */
#define CMDLINE_MAX_WORDS 64

/*
 * words[] and args[] point into buf, so a struct cmdline must not be
 * copied by value (the copy's pointers would still aim at the original).
 */
struct cmdline {
	char buf[CMDLINE_MAX];
	char *words[CMDLINE_MAX_WORDS];
	int nwords;
	char *args[CMDLINE_MAX_WORDS];
	int nargs;
	bool asked[CMDLINE_MAX_WORDS]; /* words[i] was found by a lookup */
};

/*
 * Split s into words at spaces, tabs, newlines and carriage returns.
 * Double quotes group text containing blanks and are removed
 * (init="/bin/sh -x" gives the word init=/bin/sh -x); a quote left open
 * runs to the end of the line. The first unquoted word "--" is dropped and
 * ends the kernel's words: every later word goes to args[] instead.
 * s may be NULL, meaning an empty line.
 * Returns 0, or -E2BIG if s has CMDLINE_MAX bytes or more before its NUL
 * or either list would exceed CMDLINE_MAX_WORDS; on error cl is left
 * empty (nwords = nargs = 0).
 */
int cmdline_parse(struct cmdline *cl, const char *s);

/*
 * The value of key among the kernel's words: "key=value" gives "value",
 * a bare "key" gives "", absence gives NULL. The last occurrence wins.
 * Only whole keys match: "selftest" does not find "selftests=1".
 */
const char *cmdline_get(struct cmdline *cl, const char *key);

/* key is present among the kernel's words, bare or with a value. */
bool cmdline_has(struct cmdline *cl, const char *key);

/*
 * The index-th (from 0) of the kernel's words that no cmdline_get or
 * cmdline_has has matched so far, or NULL past the last: words nothing
 * reads (misspelt options), for the boot log to name once every option
 * has been looked up.
 */
const char *cmdline_unasked(const struct cmdline *cl, int index);

#endif
