/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The view's table of path calls (src/core/view/pathcalls.h) against the
 * system-call table: every call that takes a file name has a row (a call
 * without one would reach the kernel with a host-relative path, out of the
 * view), every row names a call, and its argument indexes fit the call.
 */
#include <stdio.h>
#include <string.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/pathcall.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); putchar('\n'); } } while (0)

static void check_index(const struct facet_syscall_info *info, const char *what, int i)
{
	CHECK(i < 0 || (unsigned)i < info->nargs, "%s: %s is argument %d of %u", info->name, what, i, info->nargs);
}

int main(void)
{
	size_t cursor = 0;
	const struct facet_syscall_info *info;
	unsigned rows = 0;
	while ((info = facet_syscall_next(&cursor))) {
		const struct path_call *pc = path_call_of(info->nr);
		if (info->classes & FACET_CLASS_FILE)
			CHECK(pc, "%s takes a file name but the view has no row for it", info->name);
		if (!pc)
			continue;
		rows++;
		CHECK(!strcmp(pc->name, info->name), "row %s found for %s", pc->name, info->name);
		if (pc->op == PC_DENY) {
			CHECK(pc->a1 > 0 && pc->a1 < 4096, "%s: refused with errno %d", info->name, pc->a1);
			continue;
		}
		if (pc->op == PC_IDS) { /* a1 says what the call does (enum fake_id_call) */
			CHECK(pc->a1 >= 0 && pc->a1 <= FID_PRCTL, "%s: identity call %d", info->name, pc->a1);
			continue;
		}
		check_index(info, "dirfd", pc->dirfd);
		check_index(info, "path", pc->path);
		check_index(info, "dirfd2", pc->dirfd2);
		check_index(info, "path2", pc->path2);
		check_index(info, "flags", pc->flags);
		check_index(info, "a1", pc->a1);
		check_index(info, "a2", pc->a2);
		check_index(info, "a3", pc->a3);
		if (pc->path >= 0)
			CHECK(info->args[pc->path] == FACET_ARG_PATH, "%s: argument %d is not a PATH", info->name, pc->path);
		if (pc->dirfd >= 0)
			CHECK(info->args[pc->dirfd] == FACET_ARG_DIRFD || info->args[pc->dirfd] == FACET_ARG_FD,
			      "%s: argument %d is not a dirfd", info->name, pc->dirfd);
	}
	CHECK(rows > 80, "only %u path calls", rows);
	CHECK(facet_view_refusal(path_call_of(0) ? 0 : 1) == 0, "read is not refused");
	if (failures)
		return 1;
	printf("ok (%u rows)\n", rows);
	return 0;
}
