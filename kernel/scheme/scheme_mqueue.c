/*
 * kernel/scheme/scheme_mqueue.c: the mqueue: scheme: the registry of POSIX
 * message queue names, creation with Linux's limits and accounting,
 * permissions, mq_unlink, and the file operations of a queue's descriptor
 * (read: Linux's status line; poll; fstat; close). Messages themselves are
 * kernel/scheme/mqueue_msg.c's; the design and locks are in mqueue.h.
 */
#include "kernel/scheme/mqueue.h"
#include "kernel/scheme/scheme.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/cred.h"
#include "mm/heap.h"
#include "syscall/abi/abi.h"
#include <string.h>

/* Permission bits as inode_permission reads them. */
#define MQ_MAY_READ 04
#define MQ_MAY_WRITE 02
#define MQ_OWNER_SHIFT 6
#define MQ_GROUP_SHIFT 3
#define MQ_MODE_BITS 07777

/* Guards mq_all (every queue, linked or not) and each queue's name, linked
 * and refs. Taken before any queue's lock. */
static spinlock_t mq_registry_lock = SPINLOCK_INIT("mq registry");
static struct mq_queue *mq_all;

extern const struct scheme mqueue_scheme;

struct mq_queue *mq_of_file(const struct file *f)
{
	return f->scheme == &mqueue_scheme ? f->priv : NULL;
}

/* Linux's lookup_one_len rules for a name in the queue directory: no '/',
 * not "." or ".." (EACCES); longer than NAME_MAX: ENAMETOOLONG. An empty
 * name never gets here (getname's ENOENT, syscall/sys_mqueue.c). */
static int name_check(const char *name)
{
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -EACCES;
	if (!name[0])
		return -ENOENT;
	return strlen(name) > MQ_NAME_MAX ? -ENAMETOOLONG : 0;
}

/* The linked queue named name, or NULL. Registry lock held. */
static struct mq_queue *find_locked(const char *name)
{
	for (struct mq_queue *q = mq_all; q; q = q->next)
		if (q->linked && !strcmp(q->name, name))
			return q;
	return NULL;
}

/* Bytes uid's queues pin (Linux's user_struct mq_bytes). Registry lock held. */
static uint64_t charged_locked(uint32_t uid)
{
	uint64_t sum = 0;

	for (struct mq_queue *q = mq_all; q; q = q->next)
		if (q->uid == uid)
			sum += q->bytes;
	return sum;
}

/* inode_permission for a queue: root passes, else the owner's, group's
 * or others' bits must hold every bit of want. */
static bool may_access(const struct mq_queue *q, const struct caller *c, unsigned want)
{
	unsigned shift = 0;

	if (c->uid == CRED_ROOT_ID)
		return true;
	if (c->uid == q->uid)
		shift = MQ_OWNER_SHIFT;
	else if (c->gid == q->gid)
		shift = MQ_GROUP_SHIFT;
	return ((q->mode >> shift) & want) == want;
}

/* The attributes a new queue gets (mqueue_get_inode): the defaults, or
 * attr checked against the caps (the hard ones for root). */
static int new_attrs(const struct abi_mq_attr *attr, const struct caller *c, int64_t *maxmsg,
		     int64_t *msgsize)
{
	bool root = c->uid == CRED_ROOT_ID;

	*maxmsg = MQ_MSG_DEFAULT;
	*msgsize = MQ_MSGSIZE_DEFAULT;
	if (!attr)
		return 0;
	if (attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0)
		return -EINVAL;
	if (attr->mq_maxmsg > (root ? MQ_HARD_MSGMAX : MQ_MSG_MAX) ||
	    attr->mq_msgsize > (root ? MQ_HARD_MSGSIZEMAX : MQ_MSGSIZE_MAX))
		return -EINVAL;
	*maxmsg = attr->mq_maxmsg;
	*msgsize = attr->mq_msgsize;
	return 0;
}

/* A new, linked queue (refs: the link); -EMFILE past the user's bytes.
 * Registry lock held. */
static int create_locked(const char *name, unsigned mode, int64_t maxmsg, int64_t msgsize,
			 const struct caller *c, struct mq_queue **out)
{
	uint64_t bytes = (uint64_t)maxmsg * (MQ_MSG_OVERHEAD + (uint64_t)msgsize) +
			 (uint64_t)MIN(maxmsg, ABI_MQ_PRIO_MAX) * MQ_NODE_OVERHEAD;
	struct mq_queue *q;

	if (charged_locked(c->uid) + bytes > MQ_BYTES_MAX)
		return -EMFILE;
	q = kzalloc(sizeof(*q));
	if (!q)
		return -ENOMEM;
	strcpy(q->name, name);
	q->linked = true;
	q->refs = 1;
	q->uid = c->uid;
	q->gid = c->gid;
	q->mode = mode & MQ_MODE_BITS;
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	q->bytes = bytes;
	q->lock = (spinlock_t)SPINLOCK_INIT("mqueue");
	q->send_wq = (struct waitq)WAITQ_INIT;
	q->recv_wq = (struct waitq)WAITQ_INIT;
	pollq_init(&q->pq);
	q->next = mq_all;
	mq_all = q;
	*out = q;
	return 0;
}

/* Drops a reference; the last frees the queue. Registry lock held; the
 * queue is returned for freeing outside it, or NULL. */
static struct mq_queue *unref_locked(struct mq_queue *q)
{
	struct mq_queue **pp;

	if (--q->refs)
		return NULL;
	for (pp = &mq_all; *pp != q; pp = &(*pp)->next)
		;
	*pp = q->next;
	return q;
}

static void queue_free(struct mq_queue *q)
{
	if (!q)
		return;
	mq_free_messages(q);
	kfree(q);
}

/* Finds or creates name's queue as prepare_open does, with a reference
 * for the new file. Registry lock held. */
static int lookup_locked(const char *name, int oflag, unsigned mode, const struct abi_mq_attr *attr,
			 const struct caller *c, struct mq_queue **out)
{
	static const unsigned acc[ABI_O_ACCMODE] = { MQ_MAY_READ, MQ_MAY_WRITE,
						     MQ_MAY_READ | MQ_MAY_WRITE };
	struct mq_queue *q = find_locked(name);
	int64_t maxmsg, msgsize;
	int err;

	if (!q) {
		if (!(oflag & ABI_O_CREAT))
			return -ENOENT;
		err = new_attrs(attr, c, &maxmsg, &msgsize);
		if (!err)
			err = create_locked(name, mode, maxmsg, msgsize, c, &q);
		if (err)
			return err;
	} else if ((oflag & (ABI_O_CREAT | ABI_O_EXCL)) == (ABI_O_CREAT | ABI_O_EXCL)) {
		return -EEXIST;
	} else if ((oflag & ABI_O_ACCMODE) == ABI_O_ACCMODE) {
		return -EINVAL;
	} else if (!may_access(q, c, acc[oflag & ABI_O_ACCMODE])) {
		return -EACCES;
	}
	q->refs++;
	*out = q;
	return 0;
}

int mq_open_name(const char *name, int oflag, unsigned mode, const struct abi_mq_attr *attr,
		 const struct caller *c, struct file **out)
{
	struct file *f = file_alloc(&mqueue_scheme, oflag & (ABI_O_ACCMODE | ABI_O_NONBLOCK));
	struct mq_queue *q = NULL;
	uint64_t irq;
	int err = name_check(name);

	if (!f)
		return -ENOMEM;
	if (err) {
		file_discard(f);
		return err;
	}
	irq = spin_lock_irqsave(&mq_registry_lock);
	err = lookup_locked(name, oflag, mode, attr, c, &q);
	spin_unlock_irqrestore(&mq_registry_lock, irq);
	if (err) {
		file_discard(f);
		return err;
	}
	f->priv = q;
	f->type = ABI_S_IFREG;
	*out = f;
	return 0;
}

int mq_unlink_name(const char *name, const struct caller *c)
{
	struct mq_queue *q, *dead = NULL;
	uint64_t irq;
	int err = name_check(name);

	if (err)
		return err;
	irq = spin_lock_irqsave(&mq_registry_lock);
	q = find_locked(name);
	if (!q) {
		err = -ENOENT;
	} else if (c->uid != CRED_ROOT_ID && c->uid != q->uid) {
		err = -EPERM; /* the queue directory is sticky (1777), owned by root */
	} else {
		q->linked = false;
		dead = unref_locked(q);
	}
	spin_unlock_irqrestore(&mq_registry_lock, irq);
	queue_free(dead);
	return err;
}

/* openat("mqueue:NAME"): an existing queue only; creating one needs
 * mq_open's attributes and mode. */
static int mqs_open(const struct scheme *s, const char *path, int flags, struct file *f,
		    const struct caller *c)
{
	struct mq_queue *q = NULL;
	uint64_t irq;
	int err = name_check(path);

	(void)s;
	if (err)
		return err;
	irq = spin_lock_irqsave(&mq_registry_lock);
	err = lookup_locked(path, flags & ~ABI_O_CREAT, 0, NULL, c, &q);
	spin_unlock_irqrestore(&mq_registry_lock, irq);
	if (err)
		return err;
	f->priv = q;
	f->type = ABI_S_IFREG;
	return 0;
}

/* Linux's mqueue_read_file: the queue's bytes and its notification. */
static long mqs_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	struct mq_queue *q = f->priv;
	char line[MQ_FILENT_SIZE];
	uint64_t irq = spin_lock_irqsave(&q->lock);
	int n;

	(void)c;
	n = ksnprintf(line, sizeof(line), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		      (unsigned long)q->qsize, q->notify_pid ? q->notify_kind : 0,
		      q->notify_pid && q->notify_kind == ABI_SIGEV_SIGNAL ? q->notify_signo : 0,
		      q->notify_pid);
	spin_unlock_irqrestore(&q->lock, irq);
	return scheme_read_buffer(u, off, line, MIN((size_t)n, sizeof(line) - 1));
}

/* The queue's file has no write operation on Linux: write gives EINVAL. */
static long mqs_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	(void)f;
	(void)u;
	(void)off;
	(void)c;
	return -EINVAL;
}

static int mqs_stat(struct file *f, struct abi_stat *st, const struct caller *c)
{
	struct mq_queue *q = f->priv;

	(void)c;
	memset(st, 0, sizeof(*st));
	st->st_ino = (uint64_t)(uintptr_t)q;
	st->st_mode = ABI_S_IFREG | q->mode;
	st->st_nlink = 1;
	st->st_uid = q->uid;
	st->st_gid = q->gid;
	st->st_size = MQ_FILENT_SIZE;
	return 0;
}

static int64_t mqs_size(struct file *f, const struct caller *c)
{
	(void)f;
	(void)c;
	return MQ_FILENT_SIZE;
}

/* Readable with a message queued, writable with room (mqueue_poll_file). */
static unsigned mqs_poll(struct file *f, struct poll_table *pt)
{
	struct mq_queue *q = f->priv;
	unsigned mask = 0;
	uint64_t irq;

	poll_wait(pt, &q->pq);
	irq = spin_lock_irqsave(&q->lock);
	if (q->curmsgs)
		mask |= POLLIN;
	if (q->curmsgs < q->maxmsg)
		mask |= POLLOUT;
	spin_unlock_irqrestore(&q->lock, irq);
	return mask;
}

static void mqs_close(struct file *f)
{
	struct mq_queue *q = f->priv, *dead;
	uint64_t irq;

	mq_notify_drop(q, f);
	irq = spin_lock_irqsave(&mq_registry_lock);
	dead = unref_locked(q);
	spin_unlock_irqrestore(&mq_registry_lock, irq);
	queue_free(dead);
}

static const struct scheme_ops mqueue_ops = {
	.open = mqs_open, .read = mqs_read, .write = mqs_write, .stat = mqs_stat,
	.size = mqs_size, .poll = mqs_poll, .close = mqs_close, .seekable = true,
};
const struct scheme mqueue_scheme = { .name = "mqueue", .ops = &mqueue_ops };
