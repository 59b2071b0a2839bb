/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The trace engine. Input arguments are decoded at entry, because the
 * memory they point to may be gone by the exit (execve replaces it).
 *
 * Text lines are written as strace -f writes them to one file: the part
 * known at entry when the call starts, the rest when it returns. If
 * another task writes in between, the first line is ended with
 * " <unfinished ...>" and the call completed on a line of its own,
 * "PID <... NAME resumed>REST". JSON objects and the -c table are written
 * at exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "engines/trace/decode.h"
#include "engines/trace/trace.h"
#include "util/strbuf.h"

/* strace aligns results at this column ("= 0" after padding). */
#define RESULT_COLUMN 40

struct trace {
	struct trace_options o;
	struct trace_summary *summary;
	struct strbuf line;
	double realtime_offset; /* CLOCK_REALTIME - CLOCK_MONOTONIC, for JSON */
	struct facet_task *open; /* the task whose line the output ends in, unfinished */
	size_t col;             /* that line's length so far */
};

/* Per task: its call, decoded at entry, waiting for the exit. */
struct trace_task {
	struct decoded_call dc;
	bool entered;           /* the entry part of its line was written */
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
	decode_call_free(&tt->dc);
	free(tt);
}

static void put_name(struct strbuf *b, const struct facet_syscall *sc)
{
	if (sc->info)
		strbuf_puts(b, sc->info->name);
	else
		strbuf_printf(b, "syscall_%#lx", (unsigned long)sc->nr);
}

/* Ends the line another task left open (strace's printleader does). */
static void end_open_line(struct trace *tr, const char *how)
{
	if (!tr->open)
		return;
	fputs(how, tr->o.out);
	fputc('\n', tr->o.out);
	tr->open = NULL;
	tr->col = 0;
}

/* -t, -tt, -ttt: the time the line is started. */
static void put_time(struct trace *tr, struct strbuf *b)
{
	struct timespec ts;
	char hms[16];
	struct tm tm;

	if (!tr->o.timestamps)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (tr->o.timestamps >= 3) {
		strbuf_printf(b, "%lld.%06ld ", (long long)ts.tv_sec, ts.tv_nsec / 1000);
		return;
	}
	if (!localtime_r(&ts.tv_sec, &tm) || !strftime(hms, sizeof(hms), "%T", &tm))
		snprintf(hms, sizeof(hms), "%lld", (long long)ts.tv_sec);
	if (tr->o.timestamps == 2)
		strbuf_printf(b, "%s.%06ld ", hms, ts.tv_nsec / 1000);
	else
		strbuf_printf(b, "%s ", hms);
}

/* Starts a line in b: the tid (strace -f -o pads it to 5 columns) and the time. */
static void leader(struct trace *tr, struct strbuf *b, struct facet_task *t)
{
	end_open_line(tr, " <unfinished ...>");
	strbuf_reset(b);
	strbuf_printf(b, "%-5d ", facet_task_tid(t));
	put_time(tr, b);
}

static void write_line(struct trace *tr, const struct strbuf *b)
{
	fwrite(b->s, 1, b->len, tr->o.out);
}

/* The entry part: "PID name(args known at entry". */
static void start_call(struct trace *tr, struct facet_task *t, const struct facet_syscall *sc,
		       struct trace_task *tt)
{
	struct strbuf *b = &tr->line;
	leader(tr, b, t);
	put_name(b, sc);
	strbuf_putc(b, '(');
	decode_call_head(&tt->dc, b);
}

/* The rest of the line, from where the entry part ended: the arguments
 * known at exit, ")", the result at column 40, -T's duration. */
static void finish_call(struct trace *tr, struct facet_task *t, const struct facet_syscall *sc,
			struct trace_task *tt, size_t col)
{
	struct strbuf *b = &tr->line;
	if (!sc->exited) {
		if (decode_call_has_exit_part(&tt->dc))
			strbuf_puts(b, " <unfinished ...>");
	} else {
		decode_call_tail(&tt->dc, b);
	}
	strbuf_puts(b, ") ");
	while (col + b->len < RESULT_COLUMN)
		strbuf_putc(b, ' ');
	decode_retval(b, t, sc, &tr->o.decode);
	if (tr->o.durations && sc->exited && !(sc->info && sc->info->ret == FACET_RET_NONE)) {
		struct timespec d = { sc->exit_time.tv_sec - sc->entry_time.tv_sec,
				      sc->exit_time.tv_nsec - sc->entry_time.tv_nsec };
		if (d.tv_nsec < 0) {
			d.tv_sec--;
			d.tv_nsec += 1000000000L;
		}
		strbuf_printf(b, " <%lld.%06ld>", (long long)d.tv_sec, d.tv_nsec / 1000);
	}
	strbuf_putc(b, '\n');
	write_line(tr, b);
	tr->open = NULL;
	tr->col = 0;
}

static void write_text_entry(struct trace *tr, struct facet_task *t, const struct facet_syscall *sc,
			     struct trace_task *tt)
{
	start_call(tr, t, sc, tt);
	write_line(tr, &tr->line);
	tr->open = t;
	tr->col = tr->line.len;
	tt->entered = true;
	/* On a terminal the call shows as it starts, as strace's does; a
	 * file is written in blocks, since nobody watches it line by line. */
	if (__flbf(tr->o.out))
		fflush(tr->o.out);
}

static void write_text_exit(struct trace *tr, struct facet_task *t, const struct facet_syscall *sc,
			    struct trace_task *tt)
{
	struct strbuf *b = &tr->line;
	size_t col = 0;
	if (!tt->entered) {
		/* No entry part was written (a call that never returns, or one
		 * whose entry this engine did not see): the whole line now. */
		start_call(tr, t, sc, tt);
	} else if (tr->open == t) {
		strbuf_reset(b);
		col = tr->col;
	} else {
		leader(tr, b, t);
		strbuf_puts(b, "<... ");
		put_name(b, sc);
		strbuf_puts(b, " resumed>");
	}
	tt->entered = false;
	finish_call(tr, t, sc, tt, col);
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
	struct strbuf text = STRBUF_INIT;
	put_name(&text, sc);
	strbuf_json_escape(b, text.s, text.len);
	strbuf_puts(b, "\",\"args\":[");
	for (unsigned i = 0; i < tt->dc.n; i++) {
		strbuf_reset(&text);
		decode_call_arg_text(&tt->dc, i, &text);
		strbuf_puts(b, i ? ",\"" : "\"");
		strbuf_json_escape(b, text.s ? text.s : "", text.len);
		strbuf_putc(b, '"');
	}
	strbuf_free(&text);
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
	write_line(tr, b);
}

/* exit, exit_group: written whole at entry with " = ?", as strace does
 * (it completes them when the task's exit is reported, right after);
 * their exit callback, when the task is gone, adds nothing. */
static bool never_returns(const struct facet_syscall *sc)
{
	return sc->info && sc->info->ret == FACET_RET_NONE;
}

static void write_call(struct trace *tr, struct facet_task *t, struct facet_syscall *sc,
		       struct trace_task *tt)
{
	if (tr->o.summary)
		trace_summary_add(tr->summary, sc);
	else if (tr->o.json)
		write_json(tr, t, sc, tt);
	else
		write_text_exit(tr, t, sc, tt);
}

static void on_exit_of_call(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct trace *tr = facet_engine_priv(e);
	if (never_returns(sc))
		return;
	struct trace_task *tt = task_state(e, t);
	if (!tr->o.summary)
		decode_call_exit(&tt->dc, t, sc, &tr->o.decode);
	write_call(tr, t, sc, tt);
}

static void on_entry(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct trace *tr = facet_engine_priv(e);
	struct trace_task *tt = task_state(e, t);
	if (!tr->o.summary)
		decode_call_entry(&tt->dc, t, sc, &tr->o.decode);
	tt->entered = false;
	if (never_returns(sc))
		write_call(tr, t, sc, tt);
	else if (!tr->o.summary && !tr->o.json)
		write_text_entry(tr, t, sc, tt);
}

static void on_task_exit(struct facet_engine *e, struct facet_task *t, int status)
{
	struct trace *tr = facet_engine_priv(e);
	struct strbuf *b = &tr->line;
	if (tr->o.summary || tr->o.json)
		return;
	pid_t former = facet_task_superseded_by(t);
	if (former) {
		/* The execing thread's line, if it is the last one written,
		 * is ended the way strace ends it. */
		if (tr->open && facet_task_tid(tr->open) == former) {
			fprintf(tr->o.out, " <pid changed to %d ...>\n", facet_task_tid(t));
			tr->open = NULL;
			tr->col = 0;
		}
		if (tr->o.quiet < 3) {
			leader(tr, b, t);
			strbuf_printf(b, "+++ superseded by execve in pid %d +++\n", former);
			write_line(tr, b);
		}
	} else if (WIFEXITED(status)) {
		if (tr->o.quiet < 2) {
			leader(tr, b, t);
			strbuf_printf(b, "+++ exited with %d +++\n", WEXITSTATUS(status));
			write_line(tr, b);
		}
	} else if (WIFSIGNALED(status)) {
		const char *name = decode_signal_name(WTERMSIG(status));
		leader(tr, b, t);
		if (name)
			strbuf_printf(b, "+++ killed by %s %s+++\n", name, WCOREDUMP(status) ? "(core dumped) " : "");
		else
			strbuf_printf(b, "+++ killed by %d %s+++\n", WTERMSIG(status),
				      WCOREDUMP(status) ? "(core dumped) " : "");
		write_line(tr, b);
	}
	/* Its line is still open only if nothing was written for its end. */
	if (tr->open == t)
		end_open_line(tr, " <detached ...>");
}

static int on_signal(struct facet_engine *e, struct facet_task *t, int sig)
{
	struct trace *tr = facet_engine_priv(e);
	if (tr->o.summary || tr->o.json)
		return sig;
	struct strbuf *b = &tr->line;
	siginfo_t si;
	const char *name = decode_signal_name(sig);
	leader(tr, b, t);
	if (name)
		strbuf_printf(b, "--- %s ", name);
	else
		strbuf_printf(b, "--- %d ", sig);
	if (facet_task_siginfo(t, &si) == 0)
		decode_siginfo(b, t, &si, &tr->o.decode);
	else
		strbuf_printf(b, "{si_signo=%s}", name ? name : "?");
	strbuf_puts(b, " ---\n");
	write_line(tr, b);
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
