/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a valid load plan is. Freestanding: linked into the loader, which
 * trusts nothing it has not checked here, and into the supervisor side,
 * which checks what it built. */
#include <linux/errno.h>

#include "loader/plan.h"

/* A string must start after the header and end, NUL included, inside the plan. */
static int check_str(const struct loader_plan *p, uint32_t off, uint32_t max_len)
{
	const char *s = (const char *)p;
	if (off < sizeof(*p) || off >= p->size)
		return -EINVAL;
	for (uint32_t i = off; i < p->size; i++)
		if (s[i] == '\0')
			return i - off < max_len ? 0 : -EINVAL;
	return -EINVAL;
}

static int fail(const char **why, const char *what, int err)
{
	if (why)
		*why = what;
	return err;
}

static int check_extras(const struct loader_plan *p, const char **why)
{
	if (p->extra_count == 0)
		return p->extras == 0 ? 0 : fail(why, "extra images without a count", -EINVAL);
	if (p->extra_count > LOADER_PLAN_MAX_EXTRAS)
		return fail(why, "too many extra images", -EINVAL);
	if (p->extras < sizeof(*p) || p->extras % 8 != 0 ||
	    p->extras > p->size || (p->size - p->extras) / sizeof(struct loader_plan_image) < p->extra_count)
		return fail(why, "extra images outside the plan", -EINVAL);
	const struct loader_plan_image *img = loader_plan_images(p);
	for (uint32_t i = 0; i < p->extra_count; i++) {
		if (check_str(p, img[i].path, LOADER_EXECFN_MAX) < 0)
			return fail(why, "bad extra image path", -EINVAL);
		if (img[i].flags != 0)
			return fail(why, "unknown extra image flags", -EINVAL);
		/* 4 KiB, the smallest page size; the loader checks its own. */
		if (img[i].addr == 0 || img[i].addr % 4096 != 0)
			return fail(why, "extra image address not page-aligned", -EINVAL);
	}
	return 0;
}

int loader_plan_check(const struct loader_plan *p, uint32_t avail, const char **why)
{
	if (avail < sizeof(*p))
		return fail(why, "truncated", -EINVAL);
	if (p->magic != LOADER_PLAN_MAGIC)
		return fail(why, "bad magic", -EPROTO);
	if (p->version != LOADER_PLAN_VERSION)
		return fail(why, "a version this loader does not read", -EPROTO);
	if (p->size < sizeof(*p) || p->size > avail || p->size > LOADER_PLAN_MAX)
		return fail(why, "bad size", -EINVAL);
	if (p->flags & ~LOADER_PLAN_FLAGS_KNOWN)
		return fail(why, "unknown flags", -EINVAL);
	if (p->sites != 0 && (p->sites < sizeof(*p) || p->sites % 8 != 0 || p->sites > p->size ||
			      p->size - p->sites < sizeof(struct loader_plan_sites) || !(p->flags & LOADER_PLAN_RUNTIME)))
		return fail(why, "call sites outside the plan, or without runtime", -EINVAL);
	if (p->sites != 0) {
		const struct loader_plan_sites *ps = loader_plan_sites(p);
		if (ps->reserved != 0 || ps->count > LOADER_PLAN_MAX_SITES ||
		    (p->size - p->sites - sizeof(*ps)) / sizeof(ps->site[0]) < ps->count)
			return fail(why, "bad call sites", -EINVAL);
		for (uint32_t i = 0; i < ps->count; i++) {
			const struct loader_plan_site *site = &ps->site[i];
			unsigned reserved = 0;
			for (unsigned j = 0; j < sizeof(site->reserved); j++)
				reserved |= site->reserved[j] != 0;
			if ((site->len != 7 && site->len != 8) || reserved ||
			    (site->image != LOADER_SITE_INTERP && site->image != LOADER_SITE_PROGRAM) ||
			    (site->image == LOADER_SITE_INTERP && !p->interp))
				return fail(why, "bad call site", -EINVAL);
		}
	}
	if (p->reserved != 0)
		return fail(why, "a reserved field set", -EINVAL);
	if (check_str(p, p->program, LOADER_EXECFN_MAX) < 0)
		return fail(why, "bad program path", -EINVAL);
	if (p->interp != 0 && check_str(p, p->interp, LOADER_EXECFN_MAX) < 0)
		return fail(why, "bad interpreter path", -EINVAL);
	if (check_str(p, p->execfn, LOADER_EXECFN_MAX) < 0)
		return fail(why, "bad AT_EXECFN string", -EINVAL);
	if (check_str(p, p->comm, LOADER_EXECFN_MAX) < 0)
		return fail(why, "bad process name", -EINVAL);
	return check_extras(p, why);
}
