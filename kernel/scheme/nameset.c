/*
 * kernel/scheme/nameset.c: sets of scheme names (see nameset.h).
 */
#include "kernel/scheme/nameset.h"
#include "kernel/lib/errno.h"
#include <string.h>

/* The characters of a scheme name, as path.c accepts them in "name:". */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

bool nameset_contains(const struct nameset *s, const char *name)
{
	for (int i = 0; i < s->count; i++)
		if (strcmp(s->names[i], name) == 0)
			return true;
	return false;
}

int nameset_parse(struct nameset *out, const char *buf, size_t len)
{
	size_t pos = 0;

	if (len > NAMESET_BUF_MAX)
		return -EINVAL;
	out->count = 0;
	while (pos < len) {
		size_t n = 0;

		while (pos + n < len && buf[pos + n] != '\0') {
			if (!name_char(buf[pos + n]))
				return -EINVAL;
			n++;
		}
		/* Empty, unterminated or too long. */
		if (n == 0 || pos + n == len || n >= NAMESET_NAME_MAX)
			return -EINVAL;
		if (!nameset_contains(out, buf + pos)) {
			if (out->count == NAMESET_MAX)
				return -EINVAL;
			memcpy(out->names[out->count++], buf + pos, n + 1);
		}
		pos += n + 1;
	}
	return 0;
}

void nameset_intersect(struct nameset *out, const struct nameset *a, const struct nameset *b)
{
	int count = 0;

	/* Writing out->names[count] never overtakes reading a->names[i]
	 * (count <= i), so out may be a (memmove: then they may be one). */
	for (int i = 0; i < a->count; i++)
		if (nameset_contains(b, a->names[i]))
			memmove(out->names[count++], a->names[i], NAMESET_NAME_MAX);
	out->count = count;
}
