# tests/host/pl031.mk: host unit test of pl031d's pure parts: the calendar
# and text forms of rtc: (drivers/pl031d/rtctime.c, against libc's gmtime_r
# and timegm) and a driver's grant text (drivers/devgrant/devgrant.c).
HOST_TESTS += pl031
pl031_SRCS := drivers/pl031d/rtctime.c drivers/devgrant/devgrant.c
