# tests/host/pipe.mk: host unit test of pipes (kernel/scheme/scheme_pipe.c): the
# ring buffer, end-of-file and EPIPE, allocation failures, and readers and
# writers racing on host threads (tests/host/test_pipe.c).
HOST_TESTS += pipe
pipe_SRCS := kernel/scheme/scheme_pipe.c kernel/scheme/file.c kernel/scheme/uio.c kernel/scheme/scheme.c kernel/scheme/path.c sched/mutex.c kernel/scheme/poll.c \
	tests/host/kstubs.c
pipe_SRCS += tests/host/rlimit_stub.c
pipe_LIBS := -lpthread
# host.mk's rule only knows kernel/, mm/ and syscall/ headers.
$(HOST_BUILD)/test_pipe: sched/mutex.h sched/waitq.h
pipe_SRCS += kernel/scheme/file_spare.c
