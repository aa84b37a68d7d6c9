/*
 * user/fuzz/worker.c: one fuzzing worker process. It leads a session of
 * its own (so that kill of its group reaches only itself), points its
 * standard descriptors at null: (the console is the supervisor's), opens
 * its pool of descriptors, catches every signal it can with a handler that
 * does nothing (a random kill should rarely end it; random rt_sigaction
 * calls change that as they go), then runs FUZZ_THREADS threads that make
 * calls until the worker has made WORKER_LIFE of them, and exits 0 (its
 * slot then starts afresh: new descriptors, a new seed). Each thread
 * counts its calls in the shared slot and names the call under way there,
 * for the supervisor's watchdog.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzz.h"

#define WORKER_LIFE 4000
#define THREAD_STACK (64 * 1024)

struct thread_arg {
	struct fuzz_shared *sh;
	int worker, thread;
	uint64_t seed;
};

static struct thread_arg targs[FUZZ_THREADS];

static void ignore(int sig)
{
	(void)sig;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = ignore, .sa_flags = SA_RESTART };

	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* SIGKILL, SIGSTOP and libc's own refuse */
}

static void *fuzz_thread(void *p)
{
	struct thread_arg *t = p;
	struct fuzz_slot *slot = &t->sh->slot[t->worker];
	uint64_t rng = t->seed;

	for (;;) {
		long nr, a[6];

		calls_pick(&rng, &nr, a);
		__atomic_store_n(&slot->last_nr[t->thread], (int)nr, __ATOMIC_RELAXED);
		calls_raw(nr, a);
		__atomic_store_n(&slot->last_nr[t->thread], -1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&t->sh->total, 1, __ATOMIC_RELAXED);
		if (__atomic_add_fetch(&slot->calls, 1, __ATOMIC_RELAXED) >= WORKER_LIFE) {
			long status[6] = { 0 };

			calls_raw(SYS_exit_group, status);
		}
	}
	return NULL;
}

void worker_run(struct fuzz_shared *sh, int index, uint64_t seed)
{
	uint64_t rng = seed;
	int null = open("null:", O_RDWR);
	pthread_attr_t attr;

	setsid();
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	if (null > 2)
		close(null);
	catch_signals();
	if (chdir(FUZZ_SCRATCH) != 0)
		_exit(2);
	pool_fds_open(index, &rng);
	args_init(&rng);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	for (int i = 0; i < FUZZ_THREADS; i++) {
		pthread_t th;

		targs[i] = (struct thread_arg){ sh, index, i, fuzz_mix(seed, (uint64_t)i) };
		sh->slot[index].last_nr[i] = -1;
		if (i > 0)
			pthread_create(&th, &attr, fuzz_thread, &targs[i]);
	}
	fuzz_thread(&targs[0]);
	_exit(0);
}
