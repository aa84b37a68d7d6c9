/*
 * drivers/pl031d/rtctime.h: the rtc: scheme's data, independent of the
 * IPC and of the hardware (host-tested, tests/host/test_pl031.c): Linux's
 * struct rtc_time (<linux/rtc.h>, the RTC_RD_TIME / RTC_SET_TIME ioctls)
 * to and from seconds since the epoch, UTC, and the text form a read and
 * a write of rtc: use: decimal seconds since the epoch and a newline.
 * The PL031 counts seconds in 32 bits: times from 1970 to 2106-02-07.
 */
#ifndef DRIVERS_PL031D_RTCTIME_H
#define DRIVERS_PL031D_RTCTIME_H

#include <stddef.h>
#include <stdint.h>

/* Linux's struct rtc_time (include/uapi/linux/rtc.h): struct tm's first
 * nine fields; tm_year counts from 1900, tm_mon from 0. */
struct rtc_time {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
};
#define RTC_TIME_SIZE 36
_Static_assert(sizeof(struct rtc_time) == RTC_TIME_SIZE, "struct rtc_time is Linux's");

/* Linux's ioctl numbers: _IOR('p', 0x09, struct rtc_time) and
 * _IOW('p', 0x0a, struct rtc_time) (asm-generic/ioctl.h encoding). */
#define RTC_IOC_TYPE 'p'
#define RTC_IOC_READ_DIR 2u
#define RTC_IOC_WRITE_DIR 1u
#define RTC_IOC(dir, nr) (((dir) << 30) | ((unsigned)RTC_TIME_SIZE << 16) | \
			  ((unsigned)RTC_IOC_TYPE << 8) | (nr))
#define RTC_RD_TIME RTC_IOC(RTC_IOC_READ_DIR, 0x09u)
#define RTC_SET_TIME RTC_IOC(RTC_IOC_WRITE_DIR, 0x0Au)

/* The largest count the hardware holds. */
#define RTCTIME_MAX UINT32_MAX
/* The text of a read: up to 10 digits and a newline. */
#define RTCTIME_TEXT_MAX 12

/* secs as broken-down UTC time (wday and yday filled, isdst 0). */
void rtctime_to_tm(uint64_t secs, struct rtc_time *tm);
/* tm as seconds: 0, or -EINVAL unless every field is in range (sec 0-59,
 * min 0-59, hour 0-23, mday within the month, mon 0-11) and the time is
 * between the epoch and RTCTIME_MAX; wday, yday, isdst are ignored. */
int rtctime_from_tm(const struct rtc_time *tm, uint64_t *secs);

/* secs as text into buf (RTCTIME_TEXT_MAX bytes); its length. */
size_t rtctime_format(uint64_t secs, char *buf);
/* Text of len bytes (decimal, one optional trailing newline) as seconds:
 * 0, or -EINVAL for anything else or past RTCTIME_MAX. */
int rtctime_parse(const char *text, size_t len, uint64_t *secs);

#endif
