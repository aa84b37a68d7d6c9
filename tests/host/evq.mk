# tests/host/evq.mk: host unit test of readiness (kernel/scheme/poll.c) and event
# queues (kernel/scheme/evq.c) over real pipes (tests/host/test_evq.c): level,
# edge and one-shot bookkeeping, ctl errors, a blocked wait woken by a
# writer thread.
HOST_TESTS += evq
evq_SRCS := kernel/scheme/evq.c kernel/scheme/poll.c kernel/scheme/scheme_pipe.c kernel/scheme/file.c kernel/scheme/uio.c kernel/scheme/scheme.c \
	kernel/scheme/path.c sched/mutex.c tests/host/kstubs.c
evq_SRCS += tests/host/rlimit_stub.c
evq_LIBS := -lpthread
# host.mk's rule only knows kernel/, mm/ and syscall/ headers.
$(HOST_BUILD)/test_evq: sched/mutex.h sched/waitq.h
evq_SRCS += kernel/scheme/file_spare.c
