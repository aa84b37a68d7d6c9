/*
 * user/fuzz/fuzz.h: what the system-call fuzzer's parts share: the seeded
 * generator, the memory the supervisor and its workers share, and the
 * entry points of each part (user/fuzz.c supervises; user/fuzz/worker.c
 * runs the calls; user/fuzz/args.c draws their arguments; user/fuzz/calls.c
 * knows the calls; user/fuzz/pool.c opens the descriptors and names paths;
 * user/fuzz/cleanup.c removes what the workers left in the file system).
 */
#ifndef USER_FUZZ_H
#define USER_FUZZ_H

#include <stdint.h>
#include <sys/types.h>

#define FUZZ_WORKERS_MAX 16
#define FUZZ_THREADS 3          /* per worker, its main thread included */
#define FUZZ_USER 1000          /* the unprivileged user (/etc/passwd's "user") */
#define FUZZ_ROOT "/tmp/fuzz"   /* everything a worker may create is below it */
#define FUZZ_SCRATCH FUZZ_ROOT "/s" /* the workers' working directory */
#define FUZZ_SCHEME "fuzz"      /* workers register FUZZ_SCHEME0.. as daemons */
#define FUZZ_MQ_NAMES 2         /* message queues "/fuzzq0".., unlinked at the end */

/* One worker slot, written by the worker's threads and read by the
 * supervisor (the mapping is MAP_SHARED across fork). */
struct fuzz_slot {
	unsigned long calls;          /* made by this slot's current worker */
	int last_nr[FUZZ_THREADS];    /* each thread's call under way, or -1 */
};

struct fuzz_shared {
	unsigned long total;          /* calls made by every worker so far */
	struct fuzz_slot slot[FUZZ_WORKERS_MAX];
};

/* xorshift64* (Vigna): small, fast and the same on every machine. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* A value below n (n > 0). */
static inline uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

/* Seeds derived from one another (splitmix64's finaliser): worker w's
 * i-th incarnation runs with fuzz_mix(fuzz_mix(seed, w), i), so a run is
 * reproducible from the seed printed at its start. Never 0 (xorshift's
 * fixed point). */
static inline uint64_t fuzz_mix(uint64_t a, uint64_t b)
{
	uint64_t z = a + 0x9E3779B97F4A7C15ULL * (b + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return z ? z : 1;
}

/* pool.c: the paths the arguments name (fixed ones and every entry of
 * /scheme, /dev and /proc but the console's), built once by the
 * supervisor before the workers fork. */
void pool_paths_init(void);
const char *pool_path(uint64_t *rng);
/* The descriptors of one worker: files, directories, pipes, kernel and
 * daemon schemes, event queues, timerfds, a scheme it serves. */
void pool_fds_open(int worker, uint64_t *rng);
int pool_fd(uint64_t *rng);

/* args.c: the worker's buffers and the argument generator. */
void args_init(uint64_t *rng);
long arg_any(uint64_t *rng);
long arg_kind(uint64_t *rng, char kind);
long arg_bad_pointer(uint64_t *rng);
/* One that no read can follow: kernel, -1, unmapped, guard page, hole. */
long arg_unreadable_pointer(uint64_t *rng);

/* calls.c: the call to make next and its arguments, with the few that
 * would end the run by design filtered (see there). */
void calls_pick(uint64_t *rng, long *nr, long a[6]);
long calls_raw(long nr, const long a[6]);

/* worker.c: one worker process; never returns. */
void worker_run(struct fuzz_shared *sh, int index, uint64_t seed) __attribute__((noreturn));

/* cleanup.c: removes FUZZ_ROOT and whatever the workers created beside
 * it; 0, or -1 with a message printed. */
int cleanup_tree(const char *path);

#endif
