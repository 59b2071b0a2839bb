/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * facet-loader's image as the supervisor needs to know it: where it is
 * installed, where the kernel maps it (it is linked at a fixed address,
 * src/loader/meson.build), and the address of its runtime's forwarding
 * instruction (rt_gate_forward, src/rt/arch/<cpu>/gate.S), which the
 * filter sends to the supervisor.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/internal.h"
#include "core/view/view.h"
#include "machine.h" /* src/core/arch/<arch>/ */
#include "util/cleanup.h"

/* The image's symbol table, mapped once for the lookups. */
struct image_syms {
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strs;
	size_t strs_size;
};

static bool read_syms(const void *map, size_t size, struct image_syms *out)
{
	const Elf64_Ehdr *eh = map;
	if (eh->e_shoff > size || eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr))
		return false;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)((const char *)map + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum || sh[i].sh_entsize != sizeof(Elf64_Sym))
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset || st->sh_offset > size ||
		    st->sh_size > size - st->sh_offset)
			return false;
		*out = (struct image_syms){
			.syms = (const Elf64_Sym *)((const char *)map + sh[i].sh_offset),
			.nsyms = sh[i].sh_size / sizeof(Elf64_Sym),
			.strs = (const char *)map + st->sh_offset,
			.strs_size = st->sh_size,
		};
		return true;
	}
	return false;
}

/* The address of symbol `name`, 0 if absent (a stripped image: it then
 * runs programs without the runtime). */
static uint64_t find_symbol(const struct image_syms *t, const char *name)
{
	size_t len = strlen(name) + 1;
	for (size_t i = 0; i < t->nsyms; i++)
		if (t->syms[i].st_name < t->strs_size && t->strs_size - t->syms[i].st_name >= len &&
		    !memcmp(t->strs + t->syms[i].st_name, name, len))
			return t->syms[i].st_value;
	return 0;
}

/* An image linked at a fixed address: the range of its code, or false. */
static bool read_image(int fd, Elf64_Ehdr *eh, uint64_t *lo, uint64_t *hi)
{
	if (pread(fd, eh, sizeof(*eh), 0) != sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_EXEC)
		return false;
	*lo = UINT64_MAX;
	*hi = 0;
	for (unsigned p = 0; p < eh->e_phnum; p++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh->e_phoff + p * sizeof(ph))) != sizeof(ph))
			return false;
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (ph.p_vaddr < *lo)
			*lo = ph.p_vaddr & ~(uint64_t)4095;
		if (ph.p_vaddr + ph.p_memsz > *hi)
			*hi = (ph.p_vaddr + ph.p_memsz + 4095) & ~(uint64_t)4095;
	}
	return *hi > *lo && *lo >= 4096;
}

/* facet-loader: next to libfacet (the build tree, or a relocated install),
 * else where it was installed. */
int view_find_loader(struct view_state *vs, const char *libdir_hint)
{
	const char *candidates[3] = { getenv("FACET_LOADER"), NULL, FACET_LOADER_INSTALLED };
	char near[PATH_MAX];
	if (libdir_hint) {
		snprintf(near, sizeof(near), "%s/facet-loader", libdir_hint);
		candidates[1] = near;
	}
	for (unsigned i = 0; i < 3; i++) {
		if (!candidates[i] || access(candidates[i], X_OK) < 0)
			continue;
		_cleanup_close_ int fd = open(candidates[i], O_RDONLY | O_CLOEXEC);
		Elf64_Ehdr eh;
		uint64_t lo, hi;
		if (fd < 0 || !read_image(fd, &eh, &lo, &hi))
			continue;
		vs->loader_path = realpath(candidates[i], NULL);
		vs->loader_lo = lo;
		vs->loader_hi = hi;
		struct stat st;
		struct image_syms syms = { 0 };
		void *map = fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(eh)
				    ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
		if (map != MAP_FAILED)
			read_syms(map, (size_t)st.st_size, &syms);
		vs->rt_gate = find_symbol(&syms, "rt_gate_forward");
		if (vs->rt_gate < lo || vs->rt_gate >= hi)
			vs->rt_gate = 0;
		vs->rt_pass = find_symbol(&syms, "rt_gate_pass");
		vs->native_gate = find_symbol(&syms, "loader_gate");
		vs->rt_sites = find_symbol(&syms, "rt_sites");
		vs->rt_cwd = find_symbol(&syms, "rt_cwd");
		vs->rt_site_next = find_symbol(&syms, "rt_site_next");
		vs->rt_config_addr = find_symbol(&syms, "rt_config");
		vs->rt_fd_marks = find_symbol(&syms, "rt_fd_marks");
		vs->rt_scratch = find_symbol(&syms, "rt_scratch");
		vs->plan_in = find_symbol(&syms, "loader_plan_in");
		vs->rt_trampolines = find_symbol(&syms, "rt_trampolines");
		if (find_symbol(&syms, "rt_site_table") != RT_SITE_TABLE || !vs->rt_trampolines)
			vs->rt_sites = 0;
		if (map != MAP_FAILED)
			munmap(map, (size_t)st.st_size);
		return vs->loader_path ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

uint64_t view_rt_gate_ip(const struct view_state *vs)
{
	/* The address after the instruction, as seccomp and the kernel report it. */
	return vs && vs->rt_gate ? vs->rt_gate + ARCH_SYSCALL_INSN_SIZE : 0;
}

uint64_t view_rt_pass_ip(const struct view_state *vs)
{
	return vs && vs->rt_pass ? vs->rt_pass + ARCH_SYSCALL_INSN_SIZE : 0;
}

uint64_t view_native_gate_ip(const struct view_state *vs)
{
	return vs && vs->native_gate ? vs->native_gate + ARCH_SYSCALL_INSN_SIZE : 0;
}

/* Every mount shows the host's object at its own path, none synthetic:
 * the view's names are the host's. */
static bool host_paths(const struct vfs_table *t)
{
	for (unsigned i = 0; i < t->nmounts; i++) {
		const struct vfs_mount *m = &t->mounts[i];
		if ((m->flags & VFS_MOUNT_SYNTHETIC) || m->guest_len != m->host_len ||
		    memcmp(vfs_mount_guest(t, (int)i), vfs_mount_host(t, (int)i), m->guest_len))
			return false;
	}
	return true;
}

/* Where a part of c's packed data starts (config.h). */
static void *part(struct rt_config *c, uint32_t at)
{
	return (char *)c->data + at;
}

int view_rt_prepare(struct view_state *vs)
{
	if (!vs->rt_sites || !vs->rt_site_next || !vs->rt_config_addr || !vs->rt_pass ||
	    vs->native_gate < vs->loader_lo || vs->native_gate >= vs->loader_hi)
		vs->fast = false; /* an image without the runtime's sites */
	if (!vs->fast)
		return 0;
	struct rt_config *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	/* The packed parts are gathered first: where each goes depends on the
	 * counts of those before it. */
	struct rt_ident fences[RT_MAX_FENCES], roots[RT_MAX_ROOTS];
	uint32_t fence_links[RT_MAX_FENCES];
	uint64_t proc_devs[RT_MAX_PROC_DEVS];
	if (vs->nfences > RT_MAX_FENCES)
		c->flags |= RT_CONFIG_ALL_FENCED;
	if (vs->protected_symlinks)
		c->flags |= RT_CONFIG_PROTECTED_SYMLINKS;
	for (unsigned i = 0; i < vs->nfences && i < RT_MAX_FENCES; i++) {
		fences[c->nfences] = (struct rt_ident){ vs->fences[i].dev, vs->fences[i].ino };
		fence_links[c->nfences++] = view_extra_links(vs, vs->fences[i].dev, vs->fences[i].ino);
	}
	for (unsigned i = 0; i < vs->table->nmounts; i++) {
		const char *g = vfs_mount_guest(vs->table, (int)i);
		for (size_t b = 0, e; g[b]; b = e) {
			while (g[b] == '/')
				b++;
			for (e = b; g[e] && g[e] != '/'; e++)
				;
			if (e > b) {
				uint32_t bit = vfs_name_hash(g + b, e - b) % RT_NAME_BITS;
				c->name_bits[bit / 64] |= 1ull << (bit % 64);
			}
		}
	}
	struct stat st;
	for (unsigned i = 0; i < vs->table->nmounts; i++) {
		if (c->nroots == RT_MAX_ROOTS || fstat(vs->mount_fds[i], &st) < 0) {
			c->flags |= RT_CONFIG_ROOTS_UNKNOWN;
			break;
		}
		roots[c->nroots++] = (struct rt_ident){ st.st_dev, st.st_ino };
	}
	/* The host's procfs, whether the view mounts it or shows it through
	 * its root, and the view's own procfs mounts. */
	if (stat("/proc", &st) == 0)
		proc_devs[c->nproc_devs++] = st.st_dev;
	for (unsigned i = 0; i < vs->nproc_devs; i++) {
		if (c->nproc_devs == RT_MAX_PROC_DEVS) {
			c->flags |= RT_CONFIG_ALL_FENCED;
			break;
		}
		proc_devs[c->nproc_devs++] = vs->proc_devs[i];
	}
	/* The mount table, for absolute paths, if it fits. */
	bool table = vs->table->used <= RT_TABLE_MAX;
	if (table) {
		if (host_paths(vs->table))
			c->flags |= RT_CONFIG_HOST_PATHS;
		c->table_size = vs->table->used;
	}
	memcpy(part(c, 0), proc_devs, c->nproc_devs * sizeof(proc_devs[0]));
	memcpy(part(c, rt_config_fences_at(c)), fences, c->nfences * sizeof(fences[0]));
	memcpy(part(c, rt_config_links_at(c)), fence_links, c->nfences * sizeof(fence_links[0]));
	memcpy(part(c, rt_config_roots_at(c)), roots, c->nroots * sizeof(roots[0]));
	if (table) {
		char *t = part(c, rt_config_table_at(c));
		memcpy(t, vs->table, vs->table->used);
		uint32_t used = vs->table->used; /* the copy is only as large */
		memcpy(t + offsetof(struct vfs_table, size), &used, sizeof(used));
	}
	/* Fake root's record, which the runtime maps and applies: its name
	 * is given at each exec (view_rt_config_for). */
	if (vs->fr)
		c->flags |= RT_CONFIG_FAKEROOT | (fakeroot_ids_root(vs->fr, NULL) ? RT_CONFIG_FAKE_ROOT_IDS : 0);
	vs->rt_config = c;
	return 0;
}

/* The configuration for a process whose root is `fs`'s. */
const struct rt_config *view_rt_config_for(struct facet_task *t, struct rt_config *buf)
{
	struct view_state *vs = t->session->vs;
	if (!vs->rt_config)
		return NULL;
	/* Fake root's record (a memfd of the supervisor's) by a name the
	 * tree's kernel lets the runtime open: the holder's under Landlock
	 * (holder.c). None: fake root's calls are the supervisor's. */
	if (vs->fr) {
		struct rt_config *c = vs->rt_config;
		char *owners = part(c, rt_config_owners_at(c));
		int n = view_fd_name(t, owners, RT_OWNERS_PATH_MAX, vs->fr->fd, NULL);
		c->owners_len = n < 0 ? 0 : (uint32_t)n;
		owners[c->owners_len] = '\0';
	}
	bool root_changed = t->view && view_fs_root_changed(view_fs_of(t));
	bool not_root = (vs->rt_config->flags & RT_CONFIG_FAKE_ROOT_IDS) && t->view &&
			!fakeroot_ids_root(vs->fr, t->view->ids);
	if (!root_changed && !not_root)
		return vs->rt_config;
	memcpy(buf, vs->rt_config, sizeof(*buf));
	if (root_changed)
		buf->flags |= RT_CONFIG_ROOT_CHANGED;
	if (not_root)
		buf->flags &= ~(uint32_t)RT_CONFIG_FAKE_ROOT_IDS;
	return buf;
}

int view_rt_config_write(struct facet_task *t, const struct rt_config *c)
{
	const struct view_state *vs = t->session->vs;
	size_t len = rt_config_size(c);
	struct iovec local = { (void *)c, len }, remote = { (void *)(uintptr_t)vs->rt_config_addr, len };
	ssize_t w = mem_writev(t, &local, &remote, 1, len);
	return w < 0 ? (int)w : 0;
}

void view_rt_ids_changed(struct facet_task *t)
{
	const struct view_state *vs = t->session->vs;
	uint32_t flags;
	/* Threads and vfork's processes share the memory: one write is theirs
	 * too, and the bit stays clear until the next exec. */
	if (!vs->fast || !t->view || t->view->in_loader || fakeroot_ids_root(vs->fr, t->view->ids) ||
	    facet_mem_read(t, vs->rt_config_addr, &flags, sizeof(flags)) != sizeof(flags) ||
	    !(flags & RT_CONFIG_FAKE_ROOT_IDS))
		return;
	flags &= ~(uint32_t)RT_CONFIG_FAKE_ROOT_IDS;
	facet_mem_write(t, vs->rt_config_addr, &flags, sizeof(flags));
}

/* After a chroot in the view: absolute paths of every process whose root
 * that was go to the supervisor from now on. */
void view_rt_root_changed(struct facet_session *s, const struct view_fs *fs)
{
	const struct view_state *vs = s->vs;
	if (!vs->fast)
		return;
	for (unsigned b = 0; b < TASK_BUCKETS; b++)
		for (struct facet_task *t = s->tasks[b]; t; t = t->hnext) {
			uint32_t flags;
			if (!t->view || t->view->fs != fs || t->view->in_loader ||
			    facet_mem_read(t, vs->rt_config_addr, &flags, sizeof(flags)) != sizeof(flags))
				continue;
			flags |= RT_CONFIG_ROOT_CHANGED;
			facet_mem_write(t, vs->rt_config_addr, &flags, sizeof(flags));
		}
}

int facet_session_fast(const struct facet_session *s, const char **why)
{
	const char *reason = NULL;
	if (!s->view)
		reason = "there is no view";
	else if (s->view->mode != FACET_VIEW_FAST)
		reason = s->view->mode == FACET_VIEW_CONFINE ? "the view's mode is FACET_VIEW_CONFINE"
							       : "the view's mode is FACET_VIEW_SUPERVISOR";
	else if (s->backend != FACET_BACKEND_NOTIFY)
		reason = "the runtime hands calls to facet by user notification; the ptrace back end has none";
	else if (s->vs && !s->vs->fast) /* known once the view has started */
		reason = "facet-loader has no runtime (a stripped or foreign build)";
	if (why)
		*why = reason;
	return reason == NULL;
}
