# tests/host/timer.mk: declares the host unit test of kernel/timer.c
# (tests/host/test_timer.c): one-shot events on a fake counter, and
# timer_cancel against a handler running on another thread (a second CPU).
HOST_TESTS += timer
timer_SRCS := kernel/timer.c
timer_LIBS := -lpthread
