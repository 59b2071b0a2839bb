/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loader_syscall6(nr, a, b, c, d, e, f) on x86-64 (arch.h): the one system
 * call instruction of facet-loader's image that the filter admits in fast
 * mode. The supervisor finds it by the symbol loader_gate.
 */
#include "syscall6.h"

	/* With the runtime's hot code, whose calls it makes (src/util/hot.h). */
	.section .text.hot.loader_gate, "ax", @progbits
	SYSCALL6 loader_syscall6, loader_gate

	.section .note.GNU-stack, "", @progbits
