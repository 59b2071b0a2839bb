/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Nothing escapes: every task the tree creates stays traced.
 *
 * PTRACE_O_TRACECLONE/FORK/VFORK attach every new task as it is created,
 * except one made with CLONE_UNTRACED: that child would run unsupervised,
 * outlive a killed supervisor (PTRACE_O_EXITKILL covers tracees only), and
 * get ENOSYS from every SECCOMP_RET_TRACE rule, since nobody traces it.
 * So the calls that can ask for CLONE_UNTRACED always reach the supervisor
 * on the ptrace route, and the flag is cleared in the registers (clone) or
 * in a copy of the argument structure (clone3) before the kernel runs them.
 * Engines still see the arguments as the program passed them.
 *
 * A task that reaches the supervisor without having been attached (which
 * the above should make impossible) is attached on sight (keep_traced_adopt).
 */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "core/internal.h"
#include "core/regs.h"
#include "machine.h" /* src/core/arch/<arch>/: ARCH_STACK_RED_ZONE */

/* struct clone_args of Linux 5.3 (CLONE_ARGS_SIZE_VER0); the kernel refuses
 * smaller ones and, beyond a page, larger ones. */
#define CLONE_ARGS_MIN 64
#define CLONE_ARGS_MAX 4096

/* Below the stack pointer, past the red zone the ABI reserves for the
 * interrupted code (and some room to spare): free memory that nothing else
 * knows about. */
#define STACK_SCRATCH_GAP (ARCH_STACK_RED_ZONE + 128)

bool keep_traced_nr(long nr, uint64_t *clone_flags_mask)
{
	*clone_flags_mask = 0;
	if (nr == SYS_clone) {
		*clone_flags_mask = CLONE_UNTRACED;
		return true;
	}
	return nr == SYS_clone3; /* its flags are in memory: always */
}

/* clone3 asking for CLONE_UNTRACED: the kernel reads a copy without it,
 * written below the stack pointer. Returns true if args[0] now points there. */
static bool clone3_copy_traced(struct facet_task *t, uint64_t args[6])
{
	uint64_t size = args[1];
	if (size < CLONE_ARGS_MIN || size > CLONE_ARGS_MAX)
		return false; /* the kernel fails it with EINVAL or E2BIG */
	char buf[CLONE_ARGS_MAX];
	if (facet_mem_read(t, args[0], buf, size) != (ssize_t)size)
		return false; /* EFAULT: the kernel says so itself */
	uint64_t flags;
	memcpy(&flags, buf, sizeof(flags));
	if (!(flags & CLONE_UNTRACED))
		return false;
	flags &= ~(uint64_t)CLONE_UNTRACED;
	memcpy(buf, &flags, sizeof(flags));
	uint64_t sp;
	if (regs_stack_pointer(t->tid, &sp) < 0)
		return false;
	uint64_t copy = (sp - STACK_SCRATCH_GAP - size) & ~(uint64_t)15;
	if (facet_mem_write(t, copy, buf, size) != (ssize_t)size)
		return false;
	args[0] = copy;
	return true;
}

bool keep_traced_args(struct facet_task *t, long nr, uint64_t args[6])
{
	if (nr == SYS_clone && (args[0] & CLONE_UNTRACED)) {
		args[0] &= ~(uint64_t)CLONE_UNTRACED;
		return true;
	}
	if (nr == SYS_clone3)
		return clone3_copy_traced(t, args);
	return false;
}

int keep_traced_adopt(struct facet_session *s, pid_t tid)
{
	if (ptrace(PTRACE_SEIZE, tid, 0, SPAWN_PTRACE_OPTIONS) == 0)
		return 0;
	int err = errno;
	/* Traced by someone else: it cannot be supervised, so it must not run. */
	kill(tid, SIGKILL);
	return -err;
}
