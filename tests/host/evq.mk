# tests/host/evq.mk: host unit test of readiness (kernel/poll.c) and event
# queues (kernel/evq.c) over real pipes (tests/host/test_evq.c): level,
# edge and one-shot bookkeeping, ctl errors, a blocked wait woken by a
# writer thread.
HOST_TESTS += evq
evq_SRCS := kernel/evq.c kernel/poll.c kernel/scheme_pipe.c kernel/file.c kernel/uio.c kernel/scheme.c \
	kernel/path.c sched/mutex.c tests/host/kstubs.c
evq_LIBS := -lpthread
# host.mk's rule only knows kernel/, mm/ and syscall/ headers.
$(HOST_BUILD)/test_evq: sched/mutex.h sched/waitq.h
