/*
 * kernel/failalloc.c: the failalloc= fault-injection knob (see failalloc.h):
 * which allocations are counted, and the one instance of the counting rule
 * (mm/failinject.c) they are counted by.
 */
#include "kernel/failalloc.h"
#include "mm/failinject.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "sched/thread.h"

static struct failinject rule;  /* set once at boot, then counted atomically */
static bool enabled;            /* set once at boot: failalloc= was valid */
static bool armed;              /* set once by failalloc_arm; read atomically */
static bool (*exempt)(struct proc *p); /* set once at boot, before arming */
/* Nesting of failalloc_suspend per CPU: only that CPU touches its entry,
 * with interrupts masked. */
static unsigned suspended[MAX_CPUS];

void failalloc_setup(const char *spec)
{
	if (!spec)
		return;
	if (failinject_parse(&rule, spec)) {
		printk("failalloc: bad value \"%s\" (want N or N,START, N >= 1): ignored\n", spec);
		return;
	}
	enabled = true;
	printk("failalloc: one in %lu counted allocations fails, after the first %lu\n",
	       rule.every, rule.skip);
}

void failalloc_exempt(bool (*fn)(struct proc *p))
{
	exempt = fn;
}

void failalloc_arm(void)
{
	if (enabled)
		__atomic_store_n(&armed, true, __ATOMIC_RELEASE);
}

bool failalloc_should_fail(void)
{
	struct cpu *c;

	if (!__atomic_load_n(&armed, __ATOMIC_ACQUIRE))
		return false;
	c = this_cpu();
	if (c->irq_depth || suspended[c->id] || !c->current || !c->current->proc)
		return false;
	/* init and initfsd, the processes that hold the private names: their
	 * failing takes the whole system down instead of testing a path. */
	if (exempt && exempt(c->current->proc))
		return false;
	return failinject_next(&rule);
}

void failalloc_suspend(void)
{
	suspended[this_cpu()->id]++;
}

void failalloc_resume(void)
{
	suspended[this_cpu()->id]--;
}

void failalloc_report(void)
{
	if (enabled)
		printk("failalloc: %lu allocations failed on purpose (of %lu counted)\n",
		       __atomic_load_n(&rule.failed, __ATOMIC_RELAXED),
		       __atomic_load_n(&rule.count, __ATOMIC_RELAXED));
}
