# tests/host/format.mk: host unit test of the printf engine, kernel/format.c.
HOST_TESTS += format
format_SRCS := kernel/format.c
