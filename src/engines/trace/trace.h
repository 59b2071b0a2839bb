/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The trace engine: strace-like output of the calls in a set. */
#ifndef FACET_ENGINES_TRACE_H
#define FACET_ENGINES_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engines/trace/decode.h"
#include "facet/facet.h"

#define TRACE_NR_MAX 512

struct trace_set {
	bool nr[TRACE_NR_MAX];
};

/* Parses strace's -e trace= syntax: a comma-separated list of call names,
 * %classes and "all"/"none", optionally preceded by "!" to negate it.
 * On error returns -EINVAL and points *bad at the offending word. */
int trace_set_parse(struct trace_set *set, const char *spec, const char **bad, size_t *badlen);

struct trace_options {
	FILE *out;              /* where lines (or the summary) go */
	bool json;              /* one JSON object per call */
	bool summary;           /* -c: only a count/time/error table at the end */
	struct trace_set set;
	struct decode_opts decode; /* -s (string length), -y (paths of fds) */
	unsigned timestamps;    /* -t: 1 time of day, 2 (-tt) with microseconds,
				   3 (-ttt) seconds since the epoch */
	bool durations;         /* -T: time spent in each call */
	unsigned quiet;         /* -q (facet prints nothing it would suppress),
				   -qq: no "+++ exited with" lines, -qqq: no
				   "+++ superseded by execve" lines either */
};

/* A new engine, to be attached to a session. It keeps `out` open. */
struct facet_engine *trace_engine_new(const struct trace_options *opts);

/* Writes the -c table for the counts gathered so far (called by finish). */
struct trace_summary;
void trace_summary_add(struct trace_summary *sum, const struct facet_syscall *sc);
void trace_summary_print(const struct trace_summary *sum, FILE *out);
struct trace_summary *trace_summary_new(void);
void trace_summary_free(struct trace_summary *sum);

#endif
