/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp user-notification back end: a trapped call wakes the
 * supervisor through the listener fd; the engines decide; the supervisor
 * answers with a value, an errno, an injected fd, a result it computed
 * itself (emulate.c), or CONTINUE — the last only when no engine needs the
 * result, since the kernel then runs the call without telling us — or has
 * the tracee make the call again under ptrace (defer.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/regs.h"
#include "core/seccomp_compat.h"
#include "core/view/exec.h"

/*
 * Synchronous wake-up (6.6+) runs the woken side on the waker's CPU: the
 * tracee and the supervisor hand one CPU back and forth, and a round trip
 * costs ~2.5 us here instead of ~40 us of cross-CPU wake-ups. It pays while
 * the supervisor serves one task's calls; while processes start and end
 * (ptrace stops, a build starting compilers) it serves several, and then
 * the answered tracee, woken on the supervisor's CPU, preempts it while the
 * others wait, and each notification pulls the supervisor onto a CPU a
 * compiler keeps busy. So supervise() turns it off at a ptrace stop and on
 * again once notifications come alone (its `calm`).
 */
void notify_set_sync_wakeup(struct facet_session *s, bool on)
{
	if (!s->feat.sync_wakeup || on == s->sync_on)
		return;
	if (ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, on ? SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP : 0) < 0) {
		s->feat.sync_wakeup = false;
		return;
	}
	s->sync_on = on;
}

/* Installs the session's fd in the tracee and closes it: the tracee's new
 * fd number, -ENOENT if the call was interrupted (there is nothing left to
 * answer), or the error the call fails with (EMFILE in the tracee, an fd
 * ADDFD cannot pass...). The answer is sent afterwards, by answer(): so the
 * tracee holds the last reference when it runs again, and its close is the
 * one the kernel treats as the last (inotify's IN_CLOSE_WRITE, a FIFO's
 * writer count, locks) — as if it had opened the file itself — and the exit
 * callbacks run in between, with the fd number. ADDFD_FLAG_SEND would
 * answer before that close. */
static int64_t install(struct facet_session *s, uint64_t id, int fd, bool cloexec, int target)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.flags = target >= 0 ? SECCOMP_ADDFD_FLAG_SETFD : 0, /* the number the view chose */
		.srcfd = (__u32)fd,
		.newfd = target >= 0 ? (__u32)target : 0,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int r = ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	int err = errno;
	close(fd); /* the session owned it */
	return r < 0 ? -err : r;
}

/* A file opened read-only: installing it and answering in one step saves a
 * wake-up of the tracee (two cross-CPU wake-ups cost more than the rest of
 * the call). Only the release of the supervisor's reference, a moment
 * after the answer, can then come after the tracee's close: for a file not
 * opened for writing that is an IN_CLOSE_NOWRITE or a flock() release a few
 * microseconds late, never data. Returns the fd number or -errno; the call
 * is answered either way but for -ENOENT (interrupted). */
static int64_t install_and_answer(struct facet_session *s, uint64_t id, int fd, bool cloexec, int target)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.flags = SECCOMP_ADDFD_FLAG_SEND | (target >= 0 ? SECCOMP_ADDFD_FLAG_SETFD : 0),
		.srcfd = (__u32)fd,
		.newfd = target >= 0 ? (__u32)target : 0,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	/* Not interrupted by a signal: the kernel would have taken the call
	 * as answered with 0 (supervise.c). */
	bool held = supervise_hold_signals();
	int r = ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	int err = errno;
	supervise_release_signals(held);
	close(fd);
	if (r < 0 && err != ENOENT) {
		struct seccomp_notif_resp resp = { .id = id, .error = -err };
		ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	return r < 0 ? -err : r;
}

static bool writable(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 || (fl & O_ACCMODE) != O_RDONLY;
}

/* Performs the call in the supervisor (in the view, if there is one). */
static void perform(struct facet_session *s, struct facet_task *t, struct call *c, struct emu_result *r)
{
	if (view_traps(s, c->sc.nr))
		view_call(t, c, ROUTE_NOTIFY, r);
	else
		emulate_call(t, c, r);
	/* EMU_REWRITTEN belongs to the ptrace route: the kernel runs the call. */
	if (r->kind == EMU_REWRITTEN)
		r->kind = EMU_NATIVE;
	c->sc.emulated = r->kind == EMU_VALUE || r->kind == EMU_INJECT;
}

/* The tracee is still blocked until the answer is sent, so engines that read
 * its memory at exit (a tracer decoding a stat buffer) run before it, and
 * the answer carries the result as the exit callbacks left it. */
static void answer(struct facet_session *s, struct facet_task *t, struct call *c)
{
	struct seccomp_notif_resp resp = { .id = c->notif_id };
	struct emu_result r = { .kind = EMU_NATIVE, .fd = -1, .target_fd = -1 };
	bool view = view_traps(s, c->sc.nr);
	if (view && t->view)
		view_patch_site(t, c); /* while the call holds the calling thread */
	if ((c->sc.action == FACET_RUN && (c->want_exit || view)) || c->sc.action == FACET_REWRITE) {
		perform(s, t, c, &r);
		if (r.kind == EMU_DEFER) {
			defer_call(s, t, c);
			return;
		}
	}
	if (c->sc.action <= FACET_REWRITE && r.kind == EMU_NATIVE) {
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; /* the kernel runs it */
		ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		return;
	}
	/* The engines' decision stays theirs: an fd the core opened for a
	 * RUN or REWRITE is installed as an engine's would be. */
	if (r.kind == EMU_INJECT && !c->want_exit && !writable(r.fd)) {
		/* Nobody waits for the result: installed and answered at once. */
		struct stat st;
		bool note = view && t->view && t->view->open_mount >= 0 && fstat(r.fd, &st) == 0;
		int64_t fd = install_and_answer(s, c->notif_id, r.fd, r.cloexec, r.target_fd);
		view_fd_installed(t, c->sc.ip, fd);
		if (note && fd >= 0)
			view_fd_note(t, (int)fd, t->view->open_mount, &st);
		if (t->view)
			t->view->open_mount = -1;
		return;
	}
	if (r.kind == EMU_INJECT || c->sc.action == FACET_INJECT_FD) {
		/* The view notes the mount an fd it opened came through. */
		struct stat st;
		bool note = view && r.kind == EMU_INJECT && t->view && t->view->open_mount >= 0 && fstat(r.fd, &st) == 0;
		c->sc.retval = r.kind == EMU_INJECT
				       ? install(s, c->notif_id, r.fd, r.cloexec, r.target_fd)
				       : install(s, c->notif_id, c->sc.inject_fd, c->sc.inject_cloexec, -1);
		view_fd_installed(t, c->sc.ip, c->sc.retval);
		if (note && c->sc.retval >= 0)
			view_fd_note(t, (int)c->sc.retval, t->view->open_mount, &st);
		if (t->view)
			t->view->open_mount = -1;
		if (c->sc.retval == -ENOENT)
			return; /* interrupted: no fd was installed, and no answer is due */
	} else if (r.kind == EMU_VALUE) {
		c->sc.retval = r.value;
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

int notify_receive(int fd, struct seccomp_notif *req)
{
	memset(req, 0, sizeof(*req));
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0 ? -errno : 0;
}

void notify_handle(struct facet_session *s, const struct seccomp_notif *req)
{
	regs_forget(); /* no task is in a ptrace stop for this call */
	struct facet_task *t = task_find(s, (pid_t)req->pid);
	if (!t) {
		/* Every task of the tree is attached before it can make a call;
		 * one that was not has escaped (keep_traced.c). */
		if (keep_traced_adopt(s, (pid_t)req->pid) < 0)
			return; /* killed; its pending call dies with it */
		t = task_get(s, (pid_t)req->pid, 0);
		t->announced = true;
		t->fresh = false;
	}
	emulate_cwd_settled(t);
	if (defer_notification(s, t, req->id))
		return;
	t->kernel_interrupted = -1;
	struct call c;
	call_init(&c, s, req->data.nr, (const uint64_t *)req->data.args,
		  req->data.instruction_pointer, ROUTE_NOTIFY);
	if (s->vs)
		view_undo_restart(t, &c); /* a rewritten call a signal restarted */
	c.notif_id = req->id;
	if (s->vs && view_loader_call(t, &c)) {
		struct seccomp_notif_resp resp = { .id = req->id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
		ioctl(s->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		return;
	}
	watch_entry(t, &c);
	dispatch_entry(s, t, &c);
	answer(s, t, &c);
	mem_cache_reset(t);
}
