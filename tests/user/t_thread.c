/*
 * t_thread: POSIX threads (musl's pthreads over clone and futex).
 *
 * 64 threads created and joined with their return values; 8 threads x
 * 20,000 mutex-protected increments are exact; __thread values are per
 * thread; gettid differs per thread and getpid does not; a condition
 * variable producer/consumer; a barrier; a semaphore; pthread_cond_timedwait
 * times out no earlier than its deadline and within TICK_MS + SLACK_MS of it;
 * a robust mutex whose owner died (a thread, and a process holding a
 * process-shared one in MAP_SHARED memory) gives EOWNERDEAD; exit() from a
 * thread, execve from any thread and SIGKILL end the whole process, threads
 * blocked in futex waits too; pthread_exit of the main thread leaves the
 * others running; clone with a bad flag combination gives EINVAL; glibc's
 * fork (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID), vfork and posix_spawn.
 * Prints "PASS: t_thread" or "FAIL: t_thread: <reason>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timeutil.h"

#define MANY_THREADS 64
#define COUNTERS 8
#define INCREMENTS 20000
#define ITEMS 1000
#define QUEUE_LEN 4
#define BARRIER_THREADS 4
#define BARRIER_ROUNDS 10
#define SEM_THREADS 4
#define SEM_POSTS 100
#define TIMEOUT_MS 50
#define CONTEXT_SETTLE_MS 1000 /* an exiting thread leaves the count */
#define TICK_MS 10   /* Anode's timer tick */
#define SLACK_MS 15  /* scheduling and emulation overhead */
#define EXIT_FROM_THREAD 3
#define LATE_MS 50   /* the survivor of pthread_exit(main) works this long */
#define BLOCKED_THREADS 3
enum { END_EXIT_THREAD, END_EXEC_MAIN, END_EXEC_THREAD, END_KILL };

#define FAIL(...) do { \
	printf("FAIL: t_thread: " __VA_ARGS__); \
	printf("\n"); \
	exit(1); \
} while (0)

static pthread_t start(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, fn, arg);

	if (err)
		FAIL("pthread_create: %s", strerror(err));
	return t;
}

static void *join(pthread_t t)
{
	void *ret;
	int err = pthread_join(t, &ret);

	if (err)
		FAIL("pthread_join: %s", strerror(err));
	return ret;
}

/* 64 threads, each returning its index times 3. */
static void *times3(void *arg)
{
	return (void *)((uintptr_t)arg * 3);
}

static void test_many(void)
{
	pthread_t t[MANY_THREADS];

	for (uintptr_t i = 0; i < MANY_THREADS; i++)
		t[i] = start(times3, (void *)i);
	for (uintptr_t i = 0; i < MANY_THREADS; i++)
		if ((uintptr_t)join(t[i]) != i * 3)
			FAIL("thread %lu returned the wrong value", (unsigned long)i);
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_value = -1;
static pid_t main_tid;

static void *count(void *arg)
{
	tls_value = (long)(uintptr_t)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
		if (i % 1000 == 0)
			sched_yield();
	}
	if (tls_value != (long)(uintptr_t)arg)
		return (void *)1; /* another thread's write showed through */
	if (getpid() != (pid_t)syscall(SYS_getpid) || gettid() == main_tid)
		return (void *)2;
	return NULL;
}

static void test_mutex_tls(void)
{
	pthread_t t[COUNTERS];

	main_tid = gettid();
	if (main_tid != getpid())
		FAIL("the main thread's tid %d is not the pid %d", main_tid, getpid());
	tls_value = 1000;
	for (uintptr_t i = 0; i < COUNTERS; i++)
		t[i] = start(count, (void *)i);
	for (int i = 0; i < COUNTERS; i++) {
		uintptr_t r = (uintptr_t)join(t[i]);

		if (r)
			FAIL("%s", r == 1 ? "__thread value shared between threads" : "getpid/gettid wrong in a thread");
	}
	if (counter != (long)COUNTERS * INCREMENTS)
		FAIL("counter %ld, expected %ld", counter, (long)COUNTERS * INCREMENTS);
	if (tls_value != 1000)
		FAIL("the main thread's __thread value changed");
}

/* A bounded queue: one producer, one consumer. */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_nonempty = PTHREAD_COND_INITIALIZER, q_nonfull = PTHREAD_COND_INITIALIZER;
static int queue[QUEUE_LEN], q_head, q_len;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&q_lock);
		while (q_len == QUEUE_LEN)
			pthread_cond_wait(&q_nonfull, &q_lock);
		queue[(q_head + q_len++) % QUEUE_LEN] = i;
		pthread_cond_signal(&q_nonempty);
		pthread_mutex_unlock(&q_lock);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t p = start(producer, NULL);
	long sum = 0;

	for (int i = 1; i <= ITEMS; i++) {
		int v;

		pthread_mutex_lock(&q_lock);
		while (!q_len)
			pthread_cond_wait(&q_nonempty, &q_lock);
		v = queue[q_head];
		q_head = (q_head + 1) % QUEUE_LEN;
		q_len--;
		pthread_cond_signal(&q_nonfull);
		pthread_mutex_unlock(&q_lock);
		if (v != i)
			FAIL("consumer got %d, expected %d", v, i);
		sum += v;
	}
	join(p);
	if (sum != (long)ITEMS * (ITEMS + 1) / 2)
		FAIL("producer/consumer sum %ld", sum);
}

static pthread_barrier_t barrier;
static int arrived[BARRIER_ROUNDS];

static void *barrier_worker(void *arg)
{
	(void)arg;
	for (int r = 0; r < BARRIER_ROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&barrier);
		if (__atomic_load_n(&arrived[r], __ATOMIC_SEQ_CST) != BARRIER_THREADS)
			return (void *)1; /* someone passed the barrier early */
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void test_barrier(void)
{
	pthread_t t[BARRIER_THREADS];

	pthread_barrier_init(&barrier, NULL, BARRIER_THREADS);
	for (int i = 0; i < BARRIER_THREADS; i++)
		t[i] = start(barrier_worker, NULL);
	for (int i = 0; i < BARRIER_THREADS; i++)
		if (join(t[i]))
			FAIL("a thread passed the barrier before all arrived");
	pthread_barrier_destroy(&barrier);
}

static sem_t sem;
static int sem_taken;

static void *sem_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < SEM_POSTS; i++) {
		sem_wait(&sem);
		__atomic_add_fetch(&sem_taken, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void test_semaphore(void)
{
	pthread_t t[SEM_THREADS];

	sem_init(&sem, 0, 0);
	for (int i = 0; i < SEM_THREADS; i++)
		t[i] = start(sem_worker, NULL);
	for (int i = 0; i < SEM_THREADS * SEM_POSTS; i++) {
		sem_post(&sem);
		if (i % 50 == 0)
			sched_yield();
	}
	for (int i = 0; i < SEM_THREADS; i++)
		join(t[i]);
	if (sem_taken != SEM_THREADS * SEM_POSTS)
		FAIL("semaphore: %d taken", sem_taken);
	sem_destroy(&sem);
}

static sem_t ctx_sem;

static void *wait_ctx_sem(void *arg)
{
	(void)arg;
	sem_wait(&ctx_sem);
	return NULL;
}

/* Anode only (skipped without sys:context): the process's line shows its
 * thread count after the name ("t_thread/2") while it has two threads.
 * pthread_join returns once a thread has cleared its tid, which (as on
 * Linux, mm_release before exit_notify) is before the kernel has taken it
 * off the process: a thread joined by an earlier test may still be counted
 * for a moment on another CPU. So the count must reach 2 within a bound. */
static void test_context(void)
{
	char buf[4096], want[32];
	int64_t deadline = now_ns(CLOCK_MONOTONIC) + CONTEXT_SETTLE_MS * NSEC_PER_MSEC;
	FILE *f;
	pthread_t t;
	size_t n;

	sem_init(&ctx_sem, 0, 0);
	t = start(wait_ctx_sem, NULL);
	snprintf(want, sizeof(want), "\n%d %d t_thread/2 ", getpid(), getppid());
	while ((f = fopen("sys:context", "r"))) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
		if (strstr(buf, want))
			break;
		if (now_ns(CLOCK_MONOTONIC) > deadline)
			FAIL("sys:context has no line starting \"%s\":\n%s", want + 1, buf);
		sched_yield();
	}
	sem_post(&ctx_sem);
	join(t);
	sem_destroy(&ctx_sem);
}

static void test_timedwait(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	int64_t deadline = now_ns(CLOCK_REALTIME) + TIMEOUT_MS * NSEC_PER_MSEC, late;
	struct timespec ts = { deadline / NSEC_PER_SEC, deadline % NSEC_PER_SEC };
	int err;

	pthread_mutex_lock(&m);
	err = pthread_cond_timedwait(&c, &m, &ts);
	late = now_ns(CLOCK_REALTIME) - deadline;
	pthread_mutex_unlock(&m);
	if (err != ETIMEDOUT)
		FAIL("pthread_cond_timedwait: %s, expected ETIMEDOUT", strerror(err));
	if (late < 0 || late > (TICK_MS + SLACK_MS) * NSEC_PER_MSEC)
		FAIL("pthread_cond_timedwait returned %lld ns after its deadline", (long long)late);
}

static void robust_init(pthread_mutex_t *m, int pshared)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, pshared);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

static void *lock_and_leave(void *arg)
{
	pthread_mutex_lock(arg);
	return NULL;
}

static void expect_owner_dead(pthread_mutex_t *m, const char *who)
{
	int err = pthread_mutex_lock(m);

	if (err != EOWNERDEAD)
		FAIL("%s: robust mutex lock gave %s, expected EOWNERDEAD", who, strerror(err));
	pthread_mutex_consistent(m);
	pthread_mutex_unlock(m);
	if ((err = pthread_mutex_lock(m)) != 0)
		FAIL("%s: lock after pthread_mutex_consistent: %s", who, strerror(err));
	pthread_mutex_unlock(m);
}

static void test_robust(void)
{
	pthread_mutex_t m, *shared;
	pid_t pid;
	int status;

	robust_init(&m, PTHREAD_PROCESS_PRIVATE);
	join(start(lock_and_leave, &m));
	expect_owner_dead(&m, "thread");

	/* A process dies holding a process-shared robust mutex: the kernel
	 * walks its robust list (no pthread_exit cleanup runs). */
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		FAIL("mmap shared");
	robust_init(shared, PTHREAD_PROCESS_SHARED);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(shared);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		FAIL("robust child");
	expect_owner_dead(shared, "process");
	munmap(shared, sizeof(*shared));
}

static void *exit_process(void *arg)
{
	(void)arg;
	exit(EXIT_FROM_THREAD);
}

/* Blocks in the kernel for good: a futex wait (a condition variable). */
static void *block_forever(void *arg)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;

	(void)arg;
	pthread_mutex_lock(&m);
	for (;;)
		pthread_cond_wait(&c, &m);
	return NULL; /* not reached: gcc's -Wreturn-type cannot tell */
}

static void *exec_true(void *arg)
{
	(void)arg;
	execl("/bin/true", "true", (char *)NULL);
	_exit(1);
}

/* A child with BLOCKED_THREADS threads blocked in futex waits, then how
 * its main thread ends (what): its wait status must be want. */
static void child_ends(int what, int want, const char *name)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < BLOCKED_THREADS; i++)
			start(block_forever, NULL);
		if (what == END_EXEC_MAIN)
			execl("/bin/true", "true", (char *)NULL);
		if (what == END_EXEC_THREAD)
			start(exec_true, NULL);
		if (what == END_EXIT_THREAD)
			start(exit_process, NULL);
		for (;;)
			sleep_ms(1000); /* END_KILL: the parent kills it */
	}
	if (pid < 0)
		FAIL("fork");
	if (what == END_KILL) {
		sleep_ms(LATE_MS);
		kill(pid, SIGKILL);
	}
	if (waitpid(pid, &status, 0) != pid || status != want)
		FAIL("%s: status %#x, expected %#x", name, status, want);
}

static int late_pipe[2];

static void *outlive_main(void *arg)
{
	(void)arg;
	sleep_ms(LATE_MS);
	if (write(late_pipe[1], "ok", 2) != 2)
		_exit(1);
	return NULL;
}

/* argv[0] survivor FD: pthread_exit of the main thread of a fresh process
 * (a forked child of a threaded program would do: but Debian's musl's fork
 * child does not register the thread-list lock as its child-tid word, so
 * its pthread_exit(main) leaves that lock held, on Linux too). */
static void survivor_main(int fd)
{
	late_pipe[1] = fd;
	start(outlive_main, NULL);
	pthread_exit(NULL);
}

static void test_exits(const char *self)
{
	int status;
	pid_t pid;
	char buf[4] = "";

	/* Each ends every thread, the blocked ones too. */
	child_ends(END_EXIT_THREAD, EXIT_FROM_THREAD << 8, "exit() from a thread");
	child_ends(END_EXEC_MAIN, 0, "execve from the main thread");
	child_ends(END_EXEC_THREAD, 0, "execve from another thread");
	child_ends(END_KILL, SIGKILL, "SIGKILL");

	if (pipe(late_pipe))
		FAIL("pipe");
	pid = fork();
	if (pid == 0) {
		char fd[16];

		close(late_pipe[0]);
		snprintf(fd, sizeof(fd), "%d", late_pipe[1]);
		execl(self, self, "survivor", fd, (char *)NULL);
		_exit(1);
	}
	close(late_pipe[1]);
	if (read(late_pipe[0], buf, sizeof(buf)) != 2 || strcmp(buf, "ok"))
		FAIL("a thread did not outlive pthread_exit of the main thread");
	if (waitpid(pid, &status, 0) != pid || status != 0)
		FAIL("pthread_exit(main) child: status %#x", status);
	close(late_pipe[0]);
}

static void test_clone_flags(void)
{
	/* Linux refuses these too: SIGHAND without VM, THREAD without SIGHAND. */
	static const unsigned long bad[] = {
		CLONE_SIGHAND | SIGCHLD,
		CLONE_THREAD | CLONE_VM,
		CLONE_THREAD | CLONE_SIGHAND,
	};
	pid_t pid, tid = 0;
	int status;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (syscall(SYS_clone, bad[i], 0, NULL, NULL, NULL) != -1 || errno != EINVAL)
			FAIL("clone(%#lx) did not fail with EINVAL", bad[i]);
	}
	if (waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD)
		FAIL("a refused clone left a child");

	/* glibc's fork: the child's tid written in the child, cleared at exit. */
	pid = (pid_t)syscall(SYS_clone, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
#ifdef __x86_64__
			     0, NULL, &tid, 0); /* x86-64 order: flags, stack, ptid, ctid, tls */
#else
			     0, NULL, 0, &tid); /* AArch64: flags, stack, ptid, tls, ctid */
#endif
	if (pid == 0)
		_exit(tid == getpid() ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0 || tid != 0)
		FAIL("glibc-style fork: pid %d status %#x tid %d", pid, status, tid);

	pid = vfork();
	if (pid == 0)
		_exit(5);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 5)
		FAIL("vfork");

	char *argv[] = { "true", NULL };
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, NULL) ||
	    waitpid(pid, &status, 0) != pid || status != 0)
		FAIL("posix_spawn /bin/true");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "survivor"))
		survivor_main(atoi(argv[2]));
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("t_thread: many\n");
	test_many();
	printf("t_thread: mutex_tls\n");
	test_mutex_tls();
	printf("t_thread: condvar\n");
	test_condvar();
	printf("t_thread: barrier\n");
	test_barrier();
	printf("t_thread: semaphore\n");
	test_semaphore();
	printf("t_thread: context\n");
	test_context();
	printf("t_thread: timedwait\n");
	test_timedwait();
	printf("t_thread: robust\n");
	test_robust();
	printf("t_thread: exits\n");
	test_exits(argv[0]);
	printf("t_thread: clone_flags\n");
	test_clone_flags();
	printf("PASS: t_thread\n");
	return 0;
}
