/*
 * drivers/ramfs/ramfs.h: a file system in memory, as a library: the tree
 * (directories, regular files, symbolic links, hard links), POSIX
 * permissions, and every operation the scheme protocol
 * (syscall/abi/scheme_proto.h) asks of a writable root. Pure C: no system
 * calls, no global state; memory comes from the callbacks of struct
 * ramfs_mem, so the daemon (drivers/initfsd/) decides where pages live
 * and how many, and the host tests can make any allocation fail.
 *
 * Files' bytes. Each regular file owns a reservation: a run of virtual
 * memory (struct ramfs_mem.reserve) in which page i holds the file's bytes
 * [i * RAMFS_PAGE, (i + 1) * RAMFS_PAGE). A page is committed (given
 * memory, charged to the budget) when first written; pages never written
 * are holes, which read as zeros and cost nothing (sparse files). A
 * file's pages are contiguous in the daemon, so FMAP hands a range of
 * them out as they are, and a shared mapping sees every write. The
 * reservation grows by RAMFS_RESERVE_GROWTH as the file does, copying the
 * committed pages; a file mapped shared is pinned (the pages a mapping
 * holds must stay the file's), and growing it past its reservation is
 * then -EFBIG (its first shared mapping reserves RAMFS_PIN_RESERVE).
 * Files populated from the boot archive point at the archive's pages
 * (zero copy: exec and private read-only mappings use them) until the
 * first change (write, truncate or a shared writable mapping), which
 * copies them into the file's own pages.
 *
 * Out of memory: every operation first allocates all it needs and only
 * then changes the tree, so on -ENOSPC (pages) or -ENOMEM (metadata)
 * nothing has changed.
 *
 * Lifetime: an inode lives while a directory entry names it (nlink) or a
 * handle holds it (ramfs_hold/ramfs_release): an unlinked open file lives
 * on until its last close.
 */
#ifndef DRIVERS_RAMFS_H
#define DRIVERS_RAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "drivers/ramfs/walk.h"

#define RAMFS_PAGE 4096u                        /* the daemon's page size */
#define RAMFS_RESERVE_MIN (1ull << 20)          /* a new file's reservation */
#define RAMFS_RESERVE_GROWTH 16                 /* reservations grow by this factor */
#define RAMFS_PIN_RESERVE (64ull << 20)         /* at least this once mapped shared */
#define RAMFS_FILE_MAX (1ull << 40)             /* the largest file: 1 TiB */
#define RAMFS_NAME_MAX WALK_NAME_MAX
#define RAMFS_MAGIC 0x01021994                  /* Linux's TMPFS_MAGIC, statfs f_type */
#define RAMFS_GROUPS_MAX 32

/* Linux's st_mode bits (the values of <sys/stat.h>). */
#define RAMFS_S_IFMT 0170000
#define RAMFS_S_IFDIR 0040000
#define RAMFS_S_IFREG 0100000
#define RAMFS_S_IFLNK 0120000
#define RAMFS_S_ISUID 04000
#define RAMFS_S_ISGID 02000
#define RAMFS_S_ISVTX 01000
#define RAMFS_S_IPERM 07777

/* Access wanted (as access(2)'s R_OK, W_OK, X_OK). */
#define RAMFS_MAY_READ 4
#define RAMFS_MAY_WRITE 2
#define RAMFS_MAY_EXEC 1

/* utimens: Linux's special tv_nsec values. */
#define RAMFS_UTIME_NOW ((1l << 30) - 1l)
#define RAMFS_UTIME_OMIT ((1l << 30) - 2l)

/* rename flags: Linux's. */
#define RAMFS_RENAME_NOREPLACE 1u
#define RAMFS_RENAME_EXCHANGE 2u

struct ramfs_time {
	int64_t sec;
	long nsec;
};

/* Who asks: effective (file-system) ids and supplementary groups. */
struct ramfs_cred {
	uint32_t uid, gid;
	uint32_t ngroups;
	uint32_t groups[RAMFS_GROUPS_MAX];
};

struct ramfs_mem {
	void *ctx;
	/* Zeroed metadata, or NULL. */
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *p);
	/* Virtual memory for bytes (a multiple of RAMFS_PAGE), page aligned,
	 * costing nothing until committed; NULL if none. */
	void *(*reserve)(void *ctx, uint64_t bytes);
	/* Gives the run back, with any page committed in it. */
	void (*unreserve)(void *ctx, void *base, uint64_t bytes);
	/* Gives the page at addr memory, zeroed: 0, or -ENOSPC (memory
	 * exhausted; the library keeps to budget_pages itself). */
	int (*commit)(void *ctx, void *page);
	/* Takes the pages of [addr, addr + bytes) back: holes again. */
	void (*decommit)(void *ctx, void *addr, uint64_t bytes);
	/* Pages files may commit in all (commits past it are -ENOSPC);
	 * statfs's f_blocks. */
	uint64_t budget_pages;
	/* The current time (CLOCK_REALTIME). */
	struct ramfs_time (*now)(void *ctx);
};

struct ramfs_dirent;

struct ramfs_file {
	uint8_t *base;                  /* the reservation (NULL: none yet) */
	uint64_t reserved;              /* its bytes */
	uint64_t **present;             /* committed-page bitmap, in chunks of
					 * RAMFS_PAGE bytes, allocated on need */
	uint64_t nchunks;
	uint64_t committed;             /* pages committed */
	const uint8_t *backing;         /* archive bytes until the first change */
	uint32_t pins;                  /* shared mappings handed out */
};

struct ramfs_inode {
	uint64_t ino;
	uint32_t mode, uid, gid;
	uint32_t nlink;                 /* directory entries naming it (a
					 * directory: 2 + its subdirectories) */
	uint32_t holds;                 /* open handles */
	uint64_t size;                  /* file: bytes; link: target's bytes */
	struct ramfs_time atime, mtime, ctime;
	union {
		struct {
			struct ramfs_dirent *first, *last; /* in cookie order */
			struct ramfs_inode *parent;        /* the root's is itself */
			uint64_t next_cookie;              /* getdents positions */
			uint64_t entries;
		} dir;
		char *target;           /* link: size bytes and a NUL */
		struct ramfs_file file;
	};
};

struct ramfs_dirent {
	struct ramfs_dirent *next, *prev;
	uint64_t cookie;                /* position, stable across unlinks */
	struct ramfs_inode *inode;
	size_t len;
	char name[];                    /* len bytes and a NUL */
};

struct ramfs {
	struct ramfs_mem mem;
	struct ramfs_inode *root;
	uint64_t next_ino;
	uint64_t inodes;                /* alive */
	uint64_t pages;                 /* committed, all files */
};

/* Cursor values of readdir: "." and ".." come first. */
#define RAMFS_COOKIE_FIRST 2

struct ramfs_stat {
	uint64_t ino;
	uint32_t mode, nlink, uid, gid;
	uint64_t size, blocks;          /* blocks: 512-byte units committed */
	struct ramfs_time atime, mtime, ctime;
};

struct ramfs_statfs {
	uint64_t type, bsize, blocks, bfree, files, ffree, namelen;
};

/* ---- the tree (ramfs.c) ---- */

/* An empty tree: the root directory with mode (permissions) root_mode,
 * owned by 0:0. 0 or -ENOMEM. */
int ramfs_init(struct ramfs *fs, const struct ramfs_mem *mem, uint32_t root_mode);
/* Frees the tree (every handle must have been released). */
void ramfs_destroy(struct ramfs *fs);

void ramfs_hold(struct ramfs_inode *n);
/* Drops a hold: the inode goes when it was the last and no entry names it. */
void ramfs_release(struct ramfs *fs, struct ramfs_inode *n);

/* ---- paths (ramfs_path.c) ---- */

/* Open flags the library looks at (Linux's values, AArch64). */
#define RAMFS_O_ACCMODE 03
#define RAMFS_O_RDONLY 0
#define RAMFS_O_WRONLY 01
#define RAMFS_O_RDWR 02
#define RAMFS_O_CREAT 0100
#define RAMFS_O_EXCL 0200
#define RAMFS_O_TRUNC 01000
#define RAMFS_O_DIRECTORY 040000
#define RAMFS_O_NOFOLLOW 0100000
#define RAMFS_O_PATH 010000000

/*
 * Opens path (walk.h's rules, as the root file system): O_CREAT creates a
 * regular file with mode & ~S_IFMT owned by the caller (the directory's
 * group when it is setgid), O_EXCL refuses an existing one (a link too),
 * O_TRUNC empties a regular file opened for writing, O_DIRECTORY wants a
 * directory, O_NOFOLLOW refuses a final link (-ELOOP) unless O_PATH,
 * which opens the link itself. Permissions are checked for the access
 * mode (O_PATH: none). On 0, *out is held (ramfs_release it). Returns 0,
 * WALK_REDIRECT (w->buf), or -errno.
 */
int ramfs_open(struct ramfs *fs, const struct ramfs_cred *c, const char *path, int flags,
	       uint32_t mode, struct walk *w, struct ramfs_inode **out);
int ramfs_mkdir(struct ramfs *fs, const struct ramfs_cred *c, const char *path, uint32_t mode,
		struct walk *w);
int ramfs_symlink(struct ramfs *fs, const struct ramfs_cred *c, const char *target,
		  const char *path, struct walk *w);
/* Unlinks a non-directory (dir false) or removes an empty directory. */
int ramfs_unlink(struct ramfs *fs, const struct ramfs_cred *c, const char *path, bool dir,
		 struct walk *w);
/* follow: AT_SYMLINK_FOLLOW on old. */
int ramfs_link(struct ramfs *fs, const struct ramfs_cred *c, const char *old, const char *new,
	       bool follow, struct walk *w);
int ramfs_rename(struct ramfs *fs, const struct ramfs_cred *c, const char *old, const char *new,
		 unsigned flags, struct walk *w);

/* ---- inodes (ramfs_attr.c) ---- */

/* 0 if c may access n as want (RAMFS_MAY_*), else -EACCES. */
int ramfs_access(const struct ramfs_inode *n, const struct ramfs_cred *c, int want);
void ramfs_stat(const struct ramfs_inode *n, struct ramfs_stat *st);
void ramfs_statfs(const struct ramfs *fs, struct ramfs_statfs *st);
int ramfs_chmod(struct ramfs *fs, struct ramfs_inode *n, const struct ramfs_cred *c, uint32_t mode);
/* (uint32_t)-1 leaves an id unchanged. */
int ramfs_chown(struct ramfs *fs, struct ramfs_inode *n, const struct ramfs_cred *c, uint32_t uid,
		uint32_t gid);
/* times[0] atime, times[1] mtime; NULL: both now. */
int ramfs_utimens(struct ramfs *fs, struct ramfs_inode *n, const struct ramfs_cred *c,
		  const struct ramfs_time *times);
/* A link's target (n->size bytes), or -EINVAL for anything else. */
int ramfs_readlink(const struct ramfs_inode *n, const char **target);
/*
 * The next entry of directory n at *cursor (start at 0: "." then ".."
 * then the entries; a cursor stays valid when entries are removed). On 1,
 * *name, *ino, *mode and *cursor (the next one) are set. Returns 1, 0 at
 * the end, -ENOTDIR.
 */
int ramfs_readdir(const struct ramfs_inode *n, uint64_t *cursor, const char **name,
		  uint64_t *ino, uint32_t *mode);

/* ---- file data (ramfs_data.c) ---- */

/*
 * A run of a regular file's bytes from off, at most len: its length, with
 * *p pointing at them, or at NULL for a hole (zeros); 0 at or past the
 * end of the file.
 */
uint64_t ramfs_read_seg(const struct ramfs_inode *n, uint64_t off, uint64_t len, const void **p);
/* Copies up to len bytes from off into dst: bytes copied. */
uint64_t ramfs_read(const struct ramfs_inode *n, uint64_t off, void *dst, uint64_t len);
/*
 * Makes [off, off + len) of regular file n writable memory (append: at
 * the end; *off set to it) and returns it in *p, the pages committed; the
 * caller copies the bytes in and calls ramfs_write_done, which grows the
 * size and sets mtime and ctime. -ENOSPC, -ENOMEM, -EFBIG change nothing.
 */
int ramfs_write_begin(struct ramfs *fs, struct ramfs_inode *n, uint64_t *off, uint64_t len,
		      bool append, void **p);
void ramfs_write_done(struct ramfs *fs, struct ramfs_inode *n, uint64_t off, uint64_t len);
/* Both in one, from src: bytes written (len) or -errno. */
int64_t ramfs_write(struct ramfs *fs, struct ramfs_inode *n, uint64_t off, const void *src,
		    uint64_t len, bool append);
/* Sets a regular file's size (holes beyond, pages freed below). */
int ramfs_truncate(struct ramfs *fs, struct ramfs_inode *n, uint64_t len);
/*
 * Pages [off, off + len) (off page aligned) of regular file n for a
 * mapping, in *addr: shared or writable mappings get the file's own pages
 * (committed, the file pinned while shared: see ramfs_unpin); a private
 * read-only mapping of an archive file within its size gets the archive's
 * pages. 0 or -ENOSPC/-ENOMEM/-EFBIG/-EINVAL.
 */
int ramfs_map(struct ramfs *fs, struct ramfs_inode *n, uint64_t off, uint64_t len, bool own,
	      bool shared, const void **addr);
void ramfs_unpin(struct ramfs_inode *n);
/* Regular file n's bytes are the archive's data[0, size) (zero copy). */
void ramfs_set_backing(struct ramfs_inode *n, const void *data, uint64_t size);

#endif
