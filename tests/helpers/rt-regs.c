/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * helper-rt-regs DIR: what a system call leaves alone, at call sites of the
 * shape the fast mode patches (`mov $nr,%eax; syscall`, b8 imm32 0f 05),
 * each called several times so that the later calls go through the
 * in-process runtime. The kernel changes rax (the result), rcx and r11,
 * and nothing else: not the other general registers, not xmm0-15, not the
 * red zone (the 128 bytes under the stack pointer, where a leaf function
 * keeps data), not the memory under a small stack. One "case: result" line
 * each (tests/helpers/rt.h), in an empty writable directory DIR that it
 * leaves empty; x86-64 only (elsewhere it says so, natively as in a view).
 *
 *  - newfstatat and openat sites, on the ordinary stack: a file, a missing
 *    name (the raw result, -ENOENT), three calls each;
 *  - the same sites on a 4 KiB stack (makecontext; signals go to an
 *    alternate stack), 60 KiB of canary under it;
 *  - after fork, in the child, and in a vfork child (which shares the
 *    parent's memory, patched sites and all);
 *  - a vfork child and a posix_spawn child that chdir before they exit or
 *    exec: the parent's relative paths still resolve from its own cwd.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>

#include "rt.h"

extern char **environ;

#if defined(__x86_64__)

struct regs {
	uint64_t rdi, rsi, rdx, r10, r8, r9, rbx, rbp, r12, r13, r14, r15; /* 0..88 */
	uint64_t rax;								 /* 96 */
	uint64_t redzone_changed;						 /* 104 */
	uint8_t xmm[16][16];							 /* 112.. */
};

__attribute__((visibility("hidden"))) struct regs rt_in, rt_out;

/* A function per call number: load every register from rt_in, fill the
 * red zone, make the call from a site of the patchable shape, store every
 * register in rt_out and whether the red zone changed; return rax. */
#define STR_(x) #x
#define STR(x) STR_(x)
#define SITE_FUNCTION(name, nr)                                                                      \
	__asm__(".text\n"                                                                            \
		".globl " #name "\n"                                                                 \
		".hidden " #name "\n"                                                                \
		".type " #name ", @function\n" #name ":\n"                                           \
		"push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"                 \
		"movq rt_in+0(%rip), %rdi\nmovq rt_in+8(%rip), %rsi\nmovq rt_in+16(%rip), %rdx\n"    \
		"movq rt_in+24(%rip), %r10\nmovq rt_in+32(%rip), %r8\nmovq rt_in+40(%rip), %r9\n"    \
		"movq rt_in+48(%rip), %rbx\nmovq rt_in+56(%rip), %rbp\nmovq rt_in+64(%rip), %r12\n"  \
		"movq rt_in+72(%rip), %r13\nmovq rt_in+80(%rip), %r14\nmovq rt_in+88(%rip), %r15\n"  \
		XMM_LOADS RED_FILL                                                                   \
		"mov $" STR(nr) ", %eax\n"                                                           \
		"syscall\n"                                                                          \
		"movq %rax, rt_out+96(%rip)\n"                                                       \
		"movq %rdi, rt_out+0(%rip)\nmovq %rsi, rt_out+8(%rip)\nmovq %rdx, rt_out+16(%rip)\n" \
		"movq %r10, rt_out+24(%rip)\nmovq %r8, rt_out+32(%rip)\nmovq %r9, rt_out+40(%rip)\n" \
		"movq %rbx, rt_out+48(%rip)\nmovq %rbp, rt_out+56(%rip)\n"                           \
		"movq %r12, rt_out+64(%rip)\nmovq %r13, rt_out+72(%rip)\n"                           \
		"movq %r14, rt_out+80(%rip)\nmovq %r15, rt_out+88(%rip)\n" XMM_STORES               \
		"movq $0, rt_out+104(%rip)\n" RED_CHECK                                              \
		"jmp 2f\n"                                                                           \
		"1: movq $1, rt_out+104(%rip)\n"                                                     \
		"2: movq rt_out+96(%rip), %rax\n"                                                    \
		"pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\n"                       \
		"ret\n"                                                                              \
		".size " #name ", .-" #name "\n")

#define XL(i) "movdqu rt_in+112+" #i "*16(%rip), %xmm" #i "\n"
#define XS(i) "movdqu %xmm" #i ", rt_out+112+" #i "*16(%rip)\n"
#define XMM_LOADS                                                                                   \
	XL(0) XL(1) XL(2) XL(3) XL(4) XL(5) XL(6) XL(7) XL(8) XL(9) XL(10) XL(11) XL(12) XL(13) XL(14) \
	XL(15)
#define XMM_STORES                                                                                  \
	XS(0) XS(1) XS(2) XS(3) XS(4) XS(5) XS(6) XS(7) XS(8) XS(9) XS(10) XS(11) XS(12) XS(13) XS(14) \
	XS(15)
#define RF(o) "movq $0x5a5a5a5a, -" #o "(%rsp)\n"
#define RC(o) "cmpq $0x5a5a5a5a, -" #o "(%rsp)\njne 1f\n"
#define RED_FILL                                                                                    \
	RF(8) RF(16) RF(24) RF(32) RF(40) RF(48) RF(56) RF(64) RF(72) RF(80) RF(88) RF(96) RF(104) RF(112) \
	RF(120) RF(128)
#define RED_CHECK                                                                                   \
	RC(8) RC(16) RC(24) RC(32) RC(40) RC(48) RC(56) RC(64) RC(72) RC(80) RC(88) RC(96) RC(104) RC(112) \
	RC(120) RC(128)

long site_newfstatat(void);
long site_openat(void);
SITE_FUNCTION(site_newfstatat, 262);
SITE_FUNCTION(site_openat, 257);

/* glibc 2.41's site for every cancellable call, `mov 0x10(%rsp),%rax;
 * syscall` (48 8b 44 24 10 0f 05), with the number rt_nr: one site that
 * makes the calls the runtime answers and those it never does (which the
 * trampoline makes as the program's own, src/rt/arch/x86_64/sites.S). */
__attribute__((visibility("hidden"))) uint64_t rt_nr;
long site_any(void);
__asm__(".text\n"
	".globl site_any\n"
	".hidden site_any\n"
	".type site_any, @function\nsite_any:\n"
	"push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
	"sub $24, %rsp\nmovq rt_nr(%rip), %rax\nmovq %rax, 16(%rsp)\n"
	"movq rt_in+0(%rip), %rdi\nmovq rt_in+8(%rip), %rsi\nmovq rt_in+16(%rip), %rdx\n"
	"movq rt_in+24(%rip), %r10\nmovq rt_in+32(%rip), %r8\nmovq rt_in+40(%rip), %r9\n"
	"movq rt_in+48(%rip), %rbx\nmovq rt_in+56(%rip), %rbp\nmovq rt_in+64(%rip), %r12\n"
	"movq rt_in+72(%rip), %r13\nmovq rt_in+80(%rip), %r14\nmovq rt_in+88(%rip), %r15\n"
	XMM_LOADS RED_FILL
	".byte 0x48, 0x8b, 0x44, 0x24, 0x10\n"
	"syscall\n"
	"movq %rax, rt_out+96(%rip)\n"
	"movq %rdi, rt_out+0(%rip)\nmovq %rsi, rt_out+8(%rip)\nmovq %rdx, rt_out+16(%rip)\n"
	"movq %r10, rt_out+24(%rip)\nmovq %r8, rt_out+32(%rip)\nmovq %r9, rt_out+40(%rip)\n"
	"movq %rbx, rt_out+48(%rip)\nmovq %rbp, rt_out+56(%rip)\n"
	"movq %r12, rt_out+64(%rip)\nmovq %r13, rt_out+72(%rip)\n"
	"movq %r14, rt_out+80(%rip)\nmovq %r15, rt_out+88(%rip)\n" XMM_STORES
	"movq $0, rt_out+104(%rip)\n" RED_CHECK
	"jmp 2f\n"
	"1: movq $1, rt_out+104(%rip)\n"
	"2: movq rt_out+96(%rip), %rax\n"
	"add $24, %rsp\n"
	"pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\n"
	"ret\n"
	".size site_any, .-site_any\n");

static char fpath[PATH_MAX], mpath[PATH_MAX];
static char statbuf[256];

/* Sets rt_in for one call: the arguments, and a distinct value in every
 * other register. */
static void prepare(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	rt_in.rdi = a0;
	rt_in.rsi = a1;
	rt_in.rdx = a2;
	rt_in.r10 = a3;
	rt_in.r8 = 0x0808080808080808ULL;
	rt_in.r9 = 0x0909090909090909ULL;
	rt_in.rbx = 0x0b0b0b0b0b0b0b0bULL;
	rt_in.rbp = 0x0bb0bb0bb0bb0bb0ULL;
	rt_in.r12 = 0x1212121212121212ULL;
	rt_in.r13 = 0x1313131313131313ULL;
	rt_in.r14 = 0x1414141414141414ULL;
	rt_in.r15 = 0x1515151515151515ULL;
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			rt_in.xmm[i][j] = (uint8_t)(0x40 + i * 16 + j);
	memset(&rt_out, 0, sizeof(rt_out));
}

/* Which registers came back changed, in words. */
static const char *changed(char *buf, size_t size)
{
	static const char *names[] = { "rdi", "rsi", "rdx", "r10", "r8", "r9", "rbx", "rbp", "r12", "r13", "r14", "r15" };
	const uint64_t *in = &rt_in.rdi, *out = &rt_out.rdi;
	buf[0] = 0;
	for (int i = 0; i < 12; i++)
		if (in[i] != out[i])
			snprintf(buf + strlen(buf), size - strlen(buf), " %s", names[i]);
	for (int i = 0; i < 16; i++)
		if (memcmp(rt_in.xmm[i], rt_out.xmm[i], 16))
			snprintf(buf + strlen(buf), size - strlen(buf), " xmm%d", i);
	if (rt_out.redzone_changed)
		snprintf(buf + strlen(buf), size - strlen(buf), " red-zone");
	return buf[0] ? buf + 1 : "none";
}

static const char *result_word(long r, int is_open)
{
	static char buf[32];
	if (r < 0 && r > -4096)
		snprintf(buf, sizeof(buf), "-%s", ename((int)-r));
	else if (is_open)
		snprintf(buf, sizeof(buf), "fd");
	else
		snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/* One call of each kind, as words (a line each); opened fds are closed. */
#define KINDS 4
static const char *const kind_names[KINDS] = { "stat", "stat-missing", "open", "open-missing" };
typedef char words[KINDS][160];

static void calls(words out)
{
	char c[128];
	long r;
	prepare((uint64_t)AT_FDCWD, (uint64_t)fpath, (uint64_t)statbuf, 0);
	r = site_newfstatat();
	snprintf(out[0], sizeof(out[0]), "%s changed=%s", result_word(r, 0), changed(c, sizeof(c)));
	prepare((uint64_t)AT_FDCWD, (uint64_t)mpath, (uint64_t)statbuf, 0);
	r = site_newfstatat();
	snprintf(out[1], sizeof(out[1]), "%s changed=%s", result_word(r, 0), changed(c, sizeof(c)));
	prepare((uint64_t)AT_FDCWD, (uint64_t)fpath, O_RDONLY | O_CLOEXEC, 0);
	r = site_openat();
	snprintf(out[2], sizeof(out[2]), "%s changed=%s", result_word(r, 1), changed(c, sizeof(c)));
	if (r >= 0)
		close((int)r);
	prepare((uint64_t)AT_FDCWD, (uint64_t)mpath, O_RDONLY | O_CLOEXEC, 0);
	r = site_openat();
	snprintf(out[3], sizeof(out[3]), "%s changed=%s", result_word(r, 1), changed(c, sizeof(c)));
}

static void say_calls(const char *what, words w)
{
	for (int i = 0; i < KINDS; i++)
		say("%s-%s: %s", what, kind_names[i], w[i]);
}

/* --- a tiny stack ---------------------------------------------------------------------- */

static words tiny_out[3];

static void on_tiny_stack(void)
{
	for (int i = 0; i < 3; i++)
		calls(tiny_out[i]);
}

static void tiny_stack(void)
{
	static char alt[256 * 1024];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	sigaltstack(&ss, NULL);
	long touched = rt_on_tiny_stack(on_tiny_stack);
	if (touched < 0) {
		say("tiny-stack: mmap %s", ename((int)-touched));
		return;
	}
	for (int i = 0; i < 3; i++) {
		char what[32];
		snprintf(what, sizeof(what), "tiny-stack-%d", i + 1);
		say_calls(what, tiny_out[i]);
	}
	say("tiny-stack: bytes-below-written=%ld", touched);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

/* --- children ---------------------------------------------------------------------------- */

static void wait_child(const char *what, pid_t pid)
{
	int st;
	if (pid < 0) {
		say("%s: %s", what, ename(errno));
		return;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		say("%s: exit %d", what, WEXITSTATUS(st));
	else
		say("%s: killed by SIG%s", what, sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
}

static words vfork_out;
static char *self;

static void children(void)
{
	char buf[1024];
	pid_t pid = fork();
	if (pid == 0) {
		words w;
		calls(w);
		say_calls("fork-child", w);
		_exit(0);
	}
	wait_child("fork-child", pid);

	/* A vfork child shares the parent's memory: it writes its words
	 * there, the parent prints them. */
	pid = vfork();
	if (pid == 0) {
		calls(vfork_out);
		_exit(0);
	}
	wait_child("vfork-child", pid);
	say_calls("vfork-child", vfork_out);

	/* chdir in a vfork child: the parent's cwd does not move. */
	char start[PATH_MAX];
	if (!getcwd(start, sizeof(start)))
		strcpy(start, "/");
	say("chdir-dir: %s", rc(chdir(in_dir("rg", buf, sizeof(buf)))));
	struct stat st;
	say("parent-relative-before: %s", rc(stat("sub/file", &st)));
	pid = vfork();
	if (pid == 0) {
		if (chdir("sub") != 0)
			_exit(1);
		_exit(stat("file", &st) == 0 ? 0 : 2);
	}
	wait_child("vfork-child-chdir", pid);
	say("parent-relative-after-vfork-chdir: %s", rc(stat("sub/file", &st)));
	say("parent-file-not-here: %s", rc(stat("file", &st)));

	/* posix_spawn with a chdir action (the child is a CLONE_VM|CLONE_VFORK one). */
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, "sub");
	char *args[] = { "helper-rt-regs", "--stat", "file", NULL };
	int e = posix_spawn(&pid, self, &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		say("posix_spawn-chdir: %s", ename(e));
	} else {
		wait_child("posix_spawn-chdir", pid);
	}
	say("parent-relative-after-spawn-chdir: %s", rc(stat("sub/file", &st)));
	say("chdir-back: %s", rc(chdir(start)));
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc == 3 && !strcmp(argv[1], "--stat")) {
		struct stat st;
		say("spawned-child: stat %s: %s", argv[2], rc(stat(argv[2], &st)));
		return 0;
	}
	if (argc != 2 || argv[1][0] != '/' || argv[0][0] != '/') {
		fprintf(stderr, "usage: /PATH/TO/helper-rt-regs /ABSOLUTE/EMPTY-DIR\n");
		return 2;
	}
	rt_dir = argv[1];
	char buf[1024];
	snprintf(fpath, sizeof(fpath), "%s/rg/sub/file", rt_dir);
	snprintf(mpath, sizeof(mpath), "%s/rg/sub/missing", rt_dir);
	say("setup-dir: %s", rc(mkdir(in_dir("rg", buf, sizeof(buf)), 0755)));
	say("setup-sub: %s", rc(mkdir(in_dir("rg/sub", buf, sizeof(buf)), 0755)));
	int fd = open(fpath, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	say("setup-file: %s", fd < 0 ? ename(errno) : "ok");
	if (fd >= 0)
		close(fd);
	for (int i = 1; i <= 3; i++) {
		words w;
		char what[32];
		calls(w);
		snprintf(what, sizeof(what), "call-%d", i);
		say_calls(what, w);
	}
	/* The shared site: a stat patches it, then close(-1) (never the
	 * runtime's), a stat again, close again. */
	for (int i = 1; i <= 3; i++) {
		char c[128];
		rt_nr = 262;
		prepare((uint64_t)AT_FDCWD, (uint64_t)fpath, (uint64_t)statbuf, 0);
		long r = site_any();
		say("any-site-stat-%d: %s changed=%s", i, result_word(r, 0), changed(c, sizeof(c)));
		rt_nr = 3;
		prepare((uint64_t)-1, 0x0202020202020202ULL, 0x0303030303030303ULL, 0x0404040404040404ULL);
		r = site_any();
		say("any-site-close-%d: %s changed=%s", i, result_word(r, 0), changed(c, sizeof(c)));
	}
	tiny_stack();
	children();
	int r = unlink(fpath);
	r |= rmdir(in_dir("rg/sub", buf, sizeof(buf)));
	r |= rmdir(in_dir("rg", buf, sizeof(buf)));
	say("cleanup: %s", r ? ename(errno) : "ok");
	return 0;
}

#else

int main(int argc, char **argv)
{
	if (argc == 3)
		return 0;
	say("helper-rt-regs: not x86-64");
	return 0;
}

#endif
