/*
 * kernel/scheme/namespace.h: per-process namespaces: the scheme names a process
 * can open (and register). The registry of schemes stays global
 * (kernel/scheme/scheme.c); a namespace is a filter over its names.
 *
 * A namespace is an immutable, reference-counted set: fork shares the
 * parent's reference, exec keeps it, and narrowing (SYS_anode_setns,
 * syscall/abi/abi.h) makes a new set and swaps the process's pointer. Two sets
 * are special and never freed: ns_all, every name (the boot process's), and
 * the null namespace, no name at all (capability mode: the process only
 * uses the descriptors it holds).
 *
 * The `scheme` listing (/scheme, kernel/scheme/scheme_list.c) is in every
 * namespace but the null one: it only shows, and only forwards to, the
 * names the namespace holds.
 *
 * A name outside the namespace is answered exactly as a name that is not
 * registered: -ENOENT (file_open's answer for an unknown scheme), so that a
 * confined process cannot even learn which schemes exist. Redox answers
 * ENODEV for both; Anode already said ENOENT for unknown schemes (t_schemes)
 * and keeps ENODEV for a scheme whose daemon died.
 */
#ifndef KERNEL_NAMESPACE_H
#define KERNEL_NAMESPACE_H

#include "kernel/lib/types.h"
#include "kernel/scheme/nameset.h"

struct proc;

struct namespace_set {
	uint32_t refcount;   /* atomic; the two static sets ignore it */
	bool is_static;      /* ns_all or the null set: never freed */
	bool all;            /* every name; names is then unused */
	struct nameset names;
};

/* Every name: the boot process's namespace. */
extern struct namespace_set ns_all;

/* Whether ns lets its holder open (or register) name. */
bool ns_allows(const struct namespace_set *ns, const char *name);
/* Another reference to ns, and its release. */
struct namespace_set *ns_get(struct namespace_set *ns);
void ns_put(struct namespace_set *ns);

/* p's namespace, with a reference the caller drops with ns_put (p's own
 * may be replaced meanwhile by a sibling thread narrowing it). */
struct namespace_set *proc_ns(struct proc *p);
/* The check file_open and scheme registration make: whether p may name
 * name. p NULL is the kernel itself (boot, before any process runs), which
 * may name anything. Registration checks it before looking the name up
 * and answers -EACCES: the answer then says nothing of whether the name
 * is taken. */
bool proc_ns_allows(struct proc *p, const char *name);
/* Lifecycle, from kernel/proc.c: the first process gets ns_all, a child
 * shares its parent's set, and a process drops it when it dies. */
void proc_ns_init_first(struct proc *p);
void proc_ns_fork(struct proc *child, struct proc *parent);
void proc_ns_release(struct proc *p);
/* Narrows p's namespace to its intersection with req: the number of names
 * the new set holds, or -ENOMEM (then nothing changed). */
long proc_ns_narrow(struct proc *p, const struct nameset *req);

/* The registry as a process may see it: the schemes ns allows, in
 * registration order (the `scheme` listing and sys:schemes). */
struct scheme_entry {
	char name[NAMESET_NAME_MAX];
	int server_pid; /* 0: the kernel's */
};
/* Fills out[0..max) with the visible schemes; their number. */
int ns_visible_schemes(const struct namespace_set *ns, struct scheme_entry *out, int max);

#endif
