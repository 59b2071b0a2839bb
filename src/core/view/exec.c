/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * execve and execveat in a view: a program inside the view runs with the
 * view's own ELF interpreter and libraries, and a script with the view's
 * own #! interpreter, never the host's.
 *
 * At the call, the supervisor does what the kernel's exec would decide:
 * resolves the file in the view, checks it (a regular file, executable,
 * an ELF of this machine or a #! script, up to the kernel's depth of
 * interpreters), finds the ELF interpreter in the view, and builds the
 * argv a script gets. Then the call runs with facet's loader in the file's
 * place. At the loader's exec event the supervisor writes the load plan
 * into the loader's .bss (src/loader/plan.h): the loader maps the program
 * and its interpreter, opened by the supervisor and named through
 * /proc/<supervisor>/fd/N (view_fd_name()), and starts the program as the
 * kernel would.
 * The loader's own calls pass through the view untouched and unseen by
 * engines, until the program's first call.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fakeroot/fakeroot.h"
#include "core/regs.h"
#include "core/view/exec.h"
#include "loader/plan_build.h"
#include "machine.h" /* src/core/arch/<arch>/: ARCH_ELF_MACHINE */
#include "util/cleanup.h"

#define BINPRM_BUF_SIZE 256   /* what the kernel reads of a file to choose a format */
#define MAX_INTERPRETERS 4    /* #! levels before ELOOP (the kernel allows 5 execs) */

/* What one exec will do, kept from the call to the loader's exec event. */
struct view_exec {
	struct view_state *vs;
	int prog_fd, interp_fd;       /* O_PATH fds of the ELF program and its interpreter (exec_fds.c) */
	char execfn[PATH_MAX];        /* the filename as the kernel saw it */
	char exe[VFS_PATH_MAX];       /* guest path of the ELF actually run (/proc/PID/exe) */
};

void view_exec_free(struct view_exec *x)
{
	if (!x)
		return;
	view_exec_fd_release(x->vs, x->prog_fd);
	view_exec_fd_release(x->vs, x->interp_fd);
	free(x);
}

/* The kernel's checks of a file to execute, and its first bytes; *rd is
 * then the file open for reading (closed first if open). */
static int64_t read_head(int fd, char *buf, size_t size, size_t *len, int *rd)
{
	if (*rd >= 0)
		close(*rd);
	*rd = -1;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	char magic[40];
	view_magic(magic, sizeof(magic), fd);
	if (faccessat(AT_FDCWD, magic, X_OK, AT_EACCESS) < 0)
		return -errno;
	*rd = open(magic, O_RDONLY | O_CLOEXEC);
	if (*rd < 0)
		return -errno; /* facet's loader must read what it maps */
	ssize_t n = pread(*rd, buf, size, 0);
	if (n < 0)
		return -errno;
	*len = (size_t)n;
	return 0;
}

/* "#!interp [arg]": the kernel's parsing (fs/binfmt_script.c). */
static int parse_shebang(char *buf, size_t len, char **interp, char **arg)
{
	bool whole = len < BINPRM_BUF_SIZE;
	buf[whole ? len : BINPRM_BUF_SIZE - 1] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	char *p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	/* A line longer than the kernel reads: the interpreter's name must end
	 * within it, or the file is no script it can run. */
	if (!nl && !whole && !*p)
		return -ENOEXEC;
	*arg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		char *end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p)
			*arg = p;
	}
	return 0;
}

/* The PT_INTERP of an ELF file of this machine (rd, open for reading);
 * "" for a static one. */
static int64_t elf_interp(int rd, const char *head, size_t len, char *interp, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)head;
	interp[0] = '\0';
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != ARCH_ELF_MACHINE ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > 65536 / sizeof(Elf64_Phdr))
		return -ENOEXEC;
	size_t phsize = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	_cleanup_free_ Elf64_Phdr *ph = malloc(phsize);
	if (!ph)
		return -ENOMEM;
	if (pread(rd, ph, phsize, (off_t)eh->e_phoff) != (ssize_t)phsize)
		return -EIO;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_INTERP)
			continue;
		if (ph[i].p_filesz < 2 || ph[i].p_filesz > size)
			return -ENOEXEC;
		if (pread(rd, interp, ph[i].p_filesz, (off_t)ph[i].p_offset) != (ssize_t)ph[i].p_filesz)
			return -EIO;
		if (interp[ph[i].p_filesz - 1] != '\0')
			return -ENOEXEC;
		return 0;
	}
	return 0;
}

/* A path written in a file (#!, PT_INTERP), resolved in the view as the
 * kernel opens it: from the process's root or cwd, following links. */
static int resolve_written(struct facet_task *t, const char *path, struct pc_name *n)
{
	return pc_resolve_name(t, AT_FDCWD, path, VFS_FOLLOW | VFS_WANT_GUEST, n);
}

/* The filename of an exec as the kernel names it (AT_EXECFN, comm, a
 * script's argv): the path, or /dev/fd/N[/path] for execveat on a dirfd. */
static int exec_filename(struct facet_task *t, const struct call *c, const struct path_call *pc, char *out,
			 size_t size)
{
	char path[PATH_MAX];
	uint64_t addr = c->sc.args[pc->path];
	int flags = pc->flags >= 0 ? (int)c->sc.args[pc->flags] : 0;
	ssize_t n = addr ? facet_mem_read_string(t, addr, path, sizeof(path)) : 0;
	if (n < 0)
		return (int)n;
	path[n] = '\0';
	int dirfd = pc->dirfd >= 0 ? (int)c->sc.args[pc->dirfd] : AT_FDCWD;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		n = snprintf(out, size, "%s", path);
	else if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
		n = snprintf(out, size, "/dev/fd/%d", dirfd);
	else
		n = snprintf(out, size, "/dev/fd/%d/%s", dirfd, path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Whether the tracee's fd is close-on-exec (its /proc fdinfo flags). */
static bool fd_cloexec(struct facet_task *t, int fd)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", t->tid, fd);
	FILE *f = fopen(path, "re");
	unsigned long flags = 0;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1)
			break;
	fclose(f);
	return flags & O_CLOEXEC;
}

/* The program's argv[1...] (pointers as they are) after the n pointers
 * already in *ptrs (of *cap), the array grown as needed and ended with a
 * NULL: the new count, or 0 if argv cannot be read. Read a page at a time
 * up to the NULL, never past it into memory that may not be mapped. */
static size_t append_argv_tail(struct facet_task *t, uint64_t argv, uint64_t **ptrs, size_t *cap, size_t n)
{
	uint64_t first = 0;
	if (argv && facet_mem_read(t, argv, &first, sizeof(first)) != sizeof(first))
		return 0;
	for (uint64_t at = argv + 8; argv && first;) {
		uint64_t chunk[512];
		size_t want = (4096 - (at & 4095)) / 8;
		if (want > sizeof(chunk) / sizeof(chunk[0]))
			want = sizeof(chunk) / sizeof(chunk[0]);
		if (want == 0 || facet_mem_read(t, at, chunk, want * 8) != (ssize_t)(want * 8))
			return 0;
		size_t k = 0;
		while (k < want && chunk[k])
			k++;
		if (n + k + 1 > *cap) {
			size_t grown = (n + k + 1) * 2;
			uint64_t *p = realloc(*ptrs, grown * sizeof(*p));
			if (!p)
				return 0;
			*ptrs = p;
			*cap = grown;
		}
		memcpy(*ptrs + n, chunk, k * 8);
		n += k;
		if (k < want)
			break;
		at += want * 8;
	}
	(*ptrs)[n++] = 0;
	return n;
}

/* The argv of the loader's exec: the scripts' interpreters before the
 * program's own arguments (the first replaced), as binfmt_script makes it.
 * The strings go in scratch slot 1, the array where view_push_large()
 * finds room: a script may have as many arguments as the kernel takes
 * (xargs, find -exec {} +, libtool's link lines). */
static uint64_t push_argv(struct facet_task *t, uint64_t argv, char *const prefix[], unsigned nprefix)
{
	char strings[4096];
	size_t used = 0;
	uint64_t sbase = view_push(t, 1, NULL, 0);
	size_t cap = 2 * MAX_INTERPRETERS + 64, n = 0;
	_cleanup_free_ uint64_t *ptrs = malloc(cap * sizeof(*ptrs));
	if (!ptrs || !sbase)
		return 0;
	for (unsigned i = 0; i < nprefix; i++) {
		size_t l = strlen(prefix[i]) + 1;
		if (used + l > sizeof(strings))
			return 0;
		memcpy(strings + used, prefix[i], l);
		ptrs[n++] = sbase + used;
		used += l;
	}
	if (facet_mem_write(t, sbase, strings, used) != (ssize_t)used ||
	    !(n = append_argv_tail(t, argv, &ptrs, &cap, n)))
		return 0;
	return view_push_large(t, ptrs, n * 8);
}

void view_exec(struct facet_task *t, const struct call *c, const struct path_call *pc, struct emu_result *res)
{
	struct view_state *vs = t->session->vs;
	res->kind = EMU_VALUE;
	if (!vs->loader_path) {
		res->value = -ENOEXEC; /* see view_start(): facet-loader was not found */
		return;
	}
	int flags = pc->flags >= 0 ? (int)c->sc.args[pc->flags] : 0;
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		res->value = -EINVAL;
		return;
	}
	struct view_exec *x = calloc(1, sizeof(*x));
	if (!x) {
		res->value = -ENOMEM;
		return;
	}
	x->vs = t->session->vs;
	x->prog_fd = x->interp_fd = -1;
	int64_t r = exec_filename(t, c, pc, x->execfn, sizeof(x->execfn));
	unsigned vflags = VFS_WANT_GUEST | ((flags & AT_EMPTY_PATH) ? VFS_EMPTY_PATH : 0) |
			  ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : VFS_FOLLOW);
	struct pc_name n = { .r.fd = -1 };
	if (r == 0)
		r = pc_resolve(t, c, pc->dirfd, pc->path, vflags, &n);
	/* Scripts: each #! line adds an interpreter in front of argv. */
	char *prefix[2 * MAX_INTERPRETERS + 1];
	char words[MAX_INTERPRETERS + 1][BINPRM_BUF_SIZE];
	unsigned nprefix = 0;
	const char *current = x->execfn;
	/* A script run through a close-on-exec dirfd cannot be named to its
	 * interpreter (/dev/fd/N is gone by then): the kernel says ENOENT. */
	bool inaccessible = !strncmp(x->execfn, "/dev/fd/", 8) && pc->dirfd >= 0 &&
			    fd_cloexec(t, (int)c->sc.args[pc->dirfd]);
	size_t len = 0;
	char *head = NULL; /* the last file's first bytes: the program's, after the loop */
	_cleanup_close_ int rd = -1; /* and that file, open for reading */
	for (unsigned depth = 0; r == 0; depth++) {
		len = 0;
		head = words[depth < MAX_INTERPRETERS ? depth : MAX_INTERPRETERS];
		struct stat st;
		if ((flags & AT_SYMLINK_NOFOLLOW) && depth == 0 && fstat(n.r.fd, &st) == 0 && S_ISLNK(st.st_mode)) {
			r = -ELOOP;
			break;
		}
		if ((r = read_head(n.r.fd, head, BINPRM_BUF_SIZE, &len, &rd)) < 0 ||
		    (r = view_confined(t, &n, LANDLOCK_ACCESS_FS_EXECUTE)) < 0)
			break;
		if (len < 2 || head[0] != '#' || head[1] != '!')
			break;
		if (inaccessible) {
			r = -ENOENT;
			break;
		}
		if (depth == MAX_INTERPRETERS) {
			r = -ELOOP;
			break;
		}
		char *interp, *arg;
		if ((r = parse_shebang(head, len, &interp, &arg)) < 0)
			break;
		/* argv becomes: interp [arg] filename argv[1...] (nested scripts
		 * put their interpreter in front again). */
		memmove(prefix + (arg ? 3 : 2), prefix + 1, (nprefix ? nprefix - 1 : 0) * sizeof(prefix[0]));
		unsigned keep = nprefix ? nprefix - 1 : 0;
		prefix[0] = interp;
		if (arg)
			prefix[1] = arg;
		prefix[arg ? 2 : 1] = (char *)current;
		nprefix = keep + (arg ? 3 : 2);
		current = interp;
		pc_name_release(&n);
		r = resolve_written(t, interp, &n);
	}
	if (r == 0) {
		char interp[PATH_MAX];
		r = elf_interp(rd, head, len, interp, sizeof(interp));
		if (r == 0 && n.r.guest_known)
			snprintf(x->exe, sizeof(x->exe), "%s", n.guest);
		int fd = pc_name_take_fd(&n);
		if (fd < 0 && r == 0)
			r = fd;
		x->prog_fd = fd < 0 ? -1 : view_exec_fd_take(x->vs, fd);
		if (r == 0 && interp[0]) {
			struct pc_name in = { .r.fd = -1 };
			r = resolve_written(t, interp, &in);
			struct stat st;
			if (r == 0 && (fstat(in.r.fd, &st) < 0 || !S_ISREG(st.st_mode)))
				r = -ELIBBAD;
			if (r == 0)
				r = view_confined(t, &in, LANDLOCK_ACCESS_FS_EXECUTE);
			if (r == 0) {
				int fd = pc_name_take_fd(&in);
				if (fd < 0)
					r = fd;
				else
					x->interp_fd = view_exec_fd_take(x->vs, fd);
			}
			pc_name_release(&in);
		}
	}
	pc_name_release(&n);
	uint64_t args[6];
	memcpy(args, c->sc.args, sizeof(args));
	if (r == 0 && nprefix && !(args[pc->a1] = push_argv(t, c->sc.args[pc->a1], prefix, nprefix)))
		r = -E2BIG;
	if (r == 0 && !(args[pc->path] = view_push(t, 0, vs->loader_path, strlen(vs->loader_path) + 1)))
		r = -ENOMEM;
	if (r < 0) {
		view_exec_free(x);
		res->value = r;
		return;
	}
	if (pc->dirfd >= 0)
		args[pc->dirfd] = (uint64_t)(int64_t)AT_FDCWD;
	if (pc->flags >= 0)
		args[pc->flags] = 0;
	struct view_task *vt = view_task(t);
	view_exec_free(vt->exec);
	vt->exec = x;
	view_rewrite(t, c, args);
	res->kind = EMU_REWRITTEN;
}

/* The loader is running: write its plan, and note where its code is. */
void view_on_exec(struct facet_task *t)
{
	struct view_task *vt = t->view;
	struct view_state *vs = t->session->vs;
	view_patch_sites_forget(t->proc);
	if (vs->fr) /* root keeps its capabilities across exec; others lose them */
		fakeroot_on_exec(t, vt && vt->exec ? vt->exec->prog_fd : -1);
	if (!vt || !vt->exec)
		return;
	struct view_exec *x = vt->exec;
	vt->exec = NULL;
	char prog[64], interp[64], comm[LOADER_COMM_LEN];
	view_fd_name(t, prog, sizeof(prog), x->prog_fd, NULL);
	view_fd_name(t, interp, sizeof(interp), x->interp_fd, NULL);
	loader_plan_comm(comm, x->execfn);
	int aslr = vs->aslr_flags;
	struct loader_plan_spec spec = {
		.program = prog, .interp = x->interp_fd >= 0 ? interp : NULL, .execfn = x->execfn,
		.comm = comm, .flags = aslr < 0 ? 0 : (uint32_t)aslr,
	};
	static struct rt_config variant;
	struct loader_plan_site sites[LOADER_PLAN_MAX_SITES];
	const struct rt_config *config = vs->fast ? view_rt_config_for(t, &variant) : NULL;
	if (config && view_rt_config_write(t, config) == 0) {
		spec.runtime = true;
		/* Go's Syscall6, which only the loader can patch: first. */
		if (view_patch_serve_all(t->session))
			spec.site_count = view_go_sites(vs, x->prog_fd, sites, LOADER_PLAN_MAX_SITES);
		/* ld.so's sites patched in earlier processes: by the loader,
		 * not at ld.so's first call (a round trip per exec). */
		if (spec.interp)
			spec.site_count += view_sites_of_file(vs, x->interp_fd, sites + spec.site_count,
							      LOADER_PLAN_MAX_SITES - (unsigned)spec.site_count);
		spec.sites = sites;
	}
	char plan[LOADER_PLAN_MAX];
	ssize_t size = loader_plan_build(plan, sizeof(plan), &spec);
	uint64_t sp, ip, addr = vs->plan_in;
	if (size < 0 || regs_stack_pointer(t->tid, &sp) < 0 || regs_entry(t->tid, &ip) < 0 ||
	    (!addr && loader_plan_place(sp, (size_t)size, &addr) < 0) ||
	    facet_mem_write(t, addr, plan, (size_t)size) != size || regs_set_entry_arg(t->tid, addr) < 0) {
		/* The loader, started without a plan, says so and exits 127. */
		view_exec_free(x);
		return;
	}
	(void)ip;
	vt->scratch = -1; /* a new image: its scratch is all free */
	t->proc->scratch_used = 0;
	vt->loader_lo = vs->loader_lo;
	vt->loader_hi = vs->loader_hi;
	vt->in_loader = true;
	snprintf(vt->exe, sizeof(vt->exe), "%s", x->exe);
	view_exec_free(vt->loading);
	vt->loading = x; /* its fds stay open until the loader has opened them */
	view_rt_cwd_note(t);
}

bool view_exe(struct facet_task *t, char *buf, size_t size)
{
	if (!t->view || !t->view->exe[0])
		return false;
	snprintf(buf, size, "%s", t->view->exe);
	return true;
}

bool view_loader_call(struct facet_task *t, const struct call *c)
{
	struct view_task *vt = t->view;
	if (!vt || !vt->in_loader)
		return false;
	/* The runtime's forwarded calls come from the image too. */
	if (c->sc.ip >= vt->loader_lo && c->sc.ip < vt->loader_hi && c->sc.ip != view_rt_gate_ip(t->session->vs) &&
	    c->sc.ip != view_rt_pass_ip(t->session->vs))
		return true;
	/* The program's first call: the loader is done. */
	vt->in_loader = false;
	view_exec_free(vt->loading);
	vt->loading = NULL;
	return false;
}
