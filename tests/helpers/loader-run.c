/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-loader-run [OPTION...] LOADER PROGRAM [ARG...]
 *
 * Runs PROGRAM through facet's loader the way the supervisor will, without
 * a view: forks; the child asks to be traced and execs LOADER with argv =
 * PROGRAM ARG...; at the exec stop this process opens PROGRAM and its
 * PT_INTERP with O_PATH, writes a load plan naming them as
 * /proc/<its pid>/fd/<n> below the child's stack pointer, puts the plan's
 * address in %rdi, detaches, and exits with the child's status (128+N if
 * signal N killed it). A PROGRAM it cannot open goes into the plan as
 * given, for the loader to report.
 *
 * Options, to test the loader's checks and the plan's extra images:
 *   --extra=PATH@ADDR  map the ELF image PATH at ADDR (hex) too; repeatable
 *   --interp=PATH      use PATH as the interpreter, whatever PT_INTERP says
 *   --no-interp        give no interpreter, whatever PT_INTERP says
 *   --corrupt=FIELD    spoil the plan: magic, version or size
 *   --no-plan          leave %rdi zero
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader/plan_build.h"
#include "util/cleanup.h"

struct options {
	struct loader_plan_image_spec extras[LOADER_PLAN_MAX_EXTRAS];
	size_t extra_count;
	const char *interp;	/* --interp */
	int no_interp;
	const char *corrupt;
	int no_plan;
	const char *loader;
	char **argv;		/* PROGRAM ARG... */
};

static void usage(void)
{
	fprintf(stderr, "usage: helper-loader-run [--extra=PATH@ADDR]... [--interp=PATH | --no-interp]\n"
			"       [--corrupt=magic|version|size] [--no-plan] LOADER PROGRAM [ARG...]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct options *o)
{
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--extra=", 8) == 0) {
			char *at = strrchr(a, '@');
			if (!at || o->extra_count == LOADER_PLAN_MAX_EXTRAS)
				usage();
			*at = '\0';
			o->extras[o->extra_count].path = a + 8;
			o->extras[o->extra_count++].addr = strtoull(at + 1, NULL, 16);
		} else if (strncmp(a, "--interp=", 9) == 0) {
			o->interp = a + 9;
		} else if (strcmp(a, "--no-interp") == 0) {
			o->no_interp = 1;
		} else if (strncmp(a, "--corrupt=", 10) == 0) {
			o->corrupt = a + 10;
		} else if (strcmp(a, "--no-plan") == 0) {
			o->no_plan = 1;
		} else {
			usage();
		}
	}
	if (argc - i < 2)
		usage();
	o->loader = argv[i];
	o->argv = argv + i + 1;
}

/* PT_INTERP of the file at path, or NULL (static program, or not ELF). */
static char *read_interp(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
		return NULL;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph))
			return NULL;
		if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz > 4096)
			continue;
		_cleanup_free_ char *s = calloc(1, ph.p_filesz + 1);
		if (!s || pread(fd, s, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz)
			return NULL;
		return TAKE_PTR(s);
	}
	return NULL;
}

/* The magic link to path opened with O_PATH (the fd is kept open until
 * exit), or path itself if it cannot be opened. */
static char *link_to(const char *path)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	char *s = NULL;
	if (fd < 0)
		return strdup(path);
	if (asprintf(&s, "/proc/%d/fd/%d", (int)getpid(), fd) < 0)
		return NULL;
	return s;
}

static void spoil(struct loader_plan *plan, const char *field)
{
	if (strcmp(field, "magic") == 0)
		plan->magic ^= 1;
	else if (strcmp(field, "version") == 0)
		plan->version++;
	else if (strcmp(field, "size") == 0)
		plan->size = LOADER_PLAN_MAX + 1;
	else
		usage();
}

/* Builds the plan and writes it into the stopped child; returns its address. */
static int write_plan(pid_t pid, const struct options *o, uint64_t sp, uint64_t *addr)
{
	const char *program = o->argv[0];
	_cleanup_free_ char *interp_path = o->interp ? strdup(o->interp) : read_interp(program);
	_cleanup_free_ char *prog_link = link_to(program);
	_cleanup_free_ char *interp_link = interp_path && !o->no_interp ? link_to(interp_path) : NULL;
	char comm[LOADER_COMM_LEN];
	loader_plan_comm(comm, program);
	int flags = loader_plan_aslr_flags();
	if (flags < 0)
		return flags;
	struct loader_plan_spec spec = {
		.program = prog_link,
		.interp = interp_link,
		.execfn = program,
		.comm = comm,
		.flags = (uint32_t)flags,
		.extras = o->extras,
		.extra_count = o->extra_count,
	};
	struct loader_plan_image_spec extras[LOADER_PLAN_MAX_EXTRAS];
	for (size_t i = 0; i < o->extra_count; i++) {
		extras[i] = (struct loader_plan_image_spec){ link_to(o->extras[i].path), o->extras[i].addr };
		if (!extras[i].path)
			return -ENOMEM;
	}
	spec.extras = extras;
	_cleanup_free_ void *buf = malloc(LOADER_PLAN_MAX);
	if (!buf || !prog_link)
		return -ENOMEM;
	ssize_t size = loader_plan_build(buf, LOADER_PLAN_MAX, &spec);
	if (size < 0)
		return (int)size;
	if (o->corrupt)
		spoil(buf, o->corrupt);
	int r = loader_plan_place(sp, (size_t)size, addr);
	if (r < 0)
		return r;
	struct iovec local = { buf, (size_t)size }, remote = { (void *)*addr, (size_t)size };
	ssize_t n = process_vm_writev(pid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return -errno;
	return n == size ? 0 : -EFAULT;
}

/* Lets the child exec the loader and stops it there; 0, or its status if
 * it never got there. */
static int exec_stop(pid_t pid, int *status)
{
	if (waitpid(pid, status, 0) < 0 || !WIFSTOPPED(*status))
		return -1;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL) < 0 ||
	    ptrace(PTRACE_CONT, pid, 0, 0) < 0)
		return -1;
	if (waitpid(pid, status, 0) < 0)
		return -1;
	return *status >> 8 == (SIGTRAP | PTRACE_EVENT_EXEC << 8) ? 0 : -1;
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	parse(argc, argv, &o);
	pid_t pid = fork();
	if (pid < 0) {
		perror("helper-loader-run: fork");
		return 2;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
			_exit(126);
		execv(o.loader, o.argv);
		fprintf(stderr, "helper-loader-run: cannot exec %s: %s\n", o.loader, strerror(errno));
		_exit(126);
	}
	int status;
	if (exec_stop(pid, &status) < 0) {
		fprintf(stderr, "helper-loader-run: %s did not stop at its exec\n", o.loader);
		return WIFEXITED(status) || WIFSIGNALED(status) ? exit_status(status) : 2;
	}
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0) {
		perror("helper-loader-run: PTRACE_GETREGS");
		return 2;
	}
	if (!o.no_plan) {
		uint64_t addr;
		int r = write_plan(pid, &o, regs.rsp, &addr);
		if (r < 0) {
			fprintf(stderr, "helper-loader-run: cannot write the load plan: %s\n", strerror(-r));
			return 2;
		}
		regs.rdi = addr;
		if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0) {
			perror("helper-loader-run: PTRACE_SETREGS");
			return 2;
		}
	}
	if (ptrace(PTRACE_DETACH, pid, 0, 0) < 0) {
		perror("helper-loader-run: PTRACE_DETACH");
		return 2;
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("helper-loader-run: waitpid");
		return 2;
	}
	return exit_status(status);
}
