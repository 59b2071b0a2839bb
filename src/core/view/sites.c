/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The call sites patched so far in the session, by the file their code
 * comes from (patch.c): a process that makes its first call from one
 * site of a library (libc, ld.so) gets every site of that library known
 * patched at once, instead of one round trip per site at each exec.
 *
 * A site is learnt when the supervisor patches it and no file it knows has
 * it: /proc/PID/maps names the file (device, inode) and the site's offset
 * in it. Another process's site is recognised by its bytes; the file's
 * other sites are then where the same distance puts them, and only if
 * every one of them is there, byte for byte (or patched already), is any
 * of them patched: a file changed in place, or another file that happens
 * to hold the same bytes, is left to the usual one-site-at-a-time way.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "core/internal.h"
#include "core/view/view.h"
#include "loader/plan.h"
#include "rt/config.h"

#define SITE_LEN 7
#define MAX_FILES 32
#define MAX_SITES_PER_FILE 48

struct known_site {
	uint64_t off;                      /* in the file, of the site's first byte */
	uint32_t how, imm;
	uint8_t orig[SITE_LEN];
};

struct known_file {
	unsigned long long dev, ino;       /* as /proc/PID/maps gives them */
	unsigned n;
	struct known_site site[MAX_SITES_PER_FILE];
};

struct view_sites {
	unsigned n;
	struct known_file file[MAX_FILES];
};

bool view_site_patched(const uint8_t b[7])
{
	uint32_t slot;
	memcpy(&slot, b + 3, 4);
	return b[0] == 0xff && b[1] == 0x24 && b[2] == 0x25 && slot >= RT_SITE_TABLE &&
	       slot < RT_SITE_TABLE + 8u * RT_MAX_SITES && (slot - RT_SITE_TABLE) % 8 == 0;
}

/* Whether the sites of f lie at their offsets plus delta in t's process:
 * the ones to patch but `skip` into out (at most max), their number, or -1. */
static int place(struct facet_task *t, const struct known_file *f, uint64_t delta, uint64_t skip,
		 struct view_site_at *out, unsigned max)
{
	uint8_t bytes[MAX_SITES_PER_FILE][SITE_LEN];
	struct iovec l[MAX_SITES_PER_FILE], r[MAX_SITES_PER_FILE];
	for (unsigned i = 0; i < f->n; i++) {
		l[i] = (struct iovec){ bytes[i], SITE_LEN };
		r[i] = (struct iovec){ (void *)(uintptr_t)(delta + f->site[i].off), SITE_LEN };
	}
	if (process_vm_readv(t->tid, l, f->n, r, f->n, 0) != (ssize_t)(SITE_LEN * f->n))
		return -1;
	unsigned m = 0;
	for (unsigned i = 0; i < f->n; i++) {
		if (memcmp(bytes[i], f->site[i].orig, SITE_LEN)) {
			if (!view_site_patched(bytes[i]))
				return -1;
			continue;
		}
		if (m < max && delta + f->site[i].off != skip)
			out[m++] = (struct view_site_at){ delta + f->site[i].off, f->site[i].how, f->site[i].imm };
	}
	return (int)m;
}

int view_sites_known(struct facet_task *t, uint64_t at, const uint8_t orig[SITE_LEN], uint32_t how,
		     struct view_site_at *out, unsigned max)
{
	const struct view_sites *ks = t->session->vs->sites;
	for (unsigned i = 0; ks && i < ks->n; i++)
		for (unsigned j = 0; j < ks->file[i].n; j++) {
			const struct known_site *s = &ks->file[i].site[j];
			/* One site alone cannot tell its file's from another
			 * site with the same bytes: it is learnt again. */
			if (ks->file[i].n < 2 || s->how != how || memcmp(s->orig, orig, SITE_LEN) || at < s->off)
				continue;
			int m = place(t, &ks->file[i], at - s->off, at, out, max);
			if (m >= 0)
				return m;
		}
	return -1;
}

/* The mapping of t's process that holds address `at`: its file and the
 * file offset of `at`. */
static bool mapping_of(pid_t tid, uint64_t at, unsigned long long *dev, unsigned long long *ino, uint64_t *off)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return false;
	char line[4096];
	bool found = false;
	while (!found && fgets(line, sizeof(line), fp)) {
		unsigned long long lo, hi, pgoff, maj, min, inode;
		if (sscanf(line, "%llx-%llx %*s %llx %llx:%llx %llu", &lo, &hi, &pgoff, &maj, &min, &inode) != 6 ||
		    at < lo || at >= hi)
			continue;
		if (at + SITE_LEN > hi)
			break; /* the site straddles two mappings */
		found = inode != 0;
		*dev = maj << 32 | min;
		*ino = inode;
		*off = at - lo + pgoff;
	}
	fclose(fp);
	return found;
}

void view_sites_learn(struct facet_task *t, uint64_t at, const uint8_t orig[SITE_LEN], uint32_t how, uint32_t imm)
{
	struct view_state *vs = t->session->vs;
	unsigned long long dev, ino;
	uint64_t off;
	if (!mapping_of(t->tid, at, &dev, &ino, &off))
		return;
	if (!vs->sites && !(vs->sites = calloc(1, sizeof(*vs->sites))))
		return;
	struct view_sites *ks = vs->sites;
	struct known_file *f = NULL;
	for (unsigned i = 0; i < ks->n && !f; i++)
		if (ks->file[i].dev == dev && ks->file[i].ino == ino)
			f = &ks->file[i];
	if (!f && ks->n < MAX_FILES)
		f = &ks->file[ks->n++], f->dev = dev, f->ino = ino;
	if (!f || f->n == MAX_SITES_PER_FILE)
		return;
	for (unsigned i = 0; i < f->n; i++)
		if (f->site[i].off == off)
			return;
	struct known_site *s = &f->site[f->n++];
	s->off = off;
	s->how = how;
	s->imm = imm;
	memcpy(s->orig, orig, SITE_LEN);
}

unsigned view_sites_of_file(struct view_state *vs, int fd, struct loader_plan_site *out, unsigned max)
{
	struct stat st;
	if (!vs->sites || fd < 0 || fstat(fd, &st) < 0)
		return 0;
	/* As /proc/PID/maps gives the device: major:minor. */
	unsigned long long dev = (unsigned long long)major(st.st_dev) << 32 | minor(st.st_dev);
	for (unsigned i = 0; i < vs->sites->n; i++) {
		const struct known_file *f = &vs->sites->file[i];
		if (f->dev != dev || f->ino != (unsigned long long)st.st_ino || f->n < 2 || f->n > max)
			continue;
		for (unsigned j = 0; j < f->n; j++) {
			out[j] = (struct loader_plan_site){ .off = f->site[j].off, .how = f->site[j].how,
							    .imm = f->site[j].imm, .len = SITE_LEN,
							    .image = LOADER_SITE_INTERP };
			memcpy(out[j].orig, f->site[j].orig, SITE_LEN);
		}
		return f->n;
	}
	return 0;
}

void view_sites_free(struct view_state *vs)
{
	free(vs->sites);
	vs->sites = NULL;
}
