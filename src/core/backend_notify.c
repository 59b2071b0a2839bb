/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp user-notification back end: a trapped call wakes the
 * supervisor through the listener fd; the engines decide; the supervisor
 * answers with a value, an errno, an injected fd, a result it computed
 * itself (emulate.c), or CONTINUE — the last only when no engine needs the
 * result, since the kernel then runs the call without telling us.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/seccomp_compat.h"
#include "core/view/exec.h"

void notify_set_sync_wakeup(struct facet_session *s)
{
	/* Keeps tracee and supervisor on one CPU for the round trip (6.6+). */
	if (s->feat.sync_wakeup &&
	    ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0)
		s->feat.sync_wakeup = false;
}

/* The fd goes in first, the supervisor's copy is closed, and only then is
 * the call answered: so the tracee holds the last reference when it runs
 * again, and its close is the one the kernel treats as the last (inotify's
 * IN_CLOSE_WRITE, a FIFO's writer count, locks) — as if it had opened the
 * file itself. ADDFD_FLAG_SEND would answer before that close. */
static int64_t inject(struct facet_session *s, struct call *c)
{
	struct seccomp_notif_addfd addfd = {
		.id = c->notif_id,
		.srcfd = (__u32)c->sc.inject_fd,
		.newfd_flags = c->sc.inject_cloexec ? O_CLOEXEC : 0,
	};
	int r = ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	int err = errno;
	close(c->sc.inject_fd); /* the session owned it */
	if (r < 0 && err == ENOENT)
		return -ENOENT; /* the call was interrupted: nothing to answer */
	/* Not injected (EMFILE in the tracee, an fd ADDFD cannot pass...):
	 * the call fails with that error. */
	struct seccomp_notif_resp resp = { .id = c->notif_id };
	if (r < 0)
		resp.error = -err;
	else
		resp.val = r;
	if (ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno == ENOENT)
		return -ENOENT;
	return r < 0 ? -err : r;
}

/* Performs the call in the supervisor (in the view, if there is one);
 * false if it must be deferred. */
static bool emulate(struct facet_session *s, struct facet_task *t, struct call *c)
{
	struct emu_result r;
	if (view_traps(s, c->sc.nr))
		view_call(t, c, ROUTE_NOTIFY, &r);
	else
		emulate_call(t, c, &r);
	c->sc.emulated = r.kind != EMU_NATIVE;
	switch (r.kind) {
	case EMU_NATIVE:
	case EMU_REWRITTEN:
		return true; /* answered CONTINUE below */
	case EMU_DEFER:
		return false;
	case EMU_INJECT:
		c->sc.action = FACET_INJECT_FD;
		c->sc.inject_fd = r.fd;
		c->sc.inject_cloexec = r.cloexec;
		break;
	case EMU_VALUE:
		c->sc.retval = r.value;
		break;
	}
	return true;
}

/* The tracee is still blocked until the answer is sent, so engines that read
 * its memory at exit (a tracer decoding a stat buffer) run before it. */
static void answer(struct facet_session *s, struct facet_task *t, struct call *c)
{
	struct seccomp_notif_resp resp = { .id = c->notif_id };
	bool view = view_traps(s, c->sc.nr);
	if ((c->sc.action == FACET_RUN && (c->want_exit || view)) || c->sc.action == FACET_REWRITE) {
		if (!emulate(s, t, c)) {
			defer_call(s, t, c);
			return;
		}
	}
	switch (c->sc.action) {
	case FACET_INJECT_FD:
		/* ADDFD with SEND answers the notification itself; ENOENT means
		 * the call was interrupted and the fd was not installed. */
		c->sc.retval = inject(s, c);
		if (c->sc.retval != -ENOENT && c->want_exit) {
			c->sc.exited = true;
			dispatch_exit(s, t, c);
		}
		return;
	case FACET_FAIL:
	case FACET_COMPLETE:
		break;
	case FACET_REWRITE:
	case FACET_RUN:
		if (!c->sc.emulated) {
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			return;
		}
		break;
	}
	if (c->want_exit) {
		c->sc.exited = true;
		dispatch_exit(s, t, c);
	}
	if (c->sc.retval < 0 && c->sc.retval >= -4095)
		resp.error = (__s32)c->sc.retval;
	else
		resp.val = c->sc.retval;
	/* ENOENT: a signal interrupted the call, which the kernel restarts or
	 * fails with EINTR, or the task died. Either way this answer is void. */
	ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int notify_handle(struct facet_session *s)
{
	struct seccomp_notif req;
	memset(&req, 0, sizeof(req));
	if (ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return errno == EINTR || errno == ENOENT ? 0 : -errno;
	struct facet_task *t = task_find(s, (pid_t)req.pid);
	if (!t) {
		/* Every task of the tree is attached before it can make a call;
		 * one that was not has escaped (keep_traced.c). */
		if (keep_traced_adopt(s, (pid_t)req.pid) < 0)
			return 0; /* killed; its pending call dies with it */
		t = task_get(s, (pid_t)req.pid, 0);
		t->announced = true;
		t->fresh = false;
	}
	if (defer_notification(s, t, req.id))
		return 0;
	struct call c;
	call_init(&c, s, req.data.nr, (const uint64_t *)req.data.args,
		  req.data.instruction_pointer, ROUTE_NOTIFY);
	c.notif_id = req.id;
	if (s->vs && view_loader_call(t, &c)) {
		struct seccomp_notif_resp resp = { .id = req.id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
		ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		return 0;
	}
	watch_entry(t, &c);
	dispatch_entry(s, t, &c);
	answer(s, t, &c);
	mem_cache_reset(t);
	return 0;
}
