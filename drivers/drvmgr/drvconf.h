/*
 * drivers/drvmgr/drvconf.h: parsing /etc/drivers.conf, the driver
 * manager's table of which program drives which device-tree node.
 *
 * Format (a sample with every case: drivers/drvmgr/drivers.conf). One
 * driver a line, three or four fields separated by '|':
 *
 *     COMPATIBLE... | PROGRAM [ARGUMENT...] | [SCHEME...] [| RIGHT...]
 *
 *  - COMPATIBLE: one or more device-tree compatible strings the driver
 *    takes ("arm,pl011"); a compatible may appear on one line only.
 *  - PROGRAM: an absolute path, then the arguments, words split at
 *    blanks (no quoting). drvmgr runs PROGRAM ARGUMENT... NODE-PATH: the
 *    node's full path comes last, so one program can drive several nodes.
 *  - SCHEME: the scheme names the driver's namespace holds, the one it
 *    serves included (registering a name needs it in the namespace); may
 *    be empty. drvmgr adds "file", which exec reads PROGRAM from.
 *  - RIGHT: rights beyond the node's registers and interrupts that the
 *    driver's grant keeps (kernel/scheme/scheme_grant.c): "clock" (set
 *    CLOCK_REALTIME, pl031d). Without the field the grant holds none.
 *  - '#' starts a comment to the end of the line; blank lines are skipped.
 *
 * A malformed line stops the parse with the line number and the reason
 * in struct drvconf_error (see drvconf_parse); nothing is half-parsed.
 */
#ifndef DRIVERS_DRVMGR_DRVCONF_H
#define DRIVERS_DRVMGR_DRVCONF_H

#include <stddef.h>

#include "kernel/scheme/nameset.h"	/* the scheme list as anode_setns takes it */

#define DRVCONF_MAX_DRIVERS 32
#define DRVCONF_MAX_COMPAT 8
#define DRVCONF_MAX_ARGS 8
#define DRVCONF_WORD_MAX 64	/* a compatible or argument, with its NUL */
#define DRVCONF_PATH_MAX 128	/* the program, with its NUL */
#define DRVCONF_LINE_MAX 512	/* a line, without its newline */
#define DRVCONF_ERR_MAX 128
#define DRVCONF_MAX_RIGHTS 4
#define DRVCONF_RIGHTS_MAX 64	/* "right NAME\n" lines, with the NUL */

struct drvconf_entry {
	int line;	/* where it was defined, for messages */
	int ncompat;
	char compat[DRVCONF_MAX_COMPAT][DRVCONF_WORD_MAX];
	char program[DRVCONF_PATH_MAX];
	int nargs;
	char args[DRVCONF_MAX_ARGS][DRVCONF_WORD_MAX];
	/* The schemes, NUL-separated, ready for anode_setns; validated. */
	char schemes[NAMESET_BUF_MAX];
	size_t schemes_len;
	/* The rights as grant: lines ("right clock\n"), "" for none. */
	char rights[DRVCONF_RIGHTS_MAX];
};

struct drvconf {
	int count;
	struct drvconf_entry drivers[DRVCONF_MAX_DRIVERS];
};

struct drvconf_error {
	int line;	/* 1-based; 0 when not about a line */
	char msg[DRVCONF_ERR_MAX];	/* "line 3: ..." */
};

/*
 * Parse text[0..len) into conf. Returns 0, or -EINVAL with err filled
 * (conf then empty): a line without two or three '|', no compatible, a
 * program that is missing or not absolute, a word too long, too many
 * compatibles, arguments, schemes or drivers, a bad scheme name, a
 * compatible already listed (the message names the earlier line), a
 * NUL byte, or a line longer than DRVCONF_LINE_MAX. err may be NULL.
 */
int drvconf_parse(const char *text, size_t len, struct drvconf *conf,
		  struct drvconf_error *err);

/* The driver listing compat, or NULL. */
const struct drvconf_entry *drvconf_lookup(const struct drvconf *conf, const char *compat);

#endif
