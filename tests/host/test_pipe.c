/*
 * tests/host/test_pipe.c: pipes (kernel/scheme/scheme_pipe.c) through the file
 * layer: the ring buffer across its wrap, O_NONBLOCK's EAGAIN and partial
 * writes, PIPE_ATOMIC_MAX writes that wait for room for all of them,
 * end-of-file and EPIPE, a bad buffer that takes nothing, small moves
 * across the ring's end, a killed waiter,
 * and pipe_create freeing everything whichever allocation fails. Host
 * threads whose user copies yield half way (as a faulting copy may sleep)
 * check that racing readers never get the same bytes and racing writers'
 * records arrive whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "kernel/scheme/file.h"
#include "kernel/scheme/pipe.h"
#include "kernel/lib/errno.h"
#include "syscall/abi/abi.h"
#include "arch/aarch64/uaccess.h"
#include "tests/host/kstubs.h"

#define CREATE_ALLOCS 6        /* pipe, buffer, two ends of two allocations each */
#define WRAP_FIRST 10000
#define WRAP_TAKE 6000
#define WRITERS 3
#define RECORDS 200            /* PIPE_ATOMIC_MAX records per writer */
#define READ_CHUNK 1000        /* the reader's read size: not a divisor of a record */
#define SEQ_RECORDS 20000      /* numbered records for the racing readers */
#define READERS 2
#define SMALL_MAX 8             /* the longest move through a register */
#define SMALL_SHORT 5           /* head's distance from the ring's end */
#define TIMEOUT_S 60           /* a deadlock ends the test (SIGALRM) */

static long baseline;

static int setup(void **state)
{
	(void)state;
	baseline = kstub_outstanding();
	kstub_set_copy_yield(false);
	return 0;
}

/* Every test frees all it allocated. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(kstub_outstanding(), baseline);
	return 0;
}

/* A user-memory uio over host memory: copies go through the stubbed
 * copy_to_user/copy_from_user, which may yield. */
static struct uio ubuf(const void *p, size_t len)
{
	return (struct uio){ .as = KSTUB_USER_AS, .addr = (uint64_t)(uintptr_t)p, .len = len };
}

static long rd(struct file *f, void *p, size_t len)
{
	struct uio u = ubuf(p, len);

	return file_read(f, &u, -1);
}

static long wr(struct file *f, const void *p, size_t len)
{
	struct uio u = ubuf(p, len);

	return file_write(f, &u, -1);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 13 + (i >> 8));
}

static void fill(unsigned char *buf, size_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(from + i);
}

static void check(const unsigned char *buf, size_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buf[i], pattern(from + i));
}

static void test_ring_wrap(void **state)
{
	static unsigned char in[PIPE_SIZE], out[PIPE_SIZE];
	struct file *r, *w;

	(void)state;
	assert_int_equal(pipe_create(ABI_O_NONBLOCK, &r, &w), 0);
	fill(in, 0, WRAP_FIRST);
	assert_int_equal(wr(w, in, WRAP_FIRST), WRAP_FIRST);
	assert_int_equal(rd(r, out, WRAP_TAKE), WRAP_TAKE);
	check(out, 0, WRAP_TAKE);
	/* Fill to the brim: this write wraps around the end of the ring. */
	fill(in, WRAP_FIRST, PIPE_SIZE - (WRAP_FIRST - WRAP_TAKE));
	assert_int_equal(wr(w, in, PIPE_SIZE - (WRAP_FIRST - WRAP_TAKE)),
			 PIPE_SIZE - (WRAP_FIRST - WRAP_TAKE));
	assert_int_equal(wr(w, in, 1), -EAGAIN);
	assert_int_equal(rd(r, out, sizeof(out)), PIPE_SIZE);
	check(out, WRAP_TAKE, PIPE_SIZE);
	assert_int_equal(rd(r, out, 1), -EAGAIN);
	assert_int_equal(rd(r, out, 0), 0);
	assert_int_equal(wr(w, in, 0), 0);
	file_put(r);
	file_put(w);
}

/* Non-blocking: an atomic-sized write needs room for all of it; a larger
 * one takes what room there is. */
static void test_nonblock_sizes(void **state)
{
	static unsigned char buf[PIPE_SIZE + PIPE_ATOMIC_MAX];
	struct file *r, *w;

	(void)state;
	assert_int_equal(pipe_create(ABI_O_NONBLOCK, &r, &w), 0);
	assert_int_equal(wr(w, buf, PIPE_SIZE - PIPE_ATOMIC_MAX + 1), PIPE_SIZE - PIPE_ATOMIC_MAX + 1);
	assert_int_equal(wr(w, buf, PIPE_ATOMIC_MAX), -EAGAIN);
	assert_int_equal(wr(w, buf, PIPE_ATOMIC_MAX - 1), PIPE_ATOMIC_MAX - 1);
	assert_int_equal(rd(r, buf, sizeof(buf)), PIPE_SIZE);
	assert_int_equal(wr(w, buf, sizeof(buf)), PIPE_SIZE);
	file_put(r);
	file_put(w);
}

static void test_eof_and_epipe(void **state)
{
	struct file *r, *w;
	char c = 'x';

	(void)state;
	assert_int_equal(pipe_create(0, &r, &w), 0);
	assert_int_equal(wr(w, &c, 1), 1);
	file_put(w);
	assert_int_equal(rd(r, &c, 1), 1);
	assert_int_equal(rd(r, &c, 1), 0);
	assert_int_equal(rd(r, &c, 1), 0);
	file_put(r);

	assert_int_equal(pipe_create(0, &r, &w), 0);
	file_put(r);
	assert_int_equal(wr(w, &c, 1), -EPIPE);
	file_put(w);
}

/* Moves of one to eight bytes (through a register, uio_word.h) across the
 * ring's end: each write's bytes wrap whole and read back in order. */
static void test_small_wrap(void **state)
{
	static unsigned char fill_buf[PIPE_SIZE];
	unsigned char in[SMALL_MAX], out[SMALL_MAX];
	struct file *r, *w;
	size_t from = 0;

	(void)state;
	assert_int_equal(pipe_create(ABI_O_NONBLOCK, &r, &w), 0);
	/* Head just short of the ring's end. */
	assert_int_equal(wr(w, fill_buf, PIPE_SIZE - SMALL_SHORT), PIPE_SIZE - SMALL_SHORT);
	assert_int_equal(rd(r, fill_buf, PIPE_SIZE - SMALL_SHORT), PIPE_SIZE - SMALL_SHORT);
	for (size_t len = 1; len <= SMALL_MAX; len++) {
		fill(in, from, len);
		assert_int_equal(wr(w, in, len), (long)len);
		assert_int_equal(wr(w, in, len), (long)len);
		assert_int_equal(rd(r, out, len), (long)len);
		check(out, from, len);
		assert_int_equal(rd(r, out, len), (long)len);
		check(out, from, len);
		from += len;
	}
	assert_int_equal(rd(r, out, 1), -EAGAIN);
	file_put(r);
	file_put(w);
}

/* A buffer the copy refuses takes nothing out of the pipe. */
static void test_bad_buffer(void **state)
{
	struct file *r, *w;
	struct uio bad = { .as = KSTUB_USER_AS, .addr = USER_TOP, .len = 4 };
	char buf[4];

	(void)state;
	assert_int_equal(pipe_create(0, &r, &w), 0);
	assert_int_equal(file_write(w, &bad, -1), -EFAULT);
	assert_int_equal(wr(w, "abcd", 4), 4);
	assert_int_equal(file_read(r, &bad, -1), -EFAULT);
	assert_int_equal(rd(r, buf, 4), 4);
	assert_memory_equal(buf, "abcd", 4);
	file_put(r);
	file_put(w);
}

static void test_killed_waiter(void **state)
{
	struct file *r, *w;
	char c;

	(void)state;
	assert_int_equal(pipe_create(0, &r, &w), 0);
	kstub_set_killed(true);
	assert_int_equal(rd(r, &c, 1), -EINTR);
	kstub_set_killed(false);
	file_put(r);
	file_put(w);
}

static void test_stat(void **state)
{
	struct file *r, *w;
	struct abi_stat st;

	(void)state;
	assert_int_equal(pipe_create(0, &r, &w), 0);
	assert_int_equal(file_stat(r, &st), 0);
	assert_int_equal(st.st_mode & ABI_S_IFMT, ABI_S_IFIFO);
	assert_true(file_readable(r) && !file_writable(r));
	assert_true(file_writable(w) && !file_readable(w));
	file_put(r);
	file_put(w);
}

/* Whichever allocation fails, pipe_create frees all the others. */
static void test_create_failures(void **state)
{
	struct file *r, *w;

	(void)state;
	for (int n = 0; n < CREATE_ALLOCS; n++) {
		kstub_fail_alloc_after(n);
		assert_int_equal(pipe_create(0, &r, &w), -ENOMEM);
		kstub_fail_alloc_after(-1);
		assert_int_equal(kstub_outstanding(), baseline);
	}
	kstub_fail_alloc_after(CREATE_ALLOCS);
	assert_int_equal(pipe_create(0, &r, &w), 0);
	kstub_fail_alloc_after(-1);
	file_put(r);
	file_put(w);
}

/* A racing thread. It does not use cmocka's assertions (they may only
 * fail on the test's own thread): it sets bad, which the test checks. */
struct worker {
	struct file *f;
	int id;
	unsigned char *seen;   /* readers: how often each record came */
	bool bad;
	bool done;             /* atomic: the thread has finished */
};

static void *atomic_writer(void *arg)
{
	struct worker *k = arg;
	unsigned char rec[PIPE_ATOMIC_MAX];

	memset(rec, 'A' + k->id, sizeof(rec));
	for (int i = 0; i < RECORDS && !k->bad; i++)
		k->bad = wr(k->f, rec, sizeof(rec)) != sizeof(rec);
	return NULL;
}

/* Several writer threads write PIPE_ATOMIC_MAX-byte records of their own
 * byte while the reader takes less than a record at a time: every record
 * in the stream is of one writer. */
static void test_atomic_writers(void **state)
{
	static unsigned char rec[PIPE_ATOMIC_MAX];
	struct worker k[WRITERS];
	pthread_t t[WRITERS];
	int counts[WRITERS] = { 0 };
	struct file *r, *w;

	(void)state;
	kstub_set_copy_yield(true);
	assert_int_equal(pipe_create(0, &r, &w), 0);
	for (int i = 0; i < WRITERS; i++) {
		k[i] = (struct worker){ .f = w, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, atomic_writer, &k[i]), 0);
	}
	for (int n = 0; n < WRITERS * RECORDS; n++) {
		size_t got = 0;

		while (got < sizeof(rec)) {
			long m = rd(r, rec + got, MIN(sizeof(rec) - got, (size_t)READ_CHUNK));

			assert_true(m > 0);
			got += (size_t)m;
		}
		for (size_t i = 1; i < sizeof(rec); i++)
			assert_int_equal(rec[i], rec[0]);
		assert_true(rec[0] >= 'A' && rec[0] < 'A' + WRITERS);
		counts[rec[0] - 'A']++;
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		assert_false(k[i].bad);
		assert_int_equal(counts[i], RECORDS);
	}
	file_put(w);
	assert_int_equal(rd(r, rec, 1), 0);
	file_put(r);
}

struct seq_record {
	uint32_t seq, check;
};
#define SEQ_CHECK(seq) (~(seq) * 2654435761u)

static void *seq_reader(void *arg)
{
	struct worker *k = arg;
	struct seq_record rec;
	long n = 0;

	while (!k->bad && (n = rd(k->f, &rec, sizeof(rec))) > 0) {
		k->bad = n != sizeof(rec) || rec.seq >= SEQ_RECORDS || rec.check != SEQ_CHECK(rec.seq);
		if (!k->bad)
			k->seen[rec.seq]++;
	}
	k->bad |= n != 0;
	__atomic_store_n(&k->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Two reader threads share a pipe: each record is read once, by one. The
 * writer does not block, so readers that quit early (bad records) fail the
 * test instead of leaving it waiting for room forever. */
static void test_racing_readers(void **state)
{
	static unsigned char seen[READERS][SEQ_RECORDS];
	struct worker k[READERS];
	pthread_t t[READERS];
	struct file *r, *w;

	(void)state;
	memset(seen, 0, sizeof(seen));
	kstub_set_copy_yield(true);
	assert_int_equal(pipe_create(0, &r, &w), 0);
	file_set_flags(w, ABI_O_NONBLOCK, ABI_O_NONBLOCK);
	for (int i = 0; i < READERS; i++) {
		k[i] = (struct worker){ .f = r, .id = i, .seen = seen[i] };
		assert_int_equal(pthread_create(&t[i], NULL, seq_reader, &k[i]), 0);
	}
	for (uint32_t i = 0; i < SEQ_RECORDS; i++) {
		struct seq_record rec = { i, SEQ_CHECK(i) };
		long n;

		while ((n = wr(w, &rec, sizeof(rec))) == -EAGAIN) {
			if (__atomic_load_n(&k[0].done, __ATOMIC_SEQ_CST) &&
			    __atomic_load_n(&k[1].done, __ATOMIC_SEQ_CST))
				break;
			sched_yield();
		}
		assert_int_equal(n, sizeof(rec));
	}
	file_put(w);
	for (int i = 0; i < READERS; i++) {
		pthread_join(t[i], NULL);
		assert_false(k[i].bad);
	}
	for (int i = 0; i < SEQ_RECORDS; i++)
		assert_int_equal(seen[0][i] + seen[1][i], 1);
	file_put(r);
}

int main(void)
{
	alarm(TIMEOUT_S);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ring_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonblock_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof_and_epipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_waiter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_racing_readers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
