/*
 * ls: list directory contents.
 *
 *   ls [-a] [-l] [PATH...]   no PATH: the current directory
 *
 * -a also lists names starting with '.'; -l shows the mode string and size
 * of each entry. Entries are sorted by name, one per line. Directories are
 * read with opendir/readdir (getdents64), entries stat'ed with fstatat.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int opt_all, opt_long;

struct entry {
	char *name;
	struct stat st;
	int stat_ok;
	char link[256];		/* a symbolic link's target, for -l */
};

/* "drwxr-xr-x" from st_mode. */
static void mode_string(mode_t m, char s[11])
{
	static const char rwx[] = "rwxrwxrwx";

	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (int i = 0; i < 9; i++)
		s[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	s[10] = '\0';
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

/* Digits needed to print v. */
static int digits(long long v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Print entries (sorted already); -l aligns the size column. */
static void print_entries(const struct entry *e, size_t n)
{
	int width = 1;

	for (size_t i = 0; opt_long && i < n; i++)
		if (e[i].stat_ok && digits(e[i].st.st_size) > width)
			width = digits(e[i].st.st_size);
	for (size_t i = 0; i < n; i++) {
		if (!opt_long) {
			printf("%s\n", e[i].name);
		} else if (!e[i].stat_ok) {
			printf("?????????? %*s %s\n", width, "?", e[i].name);
		} else {
			char mode[11];
			mode_string(e[i].st.st_mode, mode);
			printf("%s %*lld %s%s%s\n", mode, width,
			       (long long)e[i].st.st_size, e[i].name,
			       e[i].link[0] ? " -> " : "", e[i].link);
		}
	}
}

/* Fill e->st (and e->link) for -l; reports failures. 0 or 1 (error). */
static int stat_entry(int dirfd, const char *path, struct entry *e)
{
	if (!opt_long)
		return 0;
	if (fstatat(dirfd, path, &e->st, AT_SYMLINK_NOFOLLOW) < 0) {
		fprintf(stderr, "ls: %s: %s\n", e->name, strerror(errno));
		return 1;
	}
	e->stat_ok = 1;
	if (S_ISLNK(e->st.st_mode)) {
		ssize_t n = readlinkat(dirfd, path, e->link, sizeof(e->link) - 1);
		e->link[n > 0 ? n : 0] = '\0';
	}
	return 0;
}

/* List one directory; 0 on success, 1 after reporting an error. */
static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}

	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	int status = 0;
	struct dirent *de;

	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && !opt_all)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			struct entry *bigger = realloc(e, cap * sizeof(*e));
			if (!bigger) {
				fprintf(stderr, "ls: out of memory\n");
				status = 1;
				break;
			}
			e = bigger;
		}
		memset(&e[n], 0, sizeof(e[n]));
		e[n].name = strdup(de->d_name);
		if (!e[n].name) {
			fprintf(stderr, "ls: out of memory\n");
			status = 1;
			break;
		}
		n++;
	}
	if (!de && errno) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
	}
	qsort(e, n, sizeof(*e), by_name);
	for (size_t i = 0; i < n; i++)
		status |= stat_entry(dirfd(d), e[i].name, &e[i]);
	print_entries(e, n);
	for (size_t i = 0; i < n; i++)
		free(e[i].name);
	free(e);
	closedir(d);
	return status;
}

/*
 * List one command-line path: a directory's entries, or the file itself.
 * With several paths, each directory gets a "path:" header, after a blank
 * line unless it comes first.
 */
static int list_path(const char *path, int header, int blank)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		struct entry e = { .name = (char *)path };
		int status = stat_entry(AT_FDCWD, path, &e);
		print_entries(&e, 1);
		return status;
	}
	if (header)
		printf("%s%s:\n", blank ? "\n" : "", path);
	return list_dir(path);
}

int main(int argc, char *argv[])
{
	int opt, status = 0;

	while ((opt = getopt(argc, argv, "al")) != -1) {
		switch (opt) {
		case 'a':
			opt_all = 1;
			break;
		case 'l':
			opt_long = 1;
			break;
		default:
			fprintf(stderr, "usage: ls [-a] [-l] [PATH...]\n");
			return 2;
		}
	}
	if (optind == argc)
		return list_path(".", 0, 0);
	for (int i = optind; i < argc; i++)
		status |= list_path(argv[i], argc - optind > 1, i > optind);
	return status;
}
