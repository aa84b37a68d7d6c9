/*
 * kernel/scheme/path.c: path to (scheme, path) resolution (see path.h).
 */
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include <string.h>

static bool scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int copy_str(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

int path_normalize(const char *path, char *out, size_t out_size)
{
	size_t o = 0;

	if (out_size < 2)
		return -ENAMETOOLONG;
	out[o++] = '/';
	while (*path) {
		const char *comp;
		size_t len;

		while (*path == '/')
			path++;
		comp = path;
		while (*path && *path != '/')
			path++;
		len = (size_t)(path - comp);
		if (len == 0 || (len == 1 && comp[0] == '.'))
			continue;
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			/* Drop the last component, never the root. */
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1) {
			if (o + 1 >= out_size)
				return -ENAMETOOLONG;
			out[o++] = '/';
		}
		if (o + len >= out_size)
			return -ENAMETOOLONG;
		memcpy(out + o, comp, len);
		o += len;
	}
	out[o] = '\0';
	return 0;
}

size_t path_scheme_prefix(const char *path)
{
	size_t n = 0;

	while (scheme_char(path[n]))
		n++;
	return (n > 0 && path[n] == ':') ? n : 0;
}

/* "/scheme" with nothing but slashes after it: the directory of schemes. */
static bool scheme_list_path(const char *path)
{
	size_t n = strlen(PATH_SCHEME_DIR) - 1; /* "/scheme" without its '/' */

	if (strncmp(path, PATH_SCHEME_DIR, n) != 0)
		return false;
	for (path += n; *path == '/'; path++)
		;
	return *path == '\0';
}

bool path_is_absolute(const char *path)
{
	return path[0] == '/' || path_scheme_prefix(path) != 0;
}

/*
 * The device nodes programs open by name (busybox's shell gives a
 * background job /dev/null as stdin), until /dev is a file system of its
 * own: each is a path in a scheme. The terminals name the serial daemon's
 * first port (drivers/pl011d) once that scheme is served, and the kernel's
 * debug: console before (early boot, or a system without the daemon).
 */
#define DEV_SERIAL_SCHEME "serial"
#define DEV_SERIAL_CONSOLE "0"
#define DEV_EARLY_CONSOLE "debug"

static const struct {
	const char *path, *scheme, *rest;
	const char *fallback; /* the scheme while `scheme` is not served; NULL: none */
} dev_nodes[] = {
	{ "/dev/null", "null", "", NULL },
	{ "/dev/zero", "zero", "", NULL },
	{ "/dev/console", DEV_SERIAL_SCHEME, DEV_SERIAL_CONSOLE, DEV_EARLY_CONSOLE },
	{ "/dev/tty", DEV_SERIAL_SCHEME, DEV_SERIAL_CONSOLE, DEV_EARLY_CONSOLE },
	{ "/dev/ttyAMA0", DEV_SERIAL_SCHEME, DEV_SERIAL_CONSOLE, DEV_EARLY_CONSOLE },
};

/* A normalized file path that names a device node: its scheme and path. */
static int dev_node(const char *rest, char *scheme, size_t scheme_size, char *out, size_t out_size)
{
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		const char *s = dev_nodes[i].scheme, *r = dev_nodes[i].rest;
		int err;

		if (strcmp(rest, dev_nodes[i].path) != 0)
			continue;
		if (dev_nodes[i].fallback && !path_scheme_live(s)) {
			s = dev_nodes[i].fallback;
			r = "";
		}
		err = copy_str(scheme, scheme_size, s, strlen(s));
		return err ? err : copy_str(out, out_size, r, strlen(r));
	}
	return 0;
}

int path_resolve(const char *path, const char *cwd, char *scheme, size_t scheme_size,
		 char *rest, size_t rest_size)
{
	size_t n;

	if (!path || !*path)
		return -EINVAL;
	n = path_scheme_prefix(path);
	if (n) {
		int err = copy_str(scheme, scheme_size, path, n);

		return err ? err : copy_str(rest, rest_size, path + n + 1, strlen(path + n + 1));
	}
	if (scheme_list_path(path)) {
		int err = copy_str(scheme, scheme_size, PATH_SCHEME_LIST, strlen(PATH_SCHEME_LIST));

		return err ? err : copy_str(rest, rest_size, "", 0);
	}
	if (strncmp(path, PATH_SCHEME_DIR, strlen(PATH_SCHEME_DIR)) == 0) {
		const char *name = path + strlen(PATH_SCHEME_DIR), *end = name;
		int err;

		while (*end && *end != '/')
			end++;
		if (end == name)
			return -ENOENT;
		for (const char *c = name; c < end; c++)
			if (!scheme_char(*c))
				return -EINVAL;
		err = copy_str(scheme, scheme_size, name, (size_t)(end - name));
		if (err)
			return err;
		if (*end == '/')
			end++;
		return copy_str(rest, rest_size, end, strlen(end));
	}
	{
		int err = copy_str(scheme, scheme_size, PATH_FILE_SCHEME, strlen(PATH_FILE_SCHEME));
		char joined[PATH_MAX_LEN * 2];
		size_t clen, plen = strlen(path);

		if (err)
			return err;
		if (path[0] == '/') {
			err = path_normalize(path, rest, rest_size);
		} else {
			clen = strlen(cwd ? cwd : "/");
			if (clen + 1 + plen >= sizeof(joined))
				return -ENAMETOOLONG;
			memcpy(joined, cwd ? cwd : "/", clen);
			joined[clen] = '/';
			memcpy(joined + clen + 1, path, plen + 1);
			err = path_normalize(joined, rest, rest_size);
		}
		return err ? err : dev_node(rest, scheme, scheme_size, rest, rest_size);
	}
}

int path_redirect_check(const char *buf, size_t size, int64_t len)
{
	if (len <= 0 || (uint64_t)len >= size)
		return -EIO;
	if (buf[len] != '\0' || memchr(buf, '\0', (size_t)len) != NULL)
		return -EIO;
	return 0;
}

bool path_is_inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	/* The root ("" or "/") holds every other path. */
	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (n == 0)
		return path[0] != '\0' && strcmp(path, "/") != 0;
	return strncmp(dir, path, n) == 0 && path[n] == '/';
}
