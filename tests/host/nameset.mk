# tests/host/nameset.mk: host unit test of namespace name sets
# (kernel/scheme/nameset.c): parsing the list anode_setns takes, its limits, and
# intersection.
HOST_TESTS += nameset
nameset_SRCS := kernel/scheme/nameset.c
