/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-sigintr: checks that signal interruption of system calls behaves
 * as it does natively.
 *
 *  (a) stat-not-interrupted: with a SIGALRM handler installed WITHOUT
 *      SA_RESTART and a 1 ms interval timer, stat("/") is called in a loop
 *      for ~0.3 s. A native stat() never sleeps interruptibly, so it must
 *      never fail with EINTR (a supervisor that lets its own wait leak out
 *      as EINTR breaks this).
 *  (b) read-interrupted: read() on an empty pipe, handler without
 *      SA_RESTART: read must fail with EINTR.
 *  (c) read-restarted: same with SA_RESTART; the first alarm only
 *      interrupts, the second one writes a byte to the pipe from the
 *      handler: read must be restarted (twice) and return that byte.
 *
 * Prints one line per check and exits 0 iff all pass. A watchdog thread
 * (with all signals blocked) ends the program with status 3 after 60 s.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static int pipe_wr = -1;
static volatile sig_atomic_t write_on_alarm; /* write a byte on this alarm number */

static void on_alarm(int sig)
{
	int saved = errno;
	alarms++;
	if (write_on_alarm && alarms == write_on_alarm) {
		char c = 'x';
		if (write(pipe_wr, &c, 1) != 1)
			_exit(4);
	}
	errno = saved;
}

static void set_handler(int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) != 0) {
		perror("helper-sigintr: sigaction");
		exit(2);
	}
}

static void set_timer(long first_us, long interval_us)
{
	struct itimerval it = {
		.it_value = { first_us / 1000000, first_us % 1000000 },
		.it_interval = { interval_us / 1000000, interval_us % 1000000 },
	};
	if (setitimer(ITIMER_REAL, &it, NULL) != 0) {
		perror("helper-sigintr: setitimer");
		exit(2);
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *watchdog(void *arg)
{
	sleep(60);
	fprintf(stderr, "helper-sigintr: watchdog: still running after 60 s, giving up\n");
	_exit(3);
}

static int check_stat(void)
{
	long calls = 0, eintr = 0, other = 0;
	int other_errno = 0;

	alarms = 0;
	write_on_alarm = 0;
	set_handler(0);
	set_timer(1000, 1000);
	double end = now() + 0.3;
	while (now() < end) {
		struct stat st;
		calls++;
		if (stat("/", &st) != 0) {
			if (errno == EINTR) {
				eintr++;
			} else {
				other++;
				other_errno = errno;
			}
		}
	}
	set_timer(0, 0);
	int ok = eintr == 0 && other == 0 && alarms > 0;
	if (ok) {
		printf("stat-not-interrupted ok (%ld calls, %d alarms)\n", calls, (int)alarms);
	} else {
		printf("stat-not-interrupted FAILED: %ld calls, %ld EINTR, %ld other errors%s%s, %d alarms\n",
		       calls, eintr, other, other ? " last: " : "",
		       other ? strerror(other_errno) : "", (int)alarms);
	}
	return ok;
}

static int check_read_interrupted(int rd)
{
	char c;

	alarms = 0;
	write_on_alarm = 0;
	set_handler(0);
	set_timer(100000, 0);
	ssize_t n = read(rd, &c, 1);
	int err = errno;
	set_timer(0, 0);
	int ok = n == -1 && err == EINTR && alarms == 1;
	if (ok)
		printf("read-interrupted ok\n");
	else
		printf("read-interrupted FAILED: read returned %zd (%s), %d alarms\n",
		       n, n < 0 ? strerror(err) : "no error", (int)alarms);
	return ok;
}

static int check_read_restarted(int rd)
{
	char c = 0;

	alarms = 0;
	write_on_alarm = 2;
	set_handler(SA_RESTART);
	set_timer(100000, 100000);
	ssize_t n = read(rd, &c, 1);
	int err = errno;
	set_timer(0, 0);
	write_on_alarm = 0;
	int ok = n == 1 && c == 'x' && alarms >= 2;
	if (ok)
		printf("read-restarted ok (%d alarms)\n", (int)alarms);
	else
		printf("read-restarted FAILED: read returned %zd (%s), byte 0x%02x, %d alarms\n",
		       n, n < 0 ? strerror(err) : "no error", (unsigned char)c, (int)alarms);
	return ok;
}

int main(void)
{
	sigset_t all, old;
	pthread_t wd;
	int p[2];

	setvbuf(stdout, NULL, _IOLBF, 0);

	/* The watchdog must never receive SIGALRM: create it with all blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int err = pthread_create(&wd, NULL, watchdog, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		fprintf(stderr, "helper-sigintr: pthread_create: %s\n", strerror(err));
		return 2;
	}

	if (pipe(p) != 0) {
		perror("helper-sigintr: pipe");
		return 2;
	}
	pipe_wr = p[1];

	int ok = 1;
	ok &= check_stat();
	ok &= check_read_interrupted(p[0]);
	ok &= check_read_restarted(p[0]);
	return ok ? 0 : 1;
}
