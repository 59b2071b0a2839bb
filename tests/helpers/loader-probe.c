/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-loader-probe[-nopie|-static|-static-pie|-execstack] [--peek=ADDR] [ARG...]
 *
 * Prints what a program sees of its own exec, free of addresses so that a
 * kernel exec and one through facet's loader print the same: argv,
 * environ, AT_EXECFN, whether AT_PHDR/AT_PHNUM/AT_PHENT describe its own
 * program headers, whether AT_ENTRY is its _start, what AT_BASE points at,
 * its name, /proc/self/cmdline, /proc/self/auxv, the code bounds and brk
 * the kernel keeps for it, and whether its stack is executable. Built as a
 * PIE, a non-PIE, a static, a static PIE and an executable-stack program.
 * --peek=ADDR (hex) prints the first four bytes at ADDR, where the loader
 * was asked to map an extra image.
 */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

extern const ElfW(Ehdr) __ehdr_start;	/* the linker's: this program's ELF header */
extern void _start(void);
extern char end[];			/* the end of the bss */
extern char **environ;

static const char *yes(int b)
{
	return b ? "yes" : "no";
}

/* The contents of a /proc file, and its length. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	*len = buf ? fread(buf, 1, cap - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

static int cmdline_is_argv(int argc, char **argv)
{
	size_t len, off = 0;
	char *s = slurp("/proc/self/cmdline", &len);
	int ok = s != NULL;
	for (int i = 0; ok && i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		ok = off + n <= len && memcmp(s + off, argv[i], n) == 0;
		off += n;
	}
	ok = ok && off == len;
	free(s);
	return ok;
}

/* The auxiliary vector on the stack, after environ's NULL (nothing has
 * changed environ yet). getauxval() will not do: glibc answers AT_HWCAP
 * with its own value. */
static const uint64_t *stack_auxv(void)
{
	char **e = environ;
	while (*e)
		e++;
	return (const uint64_t *)(e + 1);
}

/* /proc/self/auxv (the kernel's copy) is the vector on the stack. */
static int proc_auxv_is_stack_auxv(void)
{
	size_t len;
	char *s = slurp("/proc/self/auxv", &len);
	const uint64_t *a = stack_auxv();
	size_t n = 0;
	while (a[2 * n] != AT_NULL)
		n++;
	int ok = s != NULL && len >= (n + 1) * 16 && memcmp(s, a, (n + 1) * 16) == 0;
	free(s);
	return ok;
}

/* Field n (1-based, as in proc(5)) of /proc/self/stat. */
static unsigned long long stat_field(int n)
{
	size_t len;
	char *s = slurp("/proc/self/stat", &len);
	char *p = s ? strrchr(s, ')') : NULL;
	unsigned long long v = 0;
	for (int i = 2; p && i < n; i++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	free(s);
	return v;
}

/* The permissions of the [stack] mapping. */
static void print_stack_perms(void)
{
	size_t len;
	char *s = slurp("/proc/self/maps", &len), perms[5] = "?";
	for (char *line = s ? strtok(s, "\n") : NULL; line; line = strtok(NULL, "\n"))
		if (strstr(line, "[stack]"))
			sscanf(line, "%*s %4s", perms);
	printf("stack: %s\n", perms);
	free(s);
}

/* load_elf_binary(): the brk starts after the bss (with a page of gap
 * and up to 1 GiB of randomization), or for a static PIE at
 * ELF_ET_DYN_BASE (x86-64's, randomized the same). libc may have moved
 * it a little since. */
static const char *brk_place(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0), range = (1ul << 30) + (1ul << 20);
	if (brk >= (uintptr_t)end && brk - (uintptr_t)end <= range)
		return "after the bss";
	if (brk >= 0x555555554000 && brk - 0x555555554000 <= range)
		return "at ELF_ET_DYN_BASE";
	return "elsewhere";
}

static void print_base(void)
{
	const unsigned char *base = (const unsigned char *)getauxval(AT_BASE);
	printf("AT_BASE: %s\n", !base ? "0" : memcmp(base, ELFMAG, SELFMAG) == 0 ? "an ELF header" : "something else");
}

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env: %s\n", *e);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN: %s\n", execfn ? execfn : "(none)");
	printf("AT_PHNUM: %lu, its own: %s\n", getauxval(AT_PHNUM), yes(getauxval(AT_PHNUM) == __ehdr_start.e_phnum));
	printf("AT_PHENT: %lu\n", getauxval(AT_PHENT));
	printf("AT_PHDR is its program headers: %s\n",
	       yes(getauxval(AT_PHDR) == (uintptr_t)&__ehdr_start + __ehdr_start.e_phoff));
	printf("AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (uintptr_t)&_start));
	print_base();
	char comm[17] = "";
	prctl(PR_GET_NAME, comm);
	printf("comm: %s\n", comm);
	printf("cmdline is argv: %s\n", yes(cmdline_is_argv(argc, argv)));
	printf("/proc/self/auxv is the stack's: %s\n", yes(proc_auxv_is_stack_auxv()));
	uintptr_t start = (uintptr_t)&_start;
	printf("stat code bounds hold _start: %s\n", yes(stat_field(26) <= start && start < stat_field(27)));
	printf("brk: %s\n", brk_place());
	print_stack_perms();
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "--peek=", 7) == 0) {
			const unsigned char *p = (const unsigned char *)strtoull(argv[i] + 7, NULL, 16);
			printf("peek: %02x %c%c%c\n", p[0], p[1], p[2], p[3]);
		}
	return 0;
}
