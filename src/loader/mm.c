/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The process's memory descriptor: PR_SET_MM_MAP, and the stack. */
#include <linux/auxvec.h>
#include <linux/prctl.h>

#include "loader/lib.h"
#include "loader/mm.h"
#include "sys.h"

static uint64_t str_end(const char *s)
{
	return (uint64_t)s + loader_strlen(s) + 1;
}

uint64_t stack_top(const struct initial_stack *st, uint64_t page, uint64_t *strings_end)
{
	const char *execfn = (const char *)auxv_get(st, AT_EXECFN, 0);
	uint64_t end;
	if (execfn)
		end = str_end(execfn);
	else if (st->envc)
		end = str_end(st->envp[st->envc - 1]);
	else if (st->argc)
		end = str_end(st->argv[st->argc - 1]);
	else
		end = (uint64_t)st->sp + page;
	*strings_end = end;
	return (end + sizeof(void *) + page - 1) & ~(page - 1);
}

void mm_describe(const struct initial_stack *st, const struct elf_image *prog, uint64_t brk,
		 uint64_t strings_end)
{
	/* create_elf_tables(): argv strings, then envp strings, contiguous. */
	uint64_t arg_start = st->argc ? (uint64_t)st->argv[0] : st->envc ? (uint64_t)st->envp[0] : strings_end;
	uint64_t arg_end = st->argc ? str_end(st->argv[st->argc - 1]) : arg_start;
	uint64_t env_start = st->envc ? (uint64_t)st->envp[0] : arg_end;
	uint64_t env_end = st->envc ? str_end(st->envp[st->envc - 1]) : env_start;
	struct prctl_mm_map map = {
		.start_code = prog->start_code,
		.end_code = prog->end_code,
		.start_data = prog->start_data,
		.end_data = prog->end_data,
		.start_brk = brk,
		.brk = brk,
		.start_stack = (uint64_t)st->sp,
		.arg_start = arg_start,
		.arg_end = arg_end,
		.env_start = env_start,
		.env_end = env_end,
		.auxv = (__u64 *)st->auxv,
		.auxv_size = (__u32)(st->auxc * 2 * sizeof(uint64_t)),
		.exe_fd = (__u32)-1,	/* /proc/self/exe: would need CAP_CHECKPOINT_RESTORE */
	};
	sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&map, sizeof(map), 0);
}

long mm_exec_stack(const struct initial_stack *st, uint64_t top, uint64_t page)
{
	/* PROT_GROWSDOWN extends the change down to the start of the stack
	 * VMA; from the page of sp up to its top covers the rest. */
	uint64_t lo = (uint64_t)st->sp & ~(page - 1);
	return sys_mprotect(lo, top - lo, PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
}
