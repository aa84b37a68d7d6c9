/*
 * user/fuzz/args.c: the arguments a fuzzing worker passes, drawn from
 * values that break kernels: 0, -1, the limits of each integer width, huge
 * sizes and offsets, kernel addresses, unmapped, misaligned, read-only and
 * guard-page pointers, pointers into the worker's own buffer (the arena)
 * with random lengths that may run off its end into the guard page, and,
 * for arguments of a known kind, values of that kind that are almost
 * right: a path from the pool, an iovec array over the arena, a timespec
 * a few milliseconds long (or negative, or with nanoseconds out of range).
 *
 * The arena is shared by the worker's threads and scribbled on by the
 * kernel on their behalf; structures are written into it just before the
 * call that gets them, and a race with another thread is part of the test.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define PAGE 4096UL
#define ARENA_PAGES 16
#define ARENA_SIZE (ARENA_PAGES * PAGE)
#define KERNEL_BASE 0xffff000000000000UL /* TTBR1's half (Arm ARM D8.2) */
#define LOW_UNMAPPED 0x1000UL            /* below every static program's text */
#define IOV_MAX_LINUX 1024               /* Linux UIO_MAXIOV */
#define IOV_ENTRIES_MAX 20
#define SHORT_NS 10000000L               /* 10 ms: sleeps end soon */
#define NSEC_PER_SEC 1000000000L
#define SMALL 64
#define STRUCT_ROOM 256                  /* bytes a structure may take */

/* The arena, with a PROT_NONE guard page after it; a read-only page; a
 * range that was mapped and is not any more (a hole). */
static unsigned char *arena, *readonly, *hole;

void args_init(uint64_t *rng)
{
	unsigned char *m = mmap(NULL, ARENA_SIZE + 2 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return; /* arena stays NULL: pointers fall back to bad ones */
	arena = m;
	readonly = m + ARENA_SIZE + PAGE;
	for (size_t i = 0; i < ARENA_SIZE; i += sizeof(uint64_t)) {
		uint64_t v = rng_next(rng);
		memcpy(arena + i, &v, sizeof(v));
	}
	mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE);
	mprotect(readonly, PAGE, PROT_READ);
	hole = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole != MAP_FAILED)
		munmap(hole, PAGE);
	else
		hole = (unsigned char *)LOW_UNMAPPED;
}

static long pick(uint64_t *rng, const long *v, size_t n)
{
	return v[rng_below(rng, n)];
}
#define PICK(rng, array) pick(rng, array, sizeof(array) / sizeof(array[0]))

static long arg_int(uint64_t *rng)
{
	static const long special[] = {
		0, 1, -1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, -0x80000000L,
		0xffffffffL, 0x100000000L, 0x7fffffffffffffffL, (long)0x8000000000000000UL,
		-2, 4095, 4096, 4097,
	};

	switch (rng_below(rng, 4)) {
	case 0:
		return PICK(rng, special);
	case 1:
		return (long)rng_below(rng, SMALL);
	case 2:
		return 1L << rng_below(rng, 64);
	default:
		return (long)rng_next(rng);
	}
}

long arg_unreadable_pointer(uint64_t *rng)
{
	switch (rng_below(rng, 5)) {
	case 0:
		return (long)(KERNEL_BASE + (rng_next(rng) & 0xffffffffffffUL));
	case 1:
		return -1;
	case 2:
		return LOW_UNMAPPED + (long)rng_below(rng, PAGE);
	case 3:
		return (long)(arena ? arena + ARENA_SIZE : NULL) + (long)rng_below(rng, PAGE); /* guard */
	default:
		return (long)hole + (long)rng_below(rng, PAGE);
	}
}

long arg_bad_pointer(uint64_t *rng)
{
	switch (rng_below(rng, 8)) {
	case 0:
		return 0;
	case 1:
		return (long)(rng_next(rng) & 0xfffffffffff8UL); /* somewhere in user space */
	case 2:
		return (long)readonly + (long)rng_below(rng, PAGE); /* writes must fault */
	default:
		return arg_unreadable_pointer(rng);
	}
}

/* A pointer into the arena with room for `room` bytes before the guard
 * page, or (rarely) fewer: a structure that runs into it. */
static unsigned char *arena_at(uint64_t *rng, size_t room)
{
	size_t off = rng_below(rng, ARENA_SIZE - room);

	if (rng_below(rng, 16) == 0)
		off = ARENA_SIZE - rng_below(rng, room + 1); /* ends in the guard page */
	else if (rng_below(rng, 2))
		off &= ~(sizeof(long) - 1); /* aligned, as the structure wants */
	return arena + off;
}

static long arg_buffer(uint64_t *rng)
{
	if (!arena || rng_below(rng, 4) == 0)
		return arg_bad_pointer(rng);
	return (long)arena_at(rng, STRUCT_ROOM);
}

static long arg_length(uint64_t *rng)
{
	static const long special[] = {
		0, 1, -1, 8, 16, 4095, 4096, 4097, ARENA_SIZE, ARENA_SIZE + 1, 0x7fffffff,
		0xffffffffL, 0x100000000L, 1L << 40, 0x7fffffffffffffffL, -4096,
	};

	switch (rng_below(rng, 3)) {
	case 0:
		return PICK(rng, special);
	case 1:
		return (long)rng_below(rng, ARENA_SIZE);
	default:
		return (long)rng_below(rng, STRUCT_ROOM);
	}
}

/* A timespec (or two: itimerspec, itimerval) that is short, zero, or
 * malformed, in the arena. */
static long arg_time(uint64_t *rng)
{
	static const long bad_ns[] = { -1, NSEC_PER_SEC, 0x7fffffffffffffffL, (long)0x8000000000000000UL };
	struct timespec t[2];
	unsigned char *p;

	if (!arena || rng_below(rng, 8) == 0)
		return arg_bad_pointer(rng);
	for (int i = 0; i < 2; i++) {
		t[i].tv_sec = rng_below(rng, 64) == 0 ? arg_int(rng) : 0;
		t[i].tv_nsec = rng_below(rng, 8) == 0 ? PICK(rng, bad_ns) : (long)rng_below(rng, SHORT_NS);
	}
	p = arena_at(rng, sizeof(t));
	memcpy(p, t, (size_t)(arena + ARENA_SIZE - p) < sizeof(t) ? (size_t)(arena + ARENA_SIZE - p) : sizeof(t));
	return (long)p;
}

static long arg_iovec(uint64_t *rng)
{
	struct iovec *v;
	size_t n = rng_below(rng, IOV_ENTRIES_MAX + 1);

	if (!arena || rng_below(rng, 8) == 0)
		return arg_bad_pointer(rng);
	v = (struct iovec *)(arena + ((rng_below(rng, ARENA_SIZE - IOV_ENTRIES_MAX * sizeof(*v))) &
				      ~(sizeof(long) - 1)));
	for (size_t i = 0; i < n; i++) {
		v[i].iov_base = (void *)arg_buffer(rng);
		v[i].iov_len = (size_t)arg_length(rng);
	}
	return (long)v;
}

/* A path from the pool copied into the arena (or a name that never ends:
 * the arena's last bytes, running into the guard page). */
static long arg_path(uint64_t *rng, const char *path)
{
	size_t len = strlen(path) + 1;
	unsigned char *p;

	if (!arena || rng_below(rng, 16) == 0)
		return arg_bad_pointer(rng);
	if (rng_below(rng, 32) == 0) {
		p = arena + ARENA_SIZE - SMALL;
		memset(p, 'a', SMALL);
		return (long)p;
	}
	if (len > ARENA_SIZE / 2)
		return (long)path;
	p = arena + rng_below(rng, ARENA_SIZE - len);
	memcpy(p, path, len);
	return (long)p;
}

static long arg_mq_name(uint64_t *rng)
{
	static const char *const names[] = { "/fuzzq0", "/fuzzq1", "fuzzq0", "/", "//", "" };

	return arg_path(rng, names[rng_below(rng, sizeof(names) / sizeof(names[0]))]);
}

static long arg_address(uint64_t *rng)
{
	switch (rng_below(rng, 4)) {
	case 0:
		return arena ? (long)(arena + (rng_below(rng, ARENA_PAGES + 2) * PAGE)) : 0;
	case 1:
		return (long)(rng_next(rng) & 0xfffffffff000UL); /* page-aligned user address */
	case 2:
		return arg_bad_pointer(rng);
	default:
		return 0;
	}
}

static long arg_id(uint64_t *rng)
{
	static const long ids[] = { 0, 1, FUZZ_USER, FUZZ_USER + 1, 65534, -1, 0xffffffffL };

	return rng_below(rng, 4) ? PICK(rng, ids) : arg_int(rng);
}

static long arg_pid(uint64_t *rng)
{
	static const long pids[] = { 0, -1, 1, 2, 0x7fffffff, -0x80000000L, 99999 };

	switch (rng_below(rng, 3)) {
	case 0:
		return getpid();
	case 1:
		return PICK(rng, pids);
	default:
		return (long)rng_below(rng, SMALL);
	}
}

static long arg_signal(uint64_t *rng)
{
	return rng_below(rng, 16) ? (long)rng_below(rng, 66) : arg_int(rng);
}

long arg_kind(uint64_t *rng, char kind)
{
	switch (kind) {
	case 'f':
		return pool_fd(rng);
	case 'd':
		return rng_below(rng, 4) ? pool_fd(rng) : AT_FDCWD;
	case 'p':
		return arg_path(rng, pool_path(rng));
	case 'q':
		return arg_mq_name(rng);
	case 'b':
		return arg_buffer(rng);
	case 'l':
		return arg_length(rng);
	case 'o':
		return rng_below(rng, 2) ? (long)rng_below(rng, ARENA_SIZE) : arg_length(rng);
	case 'u':
		return arg_id(rng);
	case 'n':
		return arg_pid(rng);
	case 'g':
		return arg_signal(rng);
	case 't':
		return arg_time(rng);
	case 'v':
		return arg_iovec(rng);
	case 'a':
		return arg_address(rng);
	case 'i':
		return arg_int(rng);
	default:
		return arg_any(rng);
	}
}

long arg_any(uint64_t *rng)
{
	static const char kinds[] = "fdpblouingtvai";

	return arg_kind(rng, kinds[rng_below(rng, sizeof(kinds) - 1)]);
}
