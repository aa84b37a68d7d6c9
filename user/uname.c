/*
 * uname: print system information from uname(2).
 *
 *   uname [-asnrvm]   -s kernel name (the default), -n node name,
 *                     -r release, -v version, -m machine, -a all of them
 */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

enum { S = 1, N = 2, R = 4, V = 8, M = 16, ALL = S | N | R | V | M };

int main(int argc, char *argv[])
{
	struct utsname u;
	int opt, which = 0;

	while ((opt = getopt(argc, argv, "asnrvm")) != -1) {
		switch (opt) {
		case 'a': which |= ALL; break;
		case 's': which |= S; break;
		case 'n': which |= N; break;
		case 'r': which |= R; break;
		case 'v': which |= V; break;
		case 'm': which |= M; break;
		default:
			fprintf(stderr, "usage: uname [-asnrvm]\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "uname: extra operand '%s'\n", argv[optind]);
		return 2;
	}
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	if (!which)
		which = S;

	const char *field[] = { u.sysname, u.nodename, u.release, u.version, u.machine };
	const char *sep = "";
	for (int i = 0; i < 5; i++) {
		if (which & (1 << i)) {
			printf("%s%s", sep, field[i]);
			sep = " ";
		}
	}
	putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}
