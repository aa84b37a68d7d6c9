# The file descriptor table (file references stubbed in the test).
HOST_TESTS += fdtable
fdtable_SRCS := kernel/scheme/fdtable.c
fdtable_SRCS += tests/host/rlimit_stub.c
