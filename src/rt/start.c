/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Starting the runtime in a process, and its SIGSYS handler: the door
 * through which the filter hands it the program's calls.
 */
#include <asm/unistd.h>
#include <stdint.h>

#include "loader/lib.h"
#include "context.h"
#include "rt/rt.h"
#include "rt/sys.h"

#define RT_SYS_SECCOMP 1	/* si_code of a SIGSYS from a seccomp filter */

/* The kernel's siginfo for SIGSYS (<asm-generic/siginfo.h>). */
struct rt_siginfo {
	int32_t signo, errnum, code, pad;
	uint64_t call_addr;
	int32_t syscall;
	uint32_t arch;
	uint8_t rest[128 - 32];
};

struct rt_config rt_config;

static void on_sigsys(int sig, struct rt_siginfo *si, void *ucv)
{
	struct rt_ucontext *uc = ucv;
	if (si->code != RT_SYS_SECCOMP || (uint32_t)si->errnum != RT_TRAP_DATA) {
		rt_program_sigsys(sig, si, uc);
		return;
	}
	long a[6];
	rt_context_args(uc, a);
	rt_context_set_result(uc, rt_call(si->syscall, a));
}

long rt_start(const struct rt_config *config)
{
	memcpy(&rt_config, config, sizeof(rt_config));
	/* SA_NODEFER: a handler of the program that runs while the runtime
	 * serves a call may make calls the runtime serves too. SA_ONSTACK:
	 * where the program has an alternate stack, signals go there (Go
	 * needs it for its goroutines' small stacks). */
	struct rt_sigaction sa = {
		.handler = (unsigned long)on_sigsys,
		.flags = RT_SA_SIGINFO | RT_SA_ONSTACK | RT_SA_NODEFER | RT_SA_RESTORER | RT_SA_RESTART,
		.restorer = (unsigned long)rt_restorer,
	}, old;
	long r = rt_syscall(__NR_rt_sigaction, RT_SIGSYS, &sa, &old, RT_SIGSET_SIZE, 0, 0);
	if (r < 0)
		return r;
	rt_signals_start(&old);
	/* A blocked SIGSYS would turn the first trap into a kill. */
	rt_sigset sys = RT_SIG_BIT(RT_SIGSYS);
	return rt_syscall(__NR_rt_sigprocmask, RT_SIG_UNBLOCK, &sys, 0, RT_SIGSET_SIZE, 0, 0);
}
