/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding out what the running kernel lets us do. Where no seccomp filter
 * is on facet yet, the kernel answers without a child (probe_in_place());
 * else, and on kernels older than 5.19, a probe child installs throw-away
 * filters (a filter cannot be removed, so the supervisor never installs one
 * on itself) and reports a bit per feature. The child took some 1.4 ms of
 * every start on a VM where loading and freeing a filter is dear. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/seccomp_compat.h"
#include "util/cleanup.h"

enum {
	P_FILTER = 1 << 0, P_NOTIF = 1 << 1, P_ADDFD = 1 << 2, P_SYNC = 1 << 3,
	P_KILLABLE = 1 << 4, P_PIDFD_GETFD = 1 << 5,
};

static int install_allow_filter(unsigned flags)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &insn };
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static int probe_in_child(void)
{
	int bits = 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return 0;
	if (install_allow_filter(0) == 0)
		bits |= P_FILTER;
	int fd = install_allow_filter(SECCOMP_FILTER_FLAG_NEW_LISTENER |
				      SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	if (fd >= 0)
		bits |= P_KILLABLE;
	else
		fd = install_allow_filter(SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (fd < 0)
		return bits;
	bits |= P_NOTIF;
	/* No notification has id 0: a kernel that knows ADDFD says ENOENT. */
	struct seccomp_notif_addfd addfd = { .id = 0, .srcfd = 0, .flags = SECCOMP_ADDFD_FLAG_SEND };
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 && errno == ENOENT)
		bits |= P_ADDFD;
	/* The flags are passed by value, not through a pointer. */
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0)
		bits |= P_SYNC;
	return bits;
}

/* The kernel checks a filter's flags before it reads the program: with no
 * program, a flag it knows fails with EFAULT, one it does not with EINVAL.
 * Nothing is installed. */
static bool filter_flags_known(unsigned long flags)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;
	return uname(&u) == 0 && sscanf(u.release, "%d.%d", &ma, &mi) == 2 &&
	       (ma > major || (ma == major && mi >= minor));
}

/* The probe child's bits without a child, or -1 where only a child can
 * tell: under a filter of someone else's (a listener above us makes the
 * kernel refuse ours with EBUSY, which only an installed filter shows),
 * and before 5.19, where fd injection (5.9, with SEND 5.14) is known only
 * by an ioctl on a listener. From 5.19 on (WAIT_KILLABLE_RECV) both are
 * there. Sync wake-up (6.6) is an ioctl on a listener too: taken from the
 * version here, and tried on the real listener, which turns it off where
 * the kernel refuses it (notify_set_sync_wakeup()). */
static int probe_in_place(void)
{
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0)
		return -1;
	if (!filter_flags_known(0))
		return 0;
	int bits = P_FILTER;
	if (!filter_flags_known(SECCOMP_FILTER_FLAG_NEW_LISTENER))
		return bits;
	if (!filter_flags_known(SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV))
		return -1;
	bits |= P_NOTIF | P_KILLABLE | P_ADDFD;
	if (kernel_at_least(6, 6))
		bits |= P_SYNC;
	return bits;
}

static int probe_by_child(void)
{
	/* vfork: the child shares the supervisor's memory while the
	 * supervisor waits, which spares copying its page tables (a fork
	 * took some 0.1 ms of every start); the filters, the listener and
	 * no_new_privs are the child's own task's and fd table's. */
	pid_t pid = vfork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(probe_in_child());
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0;
}

static bool probe_pidfd_getfd(void)
{
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0)
		return false;
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, pidfd, 0);
	bool ok = fd >= 0;
	if (fd >= 0)
		close(fd);
	close(pidfd);
	return ok;
}

static int features(struct facet_features *f, bool child)
{
	memset(f, 0, sizeof(*f));
	int bits = child ? -1 : probe_in_place();
	if (bits < 0 && (bits = probe_by_child()) < 0)
		return bits;
	f->seccomp_filter = bits & P_FILTER;
	f->user_notif = bits & P_NOTIF;
	f->notif_addfd = bits & P_ADDFD;
	f->sync_wakeup = bits & P_SYNC;
	f->wait_killable = bits & P_KILLABLE;
	f->pidfd_getfd = probe_pidfd_getfd();
	/* PTRACE_GET_SYSCALL_INFO (5.3) on a non-tracee answers ESRCH; an
	 * older kernel says EIO. Real ptrace access is checked at spawn. */
	errno = 0;
	ptrace((enum __ptrace_request)0x420e, getpid(), 0, 0);
	f->get_syscall_info = errno == ESRCH;
	f->ptrace = true;
	return 0;
}

int probe_features(struct facet_features *f)
{
	return features(f, false);
}

int probe_features_by_child(struct facet_features *f)
{
	return features(f, true);
}

int facet_probe(struct facet_features *out)
{
	return probe_features(out);
}
