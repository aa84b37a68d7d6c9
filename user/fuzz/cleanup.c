/*
 * user/fuzz/cleanup.c: removes what the workers left in the file system:
 * the tree below FUZZ_ROOT (whatever its modes became: fchmodat is random
 * too, so each directory is made 0700 before it is read) and the entries
 * of FUZZ_ROOT's parent that the fuzzing user owns ("../x" reaches it).
 * The memory check at the end counts the file system's memory too.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define PASSES_MAX 64 /* listings of one directory before giving up */

static int remove_at(int dirfd, const char *name, int only_own);

/* Removes every entry of the directory open as fd (that the user owns, if
 * only_own); listed again after each removal pass, since removing entries
 * while reading the listing may skip some. */
static int empty_dir(int fd, int only_own)
{
	DIR *d = fdopendir(fd);

	if (!d) {
		close(fd);
		return -1;
	}
	for (int pass = 0, removed = 1; removed && pass < PASSES_MAX; pass++) {
		struct dirent *e;

		removed = 0;
		rewinddir(d);
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if (remove_at(dirfd(d), e->d_name, only_own) == 1)
				removed++;
		}
	}
	closedir(d);
	return 0;
}

/* 1 if name (below dirfd) was removed, 0 if skipped, -1 on failure. */
static int remove_at(int dirfd, const char *name, int only_own)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (only_own && st.st_uid != getuid())
		return 0;
	if (S_ISDIR(st.st_mode)) {
		int fd;

		fchmodat(dirfd, name, S_IRWXU, 0);
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || empty_dir(fd, 0) != 0)
			return -1;
	}
	if (unlinkat(dirfd, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) != 0) {
		printf("fuzz: cleanup: removing %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 1;
}

int cleanup_tree(const char *path)
{
	char parent[64];
	const char *slash = strrchr(path, '/');
	int fd;

	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	fd = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		printf("fuzz: cleanup: opening %s: %s\n", parent, strerror(errno));
		return -1;
	}
	return empty_dir(fd, 1) == 0 && access(path, F_OK) != 0 ? 0 : -1;
}
