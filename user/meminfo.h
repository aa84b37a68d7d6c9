/*
 * user/meminfo.h: reading Anode's sys:meminfo ("Key: N kB" lines), for
 * free and for the tests that check the kernel gives all memory back
 * (t_leak, t_enomem). The text is read with open/read into a static
 * buffer, so that reading it does not change the reader's own memory in
 * between two figures. Header-only: each program is one file.
 */
#ifndef USER_MEMINFO_H
#define USER_MEMINFO_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEMINFO "sys:meminfo"

static char meminfo_text[8192];

/* Reads MEMINFO into meminfo_text: 0, or the errno of the open or read
 * that failed (ENOENT: not Anode). */
static int meminfo_load(void)
{
	int fd = open(MEMINFO, O_RDONLY | O_CLOEXEC), err = 0;
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	while (len < sizeof(meminfo_text) - 1 &&
	       (n = read(fd, meminfo_text + len, sizeof(meminfo_text) - 1 - len)) != 0) {
		if (n < 0 && errno != EINTR) {
			err = errno;
			break;
		}
		if (n > 0)
			len += (size_t)n;
	}
	close(fd);
	meminfo_text[len] = '\0';
	return err;
}

/* The figure of the line "key: N kB" of the text loaded: 0 and *kb, or -1
 * if there is none. */
static int meminfo_get(const char *key, unsigned long *kb)
{
	size_t len = strlen(key);

	for (const char *line = meminfo_text; *line;) {
		if (strncmp(line, key, len) == 0 && line[len] == ':') {
			char *end;
			unsigned long v = strtoul(line + len + 1, &end, 10);
			if (end == line + len + 1)
				return -1;
			*kb = v;
			return 0;
		}
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

#endif
