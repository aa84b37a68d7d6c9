/*
 * tests/host/test_file.c: the file layer (kernel/scheme/file.c) and the scheme
 * registry (kernel/scheme/scheme.c) on a fake in-memory scheme: opening and its
 * errors, reference counting (the scheme's close runs once, at the last
 * reference, and never for a failed open), offsets (read/write advance it,
 * pread/pwrite do not, O_APPEND writes at the end, seek rules), access
 * modes, *at() joins, F_GETFL/F_SETFL flags, and registration. Two host
 * threads sharing one file, with a scheme whose operations sleep, check
 * that the offset lock gives each byte to one reader and each O_APPEND
 * record its own place.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/scheme/file.h"
#include "kernel/scheme/scheme.h"
#include "kernel/scheme/path.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include "tests/host/kstubs.h"

#define MEM_MAX 65536          /* bytes the fake file can hold */
#define THREAD_BYTES 4000      /* file size for the shared-offset race */
#define APPEND_RECORDS 500     /* O_APPEND records per thread */
#define RACERS 2
#define TIMEOUT_S 60           /* a deadlock ends the test (SIGALRM) */

/* The fake scheme "mem": one seekable file ("") and one directory ("dir")
 * backed by mem_data; "fail" fails to open. With mem_sleepy, reads and
 * writes yield between looking at the file and finishing, as a scheme
 * whose operation sleeps would. */
static unsigned char mem_data[MEM_MAX];
static size_t mem_size;        /* guarded by mem_lock for the racing tests */
static spinlock_t mem_lock = SPINLOCK_INIT("mem");
static int mem_closes;         /* atomic */
static bool mem_sleepy;

static int mem_open(const struct scheme *s, const char *path, int flags, struct file *f,
		    const struct caller *c)
{
	(void)c;
	(void)s;
	(void)flags;
	if (strcmp(path, "fail") == 0)
		return -EIO;
	if (strcmp(path, "dir") == 0)
		f->type = ABI_S_IFDIR;
	else if (*path == '\0')
		f->type = ABI_S_IFREG;
	else
		return -ENOENT;
	return 0;
}

static void nap(void)
{
	if (mem_sleepy)
		sched_yield();
}

static long mem_read(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	size_t n;

	(void)c;
	(void)f;
	nap();
	if (off >= mem_size)
		return 0;
	n = MIN(u->len, mem_size - off);
	nap();
	return uio_copy_out(u, 0, mem_data + off, n) ? -EFAULT : (long)n;
}

static long mem_write(struct file *f, struct uio *u, uint64_t off, const struct caller *c)
{
	uint64_t flags;

	(void)c;
	(void)f;
	if (off > MEM_MAX || u->len > MEM_MAX - off)
		return -EFBIG;
	nap();
	if (uio_copy_in(u, 0, mem_data + off, u->len))
		return -EFAULT;
	nap();
	flags = spin_lock_irqsave(&mem_lock);
	mem_size = MAX(mem_size, off + u->len);
	spin_unlock_irqrestore(&mem_lock, flags);
	return (long)u->len;
}

static int64_t mem_size_op(struct file *f, const struct caller *c)
{
	(void)c;
	(void)f;
	return (int64_t)mem_size;
}

static long mem_getdents(struct file *f, struct uio *u, uint64_t *cursor, const struct caller *c)
{
	(void)c;
	(void)f;
	(void)u;
	if (*cursor == 1)
		return 0;
	*cursor = 1;
	return 1;
}

static void mem_close(struct file *f)
{
	(void)f;
	__atomic_add_fetch(&mem_closes, 1, __ATOMIC_SEQ_CST);
}

static const struct scheme_ops mem_ops = {
	.open = mem_open, .read = mem_read, .write = mem_write, .size = mem_size_op,
	.getdents = mem_getdents, .close = mem_close, .seekable = true,
};
static const struct scheme mem_scheme = { .name = "mem", .ops = &mem_ops };

/* "stream": like mem but not seekable (a pipe or a device). */
static const struct scheme_ops stream_ops = {
	.open = mem_open, .read = mem_read, .write = mem_write, .close = mem_close,
};
static const struct scheme stream_scheme = { .name = "stream", .ops = &stream_ops };

/* "noopen": a scheme with no open operation. */
static const struct scheme_ops noopen_ops = { .read = mem_read };
static const struct scheme noopen_scheme = { .name = "noopen", .ops = &noopen_ops };

static long baseline;

static int group_setup(void **state)
{
	(void)state;
	scheme_register(&root_namespace, &mem_scheme);
	scheme_register(&root_namespace, &stream_scheme);
	scheme_register(&root_namespace, &noopen_scheme);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(mem_data, 0, sizeof(mem_data));
	mem_size = 0;
	mem_closes = 0;
	mem_sleepy = false;
	baseline = kstub_outstanding();
	return 0;
}

/* Every test frees all it allocated. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(kstub_outstanding(), baseline);
	return 0;
}

static struct file *open_ok(const char *path, int flags)
{
	struct file *f = NULL;

	assert_int_equal(file_open(path, "/", flags, &f), 0);
	assert_non_null(f);
	return f;
}

static struct uio kbuf(void *p, size_t len)
{
	return uio_kernel(p, len);
}

static long rd(struct file *f, void *p, size_t len, int64_t off)
{
	struct uio u = kbuf(p, len);

	return file_read(f, &u, off);
}

static long wr(struct file *f, const void *p, size_t len, int64_t off)
{
	struct uio u = kbuf((void *)p, len);

	return file_write(f, &u, off);
}

static void test_refcount(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_RDWR);

	(void)state;
	file_get(f);
	file_put(f);
	assert_int_equal(mem_closes, 0);
	file_put(f);
	assert_int_equal(mem_closes, 1);
}

static void test_open_errors(void **state)
{
	struct file *f = NULL;

	(void)state;
	assert_int_equal(file_open("nosuch:", "/", ABI_O_RDONLY, &f), -ENOENT);
	assert_int_equal(file_open("mem:", "/", ABI_O_ACCMODE, &f), -EINVAL);
	assert_int_equal(file_open("noopen:", "/", ABI_O_RDONLY, &f), -EOPNOTSUPP);
	assert_int_equal(file_open("", "/", ABI_O_RDONLY, &f), -EINVAL);
	/* A failed scheme open frees the file without the scheme's close. */
	assert_int_equal(file_open("mem:fail", "/", ABI_O_RDONLY, &f), -EIO);
	assert_int_equal(mem_closes, 0);
	/* O_DIRECTORY on a file: opened, then closed once. */
	assert_int_equal(file_open("mem:", "/", ABI_O_RDONLY | ABI_O_DIRECTORY, &f), -ENOTDIR);
	assert_int_equal(mem_closes, 1);
	kstub_fail_alloc_after(0);
	assert_int_equal(file_open("mem:", "/", ABI_O_RDONLY, &f), -ENOMEM);
	kstub_fail_alloc_after(-1);
	assert_null(f);
}

static void test_offsets(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_RDWR);
	char buf[16] = { 0 };

	(void)state;
	assert_int_equal(wr(f, "hello", 5, -1), 5);
	assert_int_equal(f->offset, 5);
	assert_int_equal(wr(f, "world", 5, -1), 5);
	assert_int_equal(file_seek(f, 0, ABI_SEEK_CUR), 10);
	/* pread/pwrite leave the offset alone. */
	assert_int_equal(rd(f, buf, 5, 5), 5);
	assert_memory_equal(buf, "world", 5);
	assert_int_equal(wr(f, "J", 1, 0), 1);
	assert_int_equal(file_seek(f, 0, ABI_SEEK_CUR), 10);
	assert_int_equal(file_seek(f, 0, ABI_SEEK_SET), 0);
	assert_int_equal(rd(f, buf, sizeof(buf), -1), 10);
	assert_memory_equal(buf, "Jelloworld", 10);
	assert_int_equal(rd(f, buf, sizeof(buf), -1), 0); /* at the end */
	assert_int_equal(file_seek(f, -3, ABI_SEEK_END), 7);
	assert_int_equal(file_seek(f, 2, ABI_SEEK_CUR), 9);
	/* Bad seeks change nothing. */
	assert_int_equal(file_seek(f, -10, ABI_SEEK_CUR), -EINVAL);
	assert_int_equal(file_seek(f, INT64_MAX, ABI_SEEK_CUR), -EINVAL);
	assert_int_equal(file_seek(f, 0, 99), -EINVAL);
	assert_int_equal(file_seek(f, 0, ABI_SEEK_CUR), 9);
	file_put(f);
}

static void test_append(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_WRONLY | ABI_O_APPEND);
	char buf[8];

	(void)state;
	memcpy(mem_data, "abc", 3);
	mem_size = 3;
	assert_int_equal(file_seek(f, 0, ABI_SEEK_SET), 0);
	assert_int_equal(wr(f, "de", 2, -1), 2);
	assert_int_equal(f->offset, 5);
	assert_int_equal(mem_size, 5);
	/* pwrite with O_APPEND writes where it is told (Linux appends; the
	 * file layer leaves explicit offsets to the caller). */
	assert_int_equal(wr(f, "X", 1, 0), 1);
	assert_memory_equal(mem_data, "Xbcde", 5);
	/* A write-only file cannot be read. */
	assert_int_equal(rd(f, buf, sizeof(buf), -1), -EBADF);
	file_put(f);
	f = open_ok("mem:", ABI_O_RDONLY);
	assert_int_equal(wr(f, "x", 1, -1), -EBADF);
	file_put(f);
}

static void test_kinds(void **state)
{
	struct file *d = open_ok("mem:dir", ABI_O_RDONLY | ABI_O_DIRECTORY);
	struct file *s = open_ok("stream:", ABI_O_RDWR);
	char buf[4];
	struct uio u = kbuf(buf, sizeof(buf));

	(void)state;
	assert_int_equal(rd(d, buf, sizeof(buf), -1), -EISDIR);
	assert_int_equal(file_getdents(d, &u), 1);
	assert_int_equal(d->offset, 1);
	assert_int_equal(file_getdents(d, &u), 0);
	/* Not seekable: no pread, no seek, no offset. */
	assert_int_equal(rd(s, buf, sizeof(buf), 0), -ESPIPE);
	assert_int_equal(file_seek(s, 0, ABI_SEEK_SET), -ESPIPE);
	assert_int_equal(wr(s, "ab", 2, -1), 2);
	assert_int_equal(s->offset, 0);
	assert_int_equal(file_getdents(s, &u), -ENOTDIR);
	file_put(d);
	file_put(s);
}

static void test_join_at(void **state)
{
	struct file *d = open_ok("mem:dir", ABI_O_RDONLY);
	struct file *f = open_ok("mem:", ABI_O_RDONLY);
	char out[PATH_MAX_LEN], longname[PATH_MAX_LEN];

	(void)state;
	assert_int_equal(file_join_at(d, "sub/X:y", out), 0);
	assert_string_equal(out, "mem:dir/sub/X:y");
	assert_int_equal(file_join_at(d, "Upper:case", out), 0);
	assert_string_equal(out, "mem:dir/Upper:case");
	/* Scheme and absolute paths stand alone. */
	assert_int_equal(file_join_at(d, "null:", out), 0);
	assert_string_equal(out, "null:");
	assert_int_equal(file_join_at(f, "/etc/motd", out), 0);
	assert_string_equal(out, "/etc/motd");
	assert_int_equal(file_join_at(f, "sub/X:y", out), -ENOTDIR);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(file_join_at(d, longname, out), -ENAMETOOLONG);
	file_put(d);
	file_put(f);
}

static void test_flags(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_RDWR | ABI_O_CREAT | ABI_O_NONBLOCK);

	(void)state;
	/* Creation flags are not kept. */
	assert_int_equal(file_flags(f), ABI_O_RDWR | ABI_O_NONBLOCK);
	file_set_flags(f, ABI_O_APPEND | ABI_O_NONBLOCK, ABI_O_APPEND | ABI_O_WRONLY);
	assert_int_equal(file_flags(f), ABI_O_RDWR | ABI_O_APPEND);
	assert_true(file_readable(f) && file_writable(f));
	file_put(f);
}

/* Waiting for the offset lock ends with -EINTR if the process is killed.
 * The file is shared (a second reference, as another thread's call holds
 * through fdget); one with a single reference is nobody else's, and its
 * read or write takes no offset lock (Linux's fdget_pos). */
static void test_killed_wait(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_RDWR);
	char c;

	(void)state;
	assert_int_equal(mutex_lock(&f->pos_lock), 0);
	kstub_set_killed(true);
	assert_int_equal(rd(f, &c, 1, -1), 0); /* sole: no wait, the end of an empty file */
	file_get(f);
	assert_int_equal(rd(f, &c, 1, -1), -EINTR);
	assert_int_equal(file_seek(f, 0, ABI_SEEK_SET), -EINTR);
	kstub_set_killed(false);
	mutex_unlock(&f->pos_lock);
	file_put(f);
	file_put(f);
}

static void test_registry(void **state)
{
	static struct scheme many[SCHEME_MAX + 1];
	struct namespace ns = { .lock = SPINLOCK_INIT("test ns") };

	(void)state;
	for (int i = 0; i <= SCHEME_MAX; i++) {
		snprintf(many[i].name, sizeof(many[i].name), "s%d", i);
		many[i].ops = &mem_ops;
	}
	assert_null(scheme_find(&ns, "s0"));
	for (int i = 0; i < SCHEME_MAX; i++)
		assert_int_equal(scheme_register(&ns, &many[i]), 0);
	assert_int_equal(scheme_register(&ns, &many[0]), -EEXIST);
	assert_int_equal(scheme_register(&ns, &many[SCHEME_MAX]), -ENOSPC);
	assert_ptr_equal(scheme_find(&ns, "s7"), &many[7]);
	assert_null(scheme_find(&ns, "s"));
	assert_ptr_equal(scheme_find(&root_namespace, "mem"), &mem_scheme);
}

struct racer {
	struct file *f;
	unsigned int counts[256];
	long bytes;
	int id;
};

/* Reads the shared file a byte at a time to the end. */
static void *read_racer(void *arg)
{
	struct racer *r = arg;
	unsigned char c;

	while (rd(r->f, &c, 1, -1) == 1) {
		r->counts[c]++;
		r->bytes++;
	}
	return NULL;
}

/* Each racer holds a reference of its own, as every call of a
 * multi-threaded process does (syscall/sys_file.c's fdget). */
static void run_racers(struct file *f, void *(*fn)(void *), struct racer *r)
{
	pthread_t t[RACERS];

	for (int i = 0; i < RACERS; i++) {
		r[i] = (struct racer){ .f = f, .id = i };
		file_get(f);
		assert_int_equal(pthread_create(&t[i], NULL, fn, &r[i]), 0);
	}
	for (int i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		file_put(f);
	}
}

/* Two threads read one file through its shared offset while each read
 * sleeps: together they read every byte exactly once. */
static void test_shared_offset_race(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_RDONLY);
	struct racer r[RACERS];
	unsigned int want[256] = { 0 };

	(void)state;
	for (size_t i = 0; i < THREAD_BYTES; i++) {
		mem_data[i] = (unsigned char)(i * 7);
		want[mem_data[i]]++;
	}
	mem_size = THREAD_BYTES;
	mem_sleepy = true;
	run_racers(f, read_racer, r);
	assert_int_equal(r[0].bytes + r[1].bytes, THREAD_BYTES);
	for (int b = 0; b < 256; b++)
		assert_int_equal(r[0].counts[b] + r[1].counts[b], want[b]);
	file_put(f);
}

struct record {
	uint32_t writer, seq;
};

static void *append_racer(void *arg)
{
	struct racer *r = arg;

	for (uint32_t i = 0; i < APPEND_RECORDS; i++) {
		struct record rec = { (uint32_t)r->id, i };

		if (wr(r->f, &rec, sizeof(rec), -1) != sizeof(rec))
			break;
		r->bytes += sizeof(rec);
	}
	return NULL;
}

/* Two threads append records through one O_APPEND file while each write
 * sleeps: no record overwrites another, and each thread's are in order. */
static void test_append_race(void **state)
{
	struct file *f = open_ok("mem:", ABI_O_WRONLY | ABI_O_APPEND);
	struct racer r[RACERS];
	uint32_t next[RACERS] = { 0 };

	(void)state;
	mem_sleepy = true;
	run_racers(f, append_racer, r);
	assert_int_equal(mem_size, RACERS * APPEND_RECORDS * sizeof(struct record));
	for (size_t off = 0; off < mem_size; off += sizeof(struct record)) {
		struct record rec;

		memcpy(&rec, mem_data + off, sizeof(rec));
		assert_true(rec.writer < RACERS);
		assert_int_equal(rec.seq, next[rec.writer]);
		next[rec.writer]++;
	}
	file_put(f);
}

int main(void)
{
	alarm(TIMEOUT_S);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refcount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_offset_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_race, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
