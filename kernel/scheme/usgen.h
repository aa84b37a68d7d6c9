/*
 * kernel/scheme/usgen.h: a user scheme's change stamp, which tells a
 * kernel-side copy of a daemon's answer (the stat cache, kernel/scheme/uscache.h)
 * whether it may still be what the daemon would answer now.
 *
 * The stamp is one 64-bit word: a generation in the high bits, bumped
 * when the kernel sends a request that may change the daemon's tree or a
 * file's status (usgen_mutates) and again when that request ends, and in
 * the low USGEN_MUT_BITS the number of such requests in flight. One word,
 * so that a reader gets both with one load:
 * - an answer to a request sent with stamp s (read before the send) may be
 *   kept only if s has no mutation in flight (usgen_settled);
 * - a kept answer stands while the stamp is still exactly s: any mutating
 *   request sent since moved the generation for good, and while one is in
 *   flight (its effect may be visible already) the stamp is unsettled.
 * A mutating request the caller abandons while the daemon holds it (a
 * signal, the daemon too slow to answer the cancel; a dying thread) may
 * still be applied until the daemon answers its tag, which nobody waits
 * for any more: its count stays until that late answer comes
 * (usgen_late_answer_locked), its tag kept in one of USGEN_ORPHANS slots.
 * With no slot free, or a count that would overflow (USGEN_MUT_MAX), the
 * count stays for good (sticky): the stamp is unsettled and nothing is
 * kept for the scheme again.
 *
 * What this does not see: changes a daemon makes without a request (a
 * daemon that caches answers promises there are none, SCHEME_AUX_CACHE),
 * and writes through a writable mapping of a daemon's pages after its FMAP.
 *
 * Updated under the scheme's lock (uscheme.c's uscheme_call at each send and
 * end, uscheme_ctl.c's late_answer), the word read with a plain atomic load
 * anywhere.
 */
#ifndef KERNEL_USGEN_H
#define KERNEL_USGEN_H

#include "kernel/lib/types.h"
#include "mm/vm.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/scheme_proto.h"

#define USGEN_MUT_BITS 16
#define USGEN_MUT_MAX ((1ULL << USGEN_MUT_BITS) - 1) /* also the mask of the count */
#define USGEN_GEN_ONE (1ULL << USGEN_MUT_BITS)      /* one generation */

#define USGEN_ORPHANS 4

struct usgen {
	uint64_t word; /* generation << USGEN_MUT_BITS | mutations in flight */
	/* Tags of abandoned mutating requests the daemon holds (0: a free
	 * slot; tags start at 1). */
	uint64_t orphan[USGEN_ORPHANS];
};

/* The stamp now (acquire: pairs with the release of the updates). */
static inline uint64_t usgen_stamp(const struct usgen *g)
{
	return __atomic_load_n(&g->word, __ATOMIC_ACQUIRE);
}

/* No mutating request was in flight when stamp was read. */
static inline bool usgen_settled(uint64_t stamp)
{
	return (stamp & USGEN_MUT_MAX) == 0;
}

#define USGEN_OP_BIT(op) (1ULL << (op))
/* The requests that only read (one bit each: one test on every request). */
#define USGEN_READING_OPS (USGEN_OP_BIT(SCHEME_OP_READ) | USGEN_OP_BIT(SCHEME_OP_SEEK) | \
			   USGEN_OP_BIT(SCHEME_OP_FSTAT) | USGEN_OP_BIT(SCHEME_OP_FSTATVFS) | \
			   USGEN_OP_BIT(SCHEME_OP_GETDENTS) | USGEN_OP_BIT(SCHEME_OP_READLINK))
_Static_assert(SCHEME_OP_COUNT <= 64, "an op is a bit of a 64-bit mask");

/* Whether request p may change the daemon's tree or a file's status.
 * Only the requests known to read are spared; anything else counts. */
static inline bool usgen_mutates(const struct scheme_request *p)
{
	/* The common request first: one compare, the mask's constant and
	 * bounds test off its path. */
	if (p->op == SCHEME_OP_READ)
		return false;
	if (p->op < SCHEME_OP_COUNT && (USGEN_READING_OPS & USGEN_OP_BIT(p->op)))
		return false;
	/* OPEN: creating, truncating, or a handle that may write. */
	if (p->op == SCHEME_OP_OPEN)
		return (p->args[1] & (ABI_O_CREAT | ABI_O_TRUNC)) ||
		       (p->args[1] & ABI_O_ACCMODE) != ABI_O_RDONLY;
	/* FMAP: args[2] is the VM_* protection. */
	if (p->op == SCHEME_OP_FMAP)
		return p->args[2] & VM_WRITE;
	return true;
}

static inline void usgen_add_locked(struct usgen *g, uint64_t delta)
{
	__atomic_store_n(&g->word, g->word + delta, __ATOMIC_RELEASE);
}

/* Request p was queued (the scheme's lock held): whether it mutates,
 * which the caller passes to usgen_done_locked. */
static inline bool usgen_sent_locked(struct usgen *g, const struct scheme_request *p)
{
	if (!usgen_mutates(p))
		return false;
	usgen_add_locked(g, USGEN_GEN_ONE + ((g->word & USGEN_MUT_MAX) < USGEN_MUT_MAX));
	return true;
}

/* One mutating request fewer in flight, unless the count is stuck. */
static inline void usgen_end_locked(struct usgen *g)
{
	bool counted = (g->word & USGEN_MUT_MAX) < USGEN_MUT_MAX;

	usgen_add_locked(g, USGEN_GEN_ONE - (counted ? 1 : 0));
}

/* A mutating request ended (answered, failed, or never read); or, with
 * abandoned_tag (not 0), its caller left it to the daemon: its count
 * stays until the daemon's late answer. The scheme's lock held. */
static inline void usgen_done_locked(struct usgen *g, uint64_t abandoned_tag)
{
	if (!abandoned_tag) {
		usgen_end_locked(g);
		return;
	}
	usgen_add_locked(g, USGEN_GEN_ONE);
	for (int i = 0; i < USGEN_ORPHANS; i++) {
		if (g->orphan[i] == 0) {
			g->orphan[i] = abandoned_tag;
			return;
		}
	}
	/* No slot: the count stays for good. */
}

/* The daemon answered tag, which no caller waits for: if it was an
 * abandoned mutating request, it is applied now. The scheme's lock held. */
static inline void usgen_late_answer_locked(struct usgen *g, uint64_t tag)
{
	for (int i = 0; i < USGEN_ORPHANS; i++) {
		if (tag != 0 && g->orphan[i] == tag) {
			g->orphan[i] = 0;
			usgen_end_locked(g);
			return;
		}
	}
}

#endif
