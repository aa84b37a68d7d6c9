/*
 * kernel/scheme/scheme_grant.c: each process's device grant (kernel/scheme/grant.h) and
 * the grant: scheme that shows and narrows it.
 *
 * open("grant:", O_RDWR): a read gives the caller's current grant as text,
 * one line per right:
 *     mem 0x<base> 0x<size>
 *     irq <number> edge|level
 *     right clock
 * A write names device-tree nodes, by full path or alias, and rights, as
 * "right NAME" (NAME from grant_right_names: clock), one per line
 * (trailing newline optional; at most GRANT_WRITE_MAX bytes in one write):
 * the caller's grant becomes its intersection with those nodes' reg ranges
 * and interrupts and those rights, taken together: a right not named is
 * dropped (a driver manager writes "/pl031@9010000\nright clock" for an RTC
 * driver that sets the clock; a write of only "right clock" keeps that right
 * and no device). Every write narrows further, so writing
 * "/a" and then "/b" leaves what both have (usually nothing); to keep two
 * devices, name both in one write. Nothing ever widens a grant. A write
 * with no path (-EINVAL), an unknown node (-ENOENT) or a disabled one
 * (-ENODEV) or an unknown right (-EINVAL) changes nothing.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/grant.h"
#include "kernel/fdt.h"
#include "kernel/lib/format.h"
#include "kernel/proc.h"
#include "kernel/lib/errno.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"
#include "syscall/abi/scheme_proto.h"
#include <string.h>

/* One write: a few node paths. */
#define GRANT_WRITE_MAX 1024
/* A line of text per right, at most this long ("mem 0x… 0x…\n"). */
#define GRANT_LINE_MAX 48
#define GRANT_TEXT_MAX ((GRANT_RANGES_MAX + GRANT_IRQS_MAX) * GRANT_LINE_MAX)

/* Rights reach daemons in a request's flags (scheme_proto.h). */
_Static_assert(GRANT_RIGHT_CLOCK << SCHEME_REQ_RIGHTS_SHIFT == SCHEME_REQ_RIGHT_CLOCK, "clock right bit");
_Static_assert((GRANT_RIGHTS_ALL << SCHEME_REQ_RIGHTS_SHIFT) <= UINT16_MAX, "rights fit the flags");

/* A line naming a right: the prefix, then one of grant_right_names. */
#define GRANT_RIGHT_PREFIX "right "

static const struct {
	const char *name;
	uint32_t bit;
} grant_right_names[] = {
	{ "clock", GRANT_RIGHT_CLOCK },
};

/* Guards every process's grant pointer (struct proc's grant). */
static spinlock_t grant_lock = SPINLOCK_INIT("grant");

void proc_set_grant(struct proc *p, struct grant *g)
{
	uint64_t flags = spin_lock_irqsave(&grant_lock);

	p->grant = g;
	__atomic_store_n(&p->grant_rights, g ? g->rights : 0, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&grant_lock, flags);
}

struct grant *proc_grant(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&grant_lock);
	struct grant *g = grant_get(p->grant);

	spin_unlock_irqrestore(&grant_lock, flags);
	return g;
}

struct grant *proc_take_grant(struct proc *p)
{
	uint64_t flags = spin_lock_irqsave(&grant_lock);
	struct grant *g = p->grant;

	p->grant = NULL;
	__atomic_store_n(&p->grant_rights, 0, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&grant_lock, flags);
	return g;
}

bool grant_current_has(uint32_t right)
{
	return (grant_current_rights() & right) == right;
}

int grant_narrow_current(const struct grant *want)
{
	struct proc *p = current_proc();
	struct grant *narrow = grant_alloc(), *old;
	uint64_t flags;

	if (!narrow)
		return -ENOMEM;
	/* Under the lock: another thread of p may narrow at the same time, and
	 * each must narrow what the other left. */
	flags = spin_lock_irqsave(&grant_lock);
	grant_intersect(p->grant, want, narrow);
	old = p->grant;
	p->grant = narrow;
	__atomic_store_n(&p->grant_rights, narrow->rights, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&grant_lock, flags);
	grant_put(old);
	return 0;
}

/* Appends one line to text (GRANT_TEXT_MAX bytes, len used); the new length. */
static size_t put_line(char *text, size_t len, const char *fmt, ...) __printf(3, 4);
static size_t put_line(char *text, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(text + len, GRANT_TEXT_MAX - len, fmt, ap);
	va_end(ap);
	return n > 0 ? MIN(GRANT_TEXT_MAX - 1, len + (size_t)n) : len;
}

static long grant_read(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	struct grant *g = proc_grant(current_proc());
	char *text = kmalloc(GRANT_TEXT_MAX);
	size_t len = 0;
	long n;

	(void)c;
	(void)f;
	if (!text) {
		grant_put(g);
		return -ENOMEM;
	}
	for (int i = 0; g && i < g->nranges; i++)
		len = put_line(text, len, "mem 0x%lx 0x%lx\n", g->ranges[i].base, g->ranges[i].size);
	for (int i = 0; g && i < g->nirqs; i++)
		len = put_line(text, len, "irq %u %s\n", g->irqs[i].irq, g->irqs[i].edge ? "edge" : "level");
	for (size_t i = 0; g && i < ARRAY_SIZE(grant_right_names); i++)
		if (g->rights & grant_right_names[i].bit)
			len = put_line(text, len, GRANT_RIGHT_PREFIX "%s\n", grant_right_names[i].name);
	grant_put(g);
	n = scheme_read_buffer(u, off, text, len);
	kfree(text);
	return n;
}

/* Adds the resources of the node at path to want. */
static int add_path(struct grant *want, struct grant *node_grant, const char *path)
{
	int node = dt_path_offset(path), err;

	if (node < 0)
		return node == -ENODEV ? -ENODEV : -ENOENT;
	err = grant_of_node(node, node_grant);
	for (int i = 0; i < node_grant->nranges && !err; i++)
		err = grant_add_range(want, node_grant->ranges[i].base, node_grant->ranges[i].size);
	for (int i = 0; i < node_grant->nirqs && !err; i++)
		err = grant_add_irq(want, node_grant->irqs[i].irq, node_grant->irqs[i].edge);
	return err;
}

/* Adds the right named in line ("right NAME") to want; -EINVAL if unknown. */
static int add_right(struct grant *want, const char *line)
{
	const char *name = line + strlen(GRANT_RIGHT_PREFIX);

	for (size_t i = 0; i < ARRAY_SIZE(grant_right_names); i++) {
		if (strcmp(name, grant_right_names[i].name) == 0) {
			want->rights |= grant_right_names[i].bit;
			return 0;
		}
	}
	return -EINVAL;
}

/* The union of the nodes and rights named in text (NUL-terminated, newline-separated). */
static int parse_paths(char *text, struct grant *want, struct grant *scratch)
{
	int paths = 0, err = 0;

	for (char *line = text, *next; line && !err; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '\0')
			continue;
		if (strncmp(line, GRANT_RIGHT_PREFIX, strlen(GRANT_RIGHT_PREFIX)) == 0)
			err = add_right(want, line);
		else
			err = add_path(want, scratch, line);
		paths++;
	}
	return err ? err : paths ? 0 : -EINVAL;
}

static long grant_write(struct file *f, struct uio *u, uint64_t off,
			const struct caller *c)
{
	struct grant *want = NULL, *scratch = NULL;
	char *text = NULL;
	long err;

	(void)c;
	(void)f;
	(void)off;
	if (u->len == 0 || u->len >= GRANT_WRITE_MAX)
		return -EINVAL;
	text = kmalloc(u->len + 1);
	want = grant_alloc();
	scratch = grant_alloc();
	err = text && want && scratch ? 0 : -ENOMEM;
	if (!err)
		err = uio_copy_in(u, 0, text, u->len);
	if (!err) {
		text[u->len] = '\0';
		if (strlen(text) != u->len)
			err = -EINVAL; /* a NUL inside: not a list of paths */
	}
	if (!err)
		err = parse_paths(text, want, scratch);
	if (!err)
		err = grant_narrow_current(want);
	kfree(text);
	grant_put(want);
	grant_put(scratch);
	return err ? err : (long)u->len;
}

static int grant_open(const struct scheme *s, const char *path, int flags, struct file *f,
			const struct caller *c)
{
	int err = scheme_open_device(s, path, flags, f, c);

	(void)c;
	if (!err)
		f->type = ABI_S_IFREG;
	return err;
}

static const struct scheme_ops grant_ops = {
	/* Seekable so that pread(fd, .., 0) re-reads the current grant. */
	.open = grant_open, .read = grant_read, .write = grant_write, .seekable = true,
};
const struct scheme grant_scheme = { .name = "grant", .ops = &grant_ops };
