# Path-to-scheme resolution.
HOST_TESTS += path
path_SRCS := kernel/scheme/path.c
