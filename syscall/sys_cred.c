/*
 * syscall/sys_cred.c: the credential system calls (kernel/cred.h): the get
 * calls, setuid/setgid, setreuid/setregid, setresuid/setresgid,
 * getresuid/getresgid, setfsuid/setfsgid, setgroups/getgroups, with
 * Linux's semantics (the rules are kernel/cred.c's).
 */
#include "syscall/handlers.h"
#include "syscall/syscall.h"
#include "kernel/cred.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "arch/aarch64/uaccess.h"

/* The ids a set call asks for (uid_t is 32 bits: (uid_t)-1 keeps). */
struct id_req {
	bool group;
	uint32_t ids[3];
};

static uint32_t id_arg(uint64_t a)
{
	return (uint32_t)a;
}

SYSCALL(getid)
{
	struct cred c = caller_cred();

	switch (tf->x[SYSCALL_NR_REG]) {
	case SYS_getuid:
		return c.uid;
	case SYS_geteuid:
		return c.euid;
	case SYS_getgid:
		return c.gid;
	default:
		return c.egid;
	}
}

static long rule_setid(struct cred *c, void *arg)
{
	struct id_req *r = arg;

	return cred_rule_setid(c, r->group, r->ids[0]);
}

static long rule_setreid(struct cred *c, void *arg)
{
	struct id_req *r = arg;

	return cred_rule_setreid(c, r->group, r->ids[0], r->ids[1]);
}

static long rule_setresid(struct cred *c, void *arg)
{
	struct id_req *r = arg;

	return cred_rule_setresid(c, r->group, r->ids[0], r->ids[1], r->ids[2]);
}

static long rule_setfsid(struct cred *c, void *arg)
{
	struct id_req *r = arg;

	return cred_rule_setfsid(c, r->group, r->ids[0]);
}

/* setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid,
 * setfsgid: one handler, the call's number picks the rule. */
SYSCALL(setid)
{
	uint64_t nr = tf->x[SYSCALL_NR_REG];
	struct id_req r = { .ids = { id_arg(ARG(0)), id_arg(ARG(1)), id_arg(ARG(2)) } };

	switch (nr) {
	case SYS_setgid:
		r.group = true;
		/* fallthrough */
	case SYS_setuid:
		return cred_change(rule_setid, &r);
	case SYS_setregid:
		r.group = true;
		/* fallthrough */
	case SYS_setreuid:
		return cred_change(rule_setreid, &r);
	case SYS_setresgid:
		r.group = true;
		/* fallthrough */
	case SYS_setresuid:
		return cred_change(rule_setresid, &r);
	case SYS_setfsgid:
		r.group = true;
		/* fallthrough */
	default: /* SYS_setfsuid */
		return cred_change(rule_setfsid, &r);
	}
}

/* getresuid, getresgid: three ids to three user addresses. */
SYSCALL(getresid)
{
	struct cred c = caller_cred();
	bool group = tf->x[SYSCALL_NR_REG] == SYS_getresgid;
	uint32_t ids[3] = { group ? c.gid : c.uid, group ? c.egid : c.euid,
			    group ? c.sgid : c.suid };

	for (int i = 0; i < 3; i++)
		if (copy_to_user(ARG(i), &ids[i], sizeof(ids[i])))
			return -EFAULT;
	return 0;
}

SYSCALL(getgroups)
{
	struct cred c = caller_cred();
	int size = (int)ARG(0);

	if (size < 0)
		return -EINVAL;
	if (!size)
		return c.ngroups;
	if ((uint32_t)size < c.ngroups)
		return -EINVAL;
	if (copy_to_user(ARG(1), c.groups, c.ngroups * sizeof(c.groups[0])))
		return -EFAULT;
	return c.ngroups;
}

struct groups_req {
	uint32_t n;
	uint32_t groups[CRED_GROUPS_MAX];
};

static long rule_setgroups(struct cred *c, void *arg)
{
	struct groups_req *r = arg;

	return cred_rule_setgroups(c, r->groups, r->n);
}

SYSCALL(setgroups)
{
	struct cred c = caller_cred();
	struct groups_req r = { .n = (uint32_t)(int)ARG(0) };

	/* Linux's order: permission, then the size, then the list. */
	if (c.euid != CRED_ROOT_ID)
		return -EPERM;
	if ((int)ARG(0) < 0 || r.n > CRED_LINUX_NGROUPS_MAX)
		return -EINVAL;
	/* More than Anode keeps (Linux would take up to NGROUPS_MAX). */
	if (r.n > CRED_GROUPS_MAX)
		return -EINVAL;
	if (copy_from_user(r.groups, ARG(1), r.n * sizeof(r.groups[0])))
		return -EFAULT;
	return cred_change(rule_setgroups, &r);
}
