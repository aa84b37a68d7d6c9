/*
 * drivers/pl011d/main.c: pl011d, the PL011 serial daemon: start-up and its
 * threads.
 *
 *   pl011d [NODEPATH] [--run PROG [ARG...]]
 *
 * NODEPATH (drvmgr passes it, having narrowed the grant already) is
 * written to grant: to narrow to that node; the registers and interrupt
 * come from grant: ("mem BASE SIZE", "irq N ..."). Mapping the registers
 * through memory: hands the console over (kernel/console.h); then irq:N is
 * claimed, the UART set up, and serial: registered ("serial", or
 * "serialN" if a live daemon has it). Threads: the scheme loop, the
 * interrupt thread, the kernel-log thread and the timer thread (pl011d.h).
 *
 * --run (tests, and systems without init's `console` step): once serving,
 * fork PROG in a new session with serial:0 as its controlling terminal
 * and stdin/stdout/stderr, and exit with its status when it ends, after
 * the output queue drained.
 */
#include "pl011d.h"
#include "pl011_regs.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define GRANT_TEXT_MAX 4096
#define SCHEME_NAME "serial"
#define SCHEME_INSTANCES 8 /* serial, serial1 ... serial7 */
#define EXIT_SETUP 1       /* could not start */
/* No UART in the grant drvmgr gave: a configuration error, which drvmgr
 * does not restart (drivers/drvmgr/backoff.h's BACKOFF_EXIT_CONFIG). */
#define EXIT_NO_DEVICE 2
#define EXIT_NOEXEC 127    /* the shell's status for a program that cannot run */
#define EXIT_SIGNAL_BASE 128 /* the shell's status for death by signal N: 128 + N */

struct port port = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

static void die(const char *what)
{
	fprintf(stderr, "pl011d: %s: %s\n", what, strerror(errno));
	exit(EXIT_SETUP);
}

/* Narrows to node (if given) and finds the first register range and interrupt. */
static void read_grant(const char *node, unsigned long *base, unsigned long *size, unsigned *irq)
{
	char text[GRANT_TEXT_MAX];
	int fd = open("grant:", node ? O_RDWR : O_RDONLY);
	ssize_t n;
	bool have_mem = false, have_irq = false;

	if (fd < 0)
		die("open grant:");
	if (node && write(fd, node, strlen(node)) < 0)
		die(node);
	n = pread(fd, text, sizeof(text) - 1, 0); /* from the start, after the write */
	if (n < 0)
		die("read grant:");
	text[n] = '\0';
	close(fd);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (!have_mem && sscanf(line, "mem %lx %lx", base, size) == 2)
			have_mem = true;
		else if (!have_irq && sscanf(line, "irq %u", irq) == 1)
			have_irq = true;
	}
	if (!have_mem || !have_irq) {
		fprintf(stderr, "pl011d: the grant has no %s\n", have_mem ? "interrupt" : "registers");
		exit(EXIT_NO_DEVICE);
	}
}

static volatile uint32_t *map_regs(unsigned long base, unsigned long size)
{
	int fd = open("memory:", O_RDWR);
	void *m;

	if (fd < 0)
		die("open memory:");
	if (size < PL011_REGS_SIZE)
		size = PL011_REGS_SIZE;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	if (m == MAP_FAILED)
		die("map the registers");
	close(fd);
	return m;
}

static int register_scheme(void)
{
	char name[16] = SCHEME_NAME;

	for (int i = 0; i < SCHEME_INSTANCES; i++) {
		int fd;

		if (i)
			snprintf(name, sizeof(name), SCHEME_NAME "%d", i);
		fd = scheme_register_name(name, O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			die("register serial");
	}
	die("register serial");
	return -1;
}

/* Waits for the UART's interrupt, services it, acknowledges it. */
static void *irq_thread(void *arg)
{
	char path[32];
	int fd;

	(void)arg;
	snprintf(path, sizeof(path), "irq:%u", port.irq);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(path);
	for (;;) {
		uint64_t fired;

		if (read(fd, &fired, sizeof(fired)) != sizeof(fired)) {
			if (errno == EINTR)
				continue;
			die("wait for the interrupt");
		}
		pthread_mutex_lock(&port.lock);
		uart_service(&port);
		serial_progress(&port);
		pthread_cond_broadcast(&port.space);
		pthread_mutex_unlock(&port.lock);
		if (write(fd, &fired, sizeof(fired)) != sizeof(fired))
			die("acknowledge the interrupt");
	}
	return NULL;
}

static void start_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	errno = pthread_create(&t, NULL, fn, arg);
	if (errno)
		die("start a thread");
	pthread_detach(t);
}

/* The --run child: a session of its own with this terminal as its
 * controlling terminal (opening it as a session leader takes it). */
static void run_child(char **argv)
{
	int fd;

	setsid();
	fd = open(SCHEME_NAME ":0", O_RDWR);
	if (fd < 0) {
		perror("pl011d: open serial:0");
		_exit(EXIT_SETUP);
	}
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	execv(argv[0], argv);
	perror(argv[0]);
	_exit(EXIT_NOEXEC);
}

/* Waits for the --run child, lets the output drain, exits with its status. */
static void *wait_thread(void *arg)
{
	pid_t pid = (pid_t)(intptr_t)arg;
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	pthread_mutex_lock(&port.lock);
	while (ldisc_output_pending(&port.ld))
		pthread_cond_wait(&port.space, &port.lock);
	pthread_mutex_unlock(&port.lock);
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_SIGNAL_BASE + WTERMSIG(status));
}

int main(int argc, char **argv)
{
	const char *node = NULL;
	char **run = NULL;
	unsigned long base, size;
	static int kmsg_doorbell;
	pthread_condattr_t mono;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--run") == 0 && i + 1 < argc) {
			run = argv + i + 1;
			break;
		}
		node = argv[i];
	}
	read_grant(node, &base, &size, &port.irq);
	port.regs = map_regs(base, size); /* the kernel lets go of the console */
	/* Both start at the hand-over (kernel/scheme/scheme_kmsg.c): opened
	 * before either is read. */
	port.kmsg_fd = open("kmsg:", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	kmsg_doorbell = open("kmsg:", O_RDONLY | O_CLOEXEC);
	if (port.kmsg_fd < 0 || kmsg_doorbell < 0)
		die("open kmsg:");
	pthread_condattr_init(&mono);
	pthread_condattr_setclock(&mono, CLOCK_MONOTONIC); /* read timers: not the wall clock */
	pthread_cond_init(&port.timers, &mono);
	pthread_cond_init(&port.space, &mono); /* kmsg.c's hold is timed */
	ldisc_init(&port.ld);
	uart_init(&port);
	port.srv.fd = register_scheme();
	port.srv.priv = &port;
	serial_init_ops(&port.srv);
	start_thread(irq_thread, NULL);
	start_thread(kmsg_thread, &kmsg_doorbell);
	start_thread(serial_timer_thread, &port);
	if (run) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			run_child(run);
		start_thread(wait_thread, (void *)(intptr_t)pid);
	}
	errno = scheme_serve(&port.srv);
	die("serve");
}
