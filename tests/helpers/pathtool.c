/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-pathtool: a static multi-call program, so that a root made by a
 * test needs nothing else (no ld.so, no libc). It acts by the name it was
 * run as (the last component of argv[0]), or by its first argument when
 * run as helper-pathtool:
 *
 *   true | false          exit 0 | 1
 *   argv                  print argv[0..] separated by spaces
 *   pwd                   print getcwd() (the system call)
 *   readlink PATH         print the symlink's target (the system call)
 *   ls PATH               print "TYPE NAME" per entry, sorted, . and .. left out
 *   cat PATH...           copy files to standard output
 *   cd PATH               chdir(PATH), then print getcwd()
 *   fcd PATH              open(PATH, O_DIRECTORY), fchdir, then print getcwd()
 *   exec PATH [ARG0 ARG...]  execve(PATH, ARG0 ARG... or PATH alone, environ)
 *   chroot DIR PATH [ARG0 ARG...]  chroot(DIR), chdir("/"), then as exec
 *   symlink TARGET PATH   symlink(TARGET, PATH)
 *   exe                   print readlink("/proc/self/exe")
 *   comm                  print /proc/self/comm
 *
 * A failing call prints "NAME: ERRNO-NAME" (ENOENT...) on standard output
 * and exits 1 (127 for exec), so that tests compare words, not messages.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int failed(const char *what, int status)
{
	const char *name = strerrorname_np(errno);
	printf("%s: %s\n", what, name ? name : "E?");
	return status;
}

static int print_cwd(void)
{
	char buf[PATH_MAX];
	if (syscall(SYS_getcwd, buf, sizeof(buf)) < 0)
		return failed("getcwd", 1);
	puts(buf);
	return 0;
}

static int print_link(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = syscall(SYS_readlink, path, buf, sizeof(buf) - 1);
	if (n < 0)
		return failed("readlink", 1);
	buf[n] = '\0';
	puts(buf);
	return 0;
}

static const char *type_name(unsigned char t)
{
	switch (t) {
	case DT_DIR: return "dir";
	case DT_REG: return "reg";
	case DT_LNK: return "lnk";
	case DT_FIFO: return "fifo";
	case DT_SOCK: return "sock";
	case DT_CHR: return "chr";
	case DT_BLK: return "blk";
	default: return "unknown";
	}
}

static int skip_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static int list(const char *path)
{
	struct dirent **names;
	int n = scandir(path, &names, skip_dots, alphasort);
	if (n < 0)
		return failed("ls", 1);
	for (int i = 0; i < n; i++) {
		printf("%s %s\n", type_name(names[i]->d_type), names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int cat(int argc, char **argv)
{
	char buf[4096];
	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return failed("cat", 1);
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		close(fd);
		if (n < 0)
			return failed("cat", 1);
	}
	return 0;
}

/* execve(argv[0], argv[1..], environ), or with argv[0] alone if that is
 * all there is. */
static int run(int argc, char **argv)
{
	if (argc < 1)
		return 2;
	char *alone[] = { argv[0], NULL };
	fflush(stdout);
	execve(argv[0], argc == 1 ? alone : argv + 1, environ);
	return failed("exec", 127);
}

static int act(const char *name, int argc, char **argv)
{
	if (strcmp(name, "true") == 0)
		return 0;
	if (strcmp(name, "false") == 0)
		return 1;
	if (strcmp(name, "argv") == 0) {
		for (int i = 0; i < argc; i++)
			printf(i ? " %s" : "%s", argv[i]);
		putchar('\n');
		return 0;
	}
	if (strcmp(name, "pwd") == 0)
		return print_cwd();
	if (strcmp(name, "exe") == 0)
		return print_link("/proc/self/exe");
	if (strcmp(name, "comm") == 0) {
		char *a[] = { "/proc/self/comm" };
		return cat(1, a);
	}
	if (argc < 2)
		return 2;
	if (strcmp(name, "readlink") == 0)
		return print_link(argv[1]);
	if (strcmp(name, "ls") == 0)
		return list(argv[1]);
	if (strcmp(name, "cat") == 0)
		return cat(argc - 1, argv + 1);
	if (strcmp(name, "cd") == 0)
		return chdir(argv[1]) < 0 ? failed("chdir", 1) : print_cwd();
	if (strcmp(name, "fcd") == 0) {
		int fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return failed("open", 1);
		return fchdir(fd) < 0 ? failed("fchdir", 1) : print_cwd();
	}
	if (strcmp(name, "exec") == 0)
		return run(argc - 1, argv + 1);
	if (strcmp(name, "chroot") == 0) {
		if (chroot(argv[1]) < 0)
			return failed("chroot", 1);
		if (chdir("/") < 0)
			return failed("chdir", 1);
		return run(argc - 2, argv + 2);
	}
	if (strcmp(name, "symlink") == 0 && argc == 3)
		return symlink(argv[1], argv[2]) < 0 ? failed("symlink", 1) : 0;
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 1)
		return 2;
	const char *slash = strrchr(argv[0], '/');
	const char *name = slash ? slash + 1 : argv[0];
	int r;
	if (strcmp(name, "helper-pathtool") == 0)
		r = argc < 2 ? 2 : act(argv[1], argc - 1, argv + 1);
	else
		r = act(name, argc, argv);
	if (r == 2)
		fprintf(stderr, "helper-pathtool: bad usage (see tests/helpers/pathtool.c)\n");
	fflush(stdout);
	return r;
}
