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
	/* Open and the path operations: a SCHEME_PATH_BUF buffer where a
	 * scheme answering SCHEME_EREDIRECT put the path to resolve instead
	 * (NUL-terminated, checked); NULL where no redirect is expected
	 * (caller_current leaves it NULL: the path layer sets it). The path
	 * a stat's open is given may lie in it: a scheme reads the path
	 * before it writes here. */
	char *redirect;
	/* Open only, with redirect: where a scheme that can answers the
	 * opened file's status with the open (saving a round trip); NULL:
	 * nobody asks. */
	struct file_open_stat *stat;
};

/* An open's status, when the scheme gave it with the open (valid). */
struct file_open_stat {
	struct abi_stat *st;
	bool valid;
};

/* Kernel-internal result of open and the path operations: "resolve
 * c->redirect from the start instead" (kernel/scheme/file_path.c). Above
 * Linux's errnos and its internal ones (512..529), below MAX_ERRNO: it
 * never reaches user space. */
#define SCHEME_EREDIRECT 1000

/* The current thread's identity (kernel/scheme/uio.c). */
void caller_current(struct caller *c);
/* Its address space alone (caller_current's as), without the ids. */
struct aspace *caller_space(void);

static inline struct uio uio_kernel(void *p, size_t len)
{
	return (struct uio){ .as = NULL, .addr = (uint64_t)(uintptr_t)p, .len = len };
}

static inline struct uio uio_user(const struct caller *c, uint64_t addr, size_t len)
{
	return (struct uio){ .as = c->as, .addr = addr, .len = len };
}

/* Copy n bytes to/from offset off of the uio's buffer: 0 or -EFAULT
 * (kernel/scheme/uio.c). long, as the fault-safe helpers answer: the copy
 * to or from the current space is then a tail call of theirs. */
long uio_copy_out(const struct uio *u, size_t off, const void *src, size_t n);
long uio_copy_in(const struct uio *u, size_t off, void *dst, size_t n);

#define FILE_PATH_INLINE 64 /* bytes of "scheme:path" a file holds itself */

struct file {
	uint32_t refcount;            /* atomic */
	const struct scheme *scheme;  /* set at open, then read-only */
	void *priv;                   /* the scheme's handle */
	uint32_t type;                /* ABI_S_IFREG/IFDIR/IFCHR/IFIFO, from open */
	spinlock_t lock;              /* serializes changes to flags */
	int flags;                    /* ABI_O_ACCMODE | O_APPEND | O_NONBLOCK;
				       * read atomically (file_flags) */
	/* Held across a whole read, write, seek or getdents at the offset
	 * (which may sleep); guards offset. A read or write of a file with
	 * one reference skips it (file.c's file_rw_caller: nobody else can
	 * reach the file meanwhile). */
	struct mutex pos_lock;
	uint64_t offset;              /* for seekable files and directories */
	/* "scheme:path" it was opened by (file_open; NULL for pipes and the
	 * like), set at open: for *at() calls, fchdir, linkat(AT_EMPTY_PATH)
	 * and /proc's fd/ links. */
	char *path;
	/* Set before the scheme's open, then read-only: the mode O_CREAT
	 * gives a new file (the umask applied). */
	uint32_t create_mode;
	/* Kept in a spare slot (file_spare.c): freed, not taken since. Set by
	 * file_free before the slot publishes it, cleared by file_new's
	 * memset: a second file_free finds it set. */
	bool spare_kept;
	/* path, when it fits (most do): no allocation per open. */
	char path_buf[FILE_PATH_INLINE];
};

struct file *file_alloc(const struct scheme *s, int flags);
/* Frees a file whose scheme open never succeeded (its close must not run). */
void file_discard(struct file *f);
/* A zeroed struct file: one freed before, when one is kept, else the
 * heap's; NULL: out of memory. file_free gives it back (kept for the next,
 * or to the heap; kernel/scheme/file_spare.c). */
struct file *file_new(void);
void file_free(struct file *f);
void file_get(struct file *f);
void file_put(struct file *f);

/* Opens a path (any form of path_resolve) relative to cwd, in the default
 * namespace; 0 and *out with one reference, or -errno. */
int file_open(const char *path, const char *cwd, int flags, struct file **out);
/* The same with O_CREAT's mode (the caller applied the umask). Follows
 * the schemes' redirects (symbolic links leaving a scheme) up to
 * SCHEME_SYMLINK_MAX times, then -ELOOP. O_PATH keeps only O_DIRECTORY,
 * O_NOFOLLOW and O_CLOEXEC and gives a file that can only be fstat'ed,
 * readlink'ed, fchdir'ed into or used as an *at() directory. */
int file_open_mode(const char *path, const char *cwd, int flags, uint32_t mode,
		   struct file **out);
/* file_open, and the file's status into *st->st (st->valid) when its
 * scheme answers it with the open; else the caller asks (file_stat). The
 * file is for that alone (it keeps no path: no descriptor, no *at()). */
int file_open_stat(const char *path, const char *cwd, int flags, struct file_open_stat *st,
		   struct file **out);

/* A SCHEME_PATH_BUF buffer (at least PATH_MAX_LEN: a path, or a scheme's
 * redirect; NULL: out of memory), and giving it back (NULL is nothing). */
char *file_path_buf_get(void);
void file_path_buf_put(char *b);

/* Joins a path relative to directory dir (from its *at() descriptor) into
 * out (PATH_MAX_LEN bytes); absolute and scheme paths are copied as they are.
 * -ENOTDIR if dir is not a directory. */
int file_join_at(const struct file *dir, const char *path, char *out);

/* Both false for an O_PATH file. */
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

/* Path operations (kernel/scheme/file_path.c): path is any form
 * path_resolve takes, relative to cwd; each follows redirects as
 * file_open does. 0 or -errno; -EROFS where the scheme has no such op. */
int file_unlink(const char *path, const char *cwd, bool dir);
int file_mkdir(const char *path, const char *cwd, uint32_t mode);
/* A link at path whose content is target, stored as it is. */
int file_symlink(const char *target, const char *path, const char *cwd);
/* flags: RENAME_NOREPLACE / RENAME_EXCHANGE (rename), AT_SYMLINK_FOLLOW
 * (link). Two schemes: -EXDEV; new inside old: -EINVAL. */
int file_rename(const char *old, const char *new, const char *cwd, unsigned flags);
int file_link(const char *old, const char *new, const char *cwd, unsigned flags);

/* Operations on an open file's attributes (kernel/scheme/file_attr.c). A
 * scheme without the op answers as Linux does for a file that cannot:
 * readlink -EINVAL, truncate -EINVAL, chmod/chown/utimens -EPERM, fsync
 * -EINVAL; statfs fills a minimal answer (kernel file systems have one). */
struct abi_timespec;
struct abi_statfs;
long file_readlink(struct file *f, struct uio *u);
int file_truncate(struct file *f, uint64_t len);
int file_chmod(struct file *f, uint32_t mode);
/* (uint32_t)-1 leaves an id unchanged. */
int file_chown(struct file *f, uint32_t uid, uint32_t gid);
/* ts: atime, mtime; UTIME_NOW / UTIME_OMIT in tv_nsec as utimensat(2). */
int file_utimens(struct file *f, const struct abi_timespec *ts);
int file_fsync(struct file *f);
int file_statfs(struct file *f, struct abi_statfs *st);


/* RLIMIT_FSIZE for the calling process (defined in kernel/rlimit.c). May a
 * write of *len bytes at pos go? Clamps *len to the limit; -EFBIG (and
 * SIGXFSZ to the calling thread) if pos is at or past it; len 0 always
 * goes. rlimit_fsize_limited: whether there is a limit (an O_APPEND write
 * then asks for the size first). rlimit_fsize_truncate: -EFBIG and SIGXFSZ
 * for a truncate past it. */
int rlimit_fsize_check(uint64_t pos, size_t *len);
bool rlimit_fsize_limited(void);
int rlimit_fsize_truncate(uint64_t size);

#endif
