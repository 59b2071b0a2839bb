/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filter compiler: one BPF program for the whole tree, built with
 * libseccomp from the union of what the engines asked for. A call nobody
 * asked for is allowed by the kernel and never wakes the supervisor.
 *
 * libseccomp 2.5 cannot pass SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, so the
 * program is exported and loaded by spawn.c with the flags we need.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/seccomp_compat.h"
#include "core/view/view.h"
#include "machine.h" /* src/core/arch/<arch>/: ARCH_AUDIT_ARCH */
#include "util/cleanup.h"


static int add_rules(scmp_filter_ctx ctx, const struct facet_session *s, long nr)
{
	if (session_route(s, nr) == ROUTE_PTRACE)
		return seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), (int)nr, 0);
	int aug = view_getdents_from(s, nr);
	if (aug > 0 && !s->want[nr]) /* only the fds the view gave for such directories */
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)nr, 1, SCMP_A0_32(SCMP_CMP_GE, (uint32_t)aug));
	unsigned argi;
	uint64_t mask;
	/* An O_PATH open in a view only the kernel can make in the tracee
	 * (ADDFD cannot pass such an fd): straight down the ptrace route, a
	 * seccomp stop and an exit stop, where a notification would be
	 * deferred (defer.c: two notifications and three stops, ~250 us on
	 * this VM). openat2's flags are in memory: it stays notified. Not
	 * where an engine wants the call: one may answer it with an fd of
	 * its own (INJECT_FD), which only a notification can install. */
	if (!s->want[nr] && view_open_flags_arg(s, nr, &argi)) {
		int r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)nr, 1,
					 SCMP_CMP64(argi, SCMP_CMP_MASKED_EQ, O_PATH, 0));
		return r ? r : seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), (int)nr, 1,
						SCMP_CMP64(argi, SCMP_CMP_MASKED_EQ, O_PATH, O_PATH));
	}
	if (view_traps(s, nr) || !(s->want[nr] & FACET_EV_SYSCALL_EXIT) ||
	    !emulate_arg_condition(nr, &argi, &mask))
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)nr, 0);
	/* Emulated only when no bit of `mask` is set; else ptrace, one rule per
	 * bit, so that the rules are disjoint and their order does not matter. */
	int r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)nr, 1, SCMP_CMP64(argi, SCMP_CMP_MASKED_EQ, mask, 0));
	for (uint64_t bit = 1; r == 0 && bit && bit <= mask; bit <<= 1)
		if (mask & bit)
			r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), (int)nr, 1,
					     SCMP_CMP64(argi, SCMP_CMP_MASKED_EQ, bit, bit));
	return r;
}

/* A call no engine wants, trapped with `action` for the core's own sake
 * (keep_traced.c, watch.c); with a mask, only when one of its bits is set in
 * the first argument (clone's flags), one rule per bit. */
static int add_core_rules(scmp_filter_ctx ctx, uint32_t action, long nr, uint64_t mask)
{
	if (!mask)
		return seccomp_rule_add(ctx, action, (int)nr, 0);
	int r = 0;
	for (uint64_t bit = 1; r == 0 && bit && bit <= mask; bit <<= 1)
		if (mask & bit)
			r = seccomp_rule_add(ctx, action, (int)nr, 1, SCMP_CMP64(0, SCMP_CMP_MASKED_EQ, bit, bit));
	return r;
}

/* What libseccomp cannot say, before its program (the preamble):
 *
 * - in fast mode, the calls made from facet-loader's one system-call
 *   instruction (loader_gate: the loader's and the runtime's own calls)
 *   are allowed, and those from the runtime's forwarding instruction go to
 *   the supervisor. Every other call, the runtime's pass-through
 *   instruction's included, is the program's: the rules below decide.
 *   seccomp_data.instruction_pointer is read as two 32-bit halves; the
 *   image lies below 4 GiB.
 * - before that, the numbers libseccomp's program allows whatever the
 *   call (no engine wants them, the view does not trap them) are allowed
 *   by number alone, in a binary tree that reads nothing else. The kernel
 *   finds such numbers when it loads the filter (its action cache,
 *   seccomp_cache_prepare) and then allows them without running it; a
 *   program that reads the instruction pointer first has none, and each
 *   of the tree's native calls (close, fcntl, read...) ran it: ~22 ns
 *   each here, measured with getppid.
 * - in a view, a number libfacet does not know fails with ENOSYS, as on a
 *   kernel without the call (it could bypass the view): a few ranges of
 *   numbers, where libseccomp would need a rule for each, which made the
 *   filter's compilation take half a millisecond more at every start.
 */
#define FAST_LEN 7      /* instructions of the fast-mode part */
#define MAX_RANGES 16   /* more (a table with many holes): rules for the rest */

struct unknown_ranges {
	unsigned n;
	uint32_t lo[MAX_RANGES], hi[MAX_RANGES];
};

/* The numbers a view refuses (not known to libfacet, wanted by nobody),
 * as ranges, up to the largest number; *rest: the first one left to
 * rules. */
static void unknown_ranges(const struct facet_session *s, struct unknown_ranges *u, long *rest)
{
	u->n = 0;
	*rest = FACET_NR_MAX;
	for (long nr = 0; nr < FACET_NR_MAX; nr++) {
		uint64_t mask;
		if (s->want[nr] || view_traps(s, nr) || keep_traced_nr(nr, &mask) || watch_nr(nr, &mask) ||
		    facet_syscall_by_nr(nr))
			continue;
		if (u->n && u->hi[u->n - 1] == (uint32_t)nr - 1) {
			u->hi[u->n - 1] = (uint32_t)nr;
			continue;
		}
		if (u->n == MAX_RANGES) {
			*rest = nr;
			return;
		}
		u->lo[u->n] = u->hi[u->n] = (uint32_t)nr;
		u->n++;
	}
	/* And every number above the table's, which a later kernel may give
	 * to a call that names a file. (x32's, with bit 30, fail so too.) */
	if (u->n && u->hi[u->n - 1] == FACET_NR_MAX - 1)
		u->hi[u->n - 1] = UINT32_MAX;
	else if (u->n < MAX_RANGES) {
		u->lo[u->n] = FACET_NR_MAX;
		u->hi[u->n++] = UINT32_MAX;
	}
}

static bool unknown(const struct unknown_ranges *u, uint32_t nr)
{
	for (unsigned k = 0; k < u->n; k++)
		if (nr >= u->lo[k] && nr <= u->hi[k])
			return true;
	return false;
}

/* Whether program f allows call nr having read only its number and
 * architecture, as the kernel's seccomp_is_const_allow() decides. */
static bool const_allow(const struct sock_filter *f, size_t n, uint32_t nr)
{
	uint32_t a = 0;
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (i->k == offsetof(struct seccomp_data, arch))
				a = ARCH_AUDIT_ARCH;
			else
				return false;
			break;
		case BPF_RET | BPF_K: return i->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA: pc += i->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += a == i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += a >= i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += a > i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (a & i->k) ? i->jt : i->jf; break;
		case BPF_ALU | BPF_AND | BPF_K: a &= i->k; break;
		default: return false;
		}
	}
	return false;
}

/* The numbers allowed by number alone, as ranges lo[i]..hi[i]. */
struct allowed {
	unsigned n;
	uint32_t lo[FACET_NR_MAX / 2 + 1], hi[FACET_NR_MAX / 2 + 1];
};

static void find_allowed(const struct sock_filter *f, size_t n, const struct unknown_ranges *u, struct allowed *out)
{
	out->n = 0;
	for (uint32_t nr = 0; nr < FACET_NR_MAX; nr++) {
		if (unknown(u, nr) || !const_allow(f, n, nr))
			continue;
		if (out->n && out->hi[out->n - 1] == nr - 1)
			out->hi[out->n - 1] = nr;
		else {
			out->lo[out->n] = out->hi[out->n] = nr;
			out->n++;
		}
	}
}

/* The allowed numbers are a search over the boundaries of their n ranges:
 * 2n + 1 intervals, the odd ones allowed, each boundary a `jge` whose
 * leaves jump to one `ret ALLOW` after the tree or past it. 2n + 1
 * instructions, for a view's ~55 ranges 111 where a tree of ranges took
 * 328: the kernel compiles the filter at every start, ~2 us an
 * instruction on some VMs. Conditional jumps reach 255 instructions, so
 * more ranges than that allows take the tree of ranges (emit_range_tree). */
#define SEARCH_MAX_RANGES 127

static size_t range_tree_len(unsigned n)
{
	return n == 0 ? 0 : n == 1 ? 4 : 2 + range_tree_len(n / 2) + range_tree_len(n - n / 2);
}

static size_t tree_len(unsigned n)
{
	return n == 0 ? 0 : n <= SEARCH_MAX_RANGES ? 2 * (size_t)n + 1 : range_tree_len(n);
}

/* Boundary j (1..2n) between intervals j - 1 and j. */
static uint32_t boundary(const struct allowed *r, unsigned j)
{
	return j % 2 ? r->lo[j / 2] : r->hi[j / 2 - 1] + 1;
}

/* Intervals lo..hi (lo < hi) at out[*i]: one `jge` per boundary, the
 * smaller side first; a leaf is `allow` (odd) or the instruction after it. */
static void emit_search(const struct allowed *r, unsigned lo, unsigned hi, struct sock_filter *out, size_t *i,
			size_t allow)
{
	unsigned m = (lo + hi + 1) / 2;
	size_t at = (*i)++;
	size_t below = m - 1 > lo ? m - 1 - lo : 0; /* instructions of the smaller side */
	uint8_t jf = m - 1 > lo ? 0 : (uint8_t)(allow + !((m - 1) % 2) - at - 1);
	uint8_t jt = hi > m ? (uint8_t)below : (uint8_t)(allow + !(m % 2) - at - 1);
	out[at] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, boundary(r, m), jt, jf);
	if (m - 1 > lo)
		emit_search(r, lo, m - 1, out, i, allow);
	if (hi > m)
		emit_search(r, m, hi, out, i, allow);
}

/* A tree of ranges: an inner node is 2 instructions, a leaf 4; far
 * jumps are `ja`. */
static void emit_range_tree(const struct allowed *r, unsigned first, unsigned n, struct sock_filter *out, size_t *i,
			    size_t end)
{
	if (n == 1) {
		out[(*i)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, r->lo[first], 0, 2);
		out[(*i)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, r->hi[first], 1, 0);
		out[(*i)++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		out[*i] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(end - *i - 1));
		(*i)++;
		return;
	}
	unsigned left = n / 2;
	out[(*i)++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, r->lo[first + left], 0, 1);
	out[(*i)++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)range_tree_len(left));
	emit_range_tree(r, first, left, out, i, end);
	emit_range_tree(r, first + left, n - left, out, i, end);
}

/* Writes tree_len(r->n) instructions at out[*i]: with %A = the number, an
 * allowed one returns ALLOW, any other goes on after them. */
static void emit_tree(const struct allowed *r, struct sock_filter *out, size_t *i)
{
	if (r->n == 0)
		return; /* every number trapped (an engine wants them all) */
	if (r->n > SEARCH_MAX_RANGES) {
		emit_range_tree(r, 0, r->n, out, i, *i + range_tree_len(r->n));
		return;
	}
	size_t allow = *i + 2 * (size_t)r->n;
	emit_search(r, 0, 2 * r->n, out, i, allow);
	out[(*i)++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
}

static size_t preamble_len(bool fast, const struct unknown_ranges *u, const struct allowed *a)
{
	size_t n = (fast ? 1 + tree_len(a->n) + FAST_LEN : 0) + (u->n ? 1 + 3 * u->n : 0);
	return n ? 3 + n : 0;
}

/* Writes the preamble (preamble_len() instructions) into out; jump
 * offsets count from the next instruction, and the end is libseccomp's
 * program, which starts with its own check of the architecture. */
static void write_preamble(const struct view_state *vs, bool fast, const struct unknown_ranges *u,
			   const struct allowed *a, struct sock_filter *out)
{
	size_t len = preamble_len(fast, u, a), i = 0;
	out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH_AUDIT_ARCH, 1, 0);
	out[i] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(len - i - 1));
	i++;
	if (fast) {
		size_t ranges = i + 1 + tree_len(a->n) + FAST_LEN; /* where the unknown ranges start */
		out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		emit_tree(a, out, &i);
		uint32_t native = (uint32_t)view_native_gate_ip(vs), gate = (uint32_t)view_rt_gate_ip(vs);
		size_t at = i; /* the fast part's first instruction */
		struct sock_filter p[FAST_LEN] = {
			/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4),
			/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (uint8_t)(ranges - at - 2)),
			/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
			/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, native, 1, 0),
			/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, gate, 1, (uint8_t)(ranges - at - 5)),
			/* 5 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
			/* 6 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		};
		memcpy(out + i, p, sizeof(p));
		i += FAST_LEN;
	}
	if (!u->n)
		return;
	out[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (unsigned k = 0; k < u->n; k++) {
		out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, u->lo[k], 0, 2);
		out[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, u->hi[k], 1, 0);
		out[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	}
}

static int export_program(scmp_filter_ctx ctx, const struct view_state *vs, const struct unknown_ranges *u,
			  struct sock_fprog *out)
{
	bool fast = vs && vs->fast;
	_cleanup_close_ int fd = memfd_create("facet-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return r;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter))
		return -E2BIG;
	size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
	_cleanup_free_ struct sock_filter *prog = malloc((size_t)st.st_size);
	_cleanup_free_ struct allowed *allowed = calloc(1, sizeof(*allowed));
	if (!prog || !allowed)
		return -ENOMEM;
	if (pread(fd, prog, (size_t)st.st_size, 0) != st.st_size)
		return -EIO;
	if (fast)
		find_allowed(prog, n, u, allowed);
	size_t pre = preamble_len(fast, u, allowed);
	if (n + pre > BPF_MAXINSNS)
		return -E2BIG;
	struct sock_filter *insns = malloc((n + pre) * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns + pre, prog, (size_t)st.st_size);
	if (pre)
		write_preamble(vs, fast, u, allowed, insns);
	out->len = (unsigned short)(n + pre);
	out->filter = insns;
	return 0;
}

int filter_compile(struct facet_session *s, struct sock_fprog *out)
{
	/* Calls from another ABI (i386 int 0x80, x32) would be decoded with the
	 * wrong table and could bypass a view: refuse them with ENOSYS. */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS));
	/* The supervisor sets no_new_privs itself, before loading. */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A view traps some 150 calls: a binary tree of them, not a list,
	 * keeps the calls that run natively cheap (a read costs ~4 compares,
	 * not ~150). libseccomp older than 2.5.0 has only the list. */
	if (r == 0 && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		r = 0;
	bool watch = watch_wanted(s);
	bool view = s->vs != NULL;
	struct unknown_ranges unknown = { 0 };
	long rest = FACET_NR_MAX; /* unknown numbers from here on need rules */
	if (view)
		unknown_ranges(s, &unknown, &rest);
	for (long nr = 0; r == 0 && nr < FACET_NR_MAX; nr++) {
		uint64_t keep_mask, watch_mask;
		bool keep = keep_traced_nr(nr, &keep_mask);
		bool watched = watch && watch_nr(nr, &watch_mask);
		if (view && keep && keep_mask)
			keep_mask |= VIEW_CLONE_FLAGS; /* the cwd is shared or copied */
		if (s->want[nr] || view_traps(s, nr))
			r = add_rules(ctx, s, nr);
		else if (keep) /* the watch, if any, is served on the ptrace route too */
			r = add_core_rules(ctx, SCMP_ACT_TRACE(0), nr,
					   keep_mask ? keep_mask | (watched ? watch_mask : 0) : 0);
		else if (watched)
			r = add_core_rules(ctx, s->backend == FACET_BACKEND_NOTIFY ? SCMP_ACT_NOTIFY : SCMP_ACT_TRACE(0),
					   nr, watch_mask);
		else if (view && nr >= rest && !facet_syscall_by_nr(nr))
			/* A call libfacet does not know could bypass the view: as on
			 * a kernel without it. */
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), (int)nr, 0);
	}
	if (r == 0)
		r = export_program(ctx, s->vs, &unknown, out);
	seccomp_release(ctx);
	return r;
}

void filter_free(struct sock_fprog *prog)
{
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}
