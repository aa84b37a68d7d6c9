/*
 * kernel/exec.h: replacing a process's program with an ELF executable, and
 * the initial stack exactly as the AArch64 Linux ABI lays it out: argc,
 * argv, envp, then the auxiliary vector, then the strings.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include "kernel/lib/types.h"

struct proc;
struct trap_frame;

#define EXEC_MAX_ARGS 1024        /* argv plus envp entries */
#define EXEC_MAX_STRINGS (128 * KiB) /* bytes of argument and environment text */

/* Loads path into a new address space for p and points tf at its entry.
 * Nothing of p changes unless it succeeds. */
int exec_image(struct proc *p, struct trap_frame *tf, const char *path,
	       const char *const *argv, int argc, const char *const *envp, int envc);
/* The same for the first process: path is looked up in the boot archive
 * (exec_image_open_boot), not through a scheme. */
int exec_first(struct proc *p, struct trap_frame *tf, const char *path,
	       const char *const *argv, int argc, const char *const *envp, int envc);

#endif
