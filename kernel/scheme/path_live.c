/*
 * kernel/scheme/path_live.c: path_scheme_live (kernel/scheme/path.h), a
 * registry lookup for path users (the device nodes had a fallback), kept out of path.c so
 * that path.c stays pure string work for the host tests.
 */
#include "kernel/scheme/path.h"
#include "kernel/scheme/scheme.h"

bool path_scheme_live(const char *name)
{
	const struct scheme *s = scheme_find(&root_namespace, name);
	bool live = s && !__atomic_load_n(&s->dead, __ATOMIC_ACQUIRE);

	if (s)
		scheme_put(s);
	return live;
}
