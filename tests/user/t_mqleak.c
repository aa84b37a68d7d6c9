/*
 * t_mqleak: a message queue gives back all it took (Anode only: it reads
 * sys:meminfo). Rounds of: create a queue, fill it with full-size
 * messages, receive some, open a second descriptor and fork (the child
 * sends through the inherited one), unlink, close both; after warm-up
 * rounds, MemFree and KernelHeap must not change over ROUNDS more.
 * Prints "PASS: t_mqleak" or "FAIL: t_mqleak: <reason>".
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meminfo.h"

#define TEST_NAME "t_mqleak"
#include "check.h"

#define Q "/t_mqleak"
#define WARMUP_ROUNDS 3
#define ROUNDS 30
#define MAXMSG 10
#define MSGSIZE 8192
#define RECEIVED 4

static char msg[MSGSIZE];

static void read_meminfo(unsigned long *free_kb, unsigned long *heap_kb)
{
	int err = meminfo_load();

	CHECK(!err, "reading %s: %s", MEMINFO, strerror(err));
	CHECK(meminfo_get("MemFree", free_kb) >= 0, "no MemFree line");
	if (meminfo_get("KernelHeap", heap_kb) < 0)
		*heap_kb = 0;
}

static void round_trip(int round)
{
	struct mq_attr a = { .mq_maxmsg = MAXMSG, .mq_msgsize = MSGSIZE };
	mqd_t q = mq_open(Q, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &a), q2;
	int st;
	pid_t pid;

	CHECK(q != -1, "round %d: mq_open: %s", round, strerror(errno));
	for (int i = 0; i < MAXMSG - 1; i++)
		CHECK(mq_send(q, msg, MSGSIZE, (unsigned)i) == 0, "send %d: %s", i, strerror(errno));
	for (int i = 0; i < RECEIVED; i++)
		CHECK(mq_receive(q, msg, MSGSIZE, NULL) == MSGSIZE, "receive %d", i);
	q2 = mq_open(Q, O_RDWR);
	CHECK(q2 != -1, "second descriptor: %s", strerror(errno));
	pid = fork();
	if (pid == 0)
		_exit(mq_send(q2, msg, MSGSIZE, 0) ? 1 : 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st), "child send");
	CHECK(mq_unlink(Q) == 0, "unlink: %s", strerror(errno));
	mq_close(q);
	mq_close(q2);
}

int main(void)
{
	unsigned long free0, heap0, free1, heap1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mq_unlink(Q);
	read_meminfo(&free0, &heap0); /* warm up the read path too */
	for (int i = 0; i < WARMUP_ROUNDS; i++)
		round_trip(i);
	read_meminfo(&free0, &heap0);
	for (int i = 0; i < ROUNDS; i++)
		round_trip(i);
	read_meminfo(&free1, &heap1);
	printf("t_mqleak: MemFree %lu -> %lu kB, KernelHeap %lu -> %lu kB after %d rounds\n", free0,
	       free1, heap0, heap1, ROUNDS);
	CHECK(free1 == free0 && heap1 == heap0, "memory changed over %d queue rounds", ROUNDS);
	printf("PASS: t_mqleak\n");
	return 0;
}
