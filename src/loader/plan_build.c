/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building the load plan (plan.h) on the supervisor's side. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "loader/plan_build.h"
#include "util/cleanup.h"

/* Appends a string at *pos (when buf is set) and returns its offset, or 0
 * for NULL; a negative errno for a string the loader would refuse. */
static int64_t put_str(char *buf, uint32_t *pos, const char *s)
{
	if (!s)
		return 0;
	size_t len = strlen(s) + 1;
	if (len >= LOADER_EXECFN_MAX)
		return -ENAMETOOLONG;
	if (*pos + len > LOADER_PLAN_MAX)
		return -E2BIG;
	uint32_t off = *pos;
	if (buf)
		memcpy(buf + off, s, len);
	*pos += (uint32_t)len;
	return off;
}

static int check_spec(const struct loader_plan_spec *spec)
{
	if (!spec->program || !spec->execfn || !spec->comm)
		return -EINVAL;
	if (spec->flags & ~LOADER_PLAN_FLAGS_KNOWN)
		return -EINVAL;
	if (spec->extra_count > LOADER_PLAN_MAX_EXTRAS || spec->site_count > LOADER_PLAN_MAX_SITES)
		return -E2BIG;
	if (spec->site_count && (!spec->sites || !spec->runtime))
		return -EINVAL;
	for (size_t i = 0; i < spec->site_count; i++)
		if ((spec->sites[i].len != 7 && spec->sites[i].len != 8) ||
		    (spec->sites[i].image != LOADER_SITE_INTERP && spec->sites[i].image != LOADER_SITE_PROGRAM) ||
		    (spec->sites[i].image == LOADER_SITE_INTERP && !spec->interp))
			return -EINVAL;
	for (size_t i = 0; i < spec->extra_count; i++)
		if (!spec->extras[i].path || spec->extras[i].addr == 0 || spec->extras[i].addr % 4096 != 0)
			return -EINVAL;
	return 0;
}

/* Lays the plan out, writing it when buf is set; returns the size. Run
 * once without a buffer to measure, once with it to write. */
static ssize_t lay_out(char *buf, const struct loader_plan_spec *spec)
{
	struct loader_plan h = {
		.magic = LOADER_PLAN_MAGIC,
		.version = LOADER_PLAN_VERSION,
		.flags = spec->flags,
		.extra_count = (uint32_t)spec->extra_count,
	};
	uint32_t pos = sizeof(h);
	struct loader_plan_image *img = NULL;
	if (spec->extra_count) {
		h.extras = pos;
		img = buf ? (struct loader_plan_image *)(buf + pos) : NULL;
		pos += (uint32_t)(spec->extra_count * sizeof(*img));
	}
	if (spec->runtime)
		h.flags |= LOADER_PLAN_RUNTIME;
	if (spec->site_count) {
		pos = (pos + 7u) & ~7u;
		h.sites = pos;
		if (buf) {
			struct loader_plan_sites *ps = (struct loader_plan_sites *)(buf + pos);
			ps->count = (uint32_t)spec->site_count;
			memcpy(ps->site, spec->sites, spec->site_count * sizeof(ps->site[0]));
		}
		pos += (uint32_t)(sizeof(struct loader_plan_sites) + spec->site_count * sizeof(struct loader_plan_site));
	}
	struct { uint32_t *field; const char *s; } strs[] = {
		{ &h.program, spec->program },
		{ &h.interp, spec->interp },
		{ &h.execfn, spec->execfn },
		{ &h.comm, spec->comm },
	};
	int64_t off;
	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		if ((off = put_str(buf, &pos, strs[i].s)) < 0)
			return off;
		*strs[i].field = (uint32_t)off;
	}
	for (size_t i = 0; i < spec->extra_count; i++) {
		if ((off = put_str(buf, &pos, spec->extras[i].path)) < 0)
			return off;
		if (img)
			img[i] = (struct loader_plan_image){ .addr = spec->extras[i].addr, .path = (uint32_t)off };
	}
	h.size = pos;
	if (buf)
		memcpy(buf, &h, sizeof(h));
	return pos;
}

ssize_t loader_plan_build(void *buf, size_t size, const struct loader_plan_spec *spec)
{
	int r = check_spec(spec);
	if (r < 0)
		return r;
	ssize_t need = lay_out(NULL, spec);
	if (need < 0 || !buf)
		return need;
	if ((size_t)need > size)
		return -ENOSPC;
	memset(buf, 0, (size_t)need);
	return lay_out(buf, spec);
}

int loader_plan_place(uint64_t sp, size_t size, uint64_t *addr)
{
	if (size < sizeof(struct loader_plan) || size > LOADER_PLAN_MAX)
		return -E2BIG;
	/* Well above anything mmap_min_addr allows, so no wrap below zero. */
	if (sp < 1024 * 1024)
		return -EINVAL;
	*addr = (sp - LOADER_STACK_RESERVE - size) & ~(uint64_t)15;
	return 0;
}

int loader_plan_aslr_flags(void)
{
	_cleanup_close_ int fd = open("/proc/sys/kernel/randomize_va_space", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char c;
	ssize_t n = read(fd, &c, 1);
	if (n < 0)
		return -errno;
	if (n == 0 || c < '0' || c > '9')
		return -EINVAL;
	if (c == '0')
		return 0;
	return c == '1' ? LOADER_PLAN_RANDOMIZE : LOADER_PLAN_RANDOMIZE | LOADER_PLAN_RANDOMIZE_BRK;
}

void loader_plan_comm(char comm[LOADER_COMM_LEN], const char *filename)
{
	const char *base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	size_t n = strnlen(base, LOADER_COMM_LEN - 1);
	memcpy(comm, base, n);
	comm[n] = '\0';
}
