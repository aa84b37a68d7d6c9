/*
 * kernel/scheme/procfs.h: the parts of the proc: scheme (what /proc links
 * to), in Linux 6.1's formats: the operations (scheme_proc.c), the lookup
 * of a path (proc_lookup.c), the per-process files (proc_pid.c,
 * proc_pid_text.c), links and listings (proc_pid_links.c), the
 * system-wide files (proc_sys.c), and files reached through its links
 * (proc_proxy.c, which tty: uses too). Every file is a text snapshot
 * taken at open, so a reader sees one consistent state however it reads;
 * directories list live.
 */
#ifndef KERNEL_SCHEME_PROCFS_H
#define KERNEL_SCHEME_PROCFS_H

#include "kernel/scheme/scheme.h"
#include "kernel/proc.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/abi_fs.h"

/* Linux's d_type of a symbolic link (dirent.h). */
#ifndef ABI_DT_LNK
#define ABI_DT_LNK 10
#endif

/* Linux's USER_HZ: the unit of times in /proc (sysconf(_SC_CLK_TCK)). */
#define PROCFS_USER_HZ 100
#define PROCFS_NS_PER_TICK (NSEC_PER_SEC / PROCFS_USER_HZ)

/* A growing text snapshot; on running out of memory it stops growing and
 * oom is set (the open then fails with -ENOMEM). */
struct ptext {
	char *buf;
	size_t len, cap;
	bool oom;
};
void ptext_printf(struct ptext *t, const char *fmt, ...) __printf(2, 3);
void ptext_bytes(struct ptext *t, const void *data, size_t n);
void ptext_free(struct ptext *t);

enum procfs_kind {
	PK_ROOT,      /* /proc */
	PK_SYSDIR,    /* /proc/sys, /proc/sys/kernel (sub: depth) */
	PK_PID_DIR,   /* /proc/PID, /proc/PID/task/TID */
	PK_TASK_DIR,  /* /proc/PID/task */
	PK_FD_DIR,    /* /proc/PID/fd */
	PK_TEXT,      /* a regular file: text */
	PK_LINK,      /* a symbolic link itself (O_PATH|O_NOFOLLOW): text is its target */
};

struct procfs_file {
	enum procfs_kind kind;
	int pid, tid;         /* PK_PID_DIR (tid 0: the process), PK_TASK_DIR, PK_FD_DIR */
	int sub;              /* PK_SYSDIR: 0 /proc/sys, 1 /proc/sys/kernel */
	uint32_t uid, gid;    /* the owner stat reports */
	struct ptext text;    /* PK_TEXT, PK_LINK */
};

#define PROC_LINK_MAX 64 /* bytes of "self"'s target, or of a pid as a name */

/* --- scheme_proc.c --- */
/* Frees a file's state (NULL is allowed). */
void procfs_file_free(struct procfs_file *pf);

/* --- proc_lookup.c --- */
/* The file path names, opened with flags for c: 0 and *out (the caller's
 * to free), or 0 and *out NULL when f became a file of what a link names
 * (proc_proxy.c), or -errno. */
int procfs_lookup(const char *path, int flags, const struct caller *c, struct file *f,
		  struct procfs_file **out);

/* --- proc_pid.c: a process's data, read under proc_lock --- */

/* The files of /proc/PID (and of /proc/PID/task/TID, which has the
 * PE_TASK ones). */
enum pid_entry_type { PE_FILE, PE_LINK, PE_DIR };
struct pid_entry {
	const char *name;
	enum pid_entry_type type;
	bool in_task;          /* also in /proc/PID/task/TID */
	bool private;          /* only for the owner or root (Linux's ptrace check) */
};
extern const struct pid_entry procfs_pid_entries[];
extern const size_t procfs_pid_nentries;
const struct pid_entry *procfs_pid_entry(const char *name, bool task);

/* Runs fn on the live or zombie process pid under proc_lock; -ENOENT if
 * there is none. */
int procfs_with_proc(int pid, int (*fn)(struct proc *p, void *arg), void *arg);
/* The owner of pid (for stat and the permission checks); -ENOENT if gone. */
int procfs_pid_owner(int pid, uint32_t *uid, uint32_t *gid);
/* Whether c may see pid's private entries: the same uid, or root. */
bool procfs_may_inspect(int pid, const struct caller *c);
/* Fills t with entry e of pid (tid 0) or of its thread tid. 0 or -errno. */
int procfs_pid_text(int pid, int tid, const struct pid_entry *e, struct ptext *t);
/* --- proc_pid_links.c --- */
/* The target of pid's link name ("exe", "cwd", or fd number fd for "fd")
 * as a path the kernel can open ("scheme:rest"). -ENOENT if it has none. */
int procfs_link_path(int pid, const char *name, int fd, char *out, size_t size);
/* The file at pid's descriptor fd with a new reference, or NULL. */
struct file *procfs_fd_file(int pid, int fd);
/* Up to max of pid's open descriptor numbers from first on, ascending;
 * how many, or -ENOENT. */
int procfs_fd_list(int pid, int first, int *out, int max);
/* Up to max of pid's thread ids >= first, ascending; how many, or -ENOENT. */
int procfs_tid_list(int pid, int first, int *out, int max);
/* Whether tid is a live thread of pid. */
bool procfs_has_tid(int pid, int tid);
/* Up to max pids (live or zombie) >= first, ascending; how many. */
int procfs_pid_list(int first, int *out, int max);
/* "scheme:rest" as Linux shows a path: "/rest" for file:, "/scheme/NAME/rest"
 * for the scheme list, "NAME:rest" otherwise. */
void procfs_display_path(const char *kpath, char *out, size_t size);

/* --- proc_pid_text.c: the text formats of one process --- */
/* What the formats need of a process (or one of its threads), copied
 * under proc_lock and the locks nested in it. */
struct proc_snap {
	int pid, tid, ppid, pgid, sid, nthreads;
	char state;                 /* Linux's letter: R S T Z */
	char name[PROC_NAME_MAX];
	uint32_t uid, gid;
	int nice, prio;
	uint64_t utime_ns, stime_ns, cutime_ns, start_ns;
	uint64_t vsize, rss_pages;
	uint64_t sig_pending, sig_shared, sig_blocked, sig_ignored, sig_caught;
	int fd_count;
};
void procfs_gen_stat(struct ptext *t, const struct proc_snap *s);
void procfs_gen_status(struct ptext *t, const struct proc_snap *s);

/* --- proc_sys.c: system-wide files --- */
struct sys_file {
	const char *name;
	void (*gen)(struct ptext *t);
};
extern const struct sys_file procfs_root_files[];
extern const size_t procfs_root_nfiles;
extern const struct sys_file procfs_kernel_files[]; /* /proc/sys/kernel */
extern const size_t procfs_kernel_nfiles;

/* --- proc_proxy.c: a file reached through a link --- */
/* Makes f (a file being opened with flags) a new file of what target
 * is: f becomes a file of the (unregistered) scheme that forwards every
 * operation to target, and keeps target's reference; -EACCES (dropping
 * it) if flags ask for an access target was not opened with. */
int procfs_proxy_open(struct file *f, struct file *target, int flags);
/* file_open(path) from inside a proc: open; -ELOOP past a few such opens
 * one inside the other (links leading back into /proc). */
int procfs_open_nested(const char *path, int flags, struct file **out);
/* The same for a descriptor's file t (fd/N, tty:), opened again by its
 * path if it has one (then f forwards to the new file; t is dropped). */
int procfs_reopen(struct file *f, struct file *t, int flags);

#endif
