/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filter compiler, checked without loading anything into the kernel: the
 * exported BPF program is run by a small classic-BPF interpreter on made-up
 * seccomp_data, and the action for each call is compared with what the
 * engines asked for and the back end chosen.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "core/internal.h"
#include "core/view/view.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); putchar('\n'); } } while (0)

/* Enough of classic BPF for what libseccomp emits. Returns the action. */
static uint32_t run_bpf(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 };
	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k + 4 > sizeof(*d))
				return 0xdeadbeef;
			memcpy(&A, (const char *)d + f->k, 4);
			break;
		case BPF_LD | BPF_MEM: A = M[f->k]; break;
		case BPF_LDX | BPF_MEM: X = M[f->k]; break;
		case BPF_ST: M[f->k] = A; break;
		case BPF_STX: M[f->k] = X; break;
		case BPF_LD | BPF_IMM: A = f->k; break;
		case BPF_ALU | BPF_AND | BPF_K: A &= f->k; break;
		case BPF_ALU | BPF_OR | BPF_K: A |= f->k; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		case BPF_JMP | BPF_JA: pc += f->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (A & f->k) ? f->jt : f->jf; break;
		case BPF_RET | BPF_K: return f->k;
		default:
			printf("FAIL: unknown BPF opcode %#x at %u\n", f->code, pc);
			failures++;
			return 0xdeadbeef;
		}
	}
	return 0xdeadbeef;
}

static uint32_t action(const struct sock_fprog *p, uint32_t arch, long nr)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	return run_bpf(p, &d) & SECCOMP_RET_ACTION_FULL;
}

static uint32_t action_arg0(const struct sock_fprog *p, long nr, uint64_t arg0)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64, .args = { arg0 } };
	return run_bpf(p, &d) & SECCOMP_RET_ACTION_FULL;
}

/* Whatever the engines want, no task may be created untraced (keep_traced.c). */
static void check_keep_traced(const struct sock_fprog *p, const char *backend)
{
	CHECK(action_arg0(p, SYS_clone, CLONE_UNTRACED | SIGCHLD) == SECCOMP_RET_TRACE,
	      "%s: clone with CLONE_UNTRACED must stop for ptrace", backend);
	CHECK(action_arg0(p, SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND) == SECCOMP_RET_ALLOW,
	      "%s: clone without CLONE_UNTRACED runs natively", backend);
	CHECK(action_arg0(p, SYS_clone3, 0) == SECCOMP_RET_TRACE,
	      "%s: clone3 (flags in memory) must stop for ptrace", backend);
}

static uint32_t action_at(const struct sock_fprog *p, long nr, uint64_t ip)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64, .instruction_pointer = ip };
	return run_bpf(p, &d) & SECCOMP_RET_ACTION_FULL;
}

/* In a view, every number libfacet does not know fails with ENOSYS (it
 * could name a file), whatever the address: each one below the table's
 * end and everything above it, x32's too; the known ones are untouched. */
static void check_unknown_numbers(const struct sock_fprog *p, uint64_t ip, const char *mode)
{
	unsigned wrong = 0;
	for (long nr = 0; nr < FACET_NR_MAX + 64; nr++) {
		struct seccomp_data d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64, .instruction_pointer = ip };
		uint32_t a = run_bpf(p, &d);
		bool refused = a == (SECCOMP_RET_ERRNO | ENOSYS);
		if (refused != (nr >= FACET_NR_MAX || !facet_syscall_by_nr(nr)) && wrong++ < 5)
			CHECK(false, "%s: number %ld is %s", mode, nr, refused ? "refused" : "not refused");
	}
	long big[] = { 100000, 0x40000000 | SYS_openat, -1 };
	for (unsigned i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		struct seccomp_data d = { .nr = (int)big[i], .arch = AUDIT_ARCH_X86_64, .instruction_pointer = ip };
		CHECK(run_bpf(p, &d) == (SECCOMP_RET_ERRNO | ENOSYS), "%s: number %#lx must fail with ENOSYS", mode,
		      big[i]);
	}
	CHECK(action_at(p, SYS_getppid, ip) == SECCOMP_RET_ALLOW, "%s: getppid still runs", mode);
}

/* Whether the kernel's seccomp action cache allows call nr without
 * running the program (kernel/seccomp.c, seccomp_is_const_allow): only
 * the number and the architecture read on the way to ALLOW. */
static bool kernel_const_allow(const struct sock_fprog *prog, uint32_t nr)
{
	uint32_t A = 0;
	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k == offsetof(struct seccomp_data, nr))
				A = nr;
			else if (f->k == offsetof(struct seccomp_data, arch))
				A = AUDIT_ARCH_X86_64;
			else
				return false;
			break;
		case BPF_RET | BPF_K: return f->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA: pc += f->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (A & f->k) ? f->jt : f->jf; break;
		case BPF_ALU | BPF_AND | BPF_K: A &= f->k; break;
		default: return false;
		}
	}
	return false;
}

/* Fast mode (a view whose runtime serves it): the one instruction of
 * facet-loader's image that is admitted, the runtime's forwarding one,
 * and every other address, the image's own included, under the rules. */
static void check_fast_preamble(void)
{
	struct facet_session *s = facet_session_new();
	struct view_state vs = {
		.fast = true, .loader_lo = 0x7e001000, .loader_hi = 0x7e020000,
		.native_gate = 0x7e001100, .rt_gate = 0x7e001200, .rt_pass = 0x7e001300,
	};
	s->backend = FACET_BACKEND_NOTIFY;
	CHECK(session_prepare(s) == 0, "fast: session_prepare");
	s->vs = &vs;
	struct sock_fprog p;
	int r = filter_compile(s, &p);
	CHECK(r == 0, "fast: filter_compile: %s", strerror(-r));
	uint64_t prog_ip = 0x7f0000001234, native = vs.native_gate + 2, gate = vs.rt_gate + 2;
	CHECK(action_at(&p, SYS_openat, prog_ip) == SECCOMP_RET_USER_NOTIF, "fast: the program's openat goes to facet");
	CHECK(action_at(&p, SYS_getppid, prog_ip) == SECCOMP_RET_ALLOW, "fast: the program's getppid runs");
	CHECK(action_at(&p, SYS_openat, native) == SECCOMP_RET_ALLOW, "fast: the image's own openat is admitted");
	unsigned refused = 0;
	for (uint32_t nr = 0; nr < 1024; nr++)
		refused += action_at(&p, nr, native) != SECCOMP_RET_ALLOW;
	CHECK(refused == 0, "fast: the image's own calls are all admitted, %u were not", refused);
	CHECK(action_at(&p, SYS_openat, gate) == SECCOMP_RET_USER_NOTIF, "fast: a forwarded openat goes to facet");
	CHECK(action_at(&p, SYS_getppid, gate) == SECCOMP_RET_ALLOW,
	      "fast: a number nothing traps runs from any instruction, the forwarding one's too");
	/* The kernel skips the filter for the numbers it allows by number
	 * alone: the native ones must be, the trapped ones must not. */
	CHECK(kernel_const_allow(&p, SYS_getppid) && kernel_const_allow(&p, SYS_close) &&
		      kernel_const_allow(&p, SYS_fcntl) && kernel_const_allow(&p, SYS_read),
	      "fast: native calls are in the kernel's action cache");
	CHECK(!kernel_const_allow(&p, SYS_openat) && !kernel_const_allow(&p, SYS_newfstatat),
	      "fast: trapped calls are not in the kernel's action cache");
	CHECK(action_at(&p, SYS_openat, vs.rt_pass + 2) == SECCOMP_RET_USER_NOTIF,
	      "fast: the pass-through instruction's openat is the program's");
	CHECK(action_at(&p, SYS_openat, 0x7e001400) == SECCOMP_RET_USER_NOTIF,
	      "fast: another instruction of the image is not admitted");
	CHECK(action_at(&p, SYS_openat, native + (1ull << 32)) == SECCOMP_RET_USER_NOTIF,
	      "fast: the address's upper half counts");
	struct seccomp_data d = { .nr = 5, .arch = AUDIT_ARCH_I386, .instruction_pointer = native };
	CHECK((run_bpf(&p, &d) & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO, "fast: i386 calls are refused, even there");
	check_unknown_numbers(&p, prog_ip, "fast");
	filter_free(&p);
	/* An engine that wants every call (a tracer): no number is allowed by
	 * number alone, and the image's own calls are still admitted. */
	struct facet_session *all = facet_session_new();
	struct facet_engine *tracer = facet_engine_new(&(struct facet_engine_ops){ .name = "all" }, NULL);
	for (long nr = 0; nr < FACET_NR_MAX; nr++)
		facet_engine_want_syscall(tracer, nr, FACET_EV_SYSCALL_ENTRY);
	facet_session_attach(all, tracer);
	all->backend = FACET_BACKEND_NOTIFY;
	CHECK(session_prepare(all) == 0, "fast, all wanted: session_prepare");
	all->vs = &vs;
	r = filter_compile(all, &p);
	CHECK(r == 0, "fast, all wanted: filter_compile: %s", strerror(-r));
	if (r == 0) {
		CHECK(action_at(&p, SYS_getppid, prog_ip) == SECCOMP_RET_USER_NOTIF, "fast, all wanted: getppid goes to facet");
		CHECK(action_at(&p, SYS_openat, native) == SECCOMP_RET_ALLOW, "fast, all wanted: the image's openat is admitted");
		CHECK(!kernel_const_allow(&p, SYS_getppid), "fast, all wanted: nothing in the kernel's action cache");
		filter_free(&p);
	}
	all->vs = NULL;
	facet_session_free(all);
	/* Without the runtime: the same refusals, and no address admitted. */
	vs.fast = false;
	r = filter_compile(s, &p);
	CHECK(r == 0, "view: filter_compile: %s", strerror(-r));
	CHECK(action_at(&p, SYS_openat, native) == SECCOMP_RET_USER_NOTIF, "view: no instruction is admitted");
	check_unknown_numbers(&p, prog_ip, "view");
	filter_free(&p);
	s->vs = NULL;
	facet_session_free(s);
}

static const struct facet_engine_ops ops = { .name = "test" };

static struct facet_session *session_with(enum facet_backend b, struct sock_fprog *prog)
{
	struct facet_session *s = facet_session_new();
	struct facet_engine *tracer = facet_engine_new(&ops, NULL);
	struct facet_engine *denier = facet_engine_new(&ops, NULL);
	/* A tracer wanting entry and exit of the stat and open families... */
	facet_engine_want_syscall(tracer, SYS_newfstatat, FACET_EV_SYSCALL_ENTRY | FACET_EV_SYSCALL_EXIT);
	facet_engine_want_syscall(tracer, SYS_openat, FACET_EV_SYSCALL_ENTRY | FACET_EV_SYSCALL_EXIT);
	/* ...and a second engine wanting only the entry of connect. */
	facet_engine_want_syscall(denier, SYS_connect, FACET_EV_SYSCALL_ENTRY);
	facet_session_attach(s, tracer);
	facet_session_attach(s, denier);
	s->backend = b;
	CHECK(session_prepare(s) == 0, "session_prepare");
	int r = filter_compile(s, prog);
	CHECK(r == 0, "filter_compile: %s", strerror(-r));
	return s;
}

/* The numbers allowed by number alone, before the fast part, as the
 * kernel's action cache sees them: with few ranges of them (a view's
 * usual wishes) a search over their boundaries, with many (an engine
 * that wants every other call) a tree of ranges. Either way exactly the
 * numbers nobody wants are allowed, and at most 255 instructions apart. */
static void check_allowed_tree(long step)
{
	struct facet_session *s = facet_session_new();
	struct facet_engine *e = facet_engine_new(&(struct facet_engine_ops){ .name = "every-nth" }, NULL);
	for (long nr = 0; nr < FACET_NR_MAX; nr += step)
		facet_engine_want_syscall(e, nr, FACET_EV_SYSCALL_ENTRY);
	facet_session_attach(s, e);
	struct view_state vs = {
		.fast = true, .loader_lo = 0x7e001000, .loader_hi = 0x7e020000,
		.native_gate = 0x7e001100, .rt_gate = 0x7e001200, .rt_pass = 0x7e001300,
	};
	s->backend = FACET_BACKEND_NOTIFY;
	CHECK(session_prepare(s) == 0, "every %ld: session_prepare", step);
	s->vs = &vs;
	struct sock_fprog p;
	int r = filter_compile(s, &p);
	CHECK(r == 0, "every %ld: filter_compile: %s", step, strerror(-r));
	unsigned wrong = 0;
	for (long nr = 0; r == 0 && nr < FACET_NR_MAX; nr++) {
		uint64_t mask;
		bool wanted = nr % step == 0, known = facet_syscall_by_nr(nr) != NULL;
		bool core = keep_traced_nr(nr, &mask) || watch_nr(nr, &mask) || view_traps(s, nr);
		bool allowed = kernel_const_allow(&p, (uint32_t)nr);
		if (allowed != (known && !wanted && !core) && wrong++ < 5)
			CHECK(false, "every %ld: number %ld is %sallowed by number alone", step, nr, allowed ? "" : "not ");
		if (wanted && known && action_at(&p, nr, 0x7f0000001234) == SECCOMP_RET_ALLOW && wrong++ < 5)
			CHECK(false, "every %ld: wanted number %ld runs natively", step, nr);
	}
	if (r == 0)
		filter_free(&p);
	s->vs = NULL;
	facet_session_free(s);
}

int main(void)
{
	struct sock_fprog prog;
	struct facet_session *s = session_with(FACET_BACKEND_NOTIFY, &prog);
	uint32_t x86 = AUDIT_ARCH_X86_64;
	CHECK(action(&prog, x86, SYS_getppid) == SECCOMP_RET_ALLOW, "getppid must run natively");
	CHECK(action(&prog, x86, SYS_read) == SECCOMP_RET_ALLOW, "read must run natively");
	CHECK(action(&prog, x86, SYS_newfstatat) == SECCOMP_RET_USER_NOTIF,
	      "newfstatat: emulated, so user notification even though its exit is wanted");
	CHECK(action(&prog, x86, SYS_openat) == SECCOMP_RET_TRACE,
	      "openat: exit wanted and not emulated, so it needs a ptrace exit stop");
	CHECK(action(&prog, x86, SYS_connect) == SECCOMP_RET_USER_NOTIF, "connect: entry only, so notification");
	CHECK(action(&prog, AUDIT_ARCH_I386, 5) == (SECCOMP_RET_ERRNO), "i386 calls are refused");
	struct seccomp_data d = { .nr = 5, .arch = AUDIT_ARCH_I386 };
	CHECK((run_bpf(&prog, &d) & SECCOMP_RET_DATA) == ENOSYS, "i386 calls fail with ENOSYS");
	check_keep_traced(&prog, "notify");
	filter_free(&prog);
	facet_session_free(s);

	s = session_with(FACET_BACKEND_PTRACE, &prog);
	CHECK(action(&prog, x86, SYS_getppid) == SECCOMP_RET_ALLOW, "ptrace: getppid must run natively");
	CHECK(action(&prog, x86, SYS_newfstatat) == SECCOMP_RET_TRACE, "ptrace: newfstatat traced");
	CHECK(action(&prog, x86, SYS_connect) == SECCOMP_RET_TRACE, "ptrace: connect traced");
	check_keep_traced(&prog, "ptrace");
	filter_free(&prog);
	facet_session_free(s);

	check_fast_preamble();
	check_allowed_tree(97);  /* a few ranges: the search over boundaries */
	check_allowed_tree(2);   /* some 170: the tree of ranges */
	if (failures)
		return 1;
	puts("ok");
	return 0;
}
