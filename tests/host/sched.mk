# tests/host/sched.mk: declares the host unit test of the scheduling policy
# (tests/host/test_sched.c on sched/policy.c).
HOST_TESTS += sched
sched_SRCS := sched/policy.c
