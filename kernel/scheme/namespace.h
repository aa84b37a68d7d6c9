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
 *
 * Private names (`boot`, the boot archive: kernel/scheme/boot.h) are in
 * ns_all, the first process's, but not in "every name" otherwise: the
 * request NS_WILDCARD ("*" alone) narrows a namespace to its names minus
 * the private ones, so that init keeps the archive for initfsd and gives
 * every other child every public name, present and future. A list names
 * a private name only to keep it: narrowing never widens. exec (but the
 * first process's) drops them too (kernel/exec.c): only init and initfsd,
 * a fork of init that never execs, ever hold them.
 */
#ifndef KERNEL_NAMESPACE_H
#define KERNEL_NAMESPACE_H

#include "kernel/lib/types.h"
#include "kernel/scheme/nameset.h"

struct namespace_set {
	uint32_t refcount;   /* atomic; the two static sets ignore it */
	bool is_static;      /* ns_all or the null set: never freed */
	bool all;            /* every public name; names is then unused */
	bool private_too;    /* with all: the private names as well (ns_all) */
	struct nameset names;
};

/* The request (anode_setns) "*" alone, NUL included: drop the private names. */
#define NS_WILDCARD "*"
#define NS_WILDCARD_LEN sizeof(NS_WILDCARD)

/* Every name, the private ones too: the boot process's namespace. */
extern struct namespace_set ns_all;
/* Every public name (NS_WILDCARD's result from ns_all). */
extern struct namespace_set ns_public;
/* No name at all: capability mode. */
extern struct namespace_set ns_null;

/* Whether name is private (held only where given explicitly or by ns_all). */
bool ns_private_name(const char *name);
/* ns_allows for a set of listed names (not every name). */
bool ns_allows_listed(const struct namespace_set *ns, const char *name);

/* Whether ns lets its holder open (or register) name. Every open and path
 * operation asks: the common sets, every name, are answered inline. */
static inline bool ns_allows(const struct namespace_set *ns, const char *name)
{
	if (ns->all)
		return ns->private_too || !ns_private_name(name);
	return ns_allows_listed(ns, name);
}
/* Another reference to ns, and its release. */
struct namespace_set *ns_get(struct namespace_set *ns);
void ns_put(struct namespace_set *ns);

/* The private names, NULL-terminated (sys:namespace lists them). */
extern const char *const ns_private_list[];
/* out = in without the private names (out may be in). */
void ns_drop_private(struct nameset *out, const struct nameset *in);
/* Whether the current process may name name: file_open's check. Provided
 * by the process core (kernel/proc_ns.c), which this layer does not
 * include; true for the kernel itself (boot, before any process runs). */
bool current_ns_allows(const char *name);

/* The registry as a process may see it: the schemes ns allows, in
 * registration order (the `scheme` listing and sys:schemes). */
struct scheme_entry {
	char name[NAMESET_NAME_MAX];
	int server_pid; /* 0: the kernel's */
};
/* Fills out[0..max) with the visible schemes; their number. */
int ns_visible_schemes(const struct namespace_set *ns, struct scheme_entry *out, int max);

#endif
