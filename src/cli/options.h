/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command line, parsed into a plan before anything runs. */
#ifndef FACET_CLI_OPTIONS_H
#define FACET_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "facet/facet.h"

enum cli_action { CLI_RUN, CLI_HELP, CLI_VERSION };

#define CLI_MAX_BINDS 128

/* Long options without a short form that view_options.c parses. */
enum { CLI_OPT_FAST = 512, CLI_OPT_CONFINE, CLI_OPT_NO_FAST, CLI_OPT_FAKEROOT_STATE };

struct cli_bind {
	char *host, *guest;
	bool ro;
};

struct cli_plan {
	enum cli_action action;
	bool trace;              /* the trace engine is attached */
	const char *trace_set;   /* -e trace=SET; "all" if not given */
	const char *output;      /* -o FILE; NULL for stderr */
	bool json, summary, verbose;
	size_t string_max;       /* -s N (32) */
	bool fd_paths;           /* -y */
	unsigned timestamps;     /* -t, -tt, -ttt: 1, 2, 3 */
	bool durations;          /* -T */
	unsigned quiet;          /* -q, -qq, -qqq: 1, 2, 3 */
	enum facet_backend backend;
	const char *engines[16]; /* --engine=PATH[:ARG], in order, before the tracer */
	unsigned nengines;
	char **argv;             /* the command */
	/* The view (view_options.c). */
	const char *root;        /* -r/-R ROOT */
	bool root_recommended;   /* -R: with PRoot's set of host binds */
	struct cli_bind binds[CLI_MAX_BINDS];
	unsigned nbinds;
	const char *cwd;         /* -w DIR */
	enum facet_view_mode mode; /* --fast (default), --confine, --no-fast */
	bool mode_given;
	/* Fake root: -0 (0:0) or -i UID:GID, and --fakeroot-state FILE. */
	bool fake;
	uid_t fake_uid;
	gid_t fake_gid;
	const char *owner_state;
};

/* Returns 0, or -1 with a one-line message (without "facet: ") in err;
 * either way the plan is then the caller's to free (cli_plan_free). */
int cli_parse(int argc, char **argv, struct cli_plan *plan, char *err, size_t errlen);
/* view_options.c: what parsing allocated (the binds' paths). */
void cli_plan_free(struct cli_plan *plan);
void cli_usage(FILE *out);

/* view_options.c: one of -b, -r, -R, -w; the checks that need the host
 * (paths exist, no two mounts at one place); the view to run. */
int cli_view_option(struct cli_plan *plan, int opt, const char *arg, char *err, size_t errlen);
int cli_view_check(const struct cli_plan *plan, char *err, size_t errlen);
bool cli_has_view(const struct cli_plan *plan);
struct facet_view *cli_view_build(const struct cli_plan *plan);

#endif
