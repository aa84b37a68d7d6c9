/*
 * kernel/scheme/namespace.c: namespaces (see namespace.h): the sets, their
 * lifetime, the private names, and the view of the scheme registry a
 * namespace gives. Each process's pointer to its set, and narrowing it,
 * are the process core's (kernel/proc_ns.c).
 */
#include "kernel/scheme/namespace.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/path.h"
#include "kernel/scheme/boot.h"
#include "kernel/lib/spinlock.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include <string.h>

_Static_assert(NAMESET_MAX == SCHEME_MAX, "a namespace can hold every scheme");
_Static_assert(NAMESET_NAME_MAX == SCHEME_NAME_MAX, "namespace names are scheme names");

struct namespace_set ns_all = { .is_static = true, .all = true, .private_too = true };
/* Every public name: what init gives its children (NS_WILDCARD). */
struct namespace_set ns_public = { .is_static = true, .all = true };
const char *const ns_private_list[] = { BOOT_SCHEME, NULL };
/* Capability mode: no name at all. */
struct namespace_set ns_null = { .is_static = true };

bool ns_private_name(const char *name)
{
	for (const char *const *n = ns_private_list; *n; n++)
		if (strcmp(name, *n) == 0)
			return true;
	return false;
}

bool ns_allows_listed(const struct namespace_set *ns, const char *name)
{
	if (ns->names.count == 0)
		return false; /* the null namespace: not even the listing */
	return strcmp(name, PATH_SCHEME_LIST) == 0 || nameset_contains(&ns->names, name);
}

struct namespace_set *ns_get(struct namespace_set *ns)
{
	if (!ns->is_static)
		__atomic_add_fetch(&ns->refcount, 1, __ATOMIC_RELAXED);
	return ns;
}

void ns_put(struct namespace_set *ns)
{
	if (!ns || ns->is_static)
		return;
	if (__atomic_sub_fetch(&ns->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(ns);
}

/* out = in without the private names (out may be in). */
void ns_drop_private(struct nameset *out, const struct nameset *in)
{
	int n = 0;

	for (int i = 0; i < in->count; i++)
		if (!ns_private_name(in->names[i]))
			memmove(out->names[n++], in->names[i], sizeof(out->names[0]));
	out->count = n;
}

int ns_visible_schemes(const struct namespace_set *ns, struct scheme_entry *out, int max)
{
	struct namespace *reg = &root_namespace;
	uint64_t flags = spin_lock_irqsave(&reg->lock);
	int n = 0;

	for (int i = 0; i < reg->count && n < max; i++) {
		const struct scheme *s = reg->schemes[i];

		if (!ns_allows(ns, s->name))
			continue;
		memcpy(out[n].name, s->name, sizeof(out[n].name));
		out[n].server_pid = s->server_pid;
		n++;
	}
	spin_unlock_irqrestore(&reg->lock, flags);
	return n;
}
