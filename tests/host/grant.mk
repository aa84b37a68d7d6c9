# tests/host/grant.mk: host unit test of the device-rights sets
# (kernel/scheme/grant.c): adding and merging ranges, removing with splits, the
# intersection that narrowing uses, containment, interrupts, references.
HOST_TESTS += grant
grant_SRCS := kernel/scheme/grant.c tests/host/kstubs.c
grant_LIBS := -lpthread
$(HOST_BUILD)/test_grant: sched/waitq.h
