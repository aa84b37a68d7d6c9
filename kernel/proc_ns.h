/*
 * kernel/proc_ns.h: each process's namespace (kernel/scheme/namespace.h says
 * what a namespace is): its pointer in struct proc, inherited at fork,
 * narrowed by anode_setns, stripped of the private names at exec, dropped
 * at exit.
 */
#ifndef KERNEL_PROC_NS_H
#define KERNEL_PROC_NS_H

#include "kernel/scheme/namespace.h"

struct proc;

/* p's namespace, with a reference the caller drops with ns_put (p's own
 * may be replaced meanwhile by a sibling thread narrowing it). */
struct namespace_set *proc_ns(struct proc *p);
/* The check file_open and scheme registration make: whether p may name
 * name. p NULL is the kernel itself (boot, before any process runs), which
 * may name anything. Registration checks it before looking the name up
 * and answers -EACCES: the answer then says nothing of whether the name
 * is taken. */
bool proc_ns_allows(struct proc *p, const char *name);
/* Lifecycle, from kernel/proc.c: the first process gets ns_all, a child
 * shares its parent's set, and a process drops it when it dies. */
void proc_ns_init_first(struct proc *p);
void proc_ns_fork(struct proc *child, struct proc *parent);
void proc_ns_release(struct proc *p);
/* Narrows p's namespace to its intersection with req: the number of names
 * the new set holds, or -ENOMEM (then nothing changed). */
long proc_ns_narrow(struct proc *p, const struct nameset *req);
/* Drops the private names from p's namespace (the NS_WILDCARD request):
 * the number of names it then holds (NAMESET_MAX for every public name),
 * or -ENOMEM (then nothing changed; never from a namespace of every name). */
long proc_ns_drop_private(struct proc *p);
/* Whether p's namespace holds a private name (init's and initfsd's do). */
bool proc_ns_holds_private(struct proc *p);

#endif
