/*
 * kernel/scheme/pipe.h: making anonymous pipes (kernel/scheme/scheme_pipe.c).
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

struct file;

#define PIPE_SIZE 16384       /* bytes a pipe buffers */
/* POSIX's PIPE_BUF, Linux's value: a write of at most this many bytes goes
 * into the pipe whole, never interleaved with another writer's bytes. */
#define PIPE_ATOMIC_MAX 4096

/* Both ends of a new pipe, one reference each; flags may hold O_NONBLOCK. */
int pipe_create(int flags, struct file **rd, struct file **wr);

#endif
