/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netdeny: a loadable facet engine that refuses every network system call
 * (the calls of FACET_CLASS_NETWORK, strace's %network: socket, connect,
 * bind, sendto, ...) with EACCES, or with the errno named by its argument,
 * and counts what it refused:
 *
 *     facet --engine=./netdeny.so COMMAND...
 *     facet trace --engine=./netdeny.so:EPERM -e trace=%network COMMAND...
 *
 * At the end it prints one line on standard error:
 *
 *     netdeny: refused 3 network calls (socket 2, connect 1)
 *
 * It uses only the public header, <facet/facet.h>; see libfacet(3).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strerrorname_np */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <facet/facet.h>

struct netdeny {
	int err;                 /* the errno the calls fail with */
	long max_nr;             /* highest number in the network class */
	unsigned long *counts;   /* refused calls, indexed by number */
};

/* "EPERM" -> EPERM; 0 if the name is not an errno name. */
static int errno_by_name(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);
		if (n && strcmp(n, name) == 0)
			return e;
	}
	return 0;
}

static void on_entry(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct netdeny *nd = facet_engine_priv(e);
	(void)t;
	/* 0: our decision took effect. -EALREADY: an earlier engine already
	 * failed the call (FAIL is the highest rank); it is not ours to count. */
	if (facet_syscall_fail(sc, e, nd->err) == 0 && sc->nr >= 0 && sc->nr <= nd->max_nr)
		nd->counts[sc->nr]++;
}

static void on_finish(struct facet_engine *e, struct facet_session *s)
{
	struct netdeny *nd = facet_engine_priv(e);
	unsigned long total = 0;
	(void)s;
	for (long nr = 0; nr <= nd->max_nr; nr++)
		total += nd->counts[nr];
	fprintf(stderr, "netdeny: refused %lu network call%s", total, total == 1 ? "" : "s");
	const char *sep = " (";
	for (long nr = 0; nr <= nd->max_nr; nr++) {
		if (!nd->counts[nr])
			continue;
		const struct facet_syscall_info *info = facet_syscall_by_nr(nr);
		fprintf(stderr, "%s%s %lu", sep, info ? info->name : "?", nd->counts[nr]);
		sep = ", ";
	}
	fputs(total ? ")\n" : "\n", stderr);
}

/* The engine object itself belongs to the session; its data is ours. Freed
 * here, not in finish, which does not run if the command never started. */
static void on_release(struct facet_engine *e)
{
	struct netdeny *nd = facet_engine_priv(e);
	free(nd->counts);
	free(nd);
}

/* Wishes can be made until the session starts; asking here rather than in
 * facet_plugin_init leaves nothing to undo there if it fails. */
static int on_start(struct facet_engine *e, struct facet_session *s)
{
	(void)s;
	return facet_engine_want_class(e, FACET_CLASS_NETWORK, FACET_EV_SYSCALL_ENTRY);
}

static const struct facet_engine_ops netdeny_ops = {
	.name = "netdeny",
	.start = on_start,
	.syscall_entry = on_entry,
	.finish = on_finish,
	.release = on_release,
};

/* ARG: an errno name (EACCES if there is none). Unknown names are refused
 * with EINVAL, which facet reports as "engine ... refused to start". */
__attribute__((visibility("default")))
struct facet_engine *facet_plugin_init(const char *arg)
{
	int err = EACCES;
	if (arg && !(err = errno_by_name(arg))) {
		fprintf(stderr, "netdeny: '%s' is not an errno name; use one such as EACCES or EPERM\n", arg);
		errno = EINVAL;
		return NULL;
	}

	long max_nr = -1;
	size_t cursor = 0;
	const struct facet_syscall_info *info;
	while ((info = facet_syscall_next(&cursor)))
		if ((info->classes & FACET_CLASS_NETWORK) && info->nr > max_nr)
			max_nr = info->nr;

	/* On failure calloc and facet_engine_new leave errno = ENOMEM. */
	struct netdeny *nd = calloc(1, sizeof(*nd));
	if (!nd)
		return NULL;
	nd->err = err;
	nd->max_nr = max_nr;
	nd->counts = calloc((size_t)(max_nr + 1), sizeof(*nd->counts));
	struct facet_engine *e = nd->counts ? facet_engine_new(&netdeny_ops, nd) : NULL;
	if (!e) {
		free(nd->counts);
		free(nd);
	}
	return e;
}
