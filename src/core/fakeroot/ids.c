/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The identity calls under fake root (fakeroot.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"

struct fake_ids *fakeroot_ids_new(const struct fakeroot *fr)
{
	struct fake_ids *ids = calloc(1, sizeof(*ids));
	if (!ids)
		return NULL;
	ids->ruid = ids->euid = ids->suid = ids->fsuid = fr->uid;
	ids->rgid = ids->egid = ids->sgid = ids->fsgid = fr->gid;
	return ids;
}

struct fake_ids *fakeroot_ids_copy(const struct fake_ids *ids)
{
	struct fake_ids *c = malloc(sizeof(*c));
	if (c)
		memcpy(c, ids, sizeof(*c));
	return c;
}

void fakeroot_ids_free(struct fake_ids *ids)
{
	free(ids);
}

int64_t fakeroot_id_call(struct facet_task *t, const struct call *c, const struct path_call *pc)
{
	return -ENOSYS;
}

int fakeroot_status_file(struct facet_task *t, pid_t pid)
{
	return -ENOSYS;
}
