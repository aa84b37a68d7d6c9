# tests/host/file.mk: host unit test of the file layer and the scheme
# registry (tests/host/test_file.c) with the sleeping mutex it uses, on the
# host stand-ins of tests/host/kstubs.c (pthreads for the racing threads).
HOST_TESTS += file
file_SRCS := kernel/scheme/file.c kernel/scheme/uio.c kernel/scheme/scheme.c kernel/scheme/path.c sched/mutex.c tests/host/kstubs.c
file_SRCS += tests/host/rlimit_stub.c
file_LIBS := -lpthread
# host.mk's rule only knows kernel/, mm/ and syscall/ headers.
$(HOST_BUILD)/test_file: sched/mutex.h sched/waitq.h
file_SRCS += kernel/scheme/file_spare.c
