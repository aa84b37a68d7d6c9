/*
 * ps: list the threads the kernel runs, from sys:context.
 *
 * sys:context is text: a header line (PID PPID NAME STATE CPU_MS MEM_KB)
 * then one line per thread, fields separated by spaces. ps prints the same
 * table with its columns aligned: numeric columns to the right, the others
 * to the left.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CONTEXT_FILE "sys:context"
#define MAX_COLS 16
#define MAX_ROWS 1024

static char text[128 * 1024];

struct table {
	char *cell[MAX_ROWS][MAX_COLS];
	int ncols[MAX_ROWS];
	int rows, cols;
};

static struct table table;

/* Read the whole file into text (NUL-terminated); its length, or -1. */
static ssize_t read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, text + len, sizeof(text) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = errno;
			close(fd);
			text[len] = '\0';
			errno = err;
			return n < 0 ? -1 : (ssize_t)len;
		}
		len += (size_t)n;
		if (len == sizeof(text) - 1) {
			close(fd);
			text[len] = '\0';
			return (ssize_t)len;
		}
	}
}

/* Split s (modified in place) into lines of space-separated fields. */
static void parse(char *s, struct table *t)
{
	t->rows = t->cols = 0;
	for (char *line = strtok(s, "\n"); line && t->rows < MAX_ROWS;
	     line = strtok(NULL, "\n")) {
		int n = 0;
		for (char *p = line; *p && n < MAX_COLS;) {
			while (*p == ' ' || *p == '\t')
				*p++ = '\0';
			if (!*p)
				break;
			t->cell[t->rows][n++] = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
		}
		if (n == 0)
			continue;
		t->ncols[t->rows++] = n;
		if (n > t->cols)
			t->cols = n;
	}
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Print t with each column as wide as its widest cell. Row 0 is the header. */
static void print_table(const struct table *t)
{
	int width[MAX_COLS] = { 0 }, right[MAX_COLS];

	for (int c = 0; c < t->cols; c++) {
		right[c] = t->rows > 1;
		for (int r = 0; r < t->rows; r++) {
			if (c >= t->ncols[r])
				continue;
			int w = (int)strlen(t->cell[r][c]);
			if (w > width[c])
				width[c] = w;
			if (r > 0 && !is_number(t->cell[r][c]))
				right[c] = 0;
		}
	}
	for (int r = 0; r < t->rows; r++) {
		for (int c = 0; c < t->ncols[r]; c++) {
			int last = c == t->ncols[r] - 1;
			if (c > 0)
				putchar(' ');
			if (right[c])
				printf("%*s", width[c], t->cell[r][c]);
			else
				printf("%-*s", last ? 0 : width[c], t->cell[r][c]);
		}
		putchar('\n');
	}
}

int main(void)
{
	if (read_file(CONTEXT_FILE) < 0) {
		fprintf(stderr, "ps: %s: %s\n", CONTEXT_FILE, strerror(errno));
		return 1;
	}
	parse(text, &table);
	print_table(&table);
	return fflush(stdout) == 0 ? 0 : 1;
}
