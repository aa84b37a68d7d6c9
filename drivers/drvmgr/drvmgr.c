/*
 * drivers/drvmgr/drvmgr.c: the driver manager's start-up (the design is
 * in drvmgr.h). Reads the driver table (/etc/drivers.conf, drvconf.h) and
 * the device tree (sys:fdt, the blob the kernel booted with), matches
 * them (match.h), registers drvmgr:, and hands over to the supervisor.
 * Anything wrong before that (an unreadable or malformed table, a corrupt
 * tree, the scheme name taken) is reported on stderr and drvmgr exits 1
 * having started nothing.
 *
 * Usage: drvmgr [-c CONF] [-t DTB] [-n SCHEME] [-S SCALE]
 *   -c CONF    the driver table (default /etc/drivers.conf)
 *   -t DTB     a device-tree blob file instead of sys:fdt (tests)
 *   -n SCHEME  the scheme to serve (default drvmgr; tests use their own
 *              so they do not meet the system's drvmgr)
 *   -S SCALE   divide every restart-policy time by SCALE (backoff.h):
 *              for tests of the crash loop only
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drivers/drvmgr/drvmgr.h"

#define DEFAULT_CONF "/etc/drivers.conf"
#define DEFAULT_FDT "sys:fdt"
#define DEFAULT_SCHEME "drvmgr"
#define CONF_MAX (64 * 1024)		/* a driver table is a few lines */
#define FDT_MAX (4 * 1024 * 1024)	/* QEMU's virt tree is 1 MiB padded */
#define SCALE_MAX 1000000
#define DECIMAL 10
#define MS_PER_S 1000ULL
#define NS_PER_MS 1000000ULL
/* Where an absolute program path is read from: exec needs it. */
#define PROGRAM_SCHEME "file"

struct drvmgr drvmgr = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct drvconf conf;
static struct drvmatch matches[DRVMGR_MAX_DEVICES];

uint64_t drvmgr_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_S + (uint64_t)ts.tv_nsec / NS_PER_MS;
}

/* An error line's longest message; longer ones are cut. */
#define DIE_LINE_MAX 256

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	/* One write for the whole line: written in pieces (stderr is
	 * unbuffered), another program's line could land between them. */
	static const char prefix[] = "drvmgr: ";
	char line[DIE_LINE_MAX];
	size_t n = sizeof(prefix) - 1;
	va_list ap;

	memcpy(line, prefix, n);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = strlen(line);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
	exit(1);
}

/* The whole of path (fewer than max bytes) in a malloc'd buffer. One
 * allocation of max (pages are only touched as they are read): no realloc,
 * whose mremap Anode lacks. */
static char *slurp(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = malloc(max);
	size_t n = 0;
	ssize_t got = 0;

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (!buf)
		die("%s: %s", path, strerror(ENOMEM));
	while (n < max && (got = read(fd, buf + n, max - n)) > 0)
		n += (size_t)got;
	if (got < 0)
		die("%s: %s", path, strerror(errno));
	if (n == max)
		die("%s: larger than drvmgr takes (%zu bytes)", path, max);
	close(fd);
	*len = n;
	return buf;
}

/* The namespace: the table's schemes and the one exec reads the program
 * from (drvconf.h). */
static void build_ns(struct device *d)
{
	size_t n = d->drv->schemes_len;

	memcpy(d->ns, d->drv->schemes, n);
	for (size_t i = 0; i < n; i += strlen(d->ns + i) + 1)
		if (!strcmp(d->ns + i, PROGRAM_SCHEME))
			goto done;
	if (n + sizeof(PROGRAM_SCHEME) <= sizeof(d->ns)) {
		memcpy(d->ns + n, PROGRAM_SCHEME, sizeof(PROGRAM_SCHEME));
		n += sizeof(PROGRAM_SCHEME);
	}
done:
	d->ns_len = n;
}

static void add_device(const struct drvmatch *m)
{
	struct device *d = &drvmgr.dev[drvmgr.ndev++];
	const char *slash = strrchr(m->driver->program, '/');
	int a = 0;

	strcpy(d->path, m->path);
	d->drv = m->driver;
	d->name = slash ? slash + 1 : m->driver->program;
	d->argv[a++] = (char *)d->drv->program;
	for (int i = 0; i < d->drv->nargs; i++)
		d->argv[a++] = (char *)d->drv->args[i];
	d->argv[a++] = d->path;
	d->argv[a] = NULL;
	build_ns(d);
	d->state = DEV_STOPPED;
	backoff_init(&d->bo, &drvmgr.policy);
}

static void load(const char *conf_path, const char *fdt_path)
{
	struct drvconf_error err = { 0 };
	size_t conf_len, fdt_len;
	char *text = slurp(conf_path, CONF_MAX, &conf_len);
	char *blob;
	int n;

	if (drvconf_parse(text, conf_len, &conf, &err))
		die("%s: %s", conf_path, err.msg);
	free(text);
	blob = slurp(fdt_path, FDT_MAX, &fdt_len);
	n = drvmatch_scan(blob, fdt_len, &conf, matches, DRVMGR_MAX_DEVICES, &err);
	if (n == -ENOSPC)
		die("%s: %s", fdt_path, "more matching devices than drvmgr takes");
	if (n < 0)
		die("%s: %s", fdt_path, err.msg[0] ? err.msg : "not a valid device tree");
	/* The blob stays: match.h's tree (kernel/fdt.c) points into it. */
	for (int i = 0; i < n; i++) {
		if (matches[i].error)
			fprintf(stderr, "drvmgr: %s: unreadable reg or interrupts (%s); %s not started\n",
				matches[i].path, strerror(-matches[i].error), matches[i].driver->program);
		else
			add_device(&matches[i]);
	}
}

static unsigned parse_scale(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, DECIMAL);

	if (!*s || *end || v == 0 || v > SCALE_MAX)
		die("-S %s: %s", s, "not a scale from 1 to 1000000");
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	const char *conf_path = DEFAULT_CONF, *fdt_path = DEFAULT_FDT, *scheme = DEFAULT_SCHEME;
	unsigned scale = 1;
	sigset_t block;
	int opt, fd, err;

	while ((opt = getopt(argc, argv, "c:t:n:S:")) != -1) {
		switch (opt) {
		case 'c': conf_path = optarg; break;
		case 't': fdt_path = optarg; break;
		case 'n': scheme = optarg; break;
		case 'S': scale = parse_scale(optarg); break;
		default:
			fprintf(stderr, "usage: drvmgr [-c CONF] [-t DTB] [-n SCHEME] [-S SCALE]\n");
			return 1;
		}
	}
	if (optind != argc)
		die("%s: %s", argv[optind], "unexpected argument");
	drvmgr.policy = backoff_policy_scaled(scale);
	load(conf_path, fdt_path);
	/* Blocked in every thread; the supervisor lets them in only in ppoll. */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	if (pipe2(drvmgr.wake, O_CLOEXEC | O_NONBLOCK))
		die("pipe: %s", strerror(errno));
	fd = drvmgr_serve_register(scheme);
	if (fd < 0)
		die("scheme %s: %s", scheme, strerror(errno));
	err = drvmgr_serve_start();
	if (err)
		die("scheme thread: %s", strerror(err));
	fprintf(stderr, "drvmgr: serving %s: with %d device%s\n", scheme, drvmgr.ndev,
		drvmgr.ndev == 1 ? "" : "s");
	return drvmgr_supervise();
}
