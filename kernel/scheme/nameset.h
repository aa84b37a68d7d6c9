/*
 * kernel/scheme/nameset.h: a set of scheme names, as a namespace holds them
 * (kernel/scheme/namespace.h): parsing the NUL-separated list user space passes,
 * membership and intersection. Pure data work, shared with the host unit
 * tests (tests/host/test_nameset.c).
 */
#ifndef KERNEL_NAMESET_H
#define KERNEL_NAMESET_H

#include <stdbool.h>
#include <stddef.h>

/* As many names as the registry holds schemes, each as long as a scheme
 * name (SCHEME_MAX, SCHEME_NAME_MAX in kernel/scheme/scheme.h; namespace.c checks
 * that they agree). */
#define NAMESET_MAX 32
#define NAMESET_NAME_MAX 32 /* with the NUL */
/* The longest list user space may pass: every name at its longest. */
#define NAMESET_BUF_MAX (NAMESET_MAX * NAMESET_NAME_MAX)

struct nameset {
	int count;
	char names[NAMESET_MAX][NAMESET_NAME_MAX]; /* distinct, NUL-terminated */
};

/* Parses buf[0..len): names each ended by a NUL, each a valid scheme name
 * (kernel/scheme/path.h: [a-z0-9_.-]+, shorter than NAMESET_NAME_MAX); a name
 * given twice counts once. len 0 is the empty set. -EINVAL (and *out
 * unspecified) for an empty name, a bad character, a name too long, a last
 * name without its NUL, more than NAMESET_MAX names, or len above
 * NAMESET_BUF_MAX. */
int nameset_parse(struct nameset *out, const char *buf, size_t len);
bool nameset_contains(const struct nameset *s, const char *name);
/* out = the names of a that b also holds, in a's order; out may be a. */
void nameset_intersect(struct nameset *out, const struct nameset *a, const struct nameset *b);

#endif
