/*
 * tests/user/check_fs.h: what the file-system tests that check answers
 * after the tree changed share (t_pathcache, t_statcache): making a file
 * with given bytes and mode, and running a check as another user. Include
 * after check.h (its CHECK and TEST_NAME); header-only, as check.h.
 */
#ifndef TESTS_USER_CHECK_FS_H
#define TESTS_USER_CHECK_FS_H

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* path holds text, with mode whatever the umask. */
static inline void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write %s", path);
	CHECK(close(fd) == 0, "close %s", path);
	CHECK(chmod(path, mode) == 0, "chmod %s: %s", path, strerror(errno));
}

/* Runs fn as uid (and gid uid) in a child; fails unless its checks passed. */
static inline void as_user(uid_t uid, void (*fn)(void), const char *what)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		CHECK(setgid(uid) == 0 && setuid(uid) == 0, "setuid %d: %s", (int)uid,
		      strerror(errno));
		fn();
		exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: child status %#x", what, status);
}

#endif
