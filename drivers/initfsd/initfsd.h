/*
 * drivers/initfsd/initfsd.h: initfsd, the daemon serving the boot archive's
 * files: `initfs:`, the archive read-only (open, read, seek and size,
 * fstat, getdents with "." and "..", fmap, readlink, close), and `file:`,
 * the root file system: a RAM file system (drivers/ramfs) populated from
 * the archive and writable everywhere the modes allow. Its changes live
 * in memory and are lost at power-off.
 *
 * It is a library linked into init (user/init.c), which forks a child and
 * calls initfsd_run in it; init re-forks it at once when it dies. The
 * archive comes from the kernel's `boot:initfs` (kernel/scheme/boot.h),
 * mapped read-only; the parser is the kernel's own pure C reader
 * (kernel/scheme/initfs.c, compiled into init), which checks the whole
 * archive before anything is served. File data is page aligned in the
 * archive (kernel/scheme/initfs_format.h), so fmap hands out the archive's
 * pages themselves and exec maps programs without copying them.
 *
 * Each scheme is served by its own thread with its own handle table
 * (handle ids are per scheme), so the threads share only the read-only
 * archive and need no lock: file:'s tree is its thread's alone. Files
 * not yet changed point at the archive's pages, so exec and read-only
 * mappings still use them without a copy.
 */
#ifndef DRIVERS_INITFSD_H
#define DRIVERS_INITFSD_H

#define INITFSD_NAME "initfsd"          /* the process name (prctl PR_SET_NAME) */
#define INITFSD_ARCHIVE "boot:initfs"   /* where the archive comes from */
#define INITFSD_SCHEME_INITFS "initfs"
#define INITFSD_SCHEME_FILE "file"

/* Exit statuses of initfsd_run, so that init's log says what went wrong. */
#define INITFSD_EXIT_ARCHIVE 2  /* boot:initfs cannot be opened or mapped */
#define INITFSD_EXIT_CORRUPT 3  /* the archive fails its checks */
#define INITFSD_EXIT_SERVE 4    /* registering or serving a scheme failed */

/* Maps and checks the archive, registers initfs: and file:, and serves
 * them; returns only on failure, the exit status to use (after printing
 * why on stderr). */
int initfsd_run(void);

#endif
