/*
 * kernel/scheme/grant.h: device rights. Each process holds a grant: the physical
 * ranges it may map through memory: and the interrupts it may claim through
 * irq:, and the rights to do things that are not devices (GRANT_RIGHT_*:
 * setting the clock), nothing else (not "uid 0 may do anything"). A grant is immutable and
 * reference counted; processes share it across fork and exec, and a process
 * can only replace its own by a narrower one (grant_narrow), never widen it.
 *
 * The first process gets every enabled device-tree node's reg ranges and
 * interrupts, minus RAM and the devices the kernel drives itself
 * (grant_boot, kernel/scheme/grant_dt.c). A driver manager forks, narrows the child
 * to one node through the grant: scheme (kernel/scheme/scheme_grant.c), then execs
 * the driver.
 *
 * The set operations here are pure (no locks, no device tree), so the host
 * unit tests run them (tests/host/test_grant.c).
 */
#ifndef KERNEL_GRANT_H
#define KERNEL_GRANT_H

#include "kernel/lib/types.h"
#include "mm/ranges.h"	/* struct mem_range */

/* Bounds on one grant (QEMU virt's whole tree needs about 40 of each). */
#define GRANT_RANGES_MAX 96
#define GRANT_IRQS_MAX 96

/* Rights beyond devices, a bitmask in struct grant's rights. The first
 * process holds them all; narrowing through grant: keeps one only if the
 * write names it ("right clock"). */
#define GRANT_RIGHT_CLOCK 0x1u	/* set CLOCK_REALTIME: clock_settime, settimeofday */
#define GRANT_RIGHTS_ALL GRANT_RIGHT_CLOCK

struct grant_irq {
	uint32_t irq;   /* the kernel's interrupt number (kernel/irq.h) */
	bool edge;      /* trigger, from the device tree, for irq_claim */
};

struct grant {
	uint32_t refcount;   /* atomic; everything else is fixed once shared */
	int nranges, nirqs;
	uint32_t rights;     /* GRANT_RIGHT_* */
	struct mem_range ranges[GRANT_RANGES_MAX]; /* sorted, disjoint, not adjacent, non-empty */
	struct grant_irq irqs[GRANT_IRQS_MAX];     /* sorted by irq, distinct */
};

/* An empty grant with one reference, or NULL. */
struct grant *grant_alloc(void);
/* A new reference (g may be NULL: the empty grant). */
struct grant *grant_get(struct grant *g);
void grant_put(struct grant *g);

/* Adds [base, base + size) (merging with what it touches); 0, -EINVAL for
 * an empty or wrapping range, -ENOSPC if the list is full (g unchanged). */
int grant_add_range(struct grant *g, paddr_t base, uint64_t size);
/* Removes [base, base + size) from every range; 0 or -ENOSPC (a split with
 * the list full: g unchanged). */
int grant_remove_range(struct grant *g, paddr_t base, uint64_t size);
/* Adds an interrupt (nothing if present); 0 or -ENOSPC. */
int grant_add_irq(struct grant *g, uint32_t irq, bool edge);
void grant_remove_irq(struct grant *g, uint32_t irq);

/* out = a ∩ b (ranges piece by piece, interrupts by number; the trigger is
 * a's; rights bit by bit). out may not be a or b. NULL a or b is the empty grant. */
void grant_intersect(const struct grant *a, const struct grant *b, struct grant *out);

/* Whether [base, base + len) lies inside one range of g (len > 0). */
bool grant_covers(const struct grant *g, paddr_t base, uint64_t len);
/* Whether [base, base + len) overlaps any range of g. */
bool grant_overlaps(const struct grant *g, paddr_t base, uint64_t len);
/* g's entry for irq, or NULL. */
const struct grant_irq *grant_find_irq(const struct grant *g, uint32_t irq);

/* ---- from the device tree (kernel/scheme/grant_dt.c) ---- */

/* out = node's reg ranges and interrupts; -ENODEV if node is disabled. */
int grant_of_node(int node, struct grant *out);
/* The first process's grant (NULL, the empty grant, if it cannot be built). */
struct grant *grant_boot(void);
/* Whether [base, base + len) touches RAM (memory nodes, reserved memory). */
bool grant_is_ram(paddr_t base, uint64_t len);

/* ---- a process's grant (kernel/scheme/scheme_grant.c) ---- */

struct proc;
/* A reference to p's grant (NULL: the empty grant). p is the caller's own
 * process or one not yet running (fork). */
struct grant *proc_grant(struct proc *p);
/* Gives p, not yet running (the first process, a fork child), grant g
 * (the caller's reference) and its rights' copy. */
void proc_set_grant(struct proc *p, struct grant *g);
/* Takes p's grant away (exit), for the caller to put. */
struct grant *proc_take_grant(struct proc *p);
/* Whether the current process holds right (its bits: kernel/proc.h's
 * grant_current_rights). */
bool grant_current_has(uint32_t right);
/* Replaces the current process's grant by its intersection with want; 0 or
 * -ENOMEM (nothing changed). */
int grant_narrow_current(const struct grant *want);

#endif
