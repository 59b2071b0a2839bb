/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/PID/status as the tree sees it (fakeroot.h). Programs read their
 * credentials there too (ps, id's cousins, capsh, libcap's tests): when a
 * traced process opens the status file of a task of the tree, the view
 * gives it a copy of the kernel's file, read at the open, whose Uid, Gid,
 * Groups and Cap* lines are the task's fake ones (fs/proc/array.c's
 * format), in a sealed memfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"
#include "util/cleanup.h"
#include "util/strbuf.h"

#define STATUS_MAX (1 << 20)

static int read_file(int fd, struct strbuf *b)
{
	char magic[40], chunk[4096];
	view_magic_name(magic, sizeof(magic), fd);
	_cleanup_close_ int in = open(magic, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	ssize_t n;
	while ((n = read(in, chunk, sizeof(chunk))) > 0 && b->len < STATUS_MAX)
		strbuf_add(b, chunk, (size_t)n);
	return n < 0 ? -errno : 0;
}

/* The line that replaces `line` (of length len), if it shows a credential. */
static bool rewrite_line(struct strbuf *out, const char *line, size_t len, const struct fake_ids *ids)
{
#define IS(key) (len >= sizeof(key) - 1 && !memcmp(line, key, sizeof(key) - 1))
	if (IS("Uid:\t")) {
		strbuf_printf(out, "Uid:\t%u\t%u\t%u\t%u\n", ids->ruid, ids->euid, ids->suid, ids->fsuid);
	} else if (IS("Gid:\t")) {
		strbuf_printf(out, "Gid:\t%u\t%u\t%u\t%u\n", ids->rgid, ids->egid, ids->sgid, ids->fsgid);
	} else if (IS("Groups:\t")) {
		strbuf_puts(out, "Groups:\t");
		for (unsigned g = 0; g < ids->ngroups; g++)
			strbuf_printf(out, g ? " %u" : "%u", ids->groups[g]);
		strbuf_puts(out, " \n"); /* the kernel's trailing space */
	} else if (IS("CapInh:\t")) {
		strbuf_printf(out, "CapInh:\t%016llx\n", (unsigned long long)ids->cap_inh);
	} else if (IS("CapPrm:\t")) {
		strbuf_printf(out, "CapPrm:\t%016llx\n", (unsigned long long)ids->cap_prm);
	} else if (IS("CapEff:\t")) {
		strbuf_printf(out, "CapEff:\t%016llx\n", (unsigned long long)ids->cap_eff);
	} else if (IS("CapBnd:\t")) {
		strbuf_printf(out, "CapBnd:\t%016llx\n", (unsigned long long)ids->cap_bnd);
	} else if (IS("CapAmb:\t")) {
		strbuf_printf(out, "CapAmb:\t%016llx\n", (unsigned long long)ids->cap_amb);
	} else {
		return false;
	}
#undef IS
	return true;
}

int fakeroot_status_file(struct facet_task *t, int fd, pid_t tid)
{
	struct facet_task *who = task_find(t->session, tid);
	if (!who)
		return -ESRCH;
	const struct fake_ids *ids = fakeroot_ids_of(who);
	struct strbuf real = STRBUF_INIT, out = STRBUF_INIT;
	int r = read_file(fd, &real);
	for (size_t i = 0; r == 0 && i < real.len;) {
		const char *line = real.s + i, *nl = memchr(line, '\n', real.len - i);
		size_t len = nl ? (size_t)(nl - line) + 1 : real.len - i;
		if (!rewrite_line(&out, line, len, ids))
			strbuf_add(&out, line, len);
		i += len;
	}
	if (r == 0)
		r = view_sealed_file("status", out.s, out.len);
	strbuf_free(&real);
	strbuf_free(&out);
	return r;
}
