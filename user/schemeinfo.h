/*
 * user/schemeinfo.h: who serves a scheme, from Anode's sys:schemes ("NAME
 * PID" lines, kernel/scheme/scheme_sys.c; PID 0 for the kernel's own), for
 * init (waiting for a daemon's scheme) and the tests that kill a daemon and
 * wait for its successor. Header-only: each program is one file.
 */
#ifndef USER_SCHEMEINFO_H
#define USER_SCHEMEINFO_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define SCHEMES_LIST "sys:schemes"
#define SCHEMES_TEXT_MAX 4096 /* bytes of sys:schemes read: 32 schemes fit */

/* The pid text (a sys:schemes listing) gives for scheme; 0 if it is not
 * listed or is the kernel's. */
static inline pid_t scheme_server_in(const char *text, const char *scheme)
{
	size_t len = strlen(scheme);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (strncmp(l, scheme, len) == 0 && l[len] == ' ')
			return (pid_t)atoi(l + len + 1);
	return 0;
}

/* The pid of the daemon serving scheme now; 0 if none (or the kernel). */
static inline pid_t scheme_server(const char *scheme)
{
	char text[SCHEMES_TEXT_MAX];
	int fd = open(SCHEMES_LIST, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	return scheme_server_in(text, scheme);
}

#endif
