/*
 * kernel/cred.c: the rules of credentials (see cred.h): Linux's transitions
 * for setuid and friends (kernel/sys.c), the group check, kill's and exec's
 * permission, and cred_lock, which every change of a process's cred takes.
 */
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/spinlock.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_signal.h"

/* Guards every struct proc's cred field against writes (cred.h). */
static spinlock_t cred_lock = SPINLOCK_INIT("cred");

/* Permission bits of a mode, as Linux's MAY_EXEC shifts them. */
#define MODE_X_OTHER 01u
#define MODE_GROUP_SHIFT 3
#define MODE_OWNER_SHIFT 6

void cred_get(const struct proc *p, struct cred *out)
{
	uint64_t flags = spin_lock_irqsave(&cred_lock);

	*out = p->cred;
	spin_unlock_irqrestore(&cred_lock, flags);
}

struct cred caller_cred(void)
{
	struct cred c;

	cred_get(current_proc(), &c);
	return c;
}

uint32_t cred_ruid(const struct proc *p)
{
	return __atomic_load_n(&p->cred.uid, __ATOMIC_RELAXED);
}

bool cred_in_group(const struct cred *c, uint32_t gid)
{
	if (c->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < CRED_GROUPS_MAX; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* The real, effective, saved and file-system ids of one kind. */
struct idset {
	uint32_t *r, *e, *s, *fs;
};

static struct idset ids_of(struct cred *c, bool group)
{
	return group ? (struct idset){ &c->gid, &c->egid, &c->sgid, &c->fsgid }
		     : (struct idset){ &c->uid, &c->euid, &c->suid, &c->fsuid };
}

/* CAP_SETUID / CAP_SETGID: root's. */
static bool privileged(const struct cred *c)
{
	return c->euid == CRED_ROOT_ID;
}

/* An unprivileged process may take any of its real, effective or saved ids. */
static bool own_id(const struct idset *ids, uint32_t id)
{
	return id == *ids->r || id == *ids->e || id == *ids->s;
}

int cred_rule_setid(struct cred *c, bool group, uint32_t id)
{
	struct idset ids = ids_of(c, group);

	if (id == CRED_ID_KEEP)
		return -EINVAL;
	if (privileged(c)) {
		*ids.r = *ids.e = *ids.s = *ids.fs = id;
		return 0;
	}
	if (id != *ids.r && id != *ids.s)
		return -EPERM;
	*ids.e = *ids.fs = id;
	return 0;
}

int cred_rule_setreid(struct cred *c, bool group, uint32_t r, uint32_t e)
{
	struct idset ids = ids_of(c, group);
	uint32_t old_r = *ids.r;
	bool priv = privileged(c);

	if (r != CRED_ID_KEEP && !priv && r != *ids.r && r != *ids.e)
		return -EPERM;
	if (e != CRED_ID_KEEP && !priv && !own_id(&ids, e))
		return -EPERM;
	if (r != CRED_ID_KEEP)
		*ids.r = r;
	if (e != CRED_ID_KEEP)
		*ids.e = e;
	/* Linux: the saved id follows a new effective one when the real id
	 * is set or the effective one moves away from the old real id. */
	if (r != CRED_ID_KEEP || (e != CRED_ID_KEEP && e != old_r))
		*ids.s = *ids.e;
	*ids.fs = *ids.e;
	return 0;
}

int cred_rule_setresid(struct cred *c, bool group, uint32_t r, uint32_t e, uint32_t s)
{
	struct idset ids = ids_of(c, group);

	if (!privileged(c) && ((r != CRED_ID_KEEP && !own_id(&ids, r)) ||
			       (e != CRED_ID_KEEP && !own_id(&ids, e)) ||
			       (s != CRED_ID_KEEP && !own_id(&ids, s))))
		return -EPERM;
	if (r != CRED_ID_KEEP)
		*ids.r = r;
	if (e != CRED_ID_KEEP)
		*ids.e = e;
	if (s != CRED_ID_KEEP)
		*ids.s = s;
	*ids.fs = *ids.e;
	return 0;
}

uint32_t cred_rule_setfsid(struct cred *c, bool group, uint32_t id)
{
	struct idset ids = ids_of(c, group);
	uint32_t old = *ids.fs;

	/* Linux: an invalid id or a refused one changes nothing, silently. */
	if (id != CRED_ID_KEEP && (privileged(c) || own_id(&ids, id) || id == old))
		*ids.fs = id;
	return old;
}

int cred_rule_setgroups(struct cred *c, const uint32_t *groups, uint32_t n)
{
	if (!privileged(c))
		return -EPERM;
	if (n > CRED_GROUPS_MAX)
		return -EINVAL;
	/* Sorted (insertion: at most CRED_GROUPS_MAX), as Linux's groups_sort. */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t g = groups[i], j = i;

		for (; j > 0 && c->groups[j - 1] > g; j--)
			c->groups[j] = c->groups[j - 1];
		c->groups[j] = g;
	}
	c->ngroups = n;
	return 0;
}

/* Every field is a uint32_t: stored one word at a time, each atomically,
 * so a reader without the lock (cred_fsuid) never sees half an id. */
_Static_assert(sizeof(struct cred) % sizeof(uint32_t) == 0, "cred is words");
static void store(struct cred *dst, const struct cred *src)
{
	uint32_t *d = (uint32_t *)dst;
	const uint32_t *s = (const uint32_t *)src;

	for (size_t i = 0; i < sizeof(*src) / sizeof(uint32_t); i++)
		__atomic_store_n(&d[i], s[i], __ATOMIC_RELAXED);
}

long cred_change(long (*rule)(struct cred *c, void *arg), void *arg)
{
	struct proc *p = current_proc();
	uint64_t flags = spin_lock_irqsave(&cred_lock);
	struct cred c = p->cred;
	long ret = rule(&c, arg);

	if (ret >= 0)
		store(&p->cred, &c);
	spin_unlock_irqrestore(&cred_lock, flags);
	return ret;
}

bool cred_may_signal(const struct proc *from, const struct proc *to, int sig)
{
	struct cred f, t;

	if (from == to)
		return true;
	cred_get(from, &f);
	cred_get(to, &t);
	if (f.euid == CRED_ROOT_ID)
		return true;
	if (f.euid == t.suid || f.euid == t.uid || f.uid == t.suid || f.uid == t.uid)
		return true;
	/* Linux: SIGCONT may go to any process of the sender's session. */
	return sig == ABI_SIGCONT && from->job.session && from->job.session == to->job.session;
}

bool cred_may_exec(const struct cred *c, uint32_t mode, uint32_t uid, uint32_t gid)
{
	uint32_t bits;

	/* Root needs only one execute bit (Linux's generic_permission). */
	if (c->fsuid == CRED_ROOT_ID)
		return (mode & ABI_S_IXALL) != 0;
	if (c->fsuid == uid)
		bits = mode >> MODE_OWNER_SHIFT;
	else if (cred_in_group(c, gid))
		bits = mode >> MODE_GROUP_SHIFT;
	else
		bits = mode;
	return (bits & MODE_X_OTHER) != 0;
}

bool cred_may_exec_file(const struct abi_stat *st)
{
	struct cred c = caller_cred();

	return cred_may_exec(&c, st->st_mode, st->st_uid, st->st_gid);
}
