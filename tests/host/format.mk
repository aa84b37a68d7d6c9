# tests/host/format.mk: host unit test of the printf engine, kernel/lib/format.c.
HOST_TESTS += format
format_SRCS := kernel/lib/format.c
