/*
 * drivers/drvmgr/drvmgr_serve.c: the drvmgr: scheme, served on a thread of
 * its own (drvmgr.h) with user/libscheme.h.
 *
 *   open "" or "list"     (any access mode; anything else: ENOENT)
 *   read                  the device table, one line per device:
 *                             NODE-PATH DRIVER PID STATE RESTARTS
 *                         PID "-" when none runs; STATE running, backoff,
 *                         failed or stopped; RESTARTS how many times it
 *                         was started again. A read at offset 0 takes a
 *                         fresh snapshot; later offsets read that one, so
 *                         a reader sees a consistent table.
 *   write "restart NAME"  (one command, newline optional) restarts the
 *                         devices whose node path or driver name is NAME:
 *                         a running driver is killed (SIGKILL) and started
 *                         again at once, one in back-off or failed starts
 *                         now with its failure and back-off forgotten. The
 *                         reply comes once flagged, before the restart:
 *                         EINVAL for another command, ENOENT for no such
 *                         device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drivers/drvmgr/drvmgr.h"
#include "user/libscheme.h"

#define MAX_HANDLES 64
#define CMD_MAX 256
#define OPEN_PATH_MAX 16
#define RESTART_CMD "restart "
/* One line: the path, a driver name, a pid, a state and a count. */
#define LINE_MAX (DRVMATCH_PATH_MAX + DRVCONF_PATH_MAX + 48)
#define TABLE_MAX (DRVMGR_MAX_DEVICES * LINE_MAX)

static const char *const state_names[] = {
	[DEV_RUNNING] = "running", [DEV_BACKOFF] = "backoff",
	[DEV_FAILED] = "failed", [DEV_STOPPED] = "stopped",
};

/* An open descriptor: its snapshot of the table (NULL before a read). */
struct handle {
	bool used;
	char *text;
	size_t len;
};

/* Only the scheme thread touches these. */
static struct handle handles[MAX_HANDLES];
static struct scheme_server srv;

size_t drvmgr_format(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	pthread_mutex_lock(&drvmgr.lock);
	for (int i = 0; i < drvmgr.ndev && len < size; i++) {
		const struct device *d = &drvmgr.dev[i];
		char pid[16] = "-";
		int n;

		if (d->pid)
			snprintf(pid, sizeof(pid), "%d", (int)d->pid);
		n = snprintf(buf + len, size - len, "%s %s %s %s %u\n", d->path, d->name, pid,
			     state_names[d->state], d->bo.restarts);
		len = n > 0 && (size_t)n < size - len ? len + (size_t)n : size - 1;
	}
	pthread_mutex_unlock(&drvmgr.lock);
	return len;
}

int drvmgr_request_restart(const char *name)
{
	int found = 0;
	char c = 0;

	pthread_mutex_lock(&drvmgr.lock);
	for (int i = 0; i < drvmgr.ndev; i++) {
		struct device *d = &drvmgr.dev[i];

		if (!strcmp(d->path, name) || !strcmp(d->name, name)) {
			d->restart_requested = true;
			found++;
		}
	}
	pthread_mutex_unlock(&drvmgr.lock);
	/* The pipe is non-blocking: if full, a wake-up is pending anyway. */
	if (found && write(drvmgr.wake[1], &c, 1) < 0 && errno != EAGAIN)
		perror("drvmgr: wake");
	return found;
}

static struct handle *handle_of(const struct scheme_request *q)
{
	return q->id > 0 && q->id <= MAX_HANDLES && handles[q->id - 1].used ? &handles[q->id - 1]
									    : NULL;
}

static int s_open(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	char path[OPEN_PATH_MAX];
	int err = scheme_req_path(s, q, path, sizeof(path));

	r->result = err ? err : (path[0] && strcmp(path, "list")) ? -ENOENT : -EMFILE;
	for (int i = 0; !err && r->result == -EMFILE && i < MAX_HANDLES; i++) {
		if (!handles[i].used) {
			handles[i] = (struct handle){ .used = true };
			r->result = i + 1;
		}
	}
	return SCHEME_REPLY_NOW;
}

static int s_read(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	struct handle *h = handle_of(q);
	uint64_t off = q->args[0], len = q->args[SCHEME_ARG_LEN];

	if (!h) {
		r->result = -EBADF;
		return SCHEME_REPLY_NOW;
	}
	if (off == 0 || !h->text) {
		if (!h->text)
			h->text = malloc(TABLE_MAX);
		if (!h->text) {
			r->result = -ENOMEM;
			return SCHEME_REPLY_NOW;
		}
		h->len = drvmgr_format(h->text, TABLE_MAX);
	}
	len = off < h->len ? (h->len - off < len ? h->len - off : len) : 0;
	r->result = len ? scheme_msg_write(s, q->tag, 0, h->text + off, len) : 0;
	if (r->result < 0)
		r->result = -errno;
	return SCHEME_REPLY_NOW;
}

static int s_write(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	uint64_t len = q->args[SCHEME_ARG_LEN];
	char cmd[CMD_MAX];
	char *name;
	bool valid;

	if (!handle_of(q) || len == 0 || len >= sizeof(cmd)) {
		r->result = handle_of(q) ? -EINVAL : -EBADF;
		return SCHEME_REPLY_NOW;
	}
	if (scheme_msg_read(s, q->tag, 0, cmd, len) != (long)len) {
		r->result = -EFAULT;
		return SCHEME_REPLY_NOW;
	}
	cmd[len] = '\0';
	/* One command: no NUL inside, one newline at most, at the end. */
	valid = strlen(cmd) == len;
	if (cmd[len - 1] == '\n')
		cmd[len - 1] = '\0';
	name = cmd + strlen(RESTART_CMD);
	valid = valid && !strncmp(cmd, RESTART_CMD, strlen(RESTART_CMD)) && *name &&
		!strpbrk(name, " \t\n");
	r->result = !valid ? -EINVAL : drvmgr_request_restart(name) ? (int64_t)len : -ENOENT;
	return SCHEME_REPLY_NOW;
}

static int s_fstat(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	struct stat st = { .st_mode = S_IFREG | 0644, .st_nlink = 1, .st_ino = q->id };

	r->result = scheme_msg_write(s, q->tag, 0, &st, sizeof(st)) == sizeof(st) ? 0 : -EFAULT;
	return SCHEME_REPLY_NOW;
}

static int s_close(struct scheme_server *s, const struct scheme_request *q, struct scheme_reply *r)
{
	struct handle *h = handle_of(q);

	(void)s;
	if (h) {
		free(h->text);
		*h = (struct handle){ 0 };
	}
	r->result = 0;
	return SCHEME_REPLY_NOW;
}

int drvmgr_serve_register(const char *name)
{
	srv = (struct scheme_server){ .ops = {
		[SCHEME_OP_OPEN] = s_open, [SCHEME_OP_READ] = s_read, [SCHEME_OP_WRITE] = s_write,
		[SCHEME_OP_FSTAT] = s_fstat, [SCHEME_OP_CLOSE] = s_close,
	} };
	srv.fd = scheme_register_name(name, O_CLOEXEC);
	return srv.fd;
}

static void *serve_thread(void *arg)
{
	int err;

	(void)arg;
	err = scheme_serve(&srv);
	/* The scheme is gone (it cannot be, while the descriptor is held). */
	fprintf(stderr, "drvmgr: serving: %s\n", strerror(err));
	return NULL;
}

int drvmgr_serve_start(void)
{
	pthread_t t;

	return pthread_create(&t, NULL, serve_thread, NULL);
}
