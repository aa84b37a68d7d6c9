/*
 * tests/host/elf_fixture.c: a tiny freestanding AArch64 program, linked
 * static (build/host/hello.elf) and static-pie (build/host/hello-pie.elf) by
 * tests/host/elf.mk, for test_elf to parse as real toolchain output. It has
 * text, read-only data, initialized data, bss and TLS (.tdata and .tbss);
 * tls_counter is the only .tdata object, so the TLS initialization image
 * starts with ELF_FIXTURE_TLS_INIT. It is never run.
 */
#define ELF_FIXTURE_TLS_INIT 0x7e1f0123

__thread int tls_counter = ELF_FIXTURE_TLS_INIT;
__thread char tls_zero[64];
volatile int data_word = 42;
volatile char bss_buf[8192];
const char greeting[] = "hello";

__attribute__((noreturn)) void _start(void)
{
	tls_zero[1] = (char)tls_counter;
	bss_buf[0] = (char)(data_word + tls_zero[1] + greeting[0]);

	/* exit(bss_buf[0]) */
	register long x8 __asm__("x8") = 93;
	register long x0 __asm__("x0") = bss_buf[0];
	__asm__ volatile("svc #0" : : "r"(x8), "r"(x0) : "memory");
	for (;;)
		;
}
