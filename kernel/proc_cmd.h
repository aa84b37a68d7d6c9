/*
 * kernel/proc_cmd.h: what a process was started as, recorded at exec for
 * /proc (kernel/scheme/proc_pid.c): the path of its program (the exe
 * link) and its arguments (cmdline: each NUL-terminated, as Linux's
 * /proc/PID/cmdline). Immutable once made and shared by reference: a
 * fork child shares its parent's until it execs. Unlike Linux, cmdline is
 * this copy, not the process's memory, so a program rewriting its argv
 * (setproctitle) does not change it.
 */
#ifndef KERNEL_PROC_CMD_H
#define KERNEL_PROC_CMD_H

#include "kernel/lib/types.h"

/* The most of the arguments kept: Linux's ps reads at most a page too. */
#define PROC_CMD_ARGS_MAX 4096

struct proc_cmd {
	uint32_t refs;    /* atomic */
	char *exe;        /* the path exec was given, as a scheme path ("file:/bin/sh") */
	size_t args_len;
	char args[];      /* argv[0]\0argv[1]\0..., cut at PROC_CMD_ARGS_MAX */
};

/* A record of exec(path, argv); NULL if out of memory. */
struct proc_cmd *proc_cmd_make(const char *path, const char *const *argv, int argc);
void proc_cmd_get(struct proc_cmd *c);
/* Drops a reference; NULL is allowed. */
void proc_cmd_put(struct proc_cmd *c);

#endif
