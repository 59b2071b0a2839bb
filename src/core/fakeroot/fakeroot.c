/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fake root's start and end with the view (fakeroot.h). */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"

/* Every capability the kernel has: the sets root starts with. */
static uint64_t cap_all(void)
{
	int last = CAP_LAST_CAP;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last == 63 ? ~0ull : (1ull << (last + 1)) - 1;
}

int fakeroot_start(struct facet_session *s)
{
	struct view_state *vs = s->vs;
	struct fakeroot *fr = calloc(1, sizeof(*fr));
	if (!fr)
		return -ENOMEM;
	fr->fd = -1;
	fr->uid = s->view->fake_uid;
	fr->gid = s->view->fake_gid;
	fr->real_uid = getuid();
	fr->real_gid = getgid();
	fr->cap_all = cap_all();
	vs->fr = fr;
	int r = fakeroot_table_create(fr);
	if (r < 0)
		return session_fail(s, r, "creating fake root's record (a memfd)");
	if (s->view->owner_state) {
		if (!(fr->state_path = strdup(s->view->owner_state)))
			return -ENOMEM;
		if ((r = fakeroot_state_load(s, fr)) < 0)
			return r;
	}
	return 0;
}

int fakeroot_end(struct facet_session *s)
{
	struct fakeroot *fr = s->vs->fr;
	return fr && fr->state_path ? fakeroot_state_save(s, fr) : 0;
}

void fakeroot_stop(struct facet_session *s)
{
	struct fakeroot *fr = s->vs ? s->vs->fr : NULL;
	if (!fr)
		return;
	fakeroot_table_destroy(fr);
	fakeroot_xattr_clear();
	free(fr->state_path);
	free(fr->state_file);
	free(fr);
	s->vs->fr = NULL;
}
