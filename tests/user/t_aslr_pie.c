/*
 * tests/user/t_aslr_pie.c: t_aslr built as a static-pie program
 * (user/user.mk gives it -static-pie), so its probes also see the load
 * address move (t_aslr.c checks the code address when __PIE__ says so).
 */
#define TEST_NAME "t_aslr_pie"
#include "t_aslr.c"
