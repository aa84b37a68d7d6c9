/*
 * threads: every thread of every process, with the schemes each process
 * serves: what busybox's ps (/bin/ps) cannot show. One line per thread:
 *   PID TID PPID UID S TIME COMMAND SERVES
 * from /proc (read as proc:, so it works before the /proc link exists):
 * proc:PID/task/TID/stat for each thread's state and CPU time,
 * proc:PID/status for the owner, proc:PID/cmdline for the command, and
 * sys:schemes ("NAME PID" per scheme) for the schemes a daemon serves.
 * A process that ends while being read is skipped. With -s only the
 * processes that serve a scheme are shown.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROC_DIR "proc:"
#define SCHEMES_FILE "sys:schemes"
#define TEXT_MAX 8192
#define SCHEMES_MAX 64
#define NAME_MAX_LEN 32
#define PATH_LEN 96
#define CMD_SHOWN 40     /* characters of the command line shown */
#define USER_HZ 100      /* the unit of /proc's times */

struct served {
	char name[NAME_MAX_LEN];
	int pid;
};

static struct served served[SCHEMES_MAX];
static int nserved;

/* path's contents, NUL-terminated (NULs inside become spaces if flat);
 * its length or -1. */
static long slurp(const char *path, char *buf, size_t size, bool flat)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, size - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	if (r < 0)
		return -1;
	for (long i = 0; flat && i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return n;
}

static void load_schemes(void)
{
	char text[TEXT_MAX], *save = NULL;

	if (slurp(SCHEMES_FILE, text, sizeof(text), false) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &save); line && nserved < SCHEMES_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		struct served *s = &served[nserved];

		if (sscanf(line, "%31s %d", s->name, &s->pid) == 2 && s->pid > 0)
			nserved++;
	}
}

static bool serves(int pid)
{
	for (int i = 0; i < nserved; i++)
		if (served[i].pid == pid)
			return true;
	return false;
}

/* From a stat line: state, ppid and CPU ticks (utime + stime); false if
 * it does not parse. */
static bool parse_stat(const char *text, char *state, int *ppid, unsigned long *ticks)
{
	const char *p = strrchr(text, ')');
	unsigned long utime, stime;

	if (!p || sscanf(p + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", state, ppid,
			 &utime, &stime) != 4)
		return false;
	*ticks = utime + stime;
	return true;
}

static void show_process(int pid)
{
	char path[PATH_LEN], text[TEXT_MAX], cmd[TEXT_MAX], comm[NAME_MAX_LEN] = "?";
	unsigned uid = 0;
	const char *u;
	struct dirent *d;
	DIR *tasks;

	snprintf(path, sizeof(path), PROC_DIR "%d/status", pid);
	if (slurp(path, text, sizeof(text), false) < 0)
		return;
	if ((u = strstr(text, "\nUid:\t")) != NULL)
		uid = (unsigned)strtoul(u + 6, NULL, 10);
	sscanf(text, "Name:\t%31s", comm);
	snprintf(path, sizeof(path), PROC_DIR "%d/cmdline", pid);
	if (slurp(path, cmd, sizeof(cmd), true) <= 0)
		snprintf(cmd, sizeof(cmd), "[%s]", comm);
	snprintf(path, sizeof(path), PROC_DIR "%d/task", pid);
	tasks = opendir(path);
	if (!tasks)
		return;
	while ((d = readdir(tasks)) != NULL) {
		int tid = atoi(d->d_name), ppid = 0;
		unsigned long ticks = 0;
		char state = '?';

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), PROC_DIR "%d/task/%d/stat", pid, tid);
		if (slurp(path, text, sizeof(text), false) < 0 || !parse_stat(text, &state, &ppid, &ticks))
			continue;
		printf("%5d %5d %5d %5u %c %4lu.%02lu %-*.*s", pid, tid, ppid, uid, state,
		       ticks / USER_HZ, ticks % USER_HZ, CMD_SHOWN, CMD_SHOWN,
		       tid == pid ? cmd : "");
		for (int i = 0; tid == pid && i < nserved; i++)
			if (served[i].pid == pid)
				printf(" %s:", served[i].name);
		printf("\n");
	}
	closedir(tasks);
}

int main(int argc, char **argv)
{
	bool only_servers = argc > 1 && strcmp(argv[1], "-s") == 0;
	struct dirent *d;
	DIR *dir;

	if (argc > 2 || (argc == 2 && !only_servers)) {
		fprintf(stderr, "usage: threads [-s]\n");
		return 2;
	}
	load_schemes();
	dir = opendir(PROC_DIR);
	if (!dir) {
		fprintf(stderr, "threads: %s: %s\n", PROC_DIR, strerror(errno));
		return 1;
	}
	printf("  PID   TID  PPID   UID S    TIME %-*s SERVES\n", CMD_SHOWN, "COMMAND");
	while ((d = readdir(dir)) != NULL) {
		int pid = isdigit((unsigned char)d->d_name[0]) ? atoi(d->d_name) : 0;

		if (pid > 0 && (!only_servers || serves(pid)))
			show_process(pid);
	}
	closedir(dir);
	return fflush(stdout) == 0 ? 0 : 1;
}
