/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Keeping emulation honest. The supervisor performs some calls in a tracee's
 * name (emulate.c) on the grounds that it sees the same files with the same
 * credentials. A tracee can end that: by entering new namespaces (unshare -rm
 * and then a mount the supervisor cannot see), by changing root, or, when
 * facet runs privileged, by dropping its credentials. The calls that can do
 * so are watched; after one, that task and the tasks it creates are
 * *diverged*, and their calls are left to the kernel (EMU_DEFER) instead of
 * emulated.
 *
 * Credential calls often change nothing (make calls setresuid with the ids
 * it already has): they only mark the credentials to be compared with the
 * supervisor's, once, before the task's next emulated call.
 */
#include <linux/sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/internal.h"

#define CLONE_NEW_ANY                                                              \
	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | \
	 CLONE_NEWUTS | CLONE_NEWCGROUP | 0x80 /* CLONE_NEWTIME */)

bool watch_wanted(const struct facet_session *s)
{
	return s->backend == FACET_BACKEND_NOTIFY && s->emulating;
}

bool watch_nr(long nr, uint64_t *clone_flags_mask)
{
	*clone_flags_mask = 0;
	switch (nr) {
	case SYS_clone:
		*clone_flags_mask = CLONE_NEW_ANY; /* only clones that make namespaces */
		return true;
	case SYS_clone3: /* its flags are in memory, out of the filter's reach */
	case SYS_unshare: case SYS_setns: case SYS_chroot: case SYS_pivot_root:
	case SYS_setuid: case SYS_setgid: case SYS_setreuid: case SYS_setregid:
	case SYS_setresuid: case SYS_setresgid: case SYS_setfsuid: case SYS_setfsgid:
	case SYS_setgroups: case SYS_capset:
		return true;
	default:
		return false;
	}
}

/* The lines of /proc/PID/status that make up what the kernel checks. */
static void read_creds(pid_t tid, char *out, size_t size)
{
	char path[64], line[256];
	size_t len = 0;
	out[0] = '\0';
	snprintf(path, sizeof(path), tid ? "/proc/%d/status" : "/proc/self/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7) ||
		    !strncmp(line, "CapEff:", 7) || !strncmp(line, "CapPrm:", 7)) {
			size_t n = strlen(line);
			if (len + n < size) {
				memcpy(out + len, line, n + 1);
				len += n;
			}
		}
	fclose(f);
}

void watch_start(struct facet_session *s)
{
	read_creds(0, s->creds, sizeof(s->creds));
}

bool watch_diverged(struct facet_task *t)
{
	if (t->creds_dirty) {
		char now[sizeof(t->session->creds)];
		read_creds(t->tid, now, sizeof(now));
		t->creds_dirty = false;
		if (strcmp(now, t->session->creds) != 0)
			t->diverged = true;
	}
	return t->diverged;
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
