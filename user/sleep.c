/*
 * sleep: pause for a number of seconds.
 *
 *   sleep SECONDS...   each a decimal number such as 2, 0.5 or .25; several
 *                      are added up
 *
 * The number is parsed exactly (no floating point) to nanoseconds, and the
 * pause is one nanosleep, resumed with the remaining time if interrupted.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

/* Parse "123.456" into *ts; 0, or -1 if s is not such a number. */
static int parse_seconds(const char *s, struct timespec *ts)
{
	long long sec = 0;
	long nsec = 0, scale = 100000000;
	int seen = 0;

	for (; *s >= '0' && *s <= '9'; s++, seen = 1) {
		if (sec > 1000000000LL)
			return -1;
		sec = sec * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, seen = 1) {
			nsec += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (!seen || *s)
		return -1;
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = nsec;
	return 0;
}

int main(int argc, char *argv[])
{
	struct timespec total = { 0, 0 };

	if (argc < 2) {
		fprintf(stderr, "usage: sleep SECONDS...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct timespec ts;
		if (parse_seconds(argv[i], &ts) < 0) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
			return 2;
		}
		total.tv_sec += ts.tv_sec;
		total.tv_nsec += ts.tv_nsec;
		if (total.tv_nsec >= 1000000000L) {
			total.tv_nsec -= 1000000000L;
			total.tv_sec++;
		}
	}
	while (nanosleep(&total, &total) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
	}
	return 0;
}
