/*
 * kernel/signal_queue.c: the queues of pending signals (a thread's and its
 * process's shared one): adding a signal, taking the first of a set,
 * dropping a set everywhere, and the POSIX timers' entries. Every function
 * here runs with p->sig.lock held. Sending is kernel/signal_send.c.
 */
#include "kernel/signal_internal.h"
#include "kernel/proc.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include <string.h>

static void unqueue_set(struct proc *p, struct sigqueue *q, uint64_t set);

/*
 * The rest of a siginfo after its kept part (struct ksiginfo_words) as a
 * block of words that may alias it: assigned whole, it compiles to a few
 * STP in line, where memset would be a call with a word loop.
 */
struct __attribute__((may_alias)) rest_words {
	uint64_t w[(ABI_SIGINFO_SIZE - SIGINFO_KEPT_SIZE) / sizeof(uint64_t)];
};

void siginfo_expand(struct abi_siginfo *info, const struct ksiginfo *k)
{
	static const struct rest_words zero;

	*(struct ksiginfo_words *)info = *(const struct ksiginfo_words *)k;
	*(struct rest_words *)((char *)info + SIGINFO_KEPT_SIZE) = zero;
}

static void unqueue_one(struct thread *t, void *arg)
{
	unqueue_set(t->proc, &t->sig.queue, *(const uint64_t *)arg);
}

/* Drops the signals of set from p's shared queue and every thread's.
 * p->sig.lock held. */
void signal_unqueue_everywhere(struct proc *p, uint64_t set)
{
	unqueue_set(p, &p->sig.shared, set);
	proc_for_each_thread(p, unqueue_one, &set);
}

/* Drops the queued signals of POSIX timers from q, as Linux's
 * flush_itimer_signals at execve: the timer is gone, and one that fired on
 * another CPU just before must not reach the new program. Lock held. */
void signal_unqueue_timer_signals(struct sigqueue *q)
{
	int n = 0;

	for (int i = 0; i < q->count; i++) {
		if (q->q[i].si_code == ABI_SI_TIMER)
			q->pending &= ~SIG_BIT(q->q[i].si_signo);
		else
			q->q[n++] = q->q[i];
	}
	q->count = n;
	for (int i = 0; i < n; i++) /* a real-time signal queued again by another sender */
		q->pending |= SIG_BIT(q->q[i].si_signo);
}

int signal_enqueue(struct sigqueue *q, int sig, const struct abi_siginfo *info)
{
	if (sig < ABI_SIGRTMIN && (q->pending & SIG_BIT(sig)))
		return 0; /* standard signals do not queue */
	if (q->count < SIGQUEUE_MAX) {
		struct ksiginfo *k = &q->q[q->count++];

		if (info)
			*(struct ksiginfo_words *)k = *(const struct ksiginfo_words *)info;
		else
			signal_user_info(k, sig, ABI_SI_USER);
		k->si_signo = sig;
	} else if (sig >= ABI_SIGRTMIN && info && info->si_code != ABI_SI_USER)
		return -EAGAIN;
	q->pending |= SIG_BIT(sig);
	return 0;
}

/* Drops the signals of set from q (p's); a timer's signal dropped counts
 * as taken, so that a periodic timer goes on. p->sig.lock held. */
static void unqueue_set(struct proc *p, struct sigqueue *q, uint64_t set)
{
	int n = 0;

	for (int i = 0; i < q->count; i++) {
		if (!(SIG_BIT(q->q[i].si_signo) & set))
			q->q[n++] = q->q[i];
		else if (q->q[i].si_code == ABI_SI_TIMER) {
			struct abi_siginfo info;

			siginfo_expand(&info, &q->q[i]);
			posix_timer_dequeued_locked(p, &info);
		}
	}
	q->count = n;
	q->pending &= ~set;
}

/* Removes the first queued sig from q into k; false if not pending. */
static bool take(struct sigqueue *q, int sig, struct ksiginfo *k)
{
	int i = 0;
	bool more = false;

	if (!(q->pending & SIG_BIT(sig)))
		return false;
	while (i < q->count && q->q[i].si_signo != sig)
		i++;
	if (i < q->count) {
		*k = q->q[i];
		/* Usually the last (the only) entry: nothing to move up. */
		if (i + 1 < q->count)
			memmove(&q->q[i], &q->q[i + 1], (size_t)(q->count - i - 1) * sizeof(q->q[0]));
		q->count--;
		for (int j = i; j < q->count && !more; j++)
			more = q->q[j].si_signo == sig;
	} else {
		/* Pending without a queued entry (the queue was full). */
		*k = (struct ksiginfo){ .si_signo = sig, .si_code = ABI_SI_USER };
	}
	if (!more)
		q->pending &= ~SIG_BIT(sig);
	return true;
}

/* A POSIX timer's signal taken: its si_overrun filled in k (the timer
 * member is in the kept part), out of line: the whole siginfo it works on
 * would cost every dequeue a stack-protector check. */
static __attribute__((noinline)) void timer_dequeued(struct proc *p, struct ksiginfo *k)
{
	struct abi_siginfo info;

	siginfo_expand(&info, k);
	posix_timer_dequeued_locked(p, &info);
	*(struct ksiginfo_words *)k = *(const struct ksiginfo_words *)&info;
}

int signal_dequeue_kept_locked(struct thread *t, uint64_t set, struct ksiginfo *k)
{
	struct proc *p = t->proc;
	uint64_t own = t->sig.queue.pending & set;
	uint64_t cand = own | (p->sig.shared.pending & set);
	int sig;

	if (!cand)
		return 0;
	sig = __builtin_ctzl(cand) + 1;
	/* The thread's queue first: what take would find pending there. */
	take(own & SIG_BIT(sig) ? &t->sig.queue : &p->sig.shared, sig, k);
	if (k->si_code == ABI_SI_TIMER)
		timer_dequeued(p, k);
	return sig;
}

int signal_dequeue_locked(struct thread *t, uint64_t set, struct abi_siginfo *info)
{
	struct ksiginfo k;
	int sig = signal_dequeue_kept_locked(t, set, &k);

	if (sig)
		siginfo_expand(info, &k);
	return sig;
}
