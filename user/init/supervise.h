/*
 * user/init/supervise.h: init's children (user/init/supervise.c): starting
 * them, reaping every child and orphan, and acting on each exit: initfsd
 * and respawned programs are started again at once, the main program's
 * exit powers the machine off, a `run` program's exit ends its wait.
 */
#ifndef USER_INIT_SUPERVISE_H
#define USER_INIT_SUPERVISE_H

#include <stdbool.h>
#include <sys/types.h>

enum child_kind {
	CHILD_INITFSD,  /* the archive's server: restarted at once, keeps boot: */
	CHILD_DAEMON,   /* started by `start`: restarted (at most once a second) */
	CHILD_RESPAWN,  /* restarted whenever it exits */
	CHILD_RUN,      /* run to completion by `run` */
	CHILD_MAIN,     /* its exit ends the system */
	CHILD_LOGIN,    /* the console's login (getty): restarted like a daemon */
};

#define SUPERVISE_MAX 32 /* children init keeps track of */

/* Starts a child of that kind (argv is kept, NULL for initfsd): its pid,
 * or -1 (said why on stderr). Every child but initfsd execs, and so loses
 * the private scheme names (boot:) as its program starts (kernel/exec.c). */
pid_t supervise_start(enum child_kind kind, char *const argv[]);

/* Reaps what has exited, acting on each; with block, waits for at least
 * one. Never returns if the main program exited. */
void supervise_reap(bool block);

/* Whether pid (a `run` child) is still running. */
bool supervise_alive(pid_t pid);

/* The pid serving initfsd now (0 while none). */
pid_t supervise_initfsd(void);

/* Exit status as a shell reports it: the code, or 128 + the signal. */
int supervise_status_code(int status);

/* The console path (`console` line) the main program's child reopens as
 * its controlling terminal, in a session of its own. */
#define SUPERVISE_CONSOLE_MAX 64
void supervise_set_console(const char *path);

#endif
