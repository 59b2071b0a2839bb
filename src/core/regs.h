/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-architecture register access at a ptrace stop (src/core/arch/<arch>/regs.c). */
#ifndef FACET_CORE_REGS_H
#define FACET_CORE_REGS_H

#include <stdint.h>
#include <sys/types.h>

/* The registers are read once per stop and kept until the task runs
 * again: every resume, and every new stop or notification, forgets them. */
void regs_forget(void);

/* Make the call at this seccomp stop not run, and return `retval` instead. */
int regs_skip_syscall(pid_t tid, int64_t retval);
/* Replace the six argument registers of the call at this stop. */
int regs_set_args(pid_t tid, const uint64_t args[6]);

/* At a signal-delivery stop: the interrupted call's number (-1 if none) and
 * the value in the return register. */
int regs_syscall_state(pid_t tid, long *nr, int64_t *ret);
/* The stack pointer of the stopped task. */
int regs_stack_pointer(pid_t tid, uint64_t *sp);
/* The instruction pointer of the stopped task, and setting it (a trap
 * the supervisor caused re-runs its instruction: core/view/patch.c). */
int regs_ip(pid_t tid, uint64_t *ip);
int regs_set_ip(pid_t tid, uint64_t ip);
/* At an exec stop: the new program's first instruction, and the register
 * the loader reads its plan from (src/loader/plan.h). */
int regs_entry(pid_t tid, uint64_t *ip);
int regs_set_entry_arg(pid_t tid, uint64_t value);
/* Set the return register (the kernel acts on restart codes found there). */
int regs_set_return(pid_t tid, int64_t value);

#endif
