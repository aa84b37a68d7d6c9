/*
 * kernel/scheme/file_flags.h: a file's flags (file_flags, kernel/scheme/file.c)
 * read in line, for a scheme that asks on every transfer (a pipe's
 * O_NONBLOCK) and so should not pay a call for one load.
 */
#ifndef KERNEL_SCHEME_FILE_FLAGS_H
#define KERNEL_SCHEME_FILE_FLAGS_H

#include "kernel/scheme/file.h"

/* O_APPEND and O_NONBLOCK may change meanwhile (fcntl's F_SETFL under
 * f->lock), hence the atomic read. */
static inline int file_flags_now(const struct file *f)
{
	return __atomic_load_n(&f->flags, __ATOMIC_RELAXED);
}

#endif
