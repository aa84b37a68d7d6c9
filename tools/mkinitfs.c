/*
 * tools/mkinitfs.c: packs a directory tree into an initfs archive
 * (kernel/scheme/initfs_format.h), or lists one.
 *
 *   mkinitfs [-o OWNERS] OUT.img DIR
 *                          pack DIR's directories, regular files and
 *                          symbolic links into OUT.img; DIR itself becomes
 *                          the root
 *   mkinitfs -l IMG        check IMG with the kernel's reader and list it:
 *                          mode (octal), uid, gid, size, path (and
 *                          "-> target" for a link); depth first, by name
 *
 * Permission bits (rwx, setuid, setgid, sticky) are kept, so executables
 * stay executable; link targets are kept as written. Nothing else about
 * the host is: no times or inode numbers, and no owners (the build runs
 * unprivileged): every entry is 0:0 except those the OWNERS file names, a
 * line "UID GID PATH" each (PATH from the root, "" not allowed: use "."
 * for the root; blank lines and lines starting with '#' are skipped).
 * Entries are sorted, so the same tree always gives the same bytes.
 * Devices, FIFOs and sockets are refused (exit status 1, naming the
 * file), as are names or paths too long for the format and OWNERS lines
 * that are malformed or name no entry. The archive is written to OUT.img.tmp and renamed, so OUT.img is
 * never left half-written. Exit status: 0 done, 1 error, 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/scheme/initfs.h"
#include "tools/initfs_write.h"

static const char *prog = "mkinitfs";

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

/* The whole of regular file path; a symbolic link is refused if nofollow
 * (a tree entry must be read as it was lstat'ed). */
static int read_file(const char *path, bool nofollow, uint8_t **data, size_t *size)
{
	int fd = open(path, O_RDONLY | (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	size_t done = 0;
	uint8_t *buf;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n <= 0) {
			if (n == 0)
				errno = EIO;	/* the file shrank under us */
			free(buf);
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	close(fd);
	*data = buf;
	*size = done;
	return 0;
}

/* Adds the contents of host directory dir as archive directory arc ("" = root). */
static int add_tree(struct initfs_writer *w, const char *dir, const char *arc)
{
	char **names = NULL;
	size_t count = 0, cap = 0;
	struct dirent *d;
	DIR *dp = opendir(dir);
	int ret = 0;

	if (dp == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return -1;
	}
	/* Sorted, only so that errors are reported in a stable order. */
	while ((errno = 0, d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 32;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL) {
				fprintf(stderr, "%s: out of memory\n", prog);
				exit(1);
			}
		}
		names[count] = strdup(d->d_name);
		if (names[count++] == NULL) {
			fprintf(stderr, "%s: out of memory\n", prog);
			exit(1);
		}
	}
	if (errno != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		ret = -1;
	}
	closedir(dp);
	if (count > 0)
		qsort(names, count, sizeof(*names), name_cmp);

	for (size_t i = 0; i < count && ret == 0; i++) {
		char *host = join(dir, names[i]);
		char *path = arc[0] ? join(arc, names[i]) : strdup(names[i]);
		uint32_t perm;
		struct stat st;
		int err = 0;

		if (path == NULL) {
			fprintf(stderr, "%s: out of memory\n", prog);
			exit(1);
		}
		if (lstat(host, &st) != 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, host, strerror(errno));
			ret = -1;
			goto next;
		}
		perm = st.st_mode & INITFS_S_IPERM;
		if (S_ISDIR(st.st_mode)) {
			err = initfs_writer_add_dir(w, path, perm);
			if (err == 0 && add_tree(w, host, path) != 0)
				ret = -1;
		} else if (S_ISREG(st.st_mode)) {
			uint8_t *data;
			size_t size;

			if (read_file(host, true, &data, &size) != 0) {
				fprintf(stderr, "%s: %s: %s\n", prog, host, strerror(errno));
				ret = -1;
				goto next;
			}
			err = initfs_writer_add_file(w, path, perm, data, size);
			free(data);
		} else if (S_ISLNK(st.st_mode)) {
			static char target[INITFS_PATH_MAX];
			ssize_t n = readlink(host, target, sizeof(target));

			if (n < 0 || n == (ssize_t)sizeof(target)) {
				fprintf(stderr, "%s: %s: %s\n", prog, host,
					n < 0 ? strerror(errno) : "link target too long");
				ret = -1;
				goto next;
			}
			target[n] = '\0';
			err = initfs_writer_add_symlink(w, path, target);
		} else {
			fprintf(stderr, "%s: %s: special files are not supported (only regular "
				"files, directories and symbolic links)\n", prog, host);
			ret = -1;
			goto next;
		}
		if (err != 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, host,
				err == -EINVAL ? "name not allowed in an initfs" : strerror(-err));
			ret = -1;
		}
next:
		free(host);
		free(path);
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	return ret;
}

static int write_all(const char *out, const uint8_t *buf, size_t size)
{
	char *tmp = malloc(strlen(out) + 5);
	size_t done = 0;
	int fd;

	if (tmp == NULL)
		return -1;
	strcpy(tmp, out);
	strcat(tmp, ".tmp");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		goto fail;
	while (done < size) {
		ssize_t n = write(fd, buf + done, size - done);

		if (n < 0) {
			close(fd);
			unlink(tmp);
			goto fail;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0 || rename(tmp, out) != 0) {
		unlink(tmp);
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	fprintf(stderr, "%s: %s: %s\n", prog, tmp, strerror(errno));
	free(tmp);
	return -1;
}

/* Applies the OWNERS file (see the top): 0, or -1 having said why. */
static int apply_owners(struct initfs_writer *w, const char *owners)
{
	char line[INITFS_PATH_MAX + 64], path[INITFS_PATH_MAX];
	FILE *f = fopen(owners, "r");
	unsigned lineno = 0;
	int ret = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, owners, strerror(errno));
		return -1;
	}
	while (ret == 0 && fgets(line, sizeof(line), f) != NULL) {
		unsigned long uid, gid;
		int err, used = 0;

		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\n")] == '\0')
			continue;
		if (sscanf(line, "%lu %lu %4095s %n", &uid, &gid, path, &used) != 3 ||
		    line[used] != '\0' || uid > UINT32_MAX || gid > UINT32_MAX) {
			fprintf(stderr, "%s: %s:%u: expected \"UID GID PATH\"\n", prog, owners, lineno);
			ret = -1;
			break;
		}
		err = initfs_writer_chown(w, strcmp(path, ".") == 0 ? "" : path, (uint32_t)uid,
					  (uint32_t)gid);
		if (err != 0) {
			fprintf(stderr, "%s: %s:%u: %s: %s\n", prog, owners, lineno, path,
				strerror(-err));
			ret = -1;
		}
	}
	fclose(f);
	return ret;
}

static int pack(const char *out, const char *dir, const char *owners)
{
	struct initfs_writer *w;
	struct stat st;
	uint8_t *img;
	size_t size;
	int err;

	if (stat(dir, &st) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: not a directory\n", prog, dir);
		return 1;
	}
	w = initfs_writer_new(st.st_mode & INITFS_S_IPERM);
	if (w == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	if (add_tree(w, dir, "") != 0 || (owners != NULL && apply_owners(w, owners) != 0)) {
		initfs_writer_free(w);
		return 1;
	}
	err = initfs_writer_finish(w, &img, &size);
	initfs_writer_free(w);
	if (err != 0) {
		fprintf(stderr, "%s: %s: cannot build the archive: %s\n", prog, out, strerror(-err));
		return 1;
	}
	err = write_all(out, img, size);
	free(img);
	return err != 0;
}

static void print_entry(const struct initfs_stat *st, const char *path)
{
	printf("%06o %5u %5u %10llu %s", (unsigned)st->mode, (unsigned)st->uid,
	       (unsigned)st->gid, (unsigned long long)st->size, path);
	if ((st->mode & INITFS_S_IFMT) == INITFS_S_IFLNK)
		printf(" -> %.*s", (int)st->size, (const char *)st->data);
	putchar('\n');
}

/* path has room for INITFS_PATH_MAX + 1 bytes: '/' and a path the format allows. */
static void list_dir(const struct initfs *fs, uint32_t dir, char *path, size_t len)
{
	struct initfs_stat st;
	const char *name;
	uint32_t cursor = 0;

	while (initfs_readdir(fs, dir, &cursor, &name, &st) == 1) {
		size_t n = strlen(name);

		/* The format keeps paths under INITFS_PATH_MAX, but the reader
		 * only checks each name: an archive not from mkinitfs may nest
		 * deeper. */
		if (len + 1 + n + 1 > INITFS_PATH_MAX + 1) {
			fprintf(stderr, "%s: %.40s...: path too long, not listed\n", prog, path);
			continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, name, n + 1);
		print_entry(&st, path);
		if ((st.mode & INITFS_S_IFMT) == INITFS_S_IFDIR)
			list_dir(fs, st.index, path, len + 1 + n);
	}
	path[len] = '\0';
}

static int list(const char *img)
{
	static char path[INITFS_PATH_MAX + 1];
	struct initfs fs;
	struct initfs_stat root;
	uint8_t *buf;
	size_t size;

	if (read_file(img, false, &buf, &size) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, img, strerror(errno));
		return 1;
	}
	if (initfs_open(&fs, buf, size) != 0) {
		fprintf(stderr, "%s: %s: not a valid initfs archive\n", prog, img);
		free(buf);
		return 1;
	}
	initfs_stat_index(&fs, INITFS_ROOT, &root);
	print_entry(&root, "/");
	list_dir(&fs, INITFS_ROOT, path, 0);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 0 && argv[0][0] != '\0')
		prog = argv[0];
	if (argc == 3 && strcmp(argv[1], "-l") == 0)
		return list(argv[2]);
	if (argc == 3 && argv[1][0] != '-')
		return pack(argv[1], argv[2], NULL);
	if (argc == 5 && strcmp(argv[1], "-o") == 0 && argv[3][0] != '-')
		return pack(argv[3], argv[4], argv[2]);
	fprintf(stderr, "usage: %s [-o OWNERS] OUT.img DIR    pack DIR into OUT.img\n"
		"       %s -l IMG                      list IMG\n", prog, prog);
	return 2;
}
