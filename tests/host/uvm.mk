# tests/host/uvm.mk: the pure parts of user address spaces (region list,
# protection policy, checked range arithmetic); the heap is stubbed in the test.
HOST_TESTS += uvm
uvm_SRCS := mm/vma.c mm/uprot.c
