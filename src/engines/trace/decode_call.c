/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A call's arguments as strace prints them, and the two parts of its line.
 *
 * Most calls are a list of arguments decoded by their kinds in the table:
 * strace prints, at entry, the arguments up to the first one the call
 * fills in, each followed by ", ", and at exit the rest ("read(3, " then
 * "\"...\", 832) = 832"). The calls whose strace decoder does something
 * else (clone's named arguments, rt_sigprocmask's signal sets) have a
 * format of their own in decode_signal.c and decode_process.c.
 */
#include "engines/trace/decode_internal.h"

static const struct call_format *format_of(const struct facet_syscall *sc)
{
	static const struct call_format *const lists[] = {
		decode_signal_formats, decode_process_formats,
	};
	if (!sc->info)
		return NULL;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (const struct call_format *f = lists[l]; f->name; f++)
			if (strcmp(f->name, sc->info->name) == 0)
				return f;
	return NULL;
}

struct decoded_arg *decode_call_add(struct decoded_call *dc, unsigned index)
{
	if (dc->n >= FACET_MAX_ARGS)
		return NULL;
	struct decoded_arg *a = &dc->a[dc->n++];
	strbuf_reset(&a->entry);
	strbuf_reset(&a->exit);
	a->index = index;
	a->exit_part = false;
	a->sep_at_exit = false;
	return a;
}

void decode_call_add_generic(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
			     unsigned i, const struct decode_opts *o)
{
	if (sc->info && !decode_arg_shown(sc, i))
		return;
	struct decoded_arg *a = decode_call_add(dc, i);
	if (!a)
		return;
	if (sc->info && decode_arg_is_output(sc, i))
		a->exit_part = true;
	else
		decode_arg(&a->entry, t, sc, i, o);
}

void decode_call_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		       const struct decode_opts *o)
{
	dc->n = 0;
	const struct call_format *f = format_of(sc);
	if (f) {
		f->entry(dc, t, sc, o);
		return;
	}
	unsigned n = sc->info ? sc->info->nargs : FACET_MAX_ARGS;
	for (unsigned i = 0; i < n && i < FACET_MAX_ARGS; i++)
		decode_call_add_generic(dc, t, sc, i, o);
}

void decode_call_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		      const struct decode_opts *o)
{
	const struct call_format *f = format_of(sc);
	if (f) {
		if (f->exit)
			f->exit(dc, t, sc, o);
		return;
	}
	for (unsigned i = 0; i < dc->n; i++) {
		struct decoded_arg *a = &dc->a[i];
		if (a->exit_part) {
			strbuf_reset(&a->exit);
			decode_arg(&a->exit, t, sc, a->index, o);
		}
	}
}

static void add(struct strbuf *b, const struct strbuf *part)
{
	if (b && part->len)
		strbuf_add(b, part->s, part->len);
}

/* One walk over the arguments: what strace writes at entry goes to head,
 * the rest to tail (either may be NULL). The entry part ends at the first
 * argument with an exit part: after its entry text, or before its ", " if
 * strace writes that at exit too. */
static void compose(const struct decoded_call *dc, struct strbuf *head, struct strbuf *tail)
{
	struct strbuf *to = head;
	for (unsigned i = 0; i < dc->n; i++) {
		const struct decoded_arg *a = &dc->a[i];
		if (i > 0) {
			if (a->sep_at_exit)
				to = tail;
			if (to)
				strbuf_puts(to, ", ");
		}
		add(to, &a->entry);
		if (a->exit_part) {
			to = tail;
			add(to, &a->exit);
		}
	}
}

void decode_call_head(const struct decoded_call *dc, struct strbuf *b)
{
	compose(dc, b, NULL);
}

void decode_call_tail(const struct decoded_call *dc, struct strbuf *b)
{
	compose(dc, NULL, b);
}

bool decode_call_has_exit_part(const struct decoded_call *dc)
{
	for (unsigned i = 0; i < dc->n; i++)
		if (dc->a[i].exit_part || dc->a[i].sep_at_exit)
			return true;
	return false;
}

void decode_call_arg_text(const struct decoded_call *dc, unsigned i, struct strbuf *b)
{
	if (i >= dc->n)
		return;
	add(b, &dc->a[i].entry);
	add(b, &dc->a[i].exit);
}

void decode_call_free(struct decoded_call *dc)
{
	for (unsigned i = 0; i < FACET_MAX_ARGS; i++) {
		strbuf_free(&dc->a[i].entry);
		strbuf_free(&dc->a[i].exit);
	}
	dc->n = 0;
}
