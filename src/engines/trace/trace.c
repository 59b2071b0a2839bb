/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The trace engine. Input arguments are decoded at entry, because the
 * memory they point to may be gone by the exit (execve replaces it); the
 * line is completed and written at the exit, so lines of concurrent tasks
 * never interleave.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "engines/trace/decode.h"
#include "engines/trace/trace.h"
#include "util/strbuf.h"

struct trace {
	struct trace_options o;
	struct trace_summary *summary;
	struct strbuf line;
	double realtime_offset; /* CLOCK_REALTIME - CLOCK_MONOTONIC, for JSON */
};

/* Per task: the arguments decoded at entry, waiting for the exit. */
struct trace_task {
	struct strbuf args[FACET_MAX_ARGS];
};

static struct trace_task *task_state(struct facet_engine *e, struct facet_task *t)
{
	struct trace_task *tt = facet_task_slot(t, e);
	if (!tt) {
		tt = calloc(1, sizeof(*tt));
		if (!tt)
			abort();
		facet_task_set_slot(t, e, tt);
	}
	return tt;
}

static void free_task_state(struct facet_engine *e, void *slot)
{
	struct trace_task *tt = slot;
	for (unsigned i = 0; i < FACET_MAX_ARGS; i++)
		strbuf_free(&tt->args[i]);
	free(tt);
}

static unsigned nargs(const struct facet_syscall *sc)
{
	return sc->info ? sc->info->nargs : FACET_MAX_ARGS;
}

static void decode_args(struct trace_task *tt, struct facet_task *t, const struct facet_syscall *sc, bool at_exit)
{
	for (unsigned i = 0; i < nargs(sc); i++) {
		bool output = sc->info && decode_arg_is_output(sc, i);
		if (output != at_exit)
			continue;
		strbuf_reset(&tt->args[i]);
		if (!sc->info)
			strbuf_printf(&tt->args[i], "%#llx", (unsigned long long)sc->args[i]);
		else if (decode_arg_shown(sc, i))
			decode_arg(&tt->args[i], t, sc, i);
	}
}

static void put_name(struct strbuf *b, const struct facet_syscall *sc)
{
	if (sc->info)
		strbuf_puts(b, sc->info->name);
	else
		strbuf_printf(b, "syscall_%#lx", (unsigned long)sc->nr);
}

static void write_text(struct trace *tr, struct facet_task *t, const struct facet_syscall *sc,
		       struct trace_task *tt)
{
	struct strbuf *b = &tr->line;
	strbuf_reset(b);
	strbuf_printf(b, "%d ", facet_task_tid(t));
	put_name(b, sc);
	strbuf_putc(b, '(');
	bool first = true;
	for (unsigned i = 0; i < nargs(sc); i++) {
		if (sc->info && !decode_arg_shown(sc, i))
			continue;
		if (!first)
			strbuf_puts(b, ", ");
		first = false;
		strbuf_add(b, tt->args[i].s ? tt->args[i].s : "", tt->args[i].len);
	}
	strbuf_putc(b, ')');
	decode_retval(b, sc);
	strbuf_putc(b, '\n');
	fwrite(b->s, 1, b->len, tr->o.out);
}

static double seconds(const struct timespec *ts, double offset)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9 + offset;
}

static void write_json(struct trace *tr, struct facet_task *t, const struct facet_syscall *sc,
		       struct trace_task *tt)
{
	struct strbuf *b = &tr->line;
	strbuf_reset(b);
	strbuf_printf(b, "{\"pid\":%d,\"tid\":%d,\"syscall\":\"", facet_task_pid(t), facet_task_tid(t));
	struct strbuf name = STRBUF_INIT;
	put_name(&name, sc);
	strbuf_json_escape(b, name.s, name.len);
	strbuf_free(&name);
	strbuf_puts(b, "\",\"args\":[");
	bool first = true;
	for (unsigned i = 0; i < nargs(sc); i++) {
		if (sc->info && !decode_arg_shown(sc, i))
			continue;
		strbuf_puts(b, first ? "\"" : ",\"");
		first = false;
		strbuf_json_escape(b, tt->args[i].s ? tt->args[i].s : "", tt->args[i].len);
		strbuf_putc(b, '"');
	}
	strbuf_puts(b, "],");
	bool failed = sc->exited && sc->retval < 0 && sc->retval >= -4095;
	const char *err = failed ? decode_errno_name((int)-sc->retval) : NULL;
	if (!sc->exited)
		strbuf_puts(b, "\"retval\":null,\"errno\":null");
	else if (failed)
		strbuf_printf(b, "\"retval\":-1,\"errno\":\"%s\"", err ? err : "?");
	else
		strbuf_printf(b, "\"retval\":%lld,\"errno\":null", (long long)sc->retval);
	strbuf_printf(b, ",\"start\":%.6f", seconds(&sc->entry_time, tr->realtime_offset));
	if (sc->exited)
		strbuf_printf(b, ",\"end\":%.6f", seconds(&sc->exit_time, tr->realtime_offset));
	else
		strbuf_puts(b, ",\"end\":null"); /* the call never returned */
	strbuf_puts(b, "}\n");
	fwrite(b->s, 1, b->len, tr->o.out);
}

/* exit, exit_group (and rt_sigreturn, which returns elsewhere): written
 * at entry with " = ?", as strace does; their exit, if any, is not shown. */
static bool never_returns(const struct facet_syscall *sc)
{
	return sc->info && sc->info->ret == FACET_RET_NONE;
}

static void write_call(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct trace *tr = facet_engine_priv(e);
	if (tr->o.summary) {
		trace_summary_add(tr->summary, sc);
		return;
	}
	struct trace_task *tt = task_state(e, t);
	if (sc->exited)
		decode_args(tt, t, sc, true);
	if (tr->o.json)
		write_json(tr, t, sc, tt);
	else
		write_text(tr, t, sc, tt);
}

static void on_exit_of_call(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	if (!never_returns(sc))
		write_call(e, t, sc);
}

static void on_entry(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct trace *tr = facet_engine_priv(e);
	if (!tr->o.summary)
		decode_args(task_state(e, t), t, sc, false);
	if (never_returns(sc))
		write_call(e, t, sc);
}

static void on_task_exit(struct facet_engine *e, struct facet_task *t, int status)
{
	struct trace *tr = facet_engine_priv(e);
	if (tr->o.summary || tr->o.json)
		return;
	if (WIFEXITED(status))
		fprintf(tr->o.out, "%d +++ exited with %d +++\n", facet_task_tid(t), WEXITSTATUS(status));
	else if (WIFSIGNALED(status)) {
		const char *name = decode_signal_name(WTERMSIG(status));
		fprintf(tr->o.out, "%d +++ killed by %s%s +++\n", facet_task_tid(t),
			name ? name : "signal", WCOREDUMP(status) ? " (core dumped)" : "");
	}
}

static int on_signal(struct facet_engine *e, struct facet_task *t, int sig)
{
	struct trace *tr = facet_engine_priv(e);
	if (!tr->o.summary && !tr->o.json) {
		const char *name = decode_signal_name(sig);
		if (name)
			fprintf(tr->o.out, "%d --- %s ---\n", facet_task_tid(t), name);
		else
			fprintf(tr->o.out, "%d --- signal %d ---\n", facet_task_tid(t), sig);
	}
	return sig;
}

static void on_finish(struct facet_engine *e, struct facet_session *s)
{
	struct trace *tr = facet_engine_priv(e);
	if (tr->o.summary)
		trace_summary_print(tr->summary, tr->o.out);
	fflush(tr->o.out);
}

static void on_release(struct facet_engine *e)
{
	struct trace *tr = facet_engine_priv(e);
	trace_summary_free(tr->summary);
	strbuf_free(&tr->line);
	free(tr);
}

static const struct facet_engine_ops trace_ops = {
	.release = on_release,
	.name = "trace",
	.syscall_entry = on_entry,
	.syscall_exit = on_exit_of_call,
	.signal = on_signal,
	.exit = on_task_exit,
	.finish = on_finish,
	.free_task_slot = free_task_state,
};

struct facet_engine *trace_engine_new(const struct trace_options *opts)
{
	struct trace *tr = calloc(1, sizeof(*tr));
	if (!tr)
		return NULL;
	tr->o = *opts;
	if (opts->summary && !(tr->summary = trace_summary_new())) {
		free(tr);
		return NULL;
	}
	struct timespec rt, mono;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	tr->realtime_offset = seconds(&rt, 0) - seconds(&mono, 0);
	struct facet_engine *e = facet_engine_new(&trace_ops, tr);
	if (!e) {
		trace_summary_free(tr->summary);
		free(tr);
		return NULL;
	}
	for (long nr = 0; nr < TRACE_NR_MAX; nr++)
		if (opts->set.nr[nr])
			facet_engine_want_syscall(e, nr, FACET_EV_SYSCALL_ENTRY | FACET_EV_SYSCALL_EXIT);
	facet_engine_want_events(e, FACET_EV_EXIT | FACET_EV_SIGNAL);
	return e;
}

int trace_set_parse(struct trace_set *set, const char *spec, const char **bad, size_t *badlen)
{
	bool negate = false;
	memset(set, 0, sizeof(*set));
	if (*spec == '!') {
		negate = true;
		spec++;
	}
	for (const char *p = spec; ; ) {
		size_t n = strcspn(p, ",");
		char word[64];
		if (n == 0 || n >= sizeof(word))
			goto invalid;
		memcpy(word, p, n);
		word[n] = '\0';
		size_t cur = 0;
		const struct facet_syscall_info *info;
		unsigned cls = facet_syscall_class_by_name(word);
		if (strcmp(word, "all") == 0) {
			while ((info = facet_syscall_next(&cur)))
				set->nr[info->nr] = true;
		} else if (strcmp(word, "none") == 0) {
		} else if (cls) {
			while ((info = facet_syscall_next(&cur)))
				if (info->classes & cls)
					set->nr[info->nr] = true;
		} else if ((info = facet_syscall_by_name(word)) && info->nr < TRACE_NR_MAX) {
			set->nr[info->nr] = true;
		} else {
			goto invalid;
		}
		if (!p[n])
			break;
		p += n + 1;
		continue;
invalid:
		*bad = p;
		*badlen = n;
		return -EINVAL;
	}
	if (negate) {
		size_t cur = 0;
		const struct facet_syscall_info *info;
		while ((info = facet_syscall_next(&cur)))
			set->nr[info->nr] = !set->nr[info->nr];
	}
	return 0;
}
