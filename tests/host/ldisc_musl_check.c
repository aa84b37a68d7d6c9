/*
 * tests/host/ldisc_musl_check.c: compiled (not run) for AArch64 against
 * musl, the daemons' libc: musl's struct termios is the 60-byte libc one
 * (NCCS 32 and two speed words) whose first 36 bytes are exactly what
 * TCGETS/TCSETS move, laid out as struct ld_termios; and musl's constants
 * are the library's LD_ ones. A mismatch fails the build.
 */
#include <stddef.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "drivers/tty/ldisc.h"

#define MUSL_TERMIOS_SIZE 60
_Static_assert(sizeof(struct termios) == MUSL_TERMIOS_SIZE, "libc termios is 60 bytes");
_Static_assert(offsetof(struct termios, c_iflag) == offsetof(struct ld_termios, c_iflag), "iflag");
_Static_assert(offsetof(struct termios, c_oflag) == offsetof(struct ld_termios, c_oflag), "oflag");
_Static_assert(offsetof(struct termios, c_cflag) == offsetof(struct ld_termios, c_cflag), "cflag");
_Static_assert(offsetof(struct termios, c_lflag) == offsetof(struct ld_termios, c_lflag), "lflag");
_Static_assert(offsetof(struct termios, c_line) == offsetof(struct ld_termios, c_line), "line");
_Static_assert(offsetof(struct termios, c_cc) == offsetof(struct ld_termios, c_cc), "cc");
_Static_assert(sizeof(struct winsize) == sizeof(struct ld_winsize), "winsize");
_Static_assert(VINTR == LD_VINTR && VERASE == LD_VERASE && VKILL == LD_VKILL &&
	       VEOF == LD_VEOF && VTIME == LD_VTIME && VMIN == LD_VMIN &&
	       VSUSP == LD_VSUSP && VWERASE == LD_VWERASE && VLNEXT == LD_VLNEXT &&
	       VEOL2 == LD_VEOL2, "c_cc indices");
_Static_assert(ICRNL == LD_ICRNL && INLCR == LD_INLCR && IGNCR == LD_IGNCR &&
	       IUTF8 == LD_IUTF8 && OPOST == LD_OPOST && ONLCR == LD_ONLCR &&
	       ICANON == LD_ICANON && ECHO == LD_ECHO && ECHOE == LD_ECHOE &&
	       ECHOK == LD_ECHOK && ECHONL == LD_ECHONL && ECHOCTL == LD_ECHOCTL &&
	       ECHOKE == LD_ECHOKE && ISIG == LD_ISIG && IEXTEN == LD_IEXTEN &&
	       NOFLSH == LD_NOFLSH && TOSTOP == LD_TOSTOP, "flags");
_Static_assert(TCGETS == LD_TCGETS && TCSETS == LD_TCSETS && TCSETSW == LD_TCSETSW &&
	       TCSETSF == LD_TCSETSF && TCSBRK == LD_TCSBRK && TCFLSH == LD_TCFLSH &&
	       TIOCSCTTY == LD_TIOCSCTTY && TIOCGPGRP == LD_TIOCGPGRP &&
	       TIOCSPGRP == LD_TIOCSPGRP && TIOCOUTQ == LD_TIOCOUTQ &&
	       TIOCGWINSZ == LD_TIOCGWINSZ && TIOCSWINSZ == LD_TIOCSWINSZ &&
	       FIONREAD == LD_FIONREAD && TIOCNOTTY == LD_TIOCNOTTY &&
	       TIOCGSID == LD_TIOCGSID, "ioctls");
_Static_assert(SIGINT == LD_SIGINT && SIGQUIT == LD_SIGQUIT && SIGTSTP == LD_SIGTSTP &&
	       SIGTTIN == LD_SIGTTIN && SIGTTOU == LD_SIGTTOU && SIGWINCH == LD_SIGWINCH &&
	       SIGHUP == LD_SIGHUP && SIGCONT == LD_SIGCONT, "signals");
