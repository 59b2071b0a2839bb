/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Turning a system call's arguments and result into strace-style text.
 *
 * Input arguments are decoded at entry (the memory they point to may be gone
 * by the exit: execve replaces it); output arguments (BUF_OUT, STAT_OUT,
 * PIPE_FDS, ...) only at exit, and only if the call succeeded, as strace does.
 *
 * A call is decoded into a struct decoded_call: its arguments as strace
 * prints them, each with the part known at entry and the part the exit adds.
 * strace writes a line in two parts, the entry part when the call starts
 * (up to the first argument it can only print at exit) and the rest when it
 * returns; decode_call_head() and decode_call_tail() give those two parts,
 * so that the tracer can write "<unfinished ...>" / "<... resumed>" lines
 * exactly where strace does.
 */
#ifndef FACET_TRACE_DECODE_H
#define FACET_TRACE_DECODE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "facet/facet.h"
#include "util/strbuf.h"

/* strace's default -s: bytes of a string or buffer shown before "...". */
#define TRACE_STRING_MAX 32

struct decode_opts {
	size_t string_max;      /* -s: bytes of strings and buffers, elements of argv */
	bool fd_paths;          /* -y: a file descriptor is followed by <its path> */
};

/* strace's defaults: -s 32, no -y. */
extern const struct decode_opts decode_defaults;

/* One argument as strace prints it. */
struct decoded_arg {
	struct strbuf entry;    /* the text known at entry */
	struct strbuf exit;     /* the text the exit adds (an output argument) */
	unsigned index;         /* which argument of the call it shows */
	bool exit_part;         /* decided at entry: `exit` is printed at the exit */
	bool sep_at_exit;       /* the ", " before it is written at the exit too
				   (clone's arguments that strace adds then) */
};

struct decoded_call {
	unsigned n;             /* arguments printed */
	struct decoded_arg a[FACET_MAX_ARGS];
};

/* Decode what is known at entry (resets dc first), then at exit what the
 * call filled in. `t` is used to read tracee memory (NULL: nothing is read,
 * pointers are shown as addresses). */
void decode_call_entry(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		       const struct decode_opts *o);
void decode_call_exit(struct decoded_call *dc, struct facet_task *t, const struct facet_syscall *sc,
		      const struct decode_opts *o);
/* The text strace writes at entry, after "name(" ("3, " for read), and the
 * text it writes at exit, before ")" ("\"data\", 832" for read). */
void decode_call_head(const struct decoded_call *dc, struct strbuf *b);
void decode_call_tail(const struct decoded_call *dc, struct strbuf *b);
/* True if strace would print something at exit before ")": if the task
 * dies in the call, the line then ends " <unfinished ...>) = ?". */
bool decode_call_has_exit_part(const struct decoded_call *dc);
/* Argument i, whole (entry and exit parts), for the JSON "args" array. */
void decode_call_arg_text(const struct decoded_call *dc, unsigned i, struct strbuf *b);
void decode_call_free(struct decoded_call *dc);

/* True if argument i is filled in by the call and so decoded at exit. */
bool decode_arg_is_output(const struct facet_syscall *sc, unsigned i);

/* False if strace leaves argument i out of the call altogether, so that
 * neither it nor the ", " before it is printed: the mode of open/openat when
 * the flags have neither O_CREAT nor O_TMPFILE, and fcntl's third argument
 * for commands that take none (F_GETFD, F_GETFL, ...). Depends on the
 * arguments only, so entry and exit agree; false for i >= nargs. Call it
 * before decode_arg, which appends nothing for an argument not shown. */
bool decode_arg_shown(const struct facet_syscall *sc, unsigned i);

/* Append the decoded argument i of sc to b, by its kind in the table.
 * A pointer that cannot be read is shown as its hex address, as strace does. */
void decode_arg(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc, unsigned i,
		const struct decode_opts *o);

/* Append " = VALUE" for the result: "3", "-1 ENOENT (No such file or directory)",
 * "0x7f..." for HEX returns, "?" when the call did not return; with -y a
 * returned fd is followed by its path. */
void decode_retval(struct strbuf *b, struct facet_task *t, const struct facet_syscall *sc,
		   const struct decode_opts *o);

/* A signal-delivery line's siginfo: "{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}". */
void decode_siginfo(struct strbuf *b, struct facet_task *t, const siginfo_t *si, const struct decode_opts *o);

/* Name of errno value e ("ENOENT"), or NULL if unknown. */
const char *decode_errno_name(int e);
/* Name of a signal ("SIGINT"), or NULL. */
const char *decode_signal_name(int sig);

#endif
