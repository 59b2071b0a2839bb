/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Keeping emulation honest. The supervisor performs some calls in a tracee's
 * name (emulate.c) on the grounds that it sees the same files with the same
 * credentials. A tracee can end that: by entering new namespaces (unshare -rm
 * and then a mount the supervisor cannot see), by changing root, or, when
 * facet runs privileged, by dropping its credentials. The calls that can do
 * so are watched; after one, that task and the tasks it creates are
 * *diverged*, and their calls are left to the kernel (EMU_DEFER) instead of
 * emulated. chdir and fchdir are watched too: emulate.c keeps the tracees'
 * cwds open, and forgets them when one may change.
 *
 * Credential calls often change nothing (make calls setresuid with the ids
 * it already has): they only mark the credentials to be read again, once,
 * before the task's next emulated call (creds.c), and compared with the
 * supervisor's. A view cannot leave a call to the kernel: when facet is
 * privileged, the credential calls are watched there too, and the view
 * performs the task's calls with its credentials (creds_assume()).
 */
#include <linux/sched.h>
#include <sys/syscall.h>

#include "core/internal.h"

#define CLONE_NEW_ANY                                                              \
	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | \
	 CLONE_NEWUTS | CLONE_NEWCGROUP | 0x80 /* CLONE_NEWTIME */)

bool watch_wanted(const struct facet_session *s)
{
	return (s->backend == FACET_BACKEND_NOTIFY && s->emulating) || (s->vs && creds_privileged(s));
}

bool watch_nr(long nr, uint64_t *clone_flags_mask)
{
	*clone_flags_mask = 0;
	switch (nr) {
	case SYS_clone:
		*clone_flags_mask = CLONE_NEW_ANY; /* only clones that make namespaces */
		return true;
	case SYS_clone3: /* its flags are in memory, out of the filter's reach */
	case SYS_chdir: case SYS_fchdir:
	case SYS_unshare: case SYS_setns: case SYS_chroot: case SYS_pivot_root:
	case SYS_setuid: case SYS_setgid: case SYS_setreuid: case SYS_setregid:
	case SYS_setresuid: case SYS_setresgid: case SYS_setfsuid: case SYS_setfsgid:
	case SYS_setgroups: case SYS_capset:
		return true;
	default:
		return false;
	}
}

bool watch_diverged(struct facet_task *t)
{
	return t->diverged || creds_of(t) != NULL;
}

void watch_entry(struct facet_task *t, const struct call *c)
{
	uint64_t flags = 0;
	switch (c->sc.nr) {
	case SYS_unshare: /* CLONE_FS, CLONE_FILES... leave the view as it is */
		if (c->sc.args[0] & CLONE_NEW_ANY)
			t->diverged = true;
		return;
	case SYS_setns: case SYS_chroot: case SYS_pivot_root:
		t->diverged = true;
		return;
	case SYS_chdir: case SYS_fchdir:
		if (!t->session->vs) /* a view keeps the cwd itself (view/fs.c) */
			emulate_cwd_changing(t);
		return;
	case SYS_clone:
		if (c->sc.args[0] & CLONE_NEW_ANY)
			t->diverge_children = true;
		return;
	case SYS_clone3:
		if (facet_mem_read(t, c->sc.args[0], &flags, sizeof(flags)) == sizeof(flags) &&
		    (flags & CLONE_NEW_ANY))
			t->diverge_children = true;
		return;
	default:
		if (watch_nr(c->sc.nr, &flags))
			t->creds_dirty = true; /* set*id, setgroups, capset */
	}
}
