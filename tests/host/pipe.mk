# tests/host/pipe.mk: host unit test of pipes (kernel/scheme_pipe.c): the
# ring buffer, end-of-file and EPIPE, allocation failures, and readers and
# writers racing on host threads (tests/host/test_pipe.c).
HOST_TESTS += pipe
pipe_SRCS := kernel/scheme_pipe.c kernel/file.c kernel/uio.c kernel/scheme.c kernel/path.c sched/mutex.c kernel/poll.c \
	tests/host/kstubs.c
pipe_LIBS := -lpthread
# host.mk's rule only knows kernel/, mm/ and syscall/ headers.
$(HOST_BUILD)/test_pipe: sched/mutex.h sched/waitq.h
