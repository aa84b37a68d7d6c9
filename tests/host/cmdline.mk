# tests/host/cmdline.mk: host unit test of the command-line parser.
HOST_TESTS += cmdline
cmdline_SRCS := kernel/cmdline.c
