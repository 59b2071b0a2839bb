/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Calls only the tracee can make, in a view: chdir and fchdir (its own
 * cwd), bind, connect and sendto on AF_UNIX path sockets (the peer learns
 * the caller's credentials at connect), and execve. They come on the
 * ptrace route; their path arguments are rewritten to name the object the
 * view resolved through the supervisor's /proc/PID/fd/N (written below the
 * tracee's stack pointer), the kernel runs them in the tracee, and the
 * exit stop commits what they change (view_call_exit).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/regs.h"
#include "core/view/exec.h"
#include "rt/config.h"
#include "machine.h" /* src/core/arch/<arch>/: ARCH_STACK_RED_ZONE */

/* Below the red zone the ABI keeps for the interrupted code, with room to spare. */
#define SCRATCH_BELOW_SP (ARCH_STACK_RED_ZONE + 128)
#define SCRATCH_SLOT 4096

/* An area of the runtime image's scratch for t's call in flight: free of
 * signal frames (a signal that interrupts the call may restart it) and of
 * the limits of small stacks. 0 where the process has no image yet (the
 * command before its first exec), shares its memory with another process
 * (whose areas facet does not count), or all are taken. */
static uint64_t image_scratch(struct facet_task *t)
{
	const struct view_state *vs = t->session->vs;
	struct view_task *vt = view_task(t);
	struct facet_process *p = t->proc;
	if (!vs->rt_scratch || !vt->exe[0] || p->vm_parent || p->vm_children)
		return 0;
	if (vt->scratch < 0) {
		if (p->scratch_used == UINT32_MAX)
			return 0;
		vt->scratch = __builtin_ctz(~p->scratch_used);
		p->scratch_used |= 1u << vt->scratch;
	}
	return vs->rt_scratch + (uint64_t)vt->scratch * RT_SCRATCH_SIZE;
}

void view_scratch_release(struct facet_task *t)
{
	struct view_task *vt = t->view;
	if (!vt || vt->scratch < 0)
		return;
	t->proc->scratch_used &= ~(1u << vt->scratch);
	vt->scratch = -1;
}

uint64_t view_push(struct facet_task *t, unsigned slot, const void *data, size_t len)
{
	_Static_assert(4 * SCRATCH_SLOT <= RT_SCRATCH_SIZE, "four slots per call");
	uint64_t sp, addr, image = image_scratch(t);
	if (len > SCRATCH_SLOT || slot > 3)
		return 0;
	if (image)
		addr = image + (uint64_t)slot * SCRATCH_SLOT;
	else if (regs_stack_pointer(t->tid, &sp) == 0)
		addr = (sp - SCRATCH_BELOW_SP - (uint64_t)(slot + 1) * SCRATCH_SLOT) & ~(uint64_t)15;
	else
		return 0;
	if (data && facet_mem_write(t, addr, data, len) != (ssize_t)len)
		return 0;
	return addr;
}

uint64_t view_push_large(struct facet_task *t, const void *data, size_t len)
{
	uint64_t s2 = view_push(t, 2, NULL, 0), s3 = view_push(t, 3, NULL, 0), addr, sp;
	if (len <= 2 * SCRATCH_SLOT) /* slots 2 and 3 lie side by side, either way round */
		addr = s2 < s3 ? s2 : s3;
	else if (s2 && regs_stack_pointer(t->tid, &sp) == 0)
		addr = (sp - SCRATCH_BELOW_SP - 4 * SCRATCH_SLOT - len) & ~(uint64_t)15;
	else
		return 0;
	if (!addr || facet_mem_write(t, addr, data, len) != (ssize_t)len)
		return 0;
	return addr;
}

int view_rewrite(struct facet_task *t, const struct call *c, const uint64_t args[6])
{
	struct view_task *vt = view_task(t);
	vt->rw_nr = c->sc.nr;
	memcpy(vt->rw_orig, c->sc.args, sizeof(vt->rw_orig));
	memcpy(vt->rw_new, args, sizeof(vt->rw_new));
	vt->rw_valid = true;
	return regs_set_args(t->tid, args);
}

void view_undo_restart(struct facet_task *t, struct call *c)
{
	struct view_task *vt = t->view;
	if (!vt || !vt->rw_valid || vt->rw_nr != c->sc.nr || memcmp(vt->rw_new, c->sc.args, sizeof(vt->rw_new)))
		return;
	memcpy(c->sc.args, vt->rw_orig, sizeof(vt->rw_orig));
	/* At a ptrace stop the kernel will read the registers; a notified
	 * call is answered from c's arguments. */
	if (c->route == ROUTE_PTRACE)
		regs_set_args(t->tid, c->sc.args);
	vt->rw_valid = false;
	view_scratch_release(t);
}

static void hold(struct view_task *vt, int fd)
{
	if (vt->held[0] >= 0)
		close(vt->held[0]);
	vt->held[0] = fd;
}

static void value(struct emu_result *res, int64_t v)
{
	res->kind = EMU_VALUE;
	res->value = v;
}

static void set_pending(struct view_task *vt, int kind, const char *guest, int fd)
{
	free(vt->pending_path);
	vt->pending_path = strdup(guest);
	if (vt->pending_fd >= 0)
		close(vt->pending_fd);
	vt->pending_fd = fd;
	vt->pending = kind;
}

/* Fake root enters a directory of the real user's that its owner's search
 * bit refuses, as root does (CAP_DAC_READ_SEARCH): the bit is added until
 * the call's exit. The kernel then refuses the process's own lookups from
 * that cwd, which the runtime and the supervisor make as root's
 * (vfs_ops.c). */
static void enter_as_root(struct facet_task *t, int fd)
{
	if (!t->session->vs->fr)
		return;
	view_relock(view_task(t));
	mode_t was = fakeroot_dir_search(t, fd);
	if (was != FAKEROOT_UNCHANGED)
		view_relock_at_exit(t, fd, was);
}

static void do_chdir(struct facet_task *t, const struct call *c, const struct path_call *pc, struct emu_result *res)
{
	struct pc_name n;
	int r = pc_resolve(t, c, pc->dirfd, pc->path, VFS_FOLLOW | VFS_WANT_GUEST, &n);
	if (r == 0 && (r = pc_name_own(&n)) < 0) /* named to the tracee below */
		pc_name_release(&n);
	if (r < 0)
		return value(res, r);
	struct stat st;
	if (fstat(n.r.fd, &st) < 0 || !S_ISDIR(st.st_mode) || !n.r.guest_known) {
		r = !S_ISDIR(st.st_mode) ? -ENOTDIR : -EACCES;
		pc_name_release(&n);
		return value(res, r);
	}
	char path[64];
	view_fd_name(t, path, sizeof(path), n.r.fd, NULL);
	uint64_t addr = view_push(t, 0, path, strlen(path) + 1);
	if (!addr) {
		pc_name_release(&n);
		return value(res, -ENOMEM);
	}
	struct view_task *vt = view_task(t);
	set_pending(vt, PENDING_CHDIR, n.guest, fcntl(n.r.fd, F_DUPFD_CLOEXEC, 0));
	uint64_t args[6];
	memcpy(args, c->sc.args, sizeof(args));
	args[pc->path] = addr;
	enter_as_root(t, n.r.fd);
	hold(vt, pc_name_take_fd(&n));
	view_rewrite(t, c, args);
	res->kind = EMU_REWRITTEN;
}

static void do_fchdir(struct facet_task *t, const struct call *c, const struct path_call *pc, struct emu_result *res)
{
	int fd = view_tracee_fd(t, (int)c->sc.args[pc->a1]);
	if (fd < 0)
		return value(res, fd);
	struct stat st;
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	int m;
	const struct vfs_view *v = view_vfs(t);
	long n = v->ops->fd_path(v->ops->ctx, fd, host, sizeof(host));
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		res->kind = EMU_NATIVE; /* the kernel says ENOTDIR */
		return;
	}
	long g = -1;
	if (n > 0 && (size_t)n < sizeof(host) && (m = view_fd_mount(t, (int)c->sc.args[pc->a1], &st)) >= 0)
		g = vfs_host_to_guest(v->table, m, host, (size_t)n, guest);
	if (g < 0 && (n <= 0 || (size_t)n >= sizeof(host) || vfs_guest_of_host(v->table, host, (size_t)n, guest, &m) < 0)) {
		close(fd);
		return value(res, -EACCES); /* a directory outside the view */
	}
	enter_as_root(t, fd);
	set_pending(view_task(t), PENDING_FCHDIR, guest, fd);
	res->kind = EMU_REWRITTEN; /* unchanged, but its exit stop commits the cwd */
}

/* An AF_UNIX address at addr (len bytes) as the kernel must get it: 1 if
 * it can have it as it is (another family, an abstract name, a plain name
 * in the cwd), 0 if a rewritten address was written below the stack
 * pointer (*out, of *out_len bytes; the object's fd is held until the
 * exit), or -errno. A bind names a host path, which getsockname() maps
 * back; a connect or send names the object through /proc/<pid>/fd/N. */
static int unix_name(struct facet_task *t, const struct call *c, bool is_bind, uint64_t addr, size_t len,
		     uint64_t *out, size_t *out_len)
{
	struct sockaddr_un sun;
	if (addr == 0 || len <= offsetof(struct sockaddr_un, sun_path) || len > sizeof(sun))
		return 1;
	memset(&sun, 0, sizeof(sun));
	if (facet_mem_read(t, addr, &sun, len) != (ssize_t)len)
		return 1; /* the kernel says EFAULT */
	if (sun.sun_family != AF_UNIX || sun.sun_path[0] == '\0')
		return 1; /* another family, or an abstract name */
	char path[sizeof(sun.sun_path) + 1];
	size_t plen = len - offsetof(struct sockaddr_un, sun_path);
	memcpy(path, sun.sun_path, plen);
	path[plen] = '\0';
	/* A plain name in the cwd, where no mount point can be: the kernel
	 * finds it from the tracee's own cwd, which is the view's, and keeps
	 * the name as given (a long relative name fits in sun_path only so). */
	struct view_fs *fs = view_fs_of(t);
	const struct vfs_table *tb = t->session->vs->table;
	struct stat st;
	if (path[0] != '/' && !strchr(path, '/') && strcmp(path, ".") && strcmp(path, "..") &&
	    !vfs_mounts_below(tb, fs->cwd, fs->cwd_len) &&
	    (is_bind || (fstatat(fs->cwd_fd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISLNK(st.st_mode)))) {
		int m = vfs_mount_of(tb, fs->cwd, fs->cwd_len);
		if (is_bind && m >= 0 && (tb->mounts[m].flags & (VFS_MOUNT_RO | VFS_MOUNT_SYNTHETIC)))
			return -EROFS;
		return 1;
	}
	/* The name as a path argument the resolver can read: the copy goes
	 * through the call's own memory (scratch slot 2). */
	uint64_t paddr = view_push(t, 2, path, strlen(path) + 1);
	if (!paddr)
		return -ENOMEM;
	struct call copy = *c;
	copy.sc.args[0] = paddr;
	struct pc_name n;
	int r = pc_resolve(t, &copy, -1, 0, is_bind ? VFS_PARENT : VFS_FOLLOW, &n);
	if (r == 0 && (r = pc_name_own(&n)) < 0) /* named to the tracee below */
		pc_name_release(&n);
	if (r < 0)
		return r;
	if (is_bind && n.r.mount_point)
		r = -EADDRINUSE;
	else if (is_bind && view_read_only(t, &n))
		r = -EROFS;
	else if (is_bind)
		r = view_confined(t, &n, LANDLOCK_ACCESS_FS_MAKE_SOCK);
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	int w = -1;
	if (is_bind) {
		/* The kernel keeps the name it was given, and getsockname()
		 * reads it back: a host path, unique to this socket file, which
		 * the view can map back to the program's own name. */
		char host[PATH_MAX];
		const struct vfs_view *v = view_vfs(t);
		long hl = v->ops->fd_path(v->ops->ctx, n.r.fd, host, sizeof(host) - 1);
		if (hl > 0) {
			host[hl] = '\0';
			w = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", hl > 1 ? host : "", n.r.name);
		}
		if (w < 0 || (size_t)w >= sizeof(sun.sun_path))
			w = view_fd_name(t, sun.sun_path, sizeof(sun.sun_path), n.r.fd, n.r.name);
		struct view_task *vt = view_task(t);
		set_pending(vt, PENDING_BIND, path, -1);
		free(vt->pending_host);
		vt->pending_host = strdup(sun.sun_path);
	} else {
		w = view_fd_name(t, sun.sun_path, sizeof(sun.sun_path), n.r.fd, NULL);
	}
	if (r == 0 && (w < 0 || (size_t)w >= sizeof(sun.sun_path)))
		r = -ENAMETOOLONG;
	if (r == 0 && !(*out = view_push(t, 0, &sun, sizeof(sun))))
		r = -ENOMEM;
	if (r < 0) {
		pc_name_release(&n);
		return r;
	}
	*out_len = sizeof(sun);
	hold(view_task(t), pc_name_take_fd(&n));
	return 0;
}

static void do_sockaddr(struct facet_task *t, const struct call *c, const struct path_call *pc,
			struct emu_result *res)
{
	uint64_t addr;
	size_t len;
	int r = unix_name(t, c, pc->how == PCH_PARENT, c->sc.args[pc->a2], (size_t)c->sc.args[pc->a3], &addr, &len);
	res->kind = EMU_NATIVE;
	if (r < 0)
		return value(res, r);
	if (r == 1)
		return;
	uint64_t args[6];
	memcpy(args, c->sc.args, sizeof(args));
	args[pc->a2] = addr;
	args[pc->a3] = len;
	view_rewrite(t, c, args);
	res->kind = EMU_REWRITTEN;
}

/* sendmsg: the address is msg_name of the struct msghdr; a copy of that
 * struct names the rewritten address. sendmmsg with AF_UNIX path names is
 * refused (EOPNOTSUPP): its vector would need every entry rewritten. */
static void do_sendmsg(struct facet_task *t, const struct call *c, const struct path_call *pc,
		       struct emu_result *res)
{
	struct msghdr mh;
	res->kind = EMU_NATIVE;
	if (pc->a3 >= 0) { /* sendmmsg(fd, vec, vlen, flags) */
		uint64_t vlen = c->sc.args[pc->a3];
		for (uint64_t i = 0; i < vlen && i < 1024; i++) {
			if (facet_mem_read(t, c->sc.args[pc->a2] + i * sizeof(struct mmsghdr), &mh, sizeof(mh)) !=
			    sizeof(mh))
				return;
			struct sockaddr_un sun;
			if (mh.msg_name && mh.msg_namelen > offsetof(struct sockaddr_un, sun_path) &&
			    facet_mem_read(t, (uint64_t)mh.msg_name, &sun, sizeof(sun.sun_family) + 1) > 0 &&
			    sun.sun_family == AF_UNIX && sun.sun_path[0] != '\0')
				return value(res, -EOPNOTSUPP);
		}
		return;
	}
	if (facet_mem_read(t, c->sc.args[pc->a2], &mh, sizeof(mh)) != sizeof(mh))
		return; /* the kernel says EFAULT */
	uint64_t addr;
	size_t len;
	int r = unix_name(t, c, false, (uint64_t)mh.msg_name, mh.msg_namelen, &addr, &len);
	if (r < 0)
		return value(res, r);
	if (r == 1)
		return;
	mh.msg_name = (void *)addr;
	mh.msg_namelen = (socklen_t)len;
	uint64_t maddr = view_push(t, 1, &mh, sizeof(mh));
	if (!maddr)
		return value(res, -ENOMEM);
	uint64_t args[6];
	memcpy(args, c->sc.args, sizeof(args));
	args[pc->a2] = maddr;
	view_rewrite(t, c, args);
	res->kind = EMU_REWRITTEN;
}

/* getsockname, getpeername, accept: the address comes back at the exit. */
static void do_sockname(struct facet_task *t, const struct call *c, const struct path_call *pc,
			struct emu_result *res)
{
	const uint64_t *a = c->sc.args;
	struct view_task *vt = view_task(t);
	uint32_t len;
	res->kind = EMU_NATIVE;
	if (!a[pc->a2] || !a[pc->a3] || facet_mem_read(t, a[pc->a3], &len, sizeof(len)) != sizeof(len))
		return;
	set_pending(vt, PENDING_SOCKNAME, "", -1);
	vt->pending_addr = a[pc->a2];
	vt->pending_lenp = a[pc->a3];
	vt->pending_len = len;
	res->kind = EMU_REWRITTEN; /* unchanged; its exit stop reads the address */
}

/* The address the kernel wrote, as the program named it. */
static void sockname_exit(struct facet_task *t, struct view_task *vt)
{
	struct view_state *vs = t->session->vs;
	struct sockaddr_un sun;
	uint32_t len;
	if (facet_mem_read(t, vt->pending_lenp, &len, sizeof(len)) != sizeof(len) ||
	    len <= offsetof(struct sockaddr_un, sun_path) || len > sizeof(sun))
		return;
	memset(&sun, 0, sizeof(sun));
	size_t got = len < vt->pending_len ? len : vt->pending_len;
	if (facet_mem_read(t, vt->pending_addr, &sun, got) != (ssize_t)got || sun.sun_family != AF_UNIX ||
	    sun.sun_path[0] == '\0' || got < len)
		return;
	char kernel[sizeof(sun.sun_path) + 1];
	memcpy(kernel, sun.sun_path, sizeof(sun.sun_path));
	kernel[sizeof(sun.sun_path)] = '\0';
	const char *name = NULL;
	char guest[VFS_PATH_MAX];
	for (unsigned i = 0; i < sizeof(vs->bound) / sizeof(vs->bound[0]); i++)
		if (vs->bound[i].kernel && !strcmp(vs->bound[i].kernel, kernel))
			name = vs->bound[i].program;
	int m;
	if (!name && vfs_guest_of_host(vs->table, kernel, strlen(kernel), guest, &m) > 0)
		name = guest;
	if (!name || strlen(name) >= sizeof(sun.sun_path))
		return;
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	memcpy(sun.sun_path, name, strlen(name));
	uint32_t nlen = (uint32_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name) + 1);
	facet_mem_write(t, vt->pending_addr, &sun, nlen < vt->pending_len ? nlen : vt->pending_len);
	facet_mem_write(t, vt->pending_lenp, &nlen, sizeof(nlen));
}

static void bound(struct facet_task *t, struct view_task *vt)
{
	struct view_state *vs = t->session->vs;
	struct view_bound *b = &vs->bound[vs->next_bound++ % (sizeof(vs->bound) / sizeof(vs->bound[0]))];
	free(b->kernel);
	free(b->program);
	b->kernel = vt->pending_host;
	b->program = vt->pending_path;
	vt->pending_host = vt->pending_path = NULL;
}

void view_tracee_call(struct facet_task *t, const struct call *c, const struct path_call *pc,
		      enum call_route route, struct emu_result *res)
{
	if (route != ROUTE_PTRACE) {
		res->kind = EMU_DEFER; /* made again on the ptrace route */
		return;
	}
	switch (pc->op) {
	case PC_CHDIR: return do_chdir(t, c, pc, res);
	case PC_FCHDIR: return do_fchdir(t, c, pc, res);
	case PC_SOCKADDR: return do_sockaddr(t, c, pc, res);
	case PC_SENDMSG: return do_sendmsg(t, c, pc, res);
	case PC_SOCKNAME: return do_sockname(t, c, pc, res);
	default: return view_exec(t, c, pc, res);
	}
}

void view_call_exit(struct facet_task *t, const struct call *c, int64_t retval)
{
	struct view_task *vt = t->view;
	if (!vt)
		return;
	bool open = retval >= 0 && view_traps(t->session, c->sc.nr) && path_call_of(c->sc.nr)->op == PC_OPEN;
	if (open)
		view_fd_installed(t, c->sc.ip, retval);
	if ((vt->open_mount >= 0 || vt->open_creates) && open) {
		int fd = view_tracee_fd(t, (int)retval);
		struct stat st;
		if (fd >= 0 && vt->open_mount >= 0 && fstat(fd, &st) == 0)
			view_fd_note(t, (int)retval, vt->open_mount, &st);
		if (fd >= 0 && vt->open_creates && t->session->vs->fr)
			fakeroot_created(t, fd, "", vt->open_gid); /* a new file, made as the task's fsuid */
		if (fd >= 0)
			close(fd);
	}
	vt->open_mount = -1;
	vt->open_creates = false;
	if (vt->pending == PENDING_SOCKNAME && retval >= 0)
		sockname_exit(t, vt);
	else if (vt->pending == PENDING_BIND && retval == 0)
		bound(t, vt);
	else if ((vt->pending == PENDING_CHDIR || vt->pending == PENDING_FCHDIR) && retval == 0 && vt->pending_path &&
		 vt->fs) {
		view_fs_set_cwd(vt->fs, vt->pending_path, strlen(vt->pending_path), vt->pending_fd);
		vt->pending_fd = -1;
		view_rt_cwd_note(t);
	}
	if (vt->exec && retval < 0) {
		view_exec_free(vt->exec); /* the exec failed: no loader comes */
		vt->exec = NULL;
	}
	vt->pending = PENDING_NONE;
	free(vt->pending_path);
	vt->pending_path = NULL;
	free(vt->pending_host);
	vt->pending_host = NULL;
	if (vt->pending_fd >= 0)
		close(vt->pending_fd);
	vt->pending_fd = -1;
	for (int i = 0; i < 2; i++)
		if (vt->held[i] >= 0) {
			close(vt->held[i]);
			vt->held[i] = -1;
		}
	view_relock(vt);
	/* A call a signal interrupted comes again with its rewritten
	 * arguments: keep them (and their scratch) to recognise it. */
	if (retval >= -516 && retval <= -512)
		return;
	/* The kernel leaves the argument registers as they were, and code
	 * keeps values in them across a call: the program's, not ours. */
	if (vt->rw_valid && vt->rw_nr == c->sc.nr && c->sc.nr != SYS_execve && c->sc.nr != SYS_execveat)
		regs_set_args(t->tid, vt->rw_orig); /* (an exec's registers are the new program's) */
	vt->rw_valid = false;
	view_scratch_release(t);
}
