/*
 * kernel/scheme/file.h: open files. Every open file is a (scheme, handle) pair:
 * the scheme that opened it and whatever the scheme keeps for it. Files are
 * reference counted: descriptors (fdtable.c) and in-kernel users hold
 * references; the scheme's close runs when the last goes.
 * Data moves through a struct uio, which names either user memory of an
 * explicit address space (copied with the fault-safe helpers in the current
 * space, through its pages in another) or kernel memory, so one scheme
 * operation serves system calls and in-kernel readers (exec) alike.
 * Every operation done for a caller gets a struct caller (who asks: pid,
 * uid, gid, address space), the same for kernel schemes and user ones.
 *
 * The file offset is shared by every descriptor of the file (dup, fork), so
 * an operation at the offset holds pos_lock, a sleeping mutex, from reading
 * the offset to storing the new one: two processes reading one file get
 * each byte once, and O_APPEND writes never land on each other.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include "kernel/lib/types.h"
#include "kernel/lib/spinlock.h"
#include "sched/mutex.h"

struct scheme;
struct abi_stat;
struct aspace;

struct uio {
	struct aspace *as; /* addr is a user address in as; NULL: kernel memory */
	uint64_t addr;
	size_t len;
};

/* Who a scheme operation acts for (file_* fill it from the current thread;
 * user schemes put it in the request). */
struct caller {
	int pid;
	uint32_t uid, gid;
	struct aspace *as;   /* the caller's address space */
};

/* The current thread's identity (kernel/scheme/uio.c). */
void caller_current(struct caller *c);

static inline struct uio uio_kernel(void *p, size_t len)
{
	return (struct uio){ .as = NULL, .addr = (uint64_t)(uintptr_t)p, .len = len };
}

static inline struct uio uio_user(const struct caller *c, uint64_t addr, size_t len)
{
	return (struct uio){ .as = c->as, .addr = addr, .len = len };
}

/* Copy n bytes to/from offset off of the uio's buffer: 0 or -EFAULT
 * (kernel/scheme/uio.c). */
int uio_copy_out(const struct uio *u, size_t off, const void *src, size_t n);
int uio_copy_in(const struct uio *u, size_t off, void *dst, size_t n);

struct file {
	uint32_t refcount;            /* atomic */
	const struct scheme *scheme;  /* set at open, then read-only */
	void *priv;                   /* the scheme's handle */
	uint32_t type;                /* ABI_S_IFREG/IFDIR/IFCHR/IFIFO, from open */
	spinlock_t lock;              /* serializes changes to flags */
	int flags;                    /* ABI_O_ACCMODE | O_APPEND | O_NONBLOCK;
				       * read atomically (file_flags) */
	/* Held across a whole read, write, seek or getdents at the offset
	 * (which may sleep); guards offset. */
	struct mutex pos_lock;
	uint64_t offset;              /* for seekable files and directories */
	char *path;                   /* "scheme:path" it was opened by (file_open;
				       * NULL for pipes and the like), set at open */
};

struct file *file_alloc(const struct scheme *s, int flags);
/* Frees a file whose scheme open never succeeded (its close must not run). */
void file_discard(struct file *f);
void file_get(struct file *f);
void file_put(struct file *f);

/* Opens a path (any form of path_resolve) relative to cwd, in the default
 * namespace; 0 and *out with one reference, or -errno. */
int file_open(const char *path, const char *cwd, int flags, struct file **out);

/* Joins a path relative to directory dir (from its *at() descriptor) into
 * out (PATH_MAX_LEN bytes); absolute and scheme paths are copied as they are.
 * -ENOTDIR if dir is not a directory. */
int file_join_at(const struct file *dir, const char *path, char *out);

bool file_readable(const struct file *f);
bool file_writable(const struct file *f);
/* The flags (F_GETFL); file_set_flags replaces the bits in mask (F_SETFL). */
int file_flags(struct file *f);
void file_set_flags(struct file *f, int mask, int value);
/* Read/write at the file's offset (advancing it) or at off if off >= 0.
 * -EINTR if the process is killed while waiting for pos_lock. */
long file_read(struct file *f, struct uio *u, int64_t off);
long file_write(struct file *f, struct uio *u, int64_t off);
long file_seek(struct file *f, int64_t off, int whence);
int file_stat(struct file *f, struct abi_stat *st);
long file_getdents(struct file *f, struct uio *u);
/* arg is the caller's pointer; its size comes from cmd (file_ioctl_size). */
int file_ioctl(struct file *f, unsigned long cmd, uint64_t arg);
/* The bytes an ioctl's argument holds: Linux's _IOC_SIZE, or for the
 * terminal ioctls that predate that encoding a table; 0: none known. */
size_t file_ioctl_size(unsigned long cmd);
struct fmap_desc;
/* What backs [off, off+len) of the file, for mmap and exec (kernel/scheme/scheme.h
 * struct fmap_desc); -EOPNOTSUPP if the scheme cannot map. */
int file_fmap(struct file *f, uint64_t off, uint64_t len, unsigned prot, struct fmap_desc *out);

#endif
