/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runtime's two other doors to the kernel on x86-64 (see src/rt/rt.h).
 *
 * rt_forward(nr, a, b, c, d, e, f): the one system-call instruction that
 * the session's filter sends to the supervisor by user notification,
 * whatever the call. The supervisor finds its address by the symbol
 * rt_gate_forward, the instruction itself.
 *
 * rt_gate_pass: a call the program made from a patched site that the
 * runtime does not answer (RT_PASS): the trampoline (sites.S) makes it
 * there, from the program's stack, and the filter treats a call from
 * rt_gate_pass as the program's own, by its number.
 *
 * Every other call the runtime makes goes through loader_syscall6
 * (src/loader/arch/x86_64/syscall.S), which the filter admits.
 */
#include "syscall6.h"

	.text
	SYSCALL6 rt_forward, rt_gate_forward
	SYSCALL6 rt_pass, rt_gate_pass	/* only its instruction is used, by sites.S */

	.section .note.GNU-stack, "", @progbits
