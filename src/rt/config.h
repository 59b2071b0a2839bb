/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the supervisor tells the in-process runtime (src/rt/) at each exec,
 * through the load plan (src/loader/plan.h), and the constants both sides
 * must agree on. Freestanding: <stdint.h> only.
 */
#ifndef FACET_RT_CONFIG_H
#define FACET_RT_CONFIG_H

#include <asm/unistd.h>
#include <stdint.h>

#ifndef __NR_fchmodat2 /* Linux 6.6; every architecture's number for it */
#define __NR_fchmodat2 452
#endif

/* Patched call sites per process (rt.h). The jump table, one pointer per
 * site, lies at RT_SITE_TABLE (src/loader/meson.build). */
#define RT_MAX_SITES 4096u
#define RT_SITE_TABLE 0x050f0000u

/* What the runtime's table says of patched site k (rt_sites[k]): where
 * its trampoline returns to, its number (or one of the bits below), and
 * an immediate. One entry of 16 bytes, not three arrays: a process's
 * first sites lie in one page of the table, not in three. */
struct rt_site {
	uint64_t ret;
	uint32_t nr, imm;
};
_Static_assert(sizeof(struct rt_site) == 16, "arch/<cpu>/sites.S indexes rt_sites by 16 bytes");

/* rt_sites[k].nr with this bit: the site loaded %rax from the stack
 * pointer plus the low byte (glibc's cancellable-call site), so it serves
 * every call. */
#define RT_SITE_FROM_STACK 0x80000000u
/* rt_sites[k].nr with this bit: the site was `mov $imm32,%reg; syscall`
 * (ld.so's and libc's open sites: %eax was set before), so it serves
 * every call, %rax holds the number, and the trampoline first does the
 * mov: the low 3 bits are the register's number in the instruction
 * (2 %edx, 6 %esi, 7 %edi), rt_sites[k].imm the value. */
#define RT_SITE_NR_IN_RAX 0x40000000u
/* rt_sites[k].nr with this bit: the site was glibc's syscall(2), `mov
 * disp8(%rsp),%r9; syscall` (%rax set before, from its first argument),
 * so it serves every call, and the trampoline first loads %r9 from the
 * stack pointer plus the low byte. */
#define RT_SITE_R9_FROM_STACK 0x20000000u
/* rt_sites[k].nr with this bit: the site was Go's Syscall6, `mov %rcx,%rsi;
 * mov %rbx,%rdi; syscall` (8 bytes; %rax set before), so it serves every
 * call, and the trampoline first makes the two movs. Patched by the
 * loader only, before the program runs a thread (core/view/go_sites.c). */
#define RT_SITE_GO_SYSCALL6 0x10000000u

/* Scratch memory the supervisor writes rewritten arguments into (paths it
 * names for the kernel), one area per call in flight in a process, out of
 * the reach of a signal frame and of a small stack. */
#define RT_SCRATCH_SLOTS 32u
#define RT_SCRATCH_SIZE 16384u

#define RT_MAX_FENCES 128u
#define RT_MAX_ROOTS 64u
#define RT_NAME_BITS 256u
#define RT_MAX_PROC_DEVS 4u
/* The view's mount table (src/vfs/vfs.h) travels in the configuration
 * when it fits; without it, absolute paths go to the supervisor. */
#define RT_TABLE_MAX 6144u
/* Fake root's record of owners (rt/owners.h): the path of its file, which
 * the runtime maps read-only. A longer path travels as "": the runtime
 * then leaves every stat to the supervisor. */
#define RT_OWNERS_PATH_MAX 256u

/* rt_fd_marks[fd] (rt/fds.h), in each process's own memory, for fds
 * below RT_FD_MARKS: 0 unknown, RT_FD_INSIDE in the view, else 1 + the
 * index in the mount table of the mount the runtime opened it through. */
#define RT_FD_MARKS 4096u
#define RT_FD_INSIDE 0xffu

/* The cwd's names the supervisor gives the runtime for getcwd
 * (core/view/rt_cwd.c, rt/calls.c), in each process's own memory. The
 * guest name is the answer while the kernel names the cwd `host`
 * (readlink of /proc/self/cwd: renamed or removed, it does not). `seq`
 * is odd while the supervisor writes; host_len 0: ask the supervisor. */
#define RT_CWD_MAX 4096u
struct rt_cwd {
	uint32_t seq;
	uint32_t host_len, guest_len;
	uint32_t reserved;
	/* The host name, and the guest name right after it: a fresh
	 * process's names lie in one page, written at its exec. */
	char names[2 * RT_CWD_MAX];
};

/* A host directory, as stat identifies it. */
struct rt_ident {
	uint64_t dev, ino;
};

enum rt_config_flags {
	/* More fences than RT_MAX_FENCES: the runtime takes every
	 * directory for one and forwards every call. */
	RT_CONFIG_ALL_FENCED = 1u << 0,
	/* The process's root is not the view's (a chroot in the view):
	 * absolute paths go to the supervisor. */
	RT_CONFIG_ROOT_CHANGED = 1u << 1,
	/* Fake root (facet -0): the stat family and directory entries
	 * show the record at owners_path (rt/owners.h), and fstat and
	 * getdents64, which only fake root changes, are the runtime's too. */
	RT_CONFIG_FAKEROOT = 1u << 2,
	/* Every mount of the view shows the host directory (or file) at its
	 * own path, none synthetic (facet -0 alone, -b /:/): the kernel
	 * resolves an absolute path as the view does, but in procfs. */
	RT_CONFIG_HOST_PATHS = 1u << 3,
	/* fs.protected_symlinks is on: a symlink the runtime follows
	 * itself is checked as the kernel's walk would (vfs_may_follow). */
	RT_CONFIG_PROTECTED_SYMLINKS = 1u << 4,
	/* More mounts than RT_MAX_ROOTS: ".." is the supervisor's. */
	RT_CONFIG_ROOTS_UNKNOWN = 1u << 5,
	/* With RT_CONFIG_FAKEROOT: the process's fake identity is -0's
	 * root, with the capabilities that decide chown, chmod and times:
	 * the runtime makes the writes whose answer and record are then the
	 * kernel's (rt/fake.c). The supervisor clears it in the process when
	 * a thread's identity changes (core/view/loader_image.c). */
	RT_CONFIG_FAKE_ROOT_IDS = 1u << 6,
};

/* Room for the packed part of struct rt_config at the largest counts. */
#define RT_CONFIG_DATA                                                                          \
	(8u * RT_MAX_PROC_DEVS + 16u * RT_MAX_FENCES + 4u * RT_MAX_FENCES + 16u * RT_MAX_ROOTS + \
	 RT_TABLE_MAX + RT_OWNERS_PATH_MAX + 16u)

struct rt_config {
	uint32_t flags;			/* enum rt_config_flags */
	uint32_t nfences;		/* at most RT_MAX_FENCES */
	uint32_t nproc_devs;		/* at most RT_MAX_PROC_DEVS */
	uint32_t table_size;		/* bytes of the mount table; 0: none */
	uint32_t nroots;		/* at most RT_MAX_ROOTS */
	uint32_t owners_len;		/* of fake root's path, below RT_OWNERS_PATH_MAX */
	/* Bit vfs_name_hash(name) % RT_NAME_BITS of each name in the mount
	 * points' guest paths: a name whose bit is clear names none. */
	uint64_t name_bits[RT_NAME_BITS / 64];
	/* The rest packed, each part 8-byte aligned where it starts, so that
	 * a small view's configuration fills the start of one page (rt_config
	 * is page-aligned), in this order (rt_config_*() below find them):
	 *   proc_devs[nproc_devs]  procfs's devices (names there are the
	 *                          process's own)
	 *   fences[nfences]        the host directories above the view's mount
	 *                          points (a name in one may be a mount point):
	 *                          below any other directory, and outside
	 *                          procfs, the kernel resolves a name as the
	 *                          view would
	 *   fence_links[nfences]   what the view adds to fence i's link count:
	 *                          its mount points that are directories the
	 *                          host directory lacks (as the supervisor's
	 *                          stat counts them, core/view/exec_call.c)
	 *   roots[nroots]          the host directories of the view's mounts:
	 *                          ".." from any other directory is its host
	 *                          parent, in the same mount
	 *   table                  a finished struct vfs_table, table_size bytes
	 *   owners_path            with RT_CONFIG_FAKEROOT: fake root's record,
	 *                          owners_len bytes and a NUL ("": none) */
	uint64_t data[RT_CONFIG_DATA / 8];
};

static inline uint32_t rt_config_align8(uint32_t n)
{
	return (n + 7u) & ~7u;
}

/* Where each packed part starts in data, in bytes. */
static inline uint32_t rt_config_fences_at(const struct rt_config *c)
{
	return 8u * c->nproc_devs;
}
static inline uint32_t rt_config_links_at(const struct rt_config *c)
{
	return rt_config_fences_at(c) + 16u * c->nfences;
}
static inline uint32_t rt_config_roots_at(const struct rt_config *c)
{
	return rt_config_align8(rt_config_links_at(c) + 4u * c->nfences);
}
static inline uint32_t rt_config_table_at(const struct rt_config *c)
{
	return rt_config_roots_at(c) + 16u * c->nroots;
}
static inline uint32_t rt_config_owners_at(const struct rt_config *c)
{
	return rt_config_align8(rt_config_table_at(c) + c->table_size);
}

/* The bytes of c in use, from its start: what the supervisor writes into
 * a new image (the rest is the zero of a fresh image). */
static inline uint32_t rt_config_size(const struct rt_config *c)
{
	return (uint32_t)__builtin_offsetof(struct rt_config, data) + rt_config_owners_at(c) + c->owners_len + 1u;
}

static inline const uint64_t *rt_config_proc_devs(const struct rt_config *c)
{
	return c->data;
}
static inline const struct rt_ident *rt_config_fences(const struct rt_config *c)
{
	return (const struct rt_ident *)((const char *)c->data + rt_config_fences_at(c));
}
static inline const uint32_t *rt_config_fence_links(const struct rt_config *c)
{
	return (const uint32_t *)((const char *)c->data + rt_config_links_at(c));
}
static inline const struct rt_ident *rt_config_roots(const struct rt_config *c)
{
	return (const struct rt_ident *)((const char *)c->data + rt_config_roots_at(c));
}
/* NULL without one. */
static inline const void *rt_config_table(const struct rt_config *c)
{
	return c->table_size ? (const char *)c->data + rt_config_table_at(c) : 0;
}
static inline const char *rt_config_owners(const struct rt_config *c)
{
	return (const char *)c->data + rt_config_owners_at(c);
}

#define RT_CONFIG_FLAGS_KNOWN                                                                              \
	(RT_CONFIG_ALL_FENCED | RT_CONFIG_ROOT_CHANGED | RT_CONFIG_FAKEROOT | RT_CONFIG_HOST_PATHS |        \
	 RT_CONFIG_PROTECTED_SYMLINKS | RT_CONFIG_ROOTS_UNKNOWN | RT_CONFIG_FAKE_ROOT_IDS)

/* Whether c is a configuration the runtime can use: known flags, counts
 * within their limits, every part inside data, fake root's path ending
 * where owners_len says. */
static inline int rt_config_valid(const struct rt_config *c)
{
	if ((c->flags & ~RT_CONFIG_FLAGS_KNOWN) || c->nfences > RT_MAX_FENCES || c->nproc_devs > RT_MAX_PROC_DEVS ||
	    c->nroots > RT_MAX_ROOTS || c->table_size > RT_TABLE_MAX || c->owners_len >= RT_OWNERS_PATH_MAX ||
	    rt_config_size(c) > sizeof(*c))
		return 0;
	const char *owners = rt_config_owners(c);
	for (uint32_t i = 0; i < c->owners_len; i++)
		if (owners[i] == '\0')
			return 0;
	return owners[c->owners_len] == '\0';
}

_Static_assert(sizeof(struct rt_config) == 24 + RT_NAME_BITS / 8 + RT_CONFIG_DATA,
	       "the runtime's configuration is ABI between runtime and supervisor");

/* The calls the runtime answers itself when it can (src/rt/calls.c), in a
 * session whose configuration has `flags`: the supervisor patches sites
 * only for these. */
static inline int rt_answers(long nr, uint32_t flags)
{
	switch (nr) {
	/* Only fake root changes what these see or do: otherwise no view
	 * traps them (getdents64 only on the fds of directories the view
	 * completes, which the runtime could not). */
	case __NR_getdents64: case __NR_fchown: case __NR_fchownat: case __NR_fchmod:
#ifdef __NR_fstat
	case __NR_fstat:
#endif
#ifdef __NR_chown
	case __NR_chown: case __NR_lchown:
#endif
		return (flags & RT_CONFIG_FAKEROOT) != 0;
	case __NR_newfstatat: case __NR_statx: case __NR_openat: case __NR_readlinkat:
	case __NR_faccessat: case __NR_faccessat2: case __NR_getcwd: case __NR_execve: case __NR_unlinkat:
	case __NR_utimensat: case __NR_mkdirat: case __NR_symlinkat: case __NR_renameat: case __NR_renameat2:
	case __NR_linkat: case __NR_fchmodat: case __NR_fchmodat2:
#ifdef __NR_stat /* the calls without a dirfd, where the architecture has them */
	case __NR_stat: case __NR_lstat: case __NR_open: case __NR_readlink: case __NR_access: case __NR_unlink:
	case __NR_rmdir: case __NR_mkdir: case __NR_symlink: case __NR_rename: case __NR_link:
	case __NR_chmod:
#endif
		return 1;
	default:
		return 0;
	}
}

#endif
