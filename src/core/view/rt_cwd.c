/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cwd's names in each process's runtime (rt/config.h, struct rt_cwd),
 * so that getcwd needs no round trip: the supervisor writes them at exec
 * and at each change of the cwd, and the runtime answers while the
 * kernel's name of the cwd is still the one written (rt/calls.c).
 *
 * The names are a process's, the cwd its fs_struct's: they are written
 * only where one fs serves one process of one thread that shares its
 * memory with no other process; elsewhere, and in every other process
 * that shares the fs, they are cleared (the runtime then asks). So two
 * processes that share memory (vfork) or a cwd (CLONE_FS) never answer
 * from the other's names, even where one host directory shows at two
 * places in the view and the kernel's name cannot tell them apart.
 */
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>

#include "core/internal.h"
#include "core/view/view.h"
#include "rt/config.h"

/* Writes h into t's process (NULL: clears it), odd `seq` meanwhile: in
 * one process_vm_writev, whose pieces the kernel copies in their order
 * (and x86 shows stores in that order), so that a thread of another
 * process that reads them meanwhile sees `seq` odd first and even last. */
static void write_names(struct facet_task *t, uint64_t at, const struct rt_cwd *h)
{
	uint64_t names = at + offsetof(struct rt_cwd, names);
	uint32_t seq;
	if (facet_mem_read(t, at + offsetof(struct rt_cwd, seq), &seq, sizeof(seq)) != sizeof(seq))
		return;
	uint32_t odd = seq | 1, even = odd + 1, none = 0;
	struct iovec l[7], r[7];
	size_t n = 0, total = 0;
#define PIECE(local, size, addr) \
	(l[n] = (struct iovec){ (void *)(local), (size) }, r[n++] = (struct iovec){ (void *)(uintptr_t)(addr), (size) }, \
	 total += (size))
#define FIELD(f) (at + offsetof(struct rt_cwd, f))
	PIECE(&odd, 4, FIELD(seq));
	PIECE(&none, 4, FIELD(host_len));
	if (h) {
		PIECE(h->names, h->host_len + h->guest_len, names);
		PIECE(&h->guest_len, 4, FIELD(guest_len));
		PIECE(&h->host_len, 4, FIELD(host_len));
	}
	PIECE(&even, 4, FIELD(seq));
#undef FIELD
#undef PIECE
	/* Cut short, `seq` is left odd or host_len 0: the runtime asks. */
	mem_writev(t, l, r, n, total);
}

void view_rt_cwd_note(struct facet_task *t)
{
	struct view_state *vs = t->session->vs;
	if (!vs || !vs->fast || !vs->rt_cwd || !t->view)
		return;
	struct view_fs *fs = view_fs_of(t);
	static struct rt_cwd h; /* 8 KiB; the supervisor has one thread */
	bool own = fs->refs == 1 && t->proc->nthreads == 1 && !t->proc->vm_parent && !t->proc->vm_children &&
		   fs->root_len <= 1 && fs->cwd_len > 0 && fs->cwd_len < RT_CWD_MAX;
	long hl = own ? vfs_guest_to_host(vs->table, fs->cwd, fs->cwd_len, h.names) : -1;
	if (hl > 0 && (size_t)hl < RT_CWD_MAX) {
		h.host_len = (uint32_t)hl;
		h.guest_len = (uint32_t)fs->cwd_len;
		memcpy(h.names + hl, fs->cwd, fs->cwd_len);
		write_names(t, vs->rt_cwd, &h);
	} else {
		write_names(t, vs->rt_cwd, NULL);
	}
	if (fs->refs <= 1)
		return;
	struct facet_session *s = t->session;
	for (unsigned b = 0; b < TASK_BUCKETS; b++)
		for (struct facet_task *o = s->tasks[b]; o; o = o->hnext)
			if (o->proc != t->proc && o->view && o->view->fs == fs)
				write_names(o, vs->rt_cwd, NULL);
}
