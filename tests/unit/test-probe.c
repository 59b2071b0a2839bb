/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's features as facet finds them at every start, without a
 * probe child where it can (probe.c), against what a probe child finds by
 * installing filters and asking its listener: they must agree, else a
 * session would pick a back end or a route the kernel does not have.
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "core/internal.h"

int main(void)
{
	struct facet_features fast, child;
	if (probe_features(&fast) < 0 || probe_features_by_child(&child) < 0) {
		printf("FAIL: probing\n");
		return 1;
	}
	int failures = 0;
#define SAME(field)                                                                               \
	do {                                                                                      \
		if (fast.field != child.field) {                                                  \
			printf("FAIL: %s: %d without a child, %d with one\n", #field, fast.field,  \
			       child.field);                                                      \
			failures++;                                                               \
		}                                                                                 \
	} while (0)
	SAME(seccomp_filter);
	SAME(user_notif);
	SAME(notif_addfd);
	SAME(sync_wakeup);
	SAME(wait_killable);
	SAME(ptrace);
	SAME(get_syscall_info);
	SAME(pidfd_getfd);
	printf("seccomp filter %d, user notification %d, fd injection %d, sync wake-up %d, killable wait %d%s\n",
	       child.seccomp_filter, child.user_notif, child.notif_addfd, child.sync_wakeup, child.wait_killable,
	       prctl(PR_GET_SECCOMP, 0, 0, 0, 0) ? " (under a filter: both by a child)" : "");
	return failures ? 1 : 0;
}
