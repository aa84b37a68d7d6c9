# tests/host/failinject.mk: host unit test of the allocation fault-injection
# rule (mm/failinject.c): parsing failalloc= values and which allocations fail.
HOST_TESTS += failinject
failinject_SRCS := mm/failinject.c
