/*
 * drivers/initfsd/initfsd.c: initfsd's start (see initfsd.h): the archive
 * from boot:initfs, mapped read-only and checked whole, the RAM file
 * system populated from it, then initfs: and file: registered (file:
 * last, so that once it exists both do: init waits for it) and served,
 * file: by this thread and initfs: by a second.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "drivers/initfsd/initfsd.h"
#include "drivers/initfsd/initfsd_file.h"
#include "drivers/ramfs/ramfs_populate.h"

static struct initfs archive;                      /* checked, then read-only */
static struct ramfs root;                          /* file:'s tree: its thread's alone */
static struct initfsd_server initfs_server, file_server;
static int initfs_fd;                              /* initfs:'s scheme descriptor */

static void *serve_initfs(void *arg)
{
	int err = initfsd_serve(&initfs_server, initfs_fd);

	(void)arg;
	fprintf(stderr, INITFSD_NAME ": serving initfs: failed: %s\n", strerror(err));
	_exit(INITFSD_EXIT_SERVE);
}

/* boot:initfs mapped whole; its descriptor in *fd. NULL on failure (said why). */
static const void *map_archive(int *fd, size_t *size)
{
	struct stat st;
	void *p;

	*fd = open(INITFSD_ARCHIVE, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st) != 0 || st.st_size <= 0) {
		fprintf(stderr, INITFSD_NAME ": %s: %s\n", INITFSD_ARCHIVE,
			*fd < 0 || st.st_size < 0 ? strerror(errno) : "empty");
		return NULL;
	}
	*size = (size_t)st.st_size;
	p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, *fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, INITFSD_NAME ": mmap %s: %s\n", INITFSD_ARCHIVE, strerror(errno));
		return NULL;
	}
	return p;
}

int initfsd_run(void)
{
	pthread_t t;
	struct ramfs_mem mem;
	size_t size = 0;
	int archive_fd, file_fd, err;
	const void *base;

	prctl(PR_SET_NAME, INITFSD_NAME, 0, 0, 0);
	base = map_archive(&archive_fd, &size);
	if (!base)
		return INITFSD_EXIT_ARCHIVE;
	/* The kernel checked boot:initfs's CRC at boot (scheme_boot.c) and its
	 * pages are read-only: the table checks are what initfsd still needs. */
	if (initfs_open_verified(&archive, base, size) != 0) {
		fprintf(stderr, INITFSD_NAME ": %s is corrupt (bad magic, version or "
			"table): serving nothing\n", INITFSD_ARCHIVE);
		return INITFSD_EXIT_CORRUPT;
	}
	mem = initfsd_mem();
	if (ramfs_init(&root, &mem, 0) != 0 || ramfs_populate(&root, &archive) != 0) {
		fprintf(stderr, INITFSD_NAME ": out of memory populating file:\n");
		return INITFSD_EXIT_SERVE;
	}
	initfs_server = (struct initfsd_server){ .arc = &archive, .archive_fd = archive_fd };
	file_server = initfs_server;
	file_server.walk_flags = WALK_ROOTFS;
	file_server.ram = &root;
	initfs_fd = scheme_register_name(INITFSD_SCHEME_INITFS, O_CLOEXEC);
	file_fd = initfs_fd < 0 ? -1 : scheme_register_name(INITFSD_SCHEME_FILE, O_CLOEXEC);
	if (file_fd < 0) {
		fprintf(stderr, INITFSD_NAME ": registering %s: %s\n",
			initfs_fd < 0 ? INITFSD_SCHEME_INITFS : INITFSD_SCHEME_FILE, strerror(errno));
		return INITFSD_EXIT_SERVE;
	}
	err = pthread_create(&t, NULL, serve_initfs, NULL);
	if (err) {
		fprintf(stderr, INITFSD_NAME ": thread: %s\n", strerror(err));
		return INITFSD_EXIT_SERVE;
	}
	err = initfsd_serve_file(&file_server, file_fd);
	fprintf(stderr, INITFSD_NAME ": serving file: failed: %s\n", strerror(err));
	return INITFSD_EXIT_SERVE;
}
