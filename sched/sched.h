/*
 * sched/sched.h: the scheduler: preemptive on the timer tick, strict
 * priorities with round robin inside each, sleeping on deadlines with
 * one-shot timers, WFI when idle. Each CPU has its own run queue under its
 * own lock; wait queues and sleeping threads are under one global lock,
 * wait_lock (class "sched"). The rules: sched/runqueue.h. The files:
 * placement.c (which CPU, stealing), switch.c (the switch, tick, idle),
 * wait.c (sleep and wake), prio.c (nice, PI, affinity), threads.c
 * (creation, the thread list, statistics), policy.c (queues, quantum).
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include "sched/thread.h"
#include "kernel/percpu.h"

/* Turns the boot thread into this CPU's idle thread and hooks the tick. */
void sched_init(void);
/* The same on a starting secondary CPU (kernel/smp_boot.c). */
void sched_init_cpu(void);
/* sched_setaffinity(2): the CPUs t may run on (bit n: CPU n). -EINVAL if
 * none of them is online. t moves at once if it runs elsewhere; the
 * caller itself moves on its way back to user space (need_resched). t
 * must stay alive (as for sched_set_nice). */
int sched_set_affinity(struct thread *t, uint64_t mask);
uint64_t sched_get_affinity(struct thread *t);
void sched_add(struct thread *t);         /* makes a new thread runnable */
void sched_wake(struct thread *t);        /* a sleeping thread becomes ready */
void schedule(void);                      /* gives the CPU to the best thread */
void sched_yield(void);
/* Sleeps until the counter reaches deadline; -EINTR if a signal
 * is pending for the thread (signal_pending_for). */
int sched_sleep_until(uint64_t deadline);
/* The current thread ends; never returns. */
__noreturn void sched_exit_current(void);
/* Reschedules if the tick or a wake-up asked for it (on return to EL0). */
void sched_preempt_point(void);
/* Idle loop of the boot CPU after start-up. */
__noreturn void sched_idle(void);
/* Called first by a thread that was just switched to. */
void sched_finish_switch(void);
/* Wakes t from any sleep so it notices a signal. */
void sched_interrupt(struct thread *t);
/* Priorities of user threads (setpriority, PI futexes). t must stay alive
 * meanwhile (the caller holds its process's threads_lock, or t is current).
 * The effective priority is the best of nice's level and of the PI waiters
 * counted on t; a change requeues t and asks for a reschedule as needed. */
void sched_set_nice(struct thread *t, int nice);
int sched_get_nice(struct thread *t);
int sched_get_prio(struct thread *t);
/* delta (+1/-1) PI waiters of priority prio blocked on a futex t owns. */
void sched_pi_boost(struct thread *t, int prio, int delta);
/* What sys:context shows of a thread, copied under wait_lock. */
struct thread_stat {
	enum thread_state state;
	uint64_t cpu_ns;
	uint64_t sys_ns;  /* sampled by the tick: of cpu_ns, about this in the kernel */
	unsigned cpu; /* where it runs, last ran or waits to run */
};
/* t's state now. t must stay alive meanwhile: the caller holds proc_lock
 * and t's process is ALIVE. Takes wait_lock (it nests inside proc_lock). */
void sched_thread_stat(struct thread *t, struct thread_stat *st);
/* How many user threads exist and how many of them are runnable or
 * running (the load average, /proc/stat, sysinfo's procs). */
struct sched_counts {
	unsigned long threads, active;
};
void sched_count(struct sched_counts *out);
/* Calls fn with the state of every kernel thread, under wait_lock. */
void sched_for_each_kthread(void (*fn)(const struct thread_stat *st, void *arg), void *arg);

/* Provided by the process core (kernel/proc.c), which sched/ does not
 * include: the address space user thread t runs in (taken into t->as when
 * it is made), and one tick of CPU time charged to t's process (its ITIMER_VIRTUAL and ITIMER_PROF). */
struct aspace;
struct aspace *proc_thread_space(const struct thread *t);
void proc_thread_tick(struct thread *t);

static inline struct thread *current_thread(void)
{
	return this_cpu()->current;
}

#endif
