/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The view's executor: shared by exec_call.c, exec_modify.c, open.c, tracee_calls.c. */
#ifndef FACET_CORE_VIEW_EXEC_H
#define FACET_CORE_VIEW_EXEC_H

#include "core/view/view.h"

/* Handles call c of the view on `route`; see struct emu_result. */
void view_call(struct facet_task *t, const struct call *c, enum call_route route, struct emu_result *res);
/* After the exit stop of a call view_call() rewrote (EMU_REWRITTEN). */
void view_call_exit(struct facet_task *t, const struct call *c, int64_t retval);

int64_t view_write_out(struct facet_task *t, uint64_t addr, const void *data, size_t len, int64_t ok);
/* "/proc/self/fd/N": a name for exactly the object fd N refers to. */
void view_magic(char *buf, size_t size, int fd);
/* Writes to this name must fail with EROFS. */
bool view_read_only(struct facet_task *t, struct pc_name *n);

int64_t view_modify(struct facet_task *t, const struct call *c, const struct path_call *pc);
void view_open(struct facet_task *t, const struct call *c, const struct path_call *pc, enum call_route route,
	       struct emu_result *res);
void view_tracee_call(struct facet_task *t, const struct call *c, const struct path_call *pc,
		      enum call_route route, struct emu_result *res);

void view_exec(struct facet_task *t, const struct call *c, const struct path_call *pc, struct emu_result *res);
void view_getdents(struct facet_task *t, const struct call *c, const struct path_call *pc, struct emu_result *res);

/* tracee_calls.c: rewriting a call's arguments at a ptrace stop. */
/* Writes `len` bytes below the tracee's stack pointer, in scratch slot
 * `slot` (0 to 3, of 4 KiB each), and returns their address, 0 on failure. */
uint64_t view_push(struct facet_task *t, unsigned slot, const void *data, size_t len);
/* len bytes of data where they do not fit in one slot: in slots 2 and 3
 * (view_push) if they fit there, else below the stack pointer and every
 * slot (a ptrace stop only). Their address, or 0. */
uint64_t view_push_large(struct facet_task *t, const void *data, size_t len);
/* Sets the registers to `args` and remembers the rewrite. */
int view_rewrite(struct facet_task *t, const struct call *c, const uint64_t args[6]);
/* At a seccomp stop: if this is a restart of the rewritten call, puts the
 * program's own arguments back into c and the registers. */
void view_undo_restart(struct facet_task *t, struct call *c);
/* The scratch area view_push() gave t's call, back to its process. */
void view_scratch_release(struct facet_task *t);

#endif
