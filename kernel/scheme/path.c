/*
 * kernel/scheme/path.c: path to (scheme, path) resolution (see path.h).
 * /dev is no special case: its nodes are symbolic links in the root file
 * system (to /scheme/null, /scheme/serial/0...), which its daemon answers
 * with redirects (syscall/abi/scheme_proto.h).
 */
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/libc/word_at_a_time.h"
#include <string.h>

/* A string literal's length, known at compile time: -ffreestanding makes
 * strlen() a real call even on a literal, and path_resolve runs on every
 * path operation. */
#define LIT_LEN(lit) (sizeof(lit) - 1)

static bool scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int copy_str(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return -ENAMETOOLONG;
	/* The builtin: inlined where len is a literal's (-ffreestanding
	 * makes every plain memcpy a call), a call otherwise. */
	__builtin_memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/* The first '/' or NUL at or after path[from]: one aligned word at a
 * time, so a load never crosses a page (nor the string's allocation's
 * last word) and may read bytes past the NUL, which is why ASan is told
 * not to look (host tests). Bytes below from in the first word are set to
 * 0xff, neither '/' nor NUL, so they flag nothing and borrow nothing. A
 * byte is NUL where the word has a zero byte, '/' where the word XORed
 * with '/' in every byte has one; the lowest flagged byte of each test is
 * exact (a borrow only flags bytes above a zero), and AArch64 is
 * little-endian, so the lowest of either is the first. */
__attribute__((no_sanitize_address))
static size_t next_slash_or_nul(const char *path, size_t from)
{
	const uint64_t slashes = WORD_ONES * (uint64_t)'/';
	size_t skip = ((uintptr_t)path + from) % WORD_BYTES;
	const char *wp = path + from - skip;
	uint64_t w;

	/* The builtin: -ffreestanding would make memcpy a call. */
	__builtin_memcpy(&w, wp, sizeof(w));
	w |= (1ULL << (8 * skip)) - 1;
	for (;;) {
		uint64_t s = w ^ slashes;
		uint64_t hit = ((w - WORD_ONES) & ~w & WORD_HIGHS) |
			       ((s - WORD_ONES) & ~s & WORD_HIGHS);

		if (hit)
			return (size_t)(wp - path) + (size_t)__builtin_ctzll(hit) / 8;
		wp += WORD_BYTES;
		__builtin_memcpy(&w, wp, sizeof(w));
	}
}

/* path's length if it is already in the form path_normalize gives
 * (absolute, every '/' followed by a component that is neither empty, "."
 * nor "..", no '/' at the end but the root's), else NOT_NORMAL: one pass
 * that measures as it checks. Most paths are normal: they are then copied
 * whole instead of a byte at a time. */
#define NOT_NORMAL ((size_t)-1)

static size_t normal_len(const char *path)
{
	size_t i = 0; /* path[i] is a '/' */

	if (path[0] != '/')
		return NOT_NORMAL;
	if (path[1] == '\0')
		return 1;
	for (;;) {
		const char *c = path + i + 1; /* the component after it */

		/* Each test reads on only past a byte that is not NUL. */
		if (c[0] == '\0' || c[0] == '/')
			return NOT_NORMAL;
		if (c[0] == '.' && (c[1] == '\0' || c[1] == '/' ||
				    (c[1] == '.' && (c[2] == '\0' || c[2] == '/'))))
			return NOT_NORMAL;
		i = next_slash_or_nul(path, i + 2);
		if (path[i] == '\0')
			return i;
	}
}

/* One pass, a byte at a time: a component is copied as it is scanned
 * (the length checks are the same as a whole component's would be: each
 * byte needs room for itself and the final NUL). A path already normal is
 * copied whole, with the same length check. */
int path_normalize(const char *path, char *out, size_t out_size)
{
	size_t o = 0, len = normal_len(path);

	if (out_size < 2)
		return -ENAMETOOLONG;
	if (len != NOT_NORMAL) {
		if (len + 1 > out_size)
			return -ENAMETOOLONG;
		memcpy(out, path, len + 1);
		return 0;
	}
	out[o++] = '/';
	for (;;) {
		while (*path == '/')
			path++;
		if (*path == '\0')
			break;
		if (path[0] == '.' && (path[1] == '/' || path[1] == '\0')) {
			path++;
			continue;
		}
		if (path[0] == '.' && path[1] == '.' && (path[2] == '/' || path[2] == '\0')) {
			/* Drop the last component, never the root. */
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			path += 2;
			continue;
		}
		if (o > 1) {
			if (o + 1 >= out_size)
				return -ENAMETOOLONG;
			out[o++] = '/';
		}
		for (; *path != '\0' && *path != '/'; path++) {
			if (o + 1 >= out_size)
				return -ENAMETOOLONG;
			out[o++] = *path;
		}
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
	size_t n = LIT_LEN(PATH_SCHEME_DIR) - 1; /* "/scheme" without its '/' */

	if (strncmp(path, PATH_SCHEME_DIR, n) != 0)
		return false;
	for (path += n; *path == '/'; path++)
		;
	return *path == '\0';
}

/* Both /scheme forms start as PATH_SCHEME_DIR does ("/s"): most paths
 * skip their comparisons on two bytes (path is not empty). */
static bool maybe_scheme_dir(const char *path)
{
	return path[0] == PATH_SCHEME_DIR[0] && path[1] == PATH_SCHEME_DIR[1];
}

bool path_is_absolute(const char *path)
{
	return path[0] == '/' || path_scheme_prefix(path) != 0;
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
	if (maybe_scheme_dir(path) && scheme_list_path(path)) {
		int err = copy_str(scheme, scheme_size, PATH_SCHEME_LIST, LIT_LEN(PATH_SCHEME_LIST));

		return err ? err : copy_str(rest, rest_size, "", 0);
	}
	if (maybe_scheme_dir(path) && strncmp(path, PATH_SCHEME_DIR, LIT_LEN(PATH_SCHEME_DIR)) == 0) {
		const char *name = path + LIT_LEN(PATH_SCHEME_DIR), *end = name;
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
		int err = copy_str(scheme, scheme_size, PATH_FILE_SCHEME, LIT_LEN(PATH_FILE_SCHEME));
		char joined[PATH_MAX_LEN * 2];
		size_t clen, plen;

		if (err)
			return err;
		if (path[0] == '/') {
			err = path_normalize(path, rest, rest_size);
		} else {
			plen = strlen(path);
			clen = strlen(cwd ? cwd : "/");
			if (clen + 1 + plen >= sizeof(joined))
				return -ENAMETOOLONG;
			memcpy(joined, cwd ? cwd : "/", clen);
			joined[clen] = '/';
			memcpy(joined + clen + 1, path, plen + 1);
			err = path_normalize(joined, rest, rest_size);
		}
		return err;
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
