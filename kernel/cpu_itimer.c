/*
 * kernel/cpu_itimer.c: ITIMER_VIRTUAL and ITIMER_PROF, charged at the
 * tick (see cpu_itimer.h).
 */
#include "kernel/cpu_itimer.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/timer.h"

static const int cpu_itimer_sig[CPU_ITIMERS] = {
	[CPU_ITIMER_VIRTUAL] = ABI_SIGVTALRM,
	[CPU_ITIMER_PROF] = ABI_SIGPROF,
};

/* Lock held. */
static void update_armed_locked(struct proc *p)
{
	int armed = 0;

	for (int i = 0; i < CPU_ITIMERS; i++)
		armed |= p->sig.cpu_itimers[i].left_ns != 0;
	__atomic_store_n(&p->sig.cpu_itimers_armed, armed, __ATOMIC_RELEASE);
}

void cpu_itimer_tick(struct proc *p)
{
	uint64_t flags;

	/* Most processes have none armed: no lock on their ticks. */
	if (!__atomic_load_n(&p->sig.cpu_itimers_armed, __ATOMIC_ACQUIRE))
		return;
	signal_lock(p, &flags);
	for (int i = 0; i < CPU_ITIMERS; i++) {
		struct cpu_itimer *it = &p->sig.cpu_itimers[i];
		struct abi_siginfo info = { .si_signo = cpu_itimer_sig[i], .si_code = ABI_SI_KERNEL };

		if (!it->left_ns)
			continue;
		if (it->left_ns > TICK_NS) {
			it->left_ns -= TICK_NS;
			continue;
		}
		it->left_ns = it->interval_ns;
		signal_send_timer_locked(p, NULL, cpu_itimer_sig[i], &info);
	}
	update_armed_locked(p);
	signal_unlock(p, flags);
}

void cpu_itimer_set(struct proc *p, int which, const struct cpu_itimer *val, struct cpu_itimer *old)
{
	uint64_t flags;

	signal_lock(p, &flags);
	*old = p->sig.cpu_itimers[which];
	if (val) {
		p->sig.cpu_itimers[which] = *val;
		if (!val->left_ns)
			p->sig.cpu_itimers[which].interval_ns = 0;
	}
	update_armed_locked(p);
	signal_unlock(p, flags);
}
