/*
 * kernel/pipe.h: making anonymous pipes (kernel/scheme_pipe.c).
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

struct file;

/* Both ends of a new pipe, one reference each; flags may hold O_NONBLOCK. */
int pipe_create(int flags, struct file **rd, struct file **wr);

#endif
