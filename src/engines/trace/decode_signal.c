/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Signals as strace 6.1 prints them: signal sets ("[INT TERM]", "~[]"),
 * the calls that take them (rt_sigprocmask, rt_sigaction, rt_sigpending,
 * rt_sigsuspend), rt_sigreturn's mask read from the signal frame, and
 * siginfo, of a signal-delivery line or of rt_(tg)sigqueueinfo.
 */
#include <stddef.h>
#include <stdio.h>
#include <ucontext.h>
#include <unistd.h>

#include "engines/trace/decode_internal.h"
#include "engines/trace/xlat.h"

/* The kernel's sigset_t on x86-64: 64 signals. */
#define SIGSET_BYTES 8

void decode_put_sigmask(struct strbuf *b, const void *mask, unsigned bytes)
{
	uint32_t words[SIGSET_BYTES / 4] = { 0 };
	if (bytes > SIGSET_BYTES)
		bytes = SIGSET_BYTES;
	memcpy(words, mask, bytes);
	unsigned nwords = (bytes + 3) / 4;

	/* strace lists the signals not in the set when 2/3 or more are. */
	unsigned set = 0;
	for (unsigned w = 0; w < nwords; w++)
		set += (unsigned)__builtin_popcount(words[w]);
	if (set >= nwords * 32 * 2 / 3) {
		strbuf_putc(b, '~');
		for (unsigned w = 0; w < nwords; w++)
			words[w] = ~words[w];
	}
	char sep = '[';
	for (unsigned bit = 0; bit < nwords * 32; bit++) {
		if (!(words[bit / 32] & (1u << (bit % 32))))
			continue;
		strbuf_putc(b, sep);
		sep = ' ';
		const char *name = xlat_signal_name((int)bit + 1);
		if (name)
			strbuf_puts(b, name + 3); /* without "SIG" */
		else
			strbuf_printf(b, "%u", bit + 1);
	}
	if (sep == '[')
		strbuf_putc(b, '[');
	strbuf_putc(b, ']');
}

void decode_put_sigset(struct strbuf *b, struct facet_task *t, uint64_t addr, uint64_t len,
		       uint64_t min_len)
{
	unsigned char mask[SIGSET_BYTES];
	if (!addr || len < min_len || len > SIGSET_BYTES ||
	    facet_mem_read(t, addr, mask, (size_t)len) != (ssize_t)len) {
		decode_put_addr(b, addr);
		return;
	}
	decode_put_sigmask(b, mask, (unsigned)len);
}

/* A signal set the call fills in: shown if it succeeded, else its address. */
static void put_sigset_out(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc,
			   uint64_t addr, uint64_t len, uint64_t min_len)
{
	if (decode_succeeded(sc))
		decode_put_sigset(b, t, addr, len, min_len);
	else
		decode_put_addr(b, addr);
}

static struct decoded_arg *add_text(struct decoded_call *dc, unsigned index)
{
	return decode_call_add(dc, index);
}

/* rt_sigprocmask(how, set, oldset, sigsetsize) */
static void sigprocmask_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			      const struct decode_opts *o)
{
	(void)o;
	struct decoded_arg *a = add_text(dc, 0);
	xlat_value(&a->entry, xlat_sigprocmask_cmds, (uint32_t)sc->args[0], "%#llx /* SIG_??? */");
	a = add_text(dc, 1);
	decode_put_sigset(&a->entry, t, sc->args[1], sc->args[3], SIGSET_BYTES);
	add_text(dc, 2)->exit_part = true;
	a = add_text(dc, 3);
	strbuf_printf(&a->entry, "%llu", (unsigned long long)sc->args[3]);
}

static void sigprocmask_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			     const struct decode_opts *o)
{
	(void)o;
	if (dc->n < 3)
		return;
	strbuf_reset(&dc->a[2].exit);
	put_sigset_out(&dc->a[2].exit, t, sc, sc->args[2], sc->args[3], SIGSET_BYTES);
}

/* struct sigaction as the kernel has it on x86-64. */
struct k_sigaction {
	uint64_t handler, flags, restorer;
	unsigned char mask[SIGSET_BYTES];
};
#define SA_RESTORER_FLAG 0x04000000

static void put_sigaction(struct strbuf *b, struct facet_task *t, uint64_t addr)
{
	struct k_sigaction sa;
	if (!addr || facet_mem_read(t, addr, &sa, sizeof(sa)) != (ssize_t)sizeof(sa)) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_puts(b, "{sa_handler=");
	const char *h = xlat_lookup(xlat_sa_handlers, sa.handler);
	if (h)
		strbuf_puts(b, h);
	else
		decode_put_addr(b, sa.handler);
	strbuf_puts(b, ", sa_mask=");
	decode_put_sigmask(b, sa.mask, SIGSET_BYTES);
	strbuf_puts(b, ", sa_flags=");
	xlat_flags_dflt(b, xlat_sigact_flags, sa.flags, NULL, "SA_???");
	if (sa.flags & SA_RESTORER_FLAG) {
		strbuf_puts(b, ", sa_restorer=");
		decode_put_addr(b, sa.restorer);
	}
	strbuf_putc(b, '}');
}

/* rt_sigaction(signum, act, oldact, sigsetsize) */
static void sigaction_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			    const struct decode_opts *o)
{
	(void)o;
	struct decoded_arg *a = add_text(dc, 0);
	xlat_print_signal(&a->entry, (int)sc->args[0]);
	put_sigaction(&add_text(dc, 1)->entry, t, sc->args[1]);
	add_text(dc, 2)->exit_part = true;
	a = add_text(dc, 3);
	strbuf_printf(&a->entry, "%llu", (unsigned long long)sc->args[3]);
}

static void sigaction_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			   const struct decode_opts *o)
{
	(void)o;
	if (dc->n < 3)
		return;
	struct strbuf *b = &dc->a[2].exit;
	strbuf_reset(b);
	if (decode_succeeded(sc))
		put_sigaction(b, t, sc->args[2]);
	else
		decode_put_addr(b, sc->args[2]);
}

/* rt_sigpending(set, sigsetsize): any size up to 8 bytes. */
static void sigpending_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			     const struct decode_opts *o)
{
	(void)t, (void)o;
	add_text(dc, 0)->exit_part = true;
	strbuf_printf(&add_text(dc, 1)->entry, "%llu", (unsigned long long)sc->args[1]);
}

static void sigpending_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			    const struct decode_opts *o)
{
	(void)o;
	if (dc->n < 1)
		return;
	strbuf_reset(&dc->a[0].exit);
	put_sigset_out(&dc->a[0].exit, t, sc, sc->args[0], sc->args[1], 1);
}

/* rt_sigsuspend(set, sigsetsize) */
static void sigsuspend_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			     const struct decode_opts *o)
{
	(void)o;
	decode_put_sigset(&add_text(dc, 0)->entry, t, sc->args[0], sc->args[1], SIGSET_BYTES);
	strbuf_printf(&add_text(dc, 1)->entry, "%llu", (unsigned long long)sc->args[1]);
}

/*
 * rt_sigreturn(): strace shows the mask the call restores, from the signal
 * frame. At the call's entry the handler has returned into the restorer,
 * so the stack pointer is just past the frame's return address; the
 * ucontext follows it, and its uc_sigmask is 296 bytes in on x86-64 (after
 * uc_flags, uc_link, uc_stack and the 256-byte sigcontext).
 */
#if defined(__x86_64__)
#define SIGFRAME_MASK_OFFSET 296
_Static_assert(offsetof(ucontext_t, uc_sigmask) == SIGFRAME_MASK_OFFSET,
	       "the ucontext the kernel builds on x86-64");
#endif

static void sigreturn_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			    const struct decode_opts *o)
{
	(void)sc, (void)o;
#ifdef SIGFRAME_MASK_OFFSET
	uint64_t sp;
	if (!t || facet_task_stack_pointer(t, &sp) < 0)
		return; /* strace too prints "rt_sigreturn()" then */
	struct decoded_arg *a = add_text(dc, 0);
	strbuf_puts(&a->entry, "{mask=");
	decode_put_sigset(&a->entry, t, sp + SIGFRAME_MASK_OFFSET, SIGSET_BYTES, SIGSET_BYTES);
	strbuf_putc(&a->entry, '}');
#else
	(void)dc, (void)t;
#endif
}

/* rt_sigqueueinfo(tgid, sig, info), rt_tgsigqueueinfo(tgid, tid, sig, info):
 * the arguments by kind, the last one the siginfo the caller built. */
static void put_siginfo_at(struct strbuf *b, struct facet_task *t, uint64_t addr, const struct decode_opts *o)
{
	siginfo_t si;
	if (!addr || facet_mem_read(t, addr, &si, sizeof(si)) != (ssize_t)sizeof(si))
		decode_put_addr(b, addr);
	else
		decode_siginfo(b, t, &si, o);
}

static void sigqueueinfo_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			       const struct decode_opts *o)
{
	unsigned last = sc->info->nargs - 1;
	for (unsigned i = 0; i < last; i++)
		decode_call_add_generic(dc, t, sc, i, o);
	put_siginfo_at(&add_text(dc, last)->entry, t, sc->args[last], o);
}

const struct call_format decode_signal_formats[] = {
	{ "rt_sigprocmask", sigprocmask_entry, sigprocmask_exit },
	{ "rt_sigaction", sigaction_entry, sigaction_exit },
	{ "rt_sigpending", sigpending_entry, sigpending_exit },
	{ "rt_sigsuspend", sigsuspend_entry, NULL },
	{ "rt_sigreturn", sigreturn_entry, NULL },
	{ "rt_sigqueueinfo", sigqueueinfo_entry, NULL },
	{ "rt_tgsigqueueinfo", sigqueueinfo_entry, NULL },
	{ NULL, NULL, NULL },
};

/* ---------------------------------------------------------------------- */
/* siginfo                                                                 */

/* A clock_t in ticks, followed by the seconds it means in a comment. */
static void put_clock_t(struct strbuf *b, uint64_t ticks)
{
	static long hz;
	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	strbuf_printf(b, "%llu", (unsigned long long)ticks);
	if (hz <= 0 || !ticks)
		return;
	int width = 0;
	for (long x = hz; x >= 10 && width < 9; x /= 10)
		width++;
	char frac[32];
	snprintf(frac, sizeof(frac), "%.*f", width, (double)(ticks % (uint64_t)hz) / (double)hz);
	/* frac is "0.xx": strace writes the whole seconds before its point. */
	strbuf_printf(b, " /* %llu%s s */", (unsigned long long)(ticks / (uint64_t)hz), frac + 1);
}

static void put_source(struct strbuf *b, const siginfo_t *si)
{
	strbuf_printf(b, ", si_pid=%d, si_uid=", (int)si->si_pid);
	if (si->si_uid == (uid_t)-1)
		strbuf_puts(b, "-1");
	else
		strbuf_printf(b, "%u", (unsigned)si->si_uid);
}

static void put_value(struct strbuf *b, const siginfo_t *si)
{
	strbuf_printf(b, ", si_int=%d, si_ptr=", si->si_int);
	decode_put_addr(b, (uint64_t)(uintptr_t)si->si_ptr);
}

static void put_code(struct strbuf *b, const siginfo_t *si)
{
	static const struct { int sig; const struct xlat *codes; } by_signal[] = {
		{ SIGTRAP, xlat_sigtrap_codes }, { SIGCHLD, xlat_sigchld_codes },
		{ SIGIO, xlat_sigpoll_codes }, { SIGILL, xlat_sigill_codes },
		{ SIGFPE, xlat_sigfpe_codes }, { SIGSEGV, xlat_sigsegv_codes },
		{ SIGBUS, xlat_sigbus_codes }, { SIGSYS, xlat_sigsys_codes },
	};
	const char *name = xlat_lookup(xlat_si_codes, (uint64_t)(int64_t)si->si_code);
	for (size_t i = 0; !name && i < sizeof(by_signal) / sizeof(by_signal[0]); i++)
		if (by_signal[i].sig == si->si_signo)
			name = xlat_lookup(by_signal[i].codes, (uint64_t)(int64_t)si->si_code);
	if (name)
		strbuf_puts(b, name);
	else
		strbuf_printf(b, "%#x", (unsigned)si->si_code);
}

static void put_addr_field(struct strbuf *b, const char *field, const void *p)
{
	strbuf_printf(b, ", %s=", field);
	decode_put_addr(b, (uint64_t)(uintptr_t)p);
}

/* What a signal sent by a process (si_code <= 0) carries. */
static void put_user_info(struct strbuf *b, struct facet_task *t, const siginfo_t *si,
			  const struct decode_opts *o)
{
	switch (si->si_code) {
	case SI_USER:
	case SI_TKILL:
		put_source(b, si);
		break;
	case SI_TIMER:
		strbuf_printf(b, ", si_timerid=%#x, si_overrun=%d", (unsigned)si->si_timerid, si->si_overrun);
		put_value(b, si);
		break;
	case SI_SIGIO:
		strbuf_printf(b, ", si_band=%ld, si_fd=", (long)si->si_band);
		decode_put_fd(b, t, si->si_fd, o);
		break;
	default:
		put_source(b, si);
		if (si->si_ptr)
			put_value(b, si);
		break;
	}
}

/* What a signal the kernel sent carries, by signal. */
static void put_kernel_info(struct strbuf *b, struct facet_task *t, const siginfo_t *si,
			    const struct decode_opts *o)
{
	switch (si->si_signo) {
	case SIGCHLD:
		put_source(b, si);
		strbuf_puts(b, ", si_status=");
		if (si->si_code == CLD_EXITED)
			strbuf_printf(b, "%d", si->si_status);
		else
			xlat_print_signal(b, si->si_status);
		strbuf_puts(b, ", si_utime=");
		put_clock_t(b, (uint64_t)si->si_utime);
		strbuf_puts(b, ", si_stime=");
		put_clock_t(b, (uint64_t)si->si_stime);
		break;
	case SIGILL: case SIGFPE: case SIGTRAP:
		put_addr_field(b, "si_addr", si->si_addr);
		break;
	case SIGBUS:
		put_addr_field(b, "si_addr", si->si_addr);
		if (si->si_code == BUS_MCEERR_AR || si->si_code == BUS_MCEERR_AO)
			strbuf_printf(b, ", si_addr_lsb=%#x", (unsigned)si->si_addr_lsb);
		break;
	case SIGSEGV:
		put_addr_field(b, "si_addr", si->si_addr);
		if (si->si_code == SEGV_BNDERR) {
			put_addr_field(b, "si_lower", si->si_lower);
			put_addr_field(b, "si_upper", si->si_upper);
		} else if (si->si_code == SEGV_PKUERR) {
			strbuf_printf(b, ", si_pkey=%u", (unsigned)si->si_pkey);
		}
		break;
	case SIGIO:
		if (si->si_code >= POLL_IN && si->si_code <= POLL_HUP) {
			strbuf_printf(b, ", si_band=%ld, si_fd=", (long)si->si_band);
			decode_put_fd(b, t, si->si_fd, o);
		}
		break;
	case SIGSYS: {
		put_addr_field(b, "si_call_addr", si->si_call_addr);
		const struct facet_syscall_info *info =
			si->si_arch == 0xc000003eu ? facet_syscall_by_nr(si->si_syscall) : NULL;
		if (info)
			strbuf_printf(b, ", si_syscall=__NR_%s", info->name);
		else
			strbuf_printf(b, ", si_syscall=%u", (unsigned)si->si_syscall);
		strbuf_puts(b, ", si_arch=");
		xlat_value(b, xlat_audit_arch, si->si_arch, "%#llx /* AUDIT_ARCH_??? */");
		break;
	}
	default:
		if (si->si_pid || si->si_uid)
			put_source(b, si);
		if (si->si_ptr)
			put_value(b, si);
		break;
	}
}

void decode_siginfo(struct strbuf *b, struct facet_task *t, const siginfo_t *si, const struct decode_opts *o)
{
	strbuf_putc(b, '{');
	if (si->si_signo) {
		strbuf_puts(b, "si_signo=");
		xlat_print_signal(b, si->si_signo);
		strbuf_puts(b, ", si_code=");
		put_code(b, si);
		if (si->si_code != 32767) { /* SI_NOINFO */
			if (si->si_errno) {
				const char *e = decode_errno_name(si->si_errno);
				if (e)
					strbuf_printf(b, ", si_errno=%s", e);
				else
					strbuf_printf(b, ", si_errno=%d", si->si_errno);
			}
			if (si->si_code <= 0)
				put_user_info(b, t, si, o);
			else
				put_kernel_info(b, t, si, o);
		}
	}
	strbuf_putc(b, '}');
}
