/*
 * kernel/scheme/uscheme_stat.h: the stat cache of the schemes daemons serve
 * (kernel/scheme/uscheme_stat.c over the table of kernel/scheme/uscache.h), as
 * us_open uses it: a stat's O_PATH open looks its answer up first, and
 * keeps the daemon's answer when the daemon allows it (SCHEME_AUX_CACHE)
 * and the scheme's change stamp did not move meanwhile (kernel/scheme/usgen.h).
 */
#ifndef KERNEL_USCHEME_STAT_H
#define KERNEL_USCHEME_STAT_H

#include "kernel/scheme/uscheme.h"
#include "kernel/scheme/uscache.h"

/* A lookup's key and stamp, kept on the opener's stack for usstat_keep
 * (its path copied: the daemon overwrites the caller's buffer). */
struct usstat_probe {
	struct uscache_key key;
	uint64_t stamp;
	bool keep;              /* a miss whose answer may be kept */
	char path[USCACHE_KEY_MAX];
};

/* Before the OPEN of path (len bytes, no NUL) with flags for cl: 1 if
 * the cache answered with the status (cl->stat filled and valid, *type
 * the file's type), -ENOENT if it answered that path names nothing, 0
 * (a miss: p is ready for usstat_keep). */
int usstat_lookup(struct uscheme *us, const char *path, size_t len, int flags,
		  const struct caller *cl, struct usstat_probe *p, uint32_t *type);
/* After the OPEN's reply, with aux, gave the status st of a file of type
 * (st NULL: answered -ENOENT): keeps it for p's key if aux allows it
 * (SCHEME_AUX_CACHE) and the stamp is still p's. */
void usstat_keep(struct uscheme *us, const struct usstat_probe *p, uint64_t aux, uint32_t type,
		 const struct abi_stat *st);
/* The scheme died: its answers go (uscheme_kill, us->s.dead already set). */
void usstat_forget(struct uscheme *us);

#endif
