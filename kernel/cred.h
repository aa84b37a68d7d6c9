/*
 * kernel/cred.h: a process's identity (credentials(7)): real, effective,
 * saved and file-system user and group ids and up to CRED_GROUPS_MAX
 * supplementary groups. What getuid(2) and friends answer, what kill(2)'s
 * permission rule compares, what exec's execute check uses, and what a
 * scheme request carries as its caller (the file-system ids,
 * syscall/abi/scheme_proto.h). The rules of every change are Linux's
 * (kernel/cred.c); the system calls are syscall/sys_cred.c.
 *
 * Privilege is an effective uid of 0 (Linux's CAP_SETUID, CAP_SETGID and
 * CAP_KILL, which root holds). Device access (memory:, irq:, the clock)
 * stays a grant right (kernel/scheme/grant.h), never uid 0.
 *
 * Credentials are per process, so every thread shares them (Linux keeps
 * them per thread and glibc and musl broadcast setuid & co. to every thread
 * with a signal, each thread repeating the call; here the repeat finds the
 * ids already set, which every rule allows, so it succeeds and changes
 * nothing). Setuid and setgid bits of files are not honoured.
 *
 * Locking: struct proc's cred is written only under cred_lock (cred.c, a
 * leaf lock: taken inside proc_lock and proc_sig.lock, never around
 * another). Whoever needs several fields takes a snapshot under it
 * (cred_get); the file-system ids alone, which every file operation
 * stamps, are read with single atomic loads (cred_fsuid/cred_fsgid).
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <stdint.h>
#include <stdbool.h>

#define CRED_ROOT_ID 0
/* "Leave unchanged" in setreuid/setresuid/... (Linux's (uid_t)-1). */
#define CRED_ID_KEEP ((uint32_t)-1)
/* Supplementary groups a process can hold (scheme_proto.h's
 * SCHEME_CALLER_GROUPS_MAX: a daemon sees them all). */
#define CRED_GROUPS_MAX 32
/* Linux's NGROUPS_MAX: setgroups beyond it is EINVAL there too. */
#define CRED_LINUX_NGROUPS_MAX 65536

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[CRED_GROUPS_MAX]; /* sorted, as Linux keeps them */
};

struct proc;

/* Root's credentials (the first process's). */
static inline struct cred cred_root(void)
{
	return (struct cred){ .uid = CRED_ROOT_ID };
}

/* A consistent copy of p's credentials. */
void cred_get(const struct proc *p, struct cred *out);
/* The calling process's credentials. */
struct cred caller_cred(void);
/* The file-system ids in a process's credentials (&p->cred), each read
 * atomically (no lock). Inline: every file operation stamps them, and a
 * call costs more than the load. */
static inline uint32_t cred_fsuid(const struct cred *c)
{
	return __atomic_load_n(&c->fsuid, __ATOMIC_RELAXED);
}

static inline uint32_t cred_fsgid(const struct cred *c)
{
	return __atomic_load_n(&c->fsgid, __ATOMIC_RELAXED);
}
/* p's real uid (a signal's si_uid). */
uint32_t cred_ruid(const struct proc *p);

/* Whether gid is c's file-system gid or one of its groups. */
bool cred_in_group(const struct cred *c, uint32_t gid);

/*
 * The rules (Linux's kernel/sys.c), each changing *c or nothing and
 * returning 0 or -EPERM / -EINVAL. An id of CRED_ID_KEEP leaves that id.
 */
int cred_rule_setid(struct cred *c, bool group, uint32_t id);
int cred_rule_setreid(struct cred *c, bool group, uint32_t r, uint32_t e);
int cred_rule_setresid(struct cred *c, bool group, uint32_t r, uint32_t e, uint32_t s);
/* setfsuid/setfsgid: always the old file-system id. */
uint32_t cred_rule_setfsid(struct cred *c, bool group, uint32_t id);
/* groups[0..n) from the caller (n <= CRED_GROUPS_MAX, checked by the caller). */
int cred_rule_setgroups(struct cred *c, const uint32_t *groups, uint32_t n);

/* A change of the current process's credentials: rule(copy, arg) on a
 * copy under cred_lock, stored if it returns >= 0; its result. */
long cred_change(long (*rule)(struct cred *c, void *arg), void *arg);

/* kill(2)'s permission (Linux's kill_ok_by_cred, and SIGCONT within a
 * session): may from signal to? proc_lock held (sessions). */
bool cred_may_signal(const struct proc *from, const struct proc *to, int sig);

/* execve's permission: may c execute a file of this mode and owner? */
bool cred_may_exec(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid);
/* The same for the calling process and a file's stat. */
struct abi_stat;
bool cred_may_exec_file(const struct abi_stat *st);

#endif
