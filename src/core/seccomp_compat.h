/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Constants the kernel has but the build machine's headers may lack. */
#ifndef FACET_CORE_SECCOMP_COMPAT_H
#define FACET_CORE_SECCOMP_COMPAT_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

/* Kernel-internal restart codes (include/linux/errno.h), seen by tracers:
 * ERESTARTSYS becomes EINTR for a handler without SA_RESTART;
 * ERESTARTNOINTR always restarts the call after the handler. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTART_RESTARTBLOCK 516 /* the last of them */

#endif
