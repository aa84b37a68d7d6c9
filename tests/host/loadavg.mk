# tests/host/loadavg.mk: host unit test of the load average
# (sched/loadavg.c): Linux's fixed-point decay and its 5 s period.
HOST_TESTS += loadavg
loadavg_SRCS := sched/loadavg.c
