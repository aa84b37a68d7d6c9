/*
 * forkbomb: not a t_* test: tests/qemu/test_limits.py runs it as user
 * (uid 1000) from a login shell. It leaves the shell's session (setsid,
 * so logging out does not end it), prints "forkbomb: group N" (its process
 * group, for root to kill), and then every process forks forever: a fork
 * that fails (EAGAIN at RLIMIT_NPROC) is tried again a second later, so the
 * bomb holds all the processes it may and keeps asking for more. The
 * first process prints "forkbomb: full after N" once its first fork fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RETRY_SECONDS 1

int main(void)
{
	pid_t leader = fork();
	int forked = 0;
	bool told = false;

	if (leader < 0) {
		printf("forkbomb: fork: %s\n", strerror(errno));
		return 1;
	}
	if (leader > 0) {
		printf("forkbomb: group %d\n", leader);
		return 0;
	}
	setsid();
	leader = getpid();
	for (;;) {
		pid_t pid = fork();

		if (pid == 0)
			continue; /* the child bombs too */
		if (pid > 0) {
			forked++;
			continue;
		}
		if (getpid() == leader && !told) {
			printf("forkbomb: full after %d (%s)\n", forked, strerror(errno));
			fflush(stdout);
			told = true;
		}
		sleep(RETRY_SECONDS);
	}
}
