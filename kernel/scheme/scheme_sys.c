/*
 * kernel/scheme/scheme_sys.c: the sys: scheme, read-only kernel information as
 * text: sys:uname, sys:log (the kernel log), sys:context (one line per
 * thread), sys:meminfo, sys:fdt (the device-tree blob), sys:schemes and
 * sys:namespace, sys:cpus (below). Each open takes a snapshot, so a reader sees one
 * consistent state however it reads.
 *
 * sys:schemes: one line per scheme the reader's namespace holds, in
 * registration order: "NAME PID\n", PID the daemon serving it, 0 for the
 * kernel's own schemes.
 * sys:namespace: the reader's namespace, one name per line; "*\n" for every
 * public name, followed by the private names for the boot namespace
 * (kernel/scheme/namespace.h), which holds them too.
 */
#include "kernel/scheme/scheme.h"
#include "kernel/lib/format.h"
#include "kernel/klog.h"
#include "kernel/fdt.h"
#include "kernel/proc.h"
#include "kernel/scheme/namespace.h"
#include "kernel/proc_ns.h"
#include "kernel/thread_group.h"
#include "kernel/lib/errno.h"
#include "kernel/version.h"
#include "sched/sched.h"
#include "kernel/smp.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/uvm.h"
#include "mm/uvm_resident.h"
#include "mm/layout.h"
#include "syscall/abi/abi.h"
#include <string.h>

#define SYS_TEXT_MAX (64 * KiB) /* largest snapshot: the log (KLOG_SIZE) */
#define SYS_FILE_MODE (ABI_S_IFREG | 0444)
#define SYS_DIR_MODE (ABI_S_IFDIR | 0555)
#define SYS_ROOT_INO 1

struct snapshot {
	size_t len, cap;
	char *text; /* for sys:fdt, the blob itself (not owned) */
	bool owned;
};

static void put(struct snapshot *s, const char *fmt, ...) __printf(2, 3);
static void put(struct snapshot *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->len >= s->cap)
		return;
	va_start(ap, fmt);
	n = kvsnprintf(s->text + s->len, s->cap - s->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->len = MIN(s->cap - 1, s->len + (size_t)n);
}

static void gen_uname(struct snapshot *s)
{
	put(s, "%s %s %s %s\n", ANODE_SYSNAME, ANODE_RELEASE, ANODE_VERSION, ANODE_MACHINE);
}

static void gen_log(struct snapshot *s)
{
	s->len = klog_read(klog_start(), s->text, s->cap);
}

static const char thread_state_char[] = {
	[THREAD_READY] = 'R', [THREAD_RUNNING] = 'R', [THREAD_SLEEPING] = 'S', [THREAD_DEAD] = 'Z',
};

static void kthread_line(const struct thread_stat *st, void *arg)
{
	put(arg, "%d %d %s %c %lu %d\n", 0, 0, "[idle]", 'R', st->cpu_ns / NSEC_PER_MSEC, 0);
}

/* The pages as maps; as may be NULL (an exited process). */
static size_t aspace_kib(struct aspace *as)
{
	return as ? uvm_pages(as) * PAGE_SIZE / KiB : 0;
}

/* A process's threads summed up: running if any runs, their CPU time. */
struct group_stat {
	enum thread_state state;
	uint64_t cpu_ns;
	int nthreads;
};

/* Under p->threads_lock (proc_for_each_thread): t is alive. */
static void thread_sum(struct thread *t, void *arg)
{
	struct group_stat *gs = arg;
	struct thread_stat st;

	sched_thread_stat(t, &st);
	if (st.state == THREAD_READY || st.state == THREAD_RUNNING)
		gs->state = THREAD_RUNNING;
	gs->cpu_ns += st.cpu_ns;
	gs->nthreads++;
}

/*
 * Under proc_lock (proc_for_each), which guards parent and state, and under
 * which the process's own threads change name and as. threads_lock
 * (proc_for_each_thread), wait_lock (sched_thread_stat) and as->lock nest
 * inside. A process with several threads shows their number after its
 * name ("name/4").
 */
static void proc_line(struct proc *p, void *arg)
{
	int ppid = p->parent ? p->parent->pid : 0;
	struct group_stat gs = { .state = THREAD_SLEEPING };
	char name[PROC_NAME_MAX + 16];

	if (p->state == PROC_ZOMBIE) {
		put(arg, "%d %d %s Z 0 0\n", p->pid, ppid, p->name);
		return;
	}
	proc_for_each_thread(p, thread_sum, &gs);
	ksnprintf(name, sizeof(name), gs.nthreads > 1 ? "%s/%d" : "%s",
		  p->name[0] ? p->name : "?", gs.nthreads);
	put(arg, "%d %d %s %c %lu %zu\n", p->pid, ppid, name,
	    thread_state_char[gs.state], gs.cpu_ns / NSEC_PER_MSEC, aspace_kib(p->as));
}

static void gen_context(struct snapshot *s)
{
	put(s, "PID PPID NAME STATE CPU_MS MEM_KB\n");
	sched_for_each_kthread(kthread_line, s);
	proc_for_each(proc_line, s);
}

/* Under proc_lock (proc_for_each), which guards as for others' reads. */
static void add_resident(struct proc *p, void *arg)
{
	if (p->as)
		*(size_t *)arg += uvm_resident_frames(p->as);
}

/* HeapFree: the bytes of the heap's pages no object uses (empty slots of
 * slabs, HeapCached's pages too), so that kernel objects in use are
 * KernelHeap - HeapFree whatever the slabs' history. UserFrames: the
 * allocator frames the live processes map, and their page tables
 * (mm/uvm_resident.h). */
static void gen_meminfo(struct snapshot *s)
{
	size_t user_frames = 0;
	struct frame_stats fs;
	struct heap_stats hs;

	frame_get_stats(&fs);
	heap_stats(&hs);
	put(s, "MemTotal: %zu kB\n", fs.total_pages * PAGE_SIZE / KiB);
	put(s, "MemFree: %zu kB\n", fs.free_pages * PAGE_SIZE / KiB);
	put(s, "KernelHeap: %zu kB\n", hs.pages * PAGE_SIZE / KiB);
	put(s, "HeapCached: %zu kB\n", hs.cached_pages * PAGE_SIZE / KiB);
	put(s, "HeapFree: %zu kB\n", (hs.pages * PAGE_SIZE - hs.bytes_in_use) / KiB);
	proc_for_each(add_resident, &user_frames);
	put(s, "UserFrames: %zu kB\n", user_frames * PAGE_SIZE / KiB);
	put(s, "FrameMeta: %zu kB\n", fs.meta_bytes / KiB);
}

static void gen_schemes(struct snapshot *s)
{
	struct namespace_set *ns = proc_ns(current_proc());
	struct scheme_entry list[SCHEME_MAX];
	int n = ns_visible_schemes(ns, list, SCHEME_MAX);

	for (int i = 0; i < n; i++)
		put(s, "%s %d\n", list[i].name, list[i].server_pid);
	ns_put(ns);
}

#define SYS_NS_ALL_LINE "*\n" /* the namespace of every name */

static void gen_namespace(struct snapshot *s)
{
	struct namespace_set *ns = proc_ns(current_proc());

	if (ns->all) {
		put(s, SYS_NS_ALL_LINE);
		for (const char *const *n = ns_private_list; ns->private_too && *n; n++)
			put(s, "%s\n", *n);
	}
	else
		for (int i = 0; i < ns->names.count; i++)
			put(s, "%s\n", ns->names.names[i]);
	ns_put(ns);
}

static void gen_cpus(struct snapshot *s)
{
	struct cpu_stat st;

	put(s, "ID MPIDR STATE TICKS BUSY\n");
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (smp_cpu_stat(i, &st))
			put(s, "%u %#lx %s %lu %lu\n", i, st.mpidr, st.online ? "online" : "failed",
			    st.ticks, st.busy_ticks);
}

struct sys_entry {
	const char *name;
	void (*gen)(struct snapshot *s); /* NULL: the device-tree blob */
};

static const struct sys_entry entries[] = {
	{ "uname", gen_uname }, { "log", gen_log }, { "context", gen_context },
	{ "meminfo", gen_meminfo }, { "fdt", NULL }, { "schemes", gen_schemes },
	{ "namespace", gen_namespace }, { "cpus", gen_cpus },
};

static int sys_open(const struct scheme *sc, const char *path, int flags, struct file *f,
			 const struct caller *c)
{
	struct snapshot *s;

	(void)c;
	(void)sc;
	if ((flags & ABI_O_ACCMODE) != ABI_O_RDONLY)
		return -EACCES;
	while (*path == '/')
		path++;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (*path == '\0') {
		f->priv = s;
		f->type = ABI_S_IFDIR;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++) {
		if (strcmp(path, entries[i].name) != 0)
			continue;
		if (!entries[i].gen) {
			s->text = (char *)dt_blob();
			s->len = dt_size();
		} else {
			s->cap = SYS_TEXT_MAX;
			s->text = kmalloc(s->cap);
			s->owned = true;
			if (!s->text) {
				kfree(s);
				return -ENOMEM;
			}
			entries[i].gen(s);
		}
		f->priv = s;
		f->type = ABI_S_IFREG;
		return 0;
	}
	kfree(s);
	return -ENOENT;
}

static long sys_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct snapshot *s = f->priv;

	(void)c;
	return scheme_read_buffer(u, off, s->text, s->len);
}

static int sys_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	struct snapshot *s = f->priv;

	(void)c;
	st->st_mode = f->type == ABI_S_IFDIR ? SYS_DIR_MODE : SYS_FILE_MODE;
	st->st_nlink = 1;
	st->st_size = (int64_t)s->len;
	return 0;
}

static int64_t sys_size(struct file *f, const struct caller *c)
{
	(void)c;
	return (int64_t)((struct snapshot *)f->priv)->len;
}

static long sys_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	size_t pos = 0;

	(void)c;
	if (f->type != ABI_S_IFDIR)
		return -ENOTDIR;
	while (*cursor < ARRAY_SIZE(entries)) {
		long n = scheme_dirent(u, pos, SYS_ROOT_INO + 1 + *cursor, (int64_t)*cursor + 1,
					 ABI_DT_REG, entries[*cursor].name);

		if (n <= 0) /* no room for another record, or a bad buffer */
			return pos ? (long)pos : n ? n : -EINVAL;
		pos += (size_t)n;
		(*cursor)++;
	}
	return (long)pos;
}

static void sys_close(struct file *f)
{
	struct snapshot *s = f->priv;

	if (s->owned)
		kfree(s->text);
	kfree(s);
}

static const struct scheme_ops sys_ops = {
	.open = sys_open, .read = sys_read, .stat = sys_stat, .size = sys_size,
	.getdents = sys_getdents, .close = sys_close, .seekable = true,
};
const struct scheme sys_scheme = { .name = "sys", .ops = &sys_ops };
