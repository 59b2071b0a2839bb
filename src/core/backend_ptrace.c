/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ptrace side of the supervisor: one function that takes a wait status
 * and acts on it. Used by both back ends: with user notification it carries
 * only clone/exec/exit events and the calls whose exit an engine needs but
 * the core cannot emulate; with the ptrace back end it carries every call.
 *
 * A trapped call arrives as a PTRACE_EVENT_SECCOMP stop. If an engine wants
 * its result, the task is resumed with PTRACE_SYSCALL, which stops it again
 * at the syscall exit; otherwise with PTRACE_CONT, so it runs freely.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "core/internal.h"
#include "core/regs.h"
#include "core/seccomp_compat.h"
#include "core/view/exec.h"

static void resume(struct facet_task *t, int sig)
{
	mem_cache_reset(t); /* the tracee may change its memory from now on */
	regs_forget();      /* and its registers */
	/* ESRCH: the task was killed meanwhile; its death is reported next. */
	ptrace(t->in_syscall ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, 0, sig);
}

static int syscall_info(pid_t tid, struct __ptrace_syscall_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(*info), info) < 0)
		return -errno;
	return 0;
}

static void finish_skipped(struct facet_session *s, struct facet_task *t)
{
	struct call *c = &t->call;
	c->sc.exited = true;
	if (c->want_exit)
		dispatch_exit(s, t, c); /* may still change the result */
	regs_skip_syscall(t->tid, c->sc.retval);
}

/* Lets the call run, with the arguments the engines left and without
 * CLONE_UNTRACED; stopping again at its exit if an engine wants it. */
static void run_call(struct facet_task *t, struct call *c)
{
	uint64_t args[FACET_MAX_ARGS];
	memcpy(args, c->sc.args, sizeof(args));
	bool changed = keep_traced_args(t, c->sc.nr, args) || c->sc.action == FACET_REWRITE;
	if (changed)
		regs_set_args(t->tid, args);
	t->in_syscall = c->want_exit;
}

/* A call the view handles, at its seccomp stop: performed (and skipped),
 * or rewritten for the kernel. Returns false to run it as it is. */
static bool view_on_entry(struct facet_session *s, struct facet_task *t, struct call *c)
{
	uint64_t mask;
	if (keep_traced_nr(c->sc.nr, &mask)) {
		int r = view_clone_entry(t, c);
		if (r < 0) {
			c->sc.retval = r;
			finish_skipped(s, t);
			return true;
		}
		return false;
	}
	if (!view_traps(s, c->sc.nr))
		return false;
	if (s->backend == FACET_BACKEND_NOTIFY && t->view)
		view_patch_site(t, c); /* execve: the runtime fails a missing program itself */
	struct emu_result r;
	view_call(t, c, ROUTE_PTRACE, &r);
	switch (r.kind) {
	case EMU_VALUE:
		c->sc.retval = r.value;
		c->sc.emulated = true;
		finish_skipped(s, t);
		return true;
	case EMU_REWRITTEN:
		c->view_pending = true;
		t->in_syscall = true;
		return true;
	default:
		return false; /* EMU_NATIVE */
	}
}

static void on_seccomp_stop(struct facet_session *s, struct facet_task *t)
{
	struct __ptrace_syscall_info info;
	if (syscall_info(t->tid, &info) < 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		resume(t, 0);
		return;
	}
	if (defer_seccomp_stop(t, (long)info.seccomp.nr)) {
		resume(t, 0);
		return;
	}
	struct call *c = &t->call;
	t->defer = DEFER_NONE; /* a deferred call that came back another way */
	t->kernel_interrupted = -1;
	call_init(c, s, (long)info.seccomp.nr, (const uint64_t *)info.seccomp.args,
		  info.instruction_pointer, ROUTE_PTRACE);
	if (s->vs) {
		view_undo_restart(t, c);
		if (view_loader_call(t, c)) {
			resume(t, 0);
			return;
		}
	}
	watch_entry(t, c);
	dispatch_entry(s, t, c);
	switch (c->sc.action) {
	case FACET_FAIL:
	case FACET_COMPLETE:
		finish_skipped(s, t);
		break;
	case FACET_INJECT_FD: /* refused by facet_syscall_inject_fd on this route */
		break;
	case FACET_REWRITE:
	case FACET_RUN:
		if (!s->vs || !view_on_entry(s, t, c))
			run_call(t, c);
		break;
	}
	resume(t, 0);
}

static void on_syscall_stop(struct facet_session *s, struct facet_task *t)
{
	struct __ptrace_syscall_info info;
	if (t->in_syscall && syscall_info(t->tid, &info) == 0 && defer_syscall_stop(t, &info)) {
		resume(t, 0);
		return;
	}
	if (!t->in_syscall || info.op != PTRACE_SYSCALL_INFO_EXIT) {
		resume(t, 0);
		return;
	}
	t->kernel_interrupted = t->defer == DEFER_AWAIT_EXIT && info.exit.rval == -ERESTARTSYS ? t->call.sc.nr : -1;
	t->defer = DEFER_NONE;
	t->in_syscall = false;
	t->call.sc.retval = info.exit.rval;
	t->call.sc.exited = true;
	if (t->call.view_pending) {
		view_call_exit(t, &t->call, info.exit.rval);
		t->call.view_pending = false;
	}
	dispatch_exit(s, t, &t->call);
	if (t->call.sc.retval != info.exit.rval)
		regs_set_return(t->tid, t->call.sc.retval);
	resume(t, 0);
}

static void on_clone(struct facet_session *s, struct facet_task *t, int event)
{
	unsigned long msg = 0;
	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) == 0 && msg) {
		pid_t child_tid = (pid_t)msg;
		enum facet_clone_kind kind = event == PTRACE_EVENT_VFORK ? FACET_CLONE_VFORK : FACET_CLONE_FORK;
		/* A fork's child leads its own group; only a clone may be a
		 * thread, and only /proc says which. */
		pid_t tgid = child_tid;
		if (event == PTRACE_EVENT_CLONE && (tgid = task_read_tgid(child_tid)) == t->proc->pid)
			kind = FACET_CLONE_THREAD;
		struct facet_task *child = task_get(s, child_tid, tgid);
		child->announced = true;
		if (s->vs)
			view_on_clone(t, child);
		if (s->vs && kind != FACET_CLONE_THREAD)
			task_note_vm_shared(s, t, child, kind == FACET_CLONE_VFORK);
		child->diverged = t->diverged || t->diverge_children;
		creds_share(t, child);
		t->diverge_children = false;
		dispatch_clone(s, t, child, kind);
		if (child->held) {
			child->held = false;
			s->nheld--;
			resume(child, 0);
		}
	}
	resume(t, 0);
}

/* After an exec the caller has the thread-group leader's tid; if it was
 * another thread, the old leader is gone without a death report: engines
 * get its exit (status 0) with facet_task_superseded_by() naming the
 * thread's former tid, before that thread takes the leader's tid. */
static void on_exec(struct facet_session *s, pid_t tid)
{
	unsigned long former = (unsigned long)tid;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &former);
	struct facet_task *t = task_find(s, (pid_t)former);
	if ((pid_t)former != tid) {
		struct facet_task *old_leader = task_find(s, tid);
		if (old_leader && old_leader != t) {
			old_leader->superseded_by = (pid_t)former;
			dispatch_task_exit(s, old_leader, 0);
			task_remove(s, old_leader);
		}
		if (t)
			task_rekey(s, t, tid);
	}
	if (!t)
		t = task_get(s, tid, tid);
	emulate_cwd_settled(t);
	if (tid == s->root_pid)
		s->root_execed = true;
	if (creds_privileged(s))
		t->creds_dirty = true; /* an exec may drop capabilities */
	task_vm_unshare(s, t->proc);
	if (s->vs)
		view_on_exec(t);
	dispatch_exec(s, t);
	/* The view rewrote this exec: its exit stop would only say 0 (an exec
	 * that fails makes no exec event). Unless an engine wants that exit,
	 * it is done here, and the task runs on without stopping there. */
	struct call *c = &t->call;
	if (t->in_syscall && c->view_pending && !c->want_exit && !t->defer) {
		c->sc.retval = 0;
		c->sc.exited = true;
		view_call_exit(t, c, 0);
		c->view_pending = false;
		t->in_syscall = false;
	}
	resume(t, 0);
}

/*
 * A signal that arrives while a call waits for the supervisor's answer
 * interrupts the wait with ERESTARTSYS, which becomes EINTR for a handler
 * without SA_RESTART — even for stat, which natively is never interrupted.
 * For the calls the core performs itself (never interruptible natively:
 * what could block, a FIFO's open, is left to the kernel) the restart is
 * made unconditional: the handler runs, then the call is made
 * again, exactly as if the signal had come just before it. But where the
 * kernel made the call itself (defer.c) and the signal interrupted it
 * there, as it would natively, the program's SA_RESTART decides. So too
 * where the view's runtime made the call itself, from the image's own
 * instruction, which the filter lets run: a FIFO's open there is the
 * kernel's, and a signal without SA_RESTART ends it with EINTR.
 */
static void keep_uninterruptible(struct facet_session *s, struct facet_task *t)
{
	long nr;
	int64_t ret;
	uint64_t ip;
	if (s->backend != FACET_BACKEND_NOTIFY || regs_syscall_state(t->tid, &nr, &ret) < 0 ||
	    nr == t->kernel_interrupted)
		return;
	if (ret == -ERESTARTSYS && s->vs && view_native_gate_ip(s->vs) && regs_ip(t->tid, &ip) == 0 &&
	    ip == view_native_gate_ip(s->vs))
		return;
	if (ret == -ERESTARTSYS && nr >= 0 && nr < FACET_NR_MAX && session_route(s, nr) == ROUTE_NOTIFY &&
	    ((s->want[nr] && emulate_supported(s, nr)) || view_traps(s, nr)))
		regs_set_return(t->tid, -ERESTARTNOINTR);
}

static void on_signal_stop(struct facet_session *s, struct facet_task *t, int sig)
{
	keep_uninterruptible(s, t);
	if (t->tid == s->root_pid && sig == SIGTRAP && spawn_exec_failed(s, t->tid)) {
		resume(t, 0); /* the stub exits; the error is recorded */
		return;
	}
	if (sig == SIGTRAP && s->vs && view_patch_trap(t)) {
		resume(t, 0); /* the program never sees the supervisor's int3 */
		return;
	}
	resume(t, dispatch_signal(s, t, sig));
}

/* A task held in its first stop whose creator died before its clone event
 * was reported would wait for ever: it goes on, on its own. The creator is
 * gone when no task of the thread group is left (a thread), or when the
 * parent is not a task of the tree any more (a process). */
static void release_orphans(struct facet_session *s)
{
	for (unsigned b = 0; b < TASK_BUCKETS && s->nheld; b++)
		for (struct facet_task *h = s->tasks[b]; h; h = h->hnext) {
			if (!h->held)
				continue;
			bool orphan;
			if (h->proc->nthreads > 1 || h->tid != h->proc->pid)
				orphan = h->proc->nthreads == 1;
			else
				orphan = !task_find(s, task_read_ppid(h->tid));
			if (!orphan)
				continue;
			h->held = false;
			h->announced = true;
			s->nheld--;
			resume(h, 0);
		}
}

int ptrace_handle_stop(struct facet_session *s, pid_t tid, int status)
{
	regs_forget(); /* another stop, of this task or another */
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		struct facet_task *t = task_find(s, tid);
		if (t) {
			dispatch_task_exit(s, t, status);
			task_remove(s, t);
			if (s->nheld)
				release_orphans(s);
			/* The view's proxies are children too: supervise()
			 * waits until no child is left. */
			if (s->ntasks == 0 && s->vs)
				view_proxies_stop(s->vs);
		}
		if (tid == s->root_pid) {
			s->root_status = status;
		}
		return 0;
	}
	if (!WIFSTOPPED(status))
		return 0;
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (event == PTRACE_EVENT_EXEC) {
		on_exec(s, tid);
		return 0;
	}
	struct facet_task *t = task_get(s, tid, 0);
	emulate_cwd_settled(t);
	bool first = t->fresh;
	t->fresh = false;
	/* A new task can stop before its parent's clone event is reported:
	 * it waits there, so that its first call sees the state its parent
	 * gave it (the view's cwd) and engines see the clone first. */
	if (first && event == PTRACE_EVENT_STOP && !t->announced) {
		t->held = true;
		s->nheld++;
		return 0;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp_stop(s, t);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone(s, t, event);
		break;
	case PTRACE_EVENT_STOP:
		if (defer_interrupt(t, sig)) {
			resume(t, 0);
			break;
		}
		/* Group stop (job control): stay stopped but keep reporting. */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			regs_forget();
			ptrace(PTRACE_LISTEN, tid, 0, 0);
		} else {
			resume(t, 0);
		}
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80))
			on_syscall_stop(s, t);
		else
			on_signal_stop(s, t, sig);
		break;
	default:
		resume(t, 0);
		break;
	}
	return 0;
}
