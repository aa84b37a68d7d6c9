/*
 * kernel/scheme.h: schemes, Redox style: every resource is reached through
 * a named scheme, and a path says which: `name:rest` or `/scheme/name/rest`;
 * a path with neither goes to the `file` scheme. A scheme is a table of
 * operations; a missing operation answers -EOPNOTSUPP. In-kernel schemes
 * (debug:, pipe:, null:, zero:, sys:, time:, initfs:, and scheme:, the
 * listing of the others) fill the table
 * directly; a scheme served by a user-space daemon (kernel/uscheme*.c)
 * fills it with operations that forward requests (syscall/scheme_proto.h).
 */
#ifndef KERNEL_SCHEME_H
#define KERNEL_SCHEME_H

#include "kernel/file.h"

#define SCHEME_NAME_MAX 32
#define SCHEME_MAX 32

struct scheme_ops {
	/* path is what follows the scheme name ("" for the scheme's root).
	 * Fills f->priv and f->type; 0 or -errno. */
	int (*open)(const struct scheme *s, const char *path, int flags, struct file *f);
	long (*read)(struct file *f, struct uio *u, uint64_t off);
	long (*write)(struct file *f, struct uio *u, uint64_t off);
	int (*stat)(struct file *f, struct abi_stat *st);
	/* Fills u with abi_dirent64 records from *cursor on; bytes or -errno. */
	long (*getdents)(struct file *f, struct uio *u, uint64_t *cursor);
	int (*ioctl)(struct file *f, unsigned long cmd, uint64_t arg);
	int (*mmap_phys)(struct file *f, paddr_t *pa, uint64_t *len);
	/* The size for SEEK_END; only for seekable schemes. */
	int64_t (*size)(struct file *f);
	void (*close)(struct file *f);
	/* Schemes that can go away (user schemes, kernel/uscheme.c) count
	 * references: scheme_find takes one, the file keeps it, file_put
	 * drops it after close. NULL for the kernel's schemes, which stay. */
	void (*hold)(const struct scheme *s);
	void (*release)(const struct scheme *s);
	bool seekable;
};

struct scheme {
	char name[SCHEME_NAME_MAX];
	const struct scheme_ops *ops;
	void *priv;
	int server_pid;  /* the daemon's pid; 0 for the kernel's schemes */
	/* The daemon is gone: set once (atomic store, under the user
	 * scheme's lock), read atomically by the registry. */
	bool dead;
};

/* A namespace: the schemes a process can name. One, the root, for now. */
struct namespace {
	spinlock_t lock;
	const struct scheme *schemes[SCHEME_MAX]; /* guarded by lock */
	int count;
};

extern struct namespace root_namespace;

int scheme_register(struct namespace *ns, const struct scheme *s);
/* The scheme named name with a reference (see hold), or NULL. */
const struct scheme *scheme_find(struct namespace *ns, const char *name);
/* Drops scheme_find's reference. */
void scheme_put(const struct scheme *s);
/* Copies the names of ns's schemes (at most max) into names; the count. */
int scheme_names(struct namespace *ns, char (*names)[SCHEME_NAME_MAX], int max);

/* Registers the kernel's own schemes in the root namespace. */
void schemes_init(void);

/* open for schemes that are one character device (debug:, null:, zero:):
 * only the scheme's root ("") exists. */
int scheme_open_device(const struct scheme *s, const char *path, int flags, struct file *f);
/* Helper for schemes serving a snapshot buffer (sys:, time:): copies the
 * part of [data, data+size) at off into u. */
long scheme_read_buffer(struct uio *u, uint64_t off, const void *data, size_t size);
/* Helper for getdents: appends one record; bytes written, 0 if there is no
 * room for it, -EFAULT if the buffer is bad. */
long scheme_dirent(struct uio *u, size_t pos, uint64_t ino, int64_t next_cursor,
		   uint8_t type, const char *name);

#endif
