/*
 * kernel/scheme/scheme.h: schemes, Redox style: every resource is reached through
 * a named scheme, and a path says which: `name:rest` or `/scheme/name/rest`;
 * a path with neither goes to the `file` scheme. A scheme is a table of
 * operations; a missing operation answers -EOPNOTSUPP. In-kernel schemes
 * (debug:, pipe:, null:, zero:, sys:, time:, boot:, and scheme:, the
 * listing of the others) fill the table
 * directly; a scheme served by a user-space daemon (kernel/scheme/uscheme*.c)
 * fills it with operations that forward requests (syscall/abi/scheme_proto.h).
 */
#ifndef KERNEL_SCHEME_H
#define KERNEL_SCHEME_H

#include "kernel/scheme/file.h"

struct poll_table;
struct abi_timespec;
struct abi_statfs;

#define SCHEME_NAME_MAX 32
#define SCHEME_MAX 32

struct vm_object;

/* What backs a file mapping (fmap): a physically contiguous run (the boot
 * archive, device memory) or a set of pages (a daemon's, kernel/scheme/uscheme_client.c). */
enum fmap_kind { FMAP_PHYS, FMAP_OBJECT };
enum fmap_memtype { FMAP_MEM_NORMAL, FMAP_MEM_DEVICE };
struct fmap_desc {
	enum fmap_kind kind;
	paddr_t pa;              /* FMAP_PHYS: [pa, pa + len) holds the file from
	                          * offset 0 (memory:'s: pa 0, offsets physical) */
	uint64_t len;
	enum fmap_memtype memtype;
	struct vm_object *obj;   /* FMAP_OBJECT: one reference for the caller */
};

/* Drops what a fmap_desc holds (an FMAP_OBJECT's reference; kernel/scheme/fmap.c). */
void fmap_desc_release(struct fmap_desc *d);

/*
 * A file's handle is f->priv (the scheme's, or the daemon's id for a user
 * scheme); c says who asks. Data in or out goes through u, which names its
 * address space. close has no caller: it runs when the last reference
 * goes, wherever that is.
 */
struct scheme_ops {
	/* path is what follows the scheme name ("" for the scheme's root).
	 * Fills f->priv and f->type; 0 or -errno. */
	int (*open)(const struct scheme *s, const char *path, int flags, struct file *f,
		    const struct caller *c);
	long (*read)(struct file *f, struct uio *u, uint64_t off, const struct caller *c);
	long (*write)(struct file *f, struct uio *u, uint64_t off, const struct caller *c);
	int (*stat)(struct file *f, struct abi_stat *st, const struct caller *c);
	/* Fills u with abi_dirent64 records from *cursor on; bytes or -errno. */
	long (*getdents)(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c);
	/* arg is the argument's memory, sized by file_ioctl_size(cmd). */
	int (*ioctl)(struct file *f, unsigned long cmd, struct uio *arg, const struct caller *c);
	/* What backs [off, off+len) for a mapping of protection prot (VM_*). */
	int (*fmap)(struct file *f, uint64_t off, uint64_t len, unsigned prot, struct fmap_desc *out);
	/* The size for SEEK_END; only for seekable schemes. */
	int64_t (*size)(struct file *f, const struct caller *c);
	void (*close)(struct file *f);
	/* Readiness (kernel/scheme/poll.h): the POLLIN/POLLOUT/POLLHUP/POLLERR mask
	 * now, after registering pt's watches (poll_wait) if pt != NULL.
	 * Without it a file is always ready for reading and writing. */
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/* Schemes that can go away (user schemes, kernel/scheme/uscheme.c) count
	 * references: scheme_find takes one, the file keeps it, file_put
	 * drops it after close. NULL for the kernel's schemes, which stay. */
	void (*hold)(const struct scheme *s);
	void (*release)(const struct scheme *s);

	/* Symbolic links, path operations and attributes. NULL: the scheme
	 * cannot (file_path.c answers -EROFS for path ops, file_attr.c
	 * Linux's error for the file ops). A user scheme's path ops and open
	 * may answer SCHEME_EREDIRECT with c->redirect filled (struct caller). */
	/* The target of the link f (opened O_PATH|O_NOFOLLOW) into u, not
	 * NUL-terminated, truncated to u->len; bytes, -EINVAL if f is no link. */
	long (*readlink)(struct file *f, struct uio *u, const struct caller *c);
	/* Removes the file (dir false) or empty directory (dir true) at path. */
	int (*unlink)(const struct scheme *s, const char *path, bool dir, const struct caller *c);
	/* Makes the directory path; mode has the umask applied. */
	int (*mkdir)(const struct scheme *s, const char *path, unsigned mode, const struct caller *c);
	/* Makes a link at path to target (stored verbatim). */
	int (*symlink)(const struct scheme *s, const char *target, const char *path,
		       const struct caller *c);
	/* flags: RENAME_NOREPLACE, RENAME_EXCHANGE (abi_fs.h). */
	int (*rename)(const struct scheme *s, const char *old, const char *new, unsigned flags,
		      const struct caller *c);
	/* A hard link new to old; flags: AT_SYMLINK_FOLLOW (old a link: its target). */
	int (*link)(const struct scheme *s, const char *old, const char *new, unsigned flags,
		    const struct caller *c);
	/* Sets the size to len (a hole reads as zeros). */
	int (*truncate)(struct file *f, uint64_t len, const struct caller *c);
	/* mode: the permission, set-id and sticky bits (07777). */
	int (*chmod)(struct file *f, unsigned mode, const struct caller *c);
	/* (uint32_t)-1 leaves an id as it is. */
	int (*chown)(struct file *f, uint32_t uid, uint32_t gid, const struct caller *c);
	/* ts[0] atime, ts[1] mtime (two entries), UTIME_NOW/UTIME_OMIT as utimensat(2). */
	int (*utimens)(struct file *f, const struct abi_timespec *ts, const struct caller *c);
	/* Makes the file's data durable (fsync and fdatasync). */
	int (*fsync)(struct file *f, const struct caller *c);
	/* Fills Linux's struct statfs for the file system f lives on. */
	int (*statfs)(struct file *f, struct abi_statfs *st, const struct caller *c);
	/* write on an O_APPEND file appends atomically and stores the end
	 * offset in f->offset itself (pos_lock held): file.c does not ask
	 * for the size first. */
	bool native_append;
	bool seekable;
	/* fmap gives device registers (memory:): mapped shared, writable if
	 * the scheme allows, with the device memory type. */
	bool device_memory;
	/* read and write ignore their caller (pipes): file.c passes NULL
	 * instead of filling one for every transfer. */
	bool rw_no_caller;
	/* ioctl ignores its caller (a daemon's scheme descriptor): c is
	 * NULL, arg the calling process's memory as always. */
	bool ioctl_no_caller;
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
	/* The slot scheme_find found last, tried first: nearly every path
	 * names file:, which sits behind all the kernel's schemes. Guarded
	 * by lock (a slot below count, or 0). */
	int last;
};

extern struct namespace root_namespace;

int scheme_register(struct namespace *ns, const struct scheme *s);
/* The scheme named name with a reference (see hold), or NULL. */
const struct scheme *scheme_find(struct namespace *ns, const char *name);
/* Drops scheme_find's reference (inline: every file_put comes here). */
static inline void scheme_put(const struct scheme *s)
{
	if (s->ops->release)
		s->ops->release(s);
}
/* Copies the names of ns's schemes (at most max) into names; the count. */
int scheme_names(struct namespace *ns, char (*names)[SCHEME_NAME_MAX], int max);

/* An entry of the /scheme listing whose scheme opens no root: what an
 * O_PATH open of the root gives (stat: a directory; kernel/scheme/scheme_list.c). */
extern const struct scheme scheme_root_entry;

/* Registers the kernel's own schemes in the root namespace. */
void schemes_init(void);

/* open for schemes that are one character device (debug:, null:, zero:):
 * only the scheme's root ("") exists. */
int scheme_open_device(const struct scheme *s, const char *path, int flags, struct file *f,
		       const struct caller *c);
/* Helper for schemes serving a snapshot buffer (sys:, time:): copies the
 * part of [data, data+size) at off into u. */
long scheme_read_buffer(struct uio *u, uint64_t off, const void *data, size_t size);
/* Helper for getdents: appends one record; bytes written, 0 if there is no
 * room for it, -EFAULT if the buffer is bad. */
long scheme_dirent(struct uio *u, size_t pos, uint64_t ino, int64_t next_cursor,
		   uint8_t type, const char *name);

#endif
