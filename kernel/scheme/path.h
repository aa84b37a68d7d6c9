/*
 * kernel/scheme/path.h: turning a path into (scheme, path within the scheme).
 * Pure string work, shared with the host unit tests.
 *   "name:rest"          -> ("name", "rest")    name: [a-z0-9_.-]+, no '/'
 *   "/scheme/name/rest"  -> ("name", "rest")
 *   "/scheme", "/scheme/" -> ("scheme", ""): the directory of schemes
 *   anything else        -> ("file", absolute normalized path, using cwd)
 * File paths are normalized: "." and empty components dropped, ".."
 * removes the previous component (never above "/").
 */
#ifndef KERNEL_PATH_H
#define KERNEL_PATH_H

#include "kernel/lib/types.h"

#define PATH_MAX_LEN 1024
#define PATH_FILE_SCHEME "file"
#define PATH_SCHEME_DIR "/scheme/"
#define PATH_SCHEME_LIST "scheme" /* the scheme whose root lists the others */

/* 0, -ENAMETOOLONG if a result does not fit, -EINVAL for an empty path or
 * an invalid scheme name, -ENOENT for an empty name ("/scheme//x"). */
int path_resolve(const char *path, const char *cwd, char *scheme, size_t scheme_size,
		 char *rest, size_t rest_size);
/* The one test for a scheme prefix: the length of name if path is
 * "name:rest" with a valid name, else 0 (a ':' elsewhere, as in "sub/X:y",
 * is part of a file name). */
size_t path_scheme_prefix(const char *path);
/* Whether path means the same from any directory: it starts with "/" or
 * names its scheme. The *at() calls ignore their directory exactly for
 * these. */
bool path_is_absolute(const char *path);
/* Normalizes an absolute file path into out (see above). */
int path_normalize(const char *path, char *out, size_t out_size);

/* A redirect a scheme wrote into buf (size bytes) and answered with
 * length len (syscall/abi/scheme_proto.h): 0 if it is a non-empty path of
 * exactly len bytes, NUL-terminated within buf; -EIO otherwise (a
 * malformed reply, never trusted). */
int path_redirect_check(const char *buf, size_t size, int64_t len);
/* Whether normalized path lies strictly inside directory dir ("a/b" is
 * inside "a", "ab" is not): rename's "into its own subdirectory" test. */
bool path_is_inside(const char *dir, const char *path);

#endif
