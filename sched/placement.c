/*
 * sched/placement.c: which CPU a ready thread goes to, and stealing.
 *
 * A thread made ready goes to the CPU it last ran on if that one idles,
 * else to an idle CPU, else to the CPU running the lowest priority below
 * its own, else back to its last CPU (select_cpu); that CPU is interrupted
 * (IPI_RESCHEDULE) when the thread should preempt what it runs. A CPU
 * choosing what to run first pulls a thread of strictly higher priority
 * from another CPU's queue (or any, when it has nothing: idle stealing),
 * and the tick asks for that choice when such a thread waits elsewhere, so
 * a ready thread never waits more than a tick behind a lower priority
 * running on another CPU. Only ready threads that are not on a CPU move.
 *
 * Idle CPUs are a bit mask (idle_cpus), so neither a wake-up nor a steal
 * scans every CPU; a wake-up claims the idle CPU it picks (clears its bit)
 * so two wake-ups do not pile onto one. With one CPU none of this runs.
 *
 * A thread queued for a CPU still running its idle thread is that CPU's:
 * the wake-up that put it there interrupted it, and it is on its way.
 * Steals skip such CPUs, with one exception (pull_woken): a CPU about to
 * sleep right after waking a thread elsewhere takes that thread back if it
 * has not started yet (a pipe's writer reading the answer, a futex turn
 * handed over and waited for). Stealing any such thread left the CPU that
 * was woken for it with nothing to do, every turn; never taking one back
 * made each turn of a ping-pong wait for a remote CPU to wake (bench-smp,
 * README). The exception keeps both: the turn stays on one CPU.
 */
#include "sched/runqueue.h"
#include "kernel/lib/bits.h"

struct runqueue runqueues[MAX_CPUS];
uint64_t sched_cpus;
int sched_smp_on;
/* Atomic: CPUs running their idle thread and not claimed by a wake-up.
 * Kept only while sched_smp(): a CPU's bit may lag (set again by its idle
 * loop, cleared by its switch), which costs a placement, never a thread. */
static uint64_t idle_cpus;

#define CPU_BIT(n) (1ULL << (n))

void sched_cpu_join(unsigned cpu)
{
	uint64_t m = __atomic_or_fetch(&sched_cpus, CPU_BIT(cpu), __ATOMIC_RELEASE);

	if (m & (m - 1)) /* the atomic or: one of two joining CPUs sees both */
		__atomic_store_n(&sched_smp_on, 1, __ATOMIC_RELEASE);
}

void idle_mask_set(unsigned cpu, bool idle)
{
	if (idle)
		__atomic_or_fetch(&idle_cpus, CPU_BIT(cpu), __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&idle_cpus, ~CPU_BIT(cpu), __ATOMIC_RELAXED);
}

/* Takes cpu out of the idle mask; false if another wake-up did first. */
static bool claim_idle(unsigned cpu)
{
	return __atomic_fetch_and(&idle_cpus, ~CPU_BIT(cpu), __ATOMIC_RELAXED) & CPU_BIT(cpu);
}

static uint64_t usable_cpus(const struct thread *t)
{
	return t->affinity & __atomic_load_n(&sched_cpus, __ATOMIC_ACQUIRE);
}

unsigned select_cpu(struct thread *t)
{
	uint64_t ok, idle;
	unsigned best = MAX_CPUS, i;
	int lowest = t->prio;

	if (!sched_smp())
		return allowed(t, t->cpu) ? t->cpu : this_cpu()->id;
	ok = usable_cpus(t);
	if ((ok >> t->cpu) & 1 && claim_idle(t->cpu))
		return t->cpu;
	while ((idle = __atomic_load_n(&idle_cpus, __ATOMIC_RELAXED) & ok) != 0) {
		i = (unsigned)__builtin_ctzll(idle); /* the mask again each time: claims race */
		if (claim_idle(i) && smp_cpu_online(i))
			return i;
	}
	for_each_bit(i, ok) {
		int prio = __atomic_load_n(&runqueues[i].curr_prio, __ATOMIC_RELAXED);

		if (prio > lowest && smp_cpu_online(i)) {
			lowest = prio;
			best = i;
		}
	}
	if (best < MAX_CPUS)
		return best;
	if (allowed(t, t->cpu))
		return t->cpu;
	for_each_bit(i, ok)
		if (smp_cpu_online(i))
			return i;
	return this_cpu()->id; /* no allowed CPU online: sched_set_affinity refuses that */
}

void resched_cpu(unsigned cpu)
{
	if (cpu == this_cpu()->id) {
		this_cpu()->need_resched = true;
		return;
	}
	__atomic_store_n(&cpus[cpu].need_resched, true, __ATOMIC_RELAXED);
	smp_send_ipi(cpu, IPI_RESCHEDULE);
}

void enqueue_locked(unsigned cpu, struct thread *t)
{
	t->cpu = cpu;
	rq_push(&runqueues[cpu], t);
	if (wake_preempts(t, cpus[cpu].current, cpus[cpu].idle))
		resched_cpu(cpu);
}

struct runqueue *task_rq_lock(struct thread *t)
{
	for (;;) {
		unsigned cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
		struct runqueue *rq = &runqueues[cpu];

		spin_lock(&rq->lock);
		if (t->cpu == cpu)
			return rq; /* it moves only under this lock: it stays */
		spin_unlock(&rq->lock);
	}
}

/* Two queue locks: the lower CPU number first (LOCKING). */
static void rq_lock_two(unsigned a, unsigned b)
{
	spin_lock(&runqueues[a < b ? a : b].lock);
	spin_lock(&runqueues[a < b ? b : a].lock);
}

static void rq_unlock_two(unsigned a, unsigned b)
{
	spin_unlock(&runqueues[a].lock);
	spin_unlock(&runqueues[b].lock);
}

/* The best priority waiting on rq, read without its lock: a hint, checked
 * again under the lock before anything moves. */
int rq_hint_best(const struct runqueue *rq)
{
	for (int p = 0; p < THREAD_PRIORITIES; p++)
		if (__atomic_load_n(&rq->head[p], __ATOMIC_RELAXED))
			return p;
	return THREAD_PRIORITIES;
}

/* Whether ready t (its queue locked) may move to cpu: allowed there and
 * not being switched out where it is. */
static bool movable(const struct thread *t, unsigned cpu)
{
	return (t->affinity >> cpu) & 1 && !t->on_cpu;
}

/* Moves movable t from CPU from's queue to CPU to's, both locked. */
static void move_locked(unsigned from, unsigned to, struct thread *t)
{
	rq_remove(&runqueues[from], t);
	t->cpu = to;
	rq_push(&runqueues[to], t);
}

/* The first thread on rq (locked) better than below that may move to cpu;
 * NULL if none. */
static struct thread *pullable_locked(const struct runqueue *rq, unsigned cpu, int below)
{
	for (int p = 0; p < below && p < THREAD_PRIORITIES; p++)
		for (struct thread *t = rq->head[p]; t; t = t->next)
			if (movable(t, cpu))
				return t;
	return NULL;
}

/* The other busy CPU whose queue's hint is best below below; MAX_CPUS if
 * none. Only CPUs out of the idle mask (an idle CPU's queue is empty) and
 * running a thread (what waits for one running idle is its own: above). */
static unsigned busiest(const struct cpu *c, int below, uint64_t skip)
{
	uint64_t busy = __atomic_load_n(&sched_cpus, __ATOMIC_ACQUIRE) &
			~__atomic_load_n(&idle_cpus, __ATOMIC_RELAXED) & ~CPU_BIT(c->id) & ~skip;
	unsigned best = MAX_CPUS, i;

	for_each_bit(i, busy) {
		int p = rq_hint_best(&runqueues[i]);

		if (__atomic_load_n(&runqueues[i].curr_prio, __ATOMIC_RELAXED) >= THREAD_PRIORITIES)
			continue;
		if (p < below) {
			below = p;
			best = i;
		}
	}
	return best;
}

bool pull_candidate(const struct cpu *c, int below)
{
	uint64_t tried = 0;
	unsigned i;

	if (!sched_smp())
		return false;
	while ((i = busiest(c, below, tried)) < MAX_CPUS) {
		struct runqueue *rq = &runqueues[i];
		bool found;

		spin_lock(&rq->lock);
		found = pullable_locked(rq, c->id, below) != NULL;
		spin_unlock(&rq->lock);
		if (found)
			return true;
		tried |= CPU_BIT(i);
	}
	return false;
}

void pull_better(const struct cpu *c, int below)
{
	struct thread *t;
	unsigned from;

	if (!sched_smp() || (from = busiest(c, below, 0)) >= MAX_CPUS)
		return;
	rq_lock_two(c->id, from);
	t = pullable_locked(&runqueues[from], c->id, below);
	if (t)
		move_locked(from, c->id, t);
	rq_unlock_two(c->id, from);
}

/* Whether w is ready on rq (locked) and may move to cpu. w may be gone:
 * it is compared as a pointer and read only once found on the queue,
 * where a thread is alive (one reusing its memory would only move). */
static bool queued_movable(const struct runqueue *rq, const struct thread *w, unsigned cpu)
{
	for (int p = 0; p < THREAD_PRIORITIES; p++)
		for (const struct thread *t = rq->head[p]; t; t = t->next)
			if (t == w)
				return movable(w, cpu);
	return false;
}

void pull_woken(struct cpu *c)
{
	struct thread *w = c->woke;
	unsigned from = c->woke_cpu;
	struct runqueue *rq = &runqueues[from];

	c->woke = NULL;
	if (!w || from == c->id ||
	    __atomic_load_n(&rq->curr_prio, __ATOMIC_RELAXED) < THREAD_PRIORITIES)
		return; /* none, or its CPU runs a thread: it runs w next */
	rq_lock_two(c->id, from);
	if (queued_movable(rq, w, c->id))
		move_locked(from, c->id, w);
	rq_unlock_two(c->id, from);
}
