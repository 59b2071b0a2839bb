/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * clone and clone3 as strace 6.1 prints them: clone's arguments by name,
 * those that only some flags make meaningful added at exit; clone3's
 * struct clone_args, and what the kernel wrote back into it (" => {...}").
 */
#include <stddef.h>

#include "engines/trace/decode_internal.h"
#include "engines/trace/xlat.h"

/* Kernel values (linux/sched.h). */
#define K_CLONE_PIDFD          0x00001000ULL
#define K_CLONE_SETTLS         0x00080000ULL
#define K_CLONE_PARENT_SETTID  0x00100000ULL
#define K_CLONE_CHILD_CLEARTID 0x00200000ULL
#define K_CLONE_CHILD_SETTID   0x01000000ULL
#define K_CLONE_INTO_CGROUP    0x200000000ULL

/* x86-64's argument order: flags, stack, parent_tid, child_tid, tls. */
enum { CLONE_ARG_FLAGS, CLONE_ARG_STACK, CLONE_ARG_PTID, CLONE_ARG_CTID, CLONE_ARG_TLS };

/* An int the kernel stored at addr: "[1234]" (an fd with -y), or the address. */
static void put_stored_int(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc,
			   uint64_t addr, bool fd, const struct decode_opts *o)
{
	int v;
	if (!addr || !decode_succeeded(sc) || facet_mem_read(t, addr, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		decode_put_addr(b, addr);
		return;
	}
	strbuf_putc(b, '[');
	if (fd)
		decode_put_fd(b, t, v, o);
	else
		strbuf_printf(b, "%d", v);
	strbuf_putc(b, ']');
}

/* One of the arguments strace adds after the flags, with its ", ", at exit. */
static struct decoded_arg *add_late(struct decoded_call *dc, unsigned index, const char *name)
{
	struct decoded_arg *a = decode_call_add(dc, index);
	a->sep_at_exit = true;
	strbuf_puts(&a->entry, name);
	return a;
}

static void clone_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			const struct decode_opts *o)
{
	(void)t, (void)o;
	uint64_t flags = sc->args[CLONE_ARG_FLAGS] & ~(uint64_t)XLAT_CSIGNAL;
	struct decoded_arg *a = decode_call_add(dc, CLONE_ARG_STACK);
	strbuf_puts(&a->entry, "child_stack=");
	decode_put_addr(&a->entry, sc->args[CLONE_ARG_STACK]);
	a = decode_call_add(dc, CLONE_ARG_FLAGS);
	strbuf_puts(&a->entry, "flags=");
	xlat_print_clone_flags(&a->entry, sc->args[CLONE_ARG_FLAGS]);
	if (flags & (K_CLONE_PARENT_SETTID | K_CLONE_PIDFD))
		add_late(dc, CLONE_ARG_PTID, "parent_tid=")->exit_part = true;
	if (flags & K_CLONE_SETTLS)
		decode_put_addr(&add_late(dc, CLONE_ARG_TLS, "tls=")->entry, sc->args[CLONE_ARG_TLS]);
	if (flags & (K_CLONE_CHILD_SETTID | K_CLONE_CHILD_CLEARTID))
		decode_put_addr(&add_late(dc, CLONE_ARG_CTID, "child_tidptr=")->entry, sc->args[CLONE_ARG_CTID]);
}

static void clone_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		       const struct decode_opts *o)
{
	for (unsigned i = 0; i < dc->n; i++) {
		struct decoded_arg *a = &dc->a[i];
		if (!a->exit_part)
			continue;
		strbuf_reset(&a->exit);
		bool settid = sc->args[CLONE_ARG_FLAGS] & K_CLONE_PARENT_SETTID;
		put_stored_int(&a->exit, t, sc, sc->args[CLONE_ARG_PTID], !settid, o);
	}
}

/* struct clone_args (linux/sched.h), as far as strace 6.1 knows it. */
struct k_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_MIN offsetof(struct k_clone_args, set_tid) /* up to tls */
#define SET_TID_MAX 32

static size_t clone3_fetch_size(const struct facet_syscall *sc)
{
	return sc->args[1] < sizeof(struct k_clone_args) ? (size_t)sc->args[1] : sizeof(struct k_clone_args);
}

static void put_field_addr(struct strbuf *b, const char *name, uint64_t v)
{
	strbuf_printf(b, ", %s=", name);
	decode_put_addr(b, v);
}

static void put_set_tid(struct strbuf *b, struct facet_task *t, const struct k_clone_args *ca)
{
	int tids[SET_TID_MAX];
	size_t n = (size_t)ca->set_tid_size;
	strbuf_puts(b, ", set_tid=");
	if (!ca->set_tid || !n || n > SET_TID_MAX ||
	    facet_mem_read(t, ca->set_tid, tids, n * sizeof(int)) != (ssize_t)(n * sizeof(int))) {
		decode_put_addr(b, ca->set_tid);
	} else {
		for (size_t i = 0; i < n; i++)
			strbuf_printf(b, "%s%d", i ? ", " : "[", tids[i]);
		strbuf_putc(b, ']');
	}
	strbuf_printf(b, ", set_tid_size=%llu", (unsigned long long)ca->set_tid_size);
}

/* Returns true if strace prints more of the struct at exit. */
static bool put_clone_args(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc)
{
	struct k_clone_args ca = { 0 };
	size_t size = clone3_fetch_size(sc);
	if (size < CLONE_ARGS_MIN || facet_mem_read(t, sc->args[0], &ca, size) != (ssize_t)size) {
		decode_put_addr(b, sc->args[0]);
		return false;
	}
	strbuf_puts(b, "{flags=");
	xlat_flags_dflt(b, xlat_clone3_flags, ca.flags, NULL, "CLONE_???");
	if (ca.flags & K_CLONE_PIDFD)
		put_field_addr(b, "pidfd", ca.pidfd);
	if (ca.flags & (K_CLONE_CHILD_SETTID | K_CLONE_CHILD_CLEARTID))
		put_field_addr(b, "child_tid", ca.child_tid);
	if (ca.flags & K_CLONE_PARENT_SETTID)
		put_field_addr(b, "parent_tid", ca.parent_tid);
	strbuf_puts(b, ", exit_signal=");
	if (ca.exit_signal < INT32_MAX)
		xlat_print_signal(b, (int)ca.exit_signal);
	else
		strbuf_printf(b, "%llu", (unsigned long long)ca.exit_signal);
	put_field_addr(b, "stack", ca.stack);
	strbuf_printf(b, ", stack_size=%#llx", (unsigned long long)ca.stack_size);
	if (ca.flags & K_CLONE_SETTLS)
		put_field_addr(b, "tls", ca.tls);
	if (ca.set_tid || ca.set_tid_size)
		put_set_tid(b, t, &ca);
	if (size > offsetof(struct k_clone_args, cgroup) && (ca.cgroup || (ca.flags & K_CLONE_INTO_CGROUP)))
		strbuf_printf(b, ", cgroup=%llu", (unsigned long long)ca.cgroup);
	strbuf_putc(b, '}');
	return ca.flags & (K_CLONE_PIDFD | K_CLONE_PARENT_SETTID);
}

/* clone3(args, size) */
static void clone3_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			 const struct decode_opts *o)
{
	(void)o;
	struct decoded_arg *a = decode_call_add(dc, 0);
	a->exit_part = put_clone_args(&a->entry, t, sc);
	strbuf_printf(&decode_call_add(dc, 1)->entry, "%llu", (unsigned long long)sc->args[1]);
}

/* " => {pidfd=[3], parent_tid=[1234]}": what the kernel stored. */
static void clone3_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			const struct decode_opts *o)
{
	if (dc->n < 1 || !dc->a[0].exit_part)
		return;
	struct strbuf *b = &dc->a[0].exit;
	strbuf_reset(b);
	if (!decode_succeeded(sc))
		return;
	struct k_clone_args ca = { 0 };
	size_t size = clone3_fetch_size(sc);
	if (facet_mem_read(t, sc->args[0], &ca, size) != (ssize_t)size) {
		strbuf_puts(b, " => ");
		decode_put_addr(b, sc->args[0]);
		return;
	}
	const char *sep = " => {";
	if (ca.flags & K_CLONE_PIDFD) {
		strbuf_printf(b, "%spidfd=", sep);
		put_stored_int(b, t, sc, ca.pidfd, true, o);
		sep = ", ";
	}
	if (ca.flags & K_CLONE_PARENT_SETTID) {
		strbuf_printf(b, "%sparent_tid=", sep);
		put_stored_int(b, t, sc, ca.parent_tid, false, o);
	}
	strbuf_putc(b, '}');
}

const struct call_format decode_process_formats[] = {
	{ "clone", clone_entry, clone_exit },
	{ "clone3", clone3_entry, clone3_exit },
	{ NULL, NULL, NULL },
};
