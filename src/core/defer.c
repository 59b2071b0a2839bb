/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Deferring a notified call to the kernel. Some calls the core started to
 * perform itself (emulate.c, the view) only the kernel can do in the
 * tracee's name: opening a FIFO, which blocks for its peer, or a terminal;
 * an O_PATH open, which fd injection cannot pass; creating a file; any call
 * of a task that no longer sees what the supervisor sees (watch.c). The
 * tracee is then made to make the call again, this time with ptrace
 * watching, and the kernel runs it *as the engines left it*:
 *
 *   defer_call()          PTRACE_INTERRUPT queues a stop for when the call
 *                         returns; the answer ERESTARTNOINTR makes the kernel
 *                         restart it after that stop;
 *   defer_interrupt()     that stop: resume with PTRACE_SYSCALL;
 *   defer_syscall_stop()  the restarted call's entry stop: the arguments an
 *                         engine rewrote go into the registers, and a view
 *                         names its object for the kernel;
 *   defer_notification()  its notification: CONTINUE, so the kernel runs it
 *                         (defer_seccomp_stop(): or its seccomp stop, if the
 *                         filter sends it down the ptrace route with the
 *                         arguments it has now);
 *   backend_ptrace.c      its exit stop: the exit callbacks, with the
 *                         kernel's result.
 *
 * The entry callbacks ran once, at the first notification. Other calls the
 * task makes in between (a signal handler's) are let through untouched.
 * State: t->defer (internal.h); t->call holds the call as the engines left it.
 */
#include <errno.h>
#include <sys/ptrace.h>

#include "core/internal.h"
#include "core/regs.h"
#include "core/seccomp_compat.h"
#include "core/view/exec.h"

void defer_call(struct facet_session *s, struct facet_task *t, const struct call *c)
{
	struct seccomp_notif_resp resp = { .id = c->notif_id, .error = -ERESTARTNOINTR };
	t->call = *c;
	t->call.route = ROUTE_PTRACE;
	t->call.sc.emulated = false; /* the kernel performs it */
	t->in_syscall = true;
	t->defer = DEFER_INTERRUPTED;
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0 ||
	    ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0) {
		t->defer = DEFER_NONE; /* interrupted by a signal, or gone: it will come again */
		t->in_syscall = false;
	}
}

bool defer_notification(struct facet_session *s, struct facet_task *t, uint64_t id)
{
	if (t->defer != DEFER_AWAIT_NOTIF)
		return false;
	struct seccomp_notif_resp resp = { .id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
	t->defer = DEFER_AWAIT_EXIT;
	ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return true;
}

bool defer_seccomp_stop(struct facet_task *t, long nr)
{
	if (t->defer != DEFER_AWAIT_NOTIF || nr != t->call.sc.nr)
		return false;
	t->defer = DEFER_AWAIT_EXIT; /* resumed with PTRACE_SYSCALL: t->in_syscall */
	return true;
}

bool defer_interrupt(struct facet_task *t, int sig)
{
	if (t->defer != DEFER_INTERRUPTED || sig != SIGTRAP)
		return false;
	t->defer = DEFER_AWAIT_ENTRY;
	return true;
}

/* A view's call, at the entry of its restart: the view names the object
 * for the kernel (or answers the call after all). */
static void view_deferred_entry(struct facet_task *t)
{
	struct emu_result r;
	view_call(t, &t->call, ROUTE_PTRACE, &r);
	if (r.kind == EMU_REWRITTEN) {
		t->call.view_pending = true;
	} else if (r.kind == EMU_VALUE) {
		/* Skipped here, so no notification comes: the exit stop is next. */
		regs_skip_syscall(t->tid, r.value);
		t->defer = DEFER_AWAIT_EXIT;
	}
}

static void restarted_entry(struct facet_task *t)
{
	t->defer = DEFER_AWAIT_NOTIF;
	if (t->call.sc.action == FACET_REWRITE)
		regs_set_args(t->tid, t->call.sc.args);
	if (view_traps(t->session, t->call.sc.nr))
		view_deferred_entry(t);
}

bool defer_syscall_stop(struct facet_task *t, const struct __ptrace_syscall_info *info)
{
	switch (t->defer) {
	case DEFER_NONE:
	case DEFER_AWAIT_EXIT:
		return false;
	case DEFER_AWAIT_NOTIF:
		/* With its new arguments the filter let the call through: this
		 * is its exit, unless a signal interrupted it before it ran. */
		if (info->op == PTRACE_SYSCALL_INFO_EXIT) {
			if (info->exit.rval >= -ERESTART_RESTARTBLOCK && info->exit.rval <= -ERESTARTSYS) {
				t->defer = DEFER_AWAIT_ENTRY;
				return true;
			}
			t->defer = DEFER_AWAIT_EXIT;
			return false;
		}
		return true;
	default:
		if (t->defer == DEFER_AWAIT_ENTRY && info->op == PTRACE_SYSCALL_INFO_ENTRY &&
		    (long)info->entry.nr == t->call.sc.nr)
			restarted_entry(t);
		return true;
	}
}
