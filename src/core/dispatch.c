/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Calling the engines, in attach order, for each event, and what engines
 * may ask about a task during those callbacks. */
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <time.h>
#include <stdio.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/view/view.h"
#include "core/regs.h"

void call_init(struct call *c, const struct facet_session *s, long nr, const uint64_t args[6],
	       uint64_t ip, enum call_route route)
{
	memset(c, 0, sizeof(*c));
	c->sc.nr = nr;
	c->sc.info = facet_syscall_by_nr(nr);
	memcpy(c->sc.args, args, sizeof(c->sc.args));
	c->sc.ip = ip;
	c->sc.inject_fd = -1;
	c->inject_at = -1;
	c->route = route;
	c->want_exit = nr >= 0 && nr < FACET_NR_MAX && (s->want[nr] & FACET_EV_SYSCALL_EXIT);
	if (route == ROUTE_PTRACE) {
		c->can_rewrite = true;
		c->can_inject = false; /* needs a user-notification listener */
	} else {
		/* Arguments can only be changed if the supervisor performs the call. */
		c->can_rewrite = emulate_supported(s, nr);
		c->can_inject = s->feat.notif_addfd;
	}
	if (nr >= 0 && nr < FACET_NR_MAX && s->want[nr]) /* no engine sees it otherwise */
		clock_gettime(CLOCK_MONOTONIC, &c->sc.entry_time);
}

void dispatch_entry(struct facet_session *s, struct facet_task *t, struct call *c)
{
	long nr = c->sc.nr;
	if (nr < 0 || nr >= FACET_NR_MAX || t->hidden)
		return;
	t->stop = c->route == ROUTE_PTRACE ? STOP_PTRACE : STOP_NONE;
	for (unsigned i = 0; i < s->nengines; i++) {
		struct facet_engine *e = s->engines[i];
		if ((e->want[nr] & FACET_EV_SYSCALL_ENTRY) && e->ops->syscall_entry)
			e->ops->syscall_entry(e, t, &c->sc);
	}
	t->stop = STOP_NONE;
}

void dispatch_exit(struct facet_session *s, struct facet_task *t, struct call *c)
{
	long nr = c->sc.nr;
	clock_gettime(CLOCK_MONOTONIC, &c->sc.exit_time);
	if (nr < 0 || nr >= FACET_NR_MAX || t->hidden)
		return;
	/* A call that did not return is reported once the task is gone. */
	t->stop = c->route == ROUTE_PTRACE && c->sc.exited ? STOP_PTRACE : STOP_NONE;
	for (unsigned i = 0; i < s->nengines; i++) {
		struct facet_engine *e = s->engines[i];
		if ((e->want[nr] & FACET_EV_SYSCALL_EXIT) && e->ops->syscall_exit)
			e->ops->syscall_exit(e, t, &c->sc);
	}
	t->stop = STOP_NONE;
}

void dispatch_clone(struct facet_session *s, struct facet_task *parent, struct facet_task *child,
		    enum facet_clone_kind kind)
{
	parent->stop = STOP_PTRACE;
	for (unsigned i = 0; i < s->nengines; i++) {
		struct facet_engine *e = s->engines[i];
		if ((e->events & FACET_EV_CLONE) && e->ops->clone)
			e->ops->clone(e, parent, child, kind);
	}
	parent->stop = STOP_NONE;
}

void dispatch_exec(struct facet_session *s, struct facet_task *t)
{
	char path[64], exe[4096];
	if (!(s->events & FACET_EV_EXEC))
		return; /* no engine asked: spare the readlink */
	if (t->view && view_exe(t, exe, sizeof(exe))) {
		/* In a view the kernel ran facet's loader: the program is the view's. */
	} else {
		snprintf(path, sizeof(path), "/proc/%d/exe", t->tid);
		ssize_t n = readlink(path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
	}
	t->stop = STOP_PTRACE;
	for (unsigned i = 0; i < s->nengines; i++) {
		struct facet_engine *e = s->engines[i];
		if ((e->events & FACET_EV_EXEC) && e->ops->exec)
			e->ops->exec(e, t, exe);
	}
	t->stop = STOP_NONE;
}

int dispatch_signal(struct facet_session *s, struct facet_task *t, int sig)
{
	if (t->hidden)
		return sig;
	t->stop = STOP_SIGNAL;
	for (unsigned i = 0; i < s->nengines && sig; i++) {
		struct facet_engine *e = s->engines[i];
		if ((e->events & FACET_EV_SIGNAL) && e->ops->signal)
			sig = e->ops->signal(e, t, sig);
	}
	t->stop = STOP_NONE;
	return sig;
}

void dispatch_task_exit(struct facet_session *s, struct facet_task *t, int status)
{
	/* A call that never returned (exit_group, or killed while pending)
	 * still gets its exit callback, so engines see entries and exits paired. */
	if (t->in_syscall && t->call.want_exit) {
		t->call.sc.exited = false;
		dispatch_exit(s, t, &t->call);
	}
	t->in_syscall = false;
	for (unsigned i = 0; i < s->nengines; i++) {
		struct facet_engine *e = s->engines[i];
		if ((e->events & FACET_EV_EXIT) && e->ops->exit)
			e->ops->exit(e, t, status);
	}
}

pid_t facet_task_superseded_by(const struct facet_task *t)
{
	return t->superseded_by;
}

int facet_task_siginfo(struct facet_task *t, siginfo_t *si)
{
	if (t->stop != STOP_SIGNAL)
		return -EINVAL;
	return ptrace(PTRACE_GETSIGINFO, t->tid, 0, si) < 0 ? -errno : 0;
}

int facet_task_stack_pointer(struct facet_task *t, uint64_t *sp)
{
	if (t->stop == STOP_NONE)
		return -EOPNOTSUPP;
	return regs_stack_pointer(t->tid, sp);
}
