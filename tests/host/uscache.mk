# tests/host/uscache.mk: host unit test of the stat cache's table
# (kernel/scheme/uscache.c) and the change stamp it is checked against
# (kernel/scheme/usgen.h): hits only at the kept stamp, keys apart by owner,
# path and flags, eviction within a probe window, forgetting an owner;
# the stamp's moves, in-flight count, abandoned and saturated counts.
HOST_TESTS += uscache
uscache_SRCS := kernel/scheme/uscache.c
