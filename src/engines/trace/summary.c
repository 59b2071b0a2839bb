/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The -c table: calls, errors and time per system call, as strace -c -w
 * prints it (time is wall time from entry to exit, as the supervisor saw it). */
#include <stdlib.h>
#include <string.h>

#include "engines/trace/trace.h"

struct row {
	long nr;
	uint64_t calls, errors;
	double seconds;
};

struct trace_summary {
	struct row rows[TRACE_NR_MAX];
};

struct trace_summary *trace_summary_new(void)
{
	return calloc(1, sizeof(struct trace_summary));
}

void trace_summary_free(struct trace_summary *sum) { free(sum); }

void trace_summary_add(struct trace_summary *sum, const struct facet_syscall *sc)
{
	if (sc->nr < 0 || sc->nr >= TRACE_NR_MAX)
		return;
	struct row *r = &sum->rows[sc->nr];
	r->nr = sc->nr;
	r->calls++;
	if (sc->exited && sc->retval < 0 && sc->retval >= -4095)
		r->errors++;
	if (sc->exited)
		r->seconds += (double)(sc->exit_time.tv_sec - sc->entry_time.tv_sec) +
			      (double)(sc->exit_time.tv_nsec - sc->entry_time.tv_nsec) / 1e9;
}

static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	return x->calls < y->calls ? 1 : x->calls > y->calls ? -1 : 0;
}

void trace_summary_print(const struct trace_summary *sum, FILE *out)
{
	struct row sorted[TRACE_NR_MAX];
	size_t n = 0;
	double total = 0;
	uint64_t calls = 0, errors = 0;
	for (size_t i = 0; i < TRACE_NR_MAX; i++)
		if (sum->rows[i].calls) {
			sorted[n++] = sum->rows[i];
			total += sum->rows[i].seconds;
			calls += sum->rows[i].calls;
			errors += sum->rows[i].errors;
		}
	qsort(sorted, n, sizeof(sorted[0]), by_time);
	const char *rule = "------ ----------- ----------- --------- --------- ----------------";
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s\n", rule);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &sorted[i];
		const struct facet_syscall_info *info = facet_syscall_by_nr(r->nr);
		char errs[24] = "";
		if (r->errors)
			snprintf(errs, sizeof(errs), "%llu", (unsigned long long)r->errors);
		fprintf(out, "%6.2f %11.6f %11llu %9llu %9s %s\n",
			total > 0 ? 100.0 * r->seconds / total : 0.0, r->seconds,
			(unsigned long long)(r->seconds * 1e6 / (double)r->calls),
			(unsigned long long)r->calls, errs, info ? info->name : "?");
	}
	char errs[24] = "";
	if (errors)
		snprintf(errs, sizeof(errs), "%llu", (unsigned long long)errors);
	fprintf(out, "%s\n%6.2f %11.6f %11llu %9llu %9s total\n", rule, 100.0, total,
		calls ? (unsigned long long)(total * 1e6 / (double)calls) : 0ULL,
		(unsigned long long)calls, errs);
}
