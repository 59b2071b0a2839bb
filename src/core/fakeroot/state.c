/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --fakeroot-state FILE: fake root's record kept between runs. */
#include <errno.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"

int fakeroot_state_load(struct facet_session *s, struct fakeroot *fr)
{
	return session_fail(s, -ENOSYS, "--fakeroot-state is not implemented yet");
}

int fakeroot_state_save(struct facet_session *s, struct fakeroot *fr)
{
	return -ENOSYS;
}
