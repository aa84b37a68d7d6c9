/*
 * kernel/cwd.h: a process's working directory (struct proc's cwd), which
 * any of its threads may change (chdir, fchdir) while the others resolve
 * relative paths against it. The path is kept in an immutable,
 * reference-counted record: chdir makes a new one and swaps the pointer
 * under the process's cwd_lock; a reader takes a reference under that
 * lock and then uses the text with no lock held (it may sleep, fault on
 * a user buffer or call a daemon), so it sees the directory before or
 * after a concurrent chdir, never a mix of the two. A fork child shares
 * its parent's record (it is never written, so sharing is a copy).
 */
#ifndef KERNEL_CWD_H
#define KERNEL_CWD_H

#include "kernel/lib/types.h"

struct proc;

struct cwd {
	uint32_t refs;   /* atomic */
	char path[];     /* absolute, normalized, shorter than PATH_MAX_LEN */
};

/* p's working directory, held until cwd_put. p is the caller's process,
 * or one kept alive by proc_lock (/proc). */
struct cwd *cwd_get(struct proc *p);
/* Drops a reference; NULL is allowed. */
void cwd_put(struct cwd *c);
/* Makes path (absolute and normalized, as path_resolve gives it) p's
 * working directory: 0, or -ENOMEM and nothing changed. */
int cwd_set(struct proc *p, const char *path);
/* Sets up a new process's cwd_lock and working directory: its parent's
 * (shared) when parent is non-NULL, "/" otherwise. 0 or -ENOMEM. */
int cwd_init(struct proc *p, struct proc *parent);
/* Copies p's working directory into out (cut to size, NUL-terminated)
 * under p's cwd_lock: for /proc, which holds proc_lock and must not free
 * memory there. */
void cwd_text(struct proc *p, char *out, size_t size);
/* A process that is being freed drops its directory. */
void cwd_release(struct proc *p);

#endif
