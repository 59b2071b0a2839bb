/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the runtime does with each call the filter hands it: the signal
 * calls that would take SIGSYS from it are served here; every other call
 * goes on to the supervisor, as it would have without the runtime.
 */
#include <asm/unistd.h>

#include "rt/rt.h"

long rt_call(long nr, const long a[6])
{
	switch (nr) {
	case __NR_rt_sigaction:
	case __NR_rt_sigprocmask:
	case __NR_rt_sigsuspend:
	case __NR_ppoll:
	case __NR_pselect6:
	case __NR_epoll_pwait:
	case __NR_epoll_pwait2:
		return rt_signal_call(nr, a);
	default:
		return rt_forward(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}
