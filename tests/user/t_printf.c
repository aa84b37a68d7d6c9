/*
 * t_printf: formatted output through musl's stdio to standard output.
 *
 * Each case is formatted with snprintf and compared with the expected text,
 * then printed with printf, whose return value must be the text's length.
 * The floating-point cases also check that the FP/SIMD registers work in
 * user space. Prints "PASS: t_printf" or "FAIL: t_printf: <reason>".
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

/* Format with fmt, compare with want, then print the same with printf. */
__attribute__((format(printf, 2, 3)))
static void check(const char *want, const char *fmt, ...)
{
	char got[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	if (n != (int)strlen(want) || strcmp(got, want) != 0) {
		printf("t_printf: format \"%s\": got \"%s\" (%d), want \"%s\"\n",
		       fmt, got, n, want);
		failures++;
		return;
	}
	va_start(ap, fmt);
	int m = vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (m != n) {
		printf("t_printf: printf \"%s\" returned %d, want %d\n", fmt, m, n);
		failures++;
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("t_printf: start\n");

	check("int 42 -17 0", "int %d %i %d", 42, -17, 0);
	check("unsigned 4294967295", "unsigned %u", UINT_MAX);
	check("hex ff FF 0xff 0XFF", "hex %x %X %#x %#X", 255, 255, 255, 255);
	check("octal 755 0755", "octal %o %#o", 0755, 0755);
	check("long -9223372036854775808", "long %ld", LONG_MIN);
	check("ullong 18446744073709551615", "ullong %llu", ULLONG_MAX);
	check("size 123 ptrdiff -4", "size %zu ptrdiff %td", (size_t)123, (ptrdiff_t)-4);
	check("intmax 9223372036854775807", "intmax %jd", INTMAX_MAX);
	check("width [   42] [42   ] [00042] [+42] [ 42]",
	      "width [%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	check("star [  7] [7  ]", "star [%*d] [%-*d]", 3, 7, 3, 7);
	check("string [abc] [  abc] [abc  ] [ab]",
	      "string [%s] [%5s] [%-5s] [%.2s]", "abc", "abc", "abc", "abc");
	check("char A% done", "char %c%% done", 'A');
	check("pointer 0x1234", "pointer %p", (void *)0x1234);
	check("float 3.141593 3.14 -0.50", "float %f %.2f %.2f", 3.14159265, 3.14159265, -0.5);
	check("exp 1.500000e+03 1.5E-07", "exp %e %.1E", 1500.0, 1.5e-7);
	check("general 0.0001 1e+10 100", "general %g %g %g", 0.0001, 1e10, 100.0);
	check("hexfloat 0x1p+0", "hexfloat %a", 1.0);
	check("big 1e+300 inf nan", "big %g %g %g", 1e300, __builtin_inf(), __builtin_nan(""));

	if (fflush(stdout) != 0 || ferror(stdout)) {
		printf("FAIL: t_printf: error writing standard output\n");
		return 1;
	}
	if (failures) {
		printf("FAIL: t_printf: %d format(s) wrong\n", failures);
		return 1;
	}
	printf("PASS: t_printf\n");
	return 0;
}
