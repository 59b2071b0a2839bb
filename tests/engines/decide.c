/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * engine-decide.so: a loadable engine for the tests, which makes a chosen
 * decision on open and openat calls by the last component of their path,
 * and says on standard error what it decided and what it saw at exit:
 *
 *     facet --engine=engine-decide.so:RULE[,RULE...] COMMAND...
 *
 * A path cannot be written in ARG (it ends at the last '/' of --engine),
 * so a call is chosen by its file name NAME:
 *
 *     dirfd@NAME@FD      REWRITE the dirfd (openat) to FD
 *     skip@NAME@N        REWRITE the path to start N bytes further on
 *     flags@NAME@HEX     REWRITE the flags, or-ing in HEX (0x40 is O_CREAT)
 *     complete@NAME@V    COMPLETE with the value V
 *     fail@NAME@ERRNO    FAIL with the errno number ERRNO
 *     inject@NAME        INJECT_FD a memfd that holds "injected"
 *     retval@NAME@V      change the result to V in the exit callback
 *     watch@NAME         decide nothing, only say what is seen
 *     tag=TAG            begin every line with "TAG: " (default "decide")
 *     noexit             ask for the entries only (the default is both)
 *
 * NAME "*" matches every call. For each chosen call it writes at entry
 *
 *     TAG: entry NAME RULE = R         (R: what the decision function returned)
 *
 * and for every call whose entry named a NAME of its rules, at exit
 *
 *     TAG: exit NAME ACTION = RETVAL [emulated]
 *
 * ACTION being the decision the call ended with (run, rewrite, complete,
 * inject_fd, fail). Only <facet/facet.h> is used.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <facet/facet.h>

#define MAX_RULES 16

enum kind { R_DIRFD, R_SKIP, R_FLAGS, R_COMPLETE, R_FAIL, R_INJECT, R_RETVAL, R_WATCH };

struct rule {
	enum kind kind;
	char name[64];
	long long value;
};

struct decide {
	char tag[32];
	bool noexit;
	struct rule rules[MAX_RULES];
	unsigned nrules;
};

static const char *const kind_names[] = { "dirfd", "skip", "flags", "complete", "fail", "inject", "retval", "watch" };
static const char *const action_names[] = { "run", "rewrite", "complete", "inject_fd", "fail" };

static int arg_index(const struct facet_syscall *sc, enum facet_arg_kind kind)
{
	for (unsigned i = 0; sc->info && i < sc->info->nargs; i++)
		if (sc->info->args[i] == kind)
			return (int)i;
	return -1;
}

static bool matches(const struct rule *r, const char *name)
{
	return strcmp(r->name, "*") == 0 || strcmp(r->name, name) == 0;
}

static int memfd_with(const char *text)
{
	int fd = memfd_create("decide", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) || lseek(fd, 0, SEEK_SET) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int apply(struct facet_engine *e, struct facet_syscall *sc, const struct rule *r)
{
	int pi = arg_index(sc, FACET_ARG_PATH), di = arg_index(sc, FACET_ARG_DIRFD);
	int fi = arg_index(sc, FACET_ARG_OPEN_FLAGS);
	int fd;
	switch (r->kind) {
	case R_DIRFD:
		return di < 0 ? -EINVAL : facet_syscall_rewrite(sc, e, (unsigned)di, (uint64_t)r->value);
	case R_SKIP:
		return facet_syscall_rewrite(sc, e, (unsigned)pi, sc->args[pi] + (uint64_t)r->value);
	case R_FLAGS:
		return fi < 0 ? -EINVAL : facet_syscall_rewrite(sc, e, (unsigned)fi, sc->args[fi] | (uint64_t)r->value);
	case R_COMPLETE:
		return facet_syscall_complete(sc, e, r->value);
	case R_FAIL:
		return facet_syscall_fail(sc, e, (int)r->value);
	case R_INJECT:
		fd = memfd_with("injected\n");
		return fd < 0 ? fd : facet_syscall_inject_fd(sc, e, fd, false);
	case R_RETVAL: /* at exit */
	case R_WATCH:
		return 0;
	}
	return -EINVAL;
}

static void on_entry(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct decide *d = facet_engine_priv(e);
	char path[4096];
	int pi = arg_index(sc, FACET_ARG_PATH);
	facet_task_set_slot(t, e, NULL);
	if (pi < 0 || facet_mem_read_string(t, sc->args[pi], path, sizeof(path)) < 0)
		return;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	bool chosen = false;
	for (unsigned i = 0; i < d->nrules; i++) {
		const struct rule *r = &d->rules[i];
		if (!matches(r, name))
			continue;
		chosen = true;
		if (r->kind == R_RETVAL)
			continue;
		fprintf(stderr, "%s: entry %s %s = %d\n", d->tag, name, kind_names[r->kind], apply(e, sc, r));
	}
	if (chosen)
		facet_task_set_slot(t, e, strdup(name));
}

static void on_exit_call(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	struct decide *d = facet_engine_priv(e);
	char *name = facet_task_slot(t, e);
	if (!name)
		return;
	facet_task_set_slot(t, e, NULL);
	for (unsigned i = 0; i < d->nrules; i++)
		if (d->rules[i].kind == R_RETVAL && matches(&d->rules[i], name) && sc->exited)
			sc->retval = d->rules[i].value;
	fprintf(stderr, "%s: exit %s %s = %lld%s%s\n", d->tag, name, action_names[sc->action], (long long)sc->retval,
		sc->emulated ? " emulated" : "", sc->exited ? "" : " unfinished");
	free(name);
}

static void free_slot(struct facet_engine *e, void *slot)
{
	free(slot);
}

static int on_start(struct facet_engine *e, struct facet_session *s)
{
	struct decide *d = facet_engine_priv(e);
	unsigned ev = FACET_EV_SYSCALL_ENTRY | (d->noexit ? 0 : FACET_EV_SYSCALL_EXIT);
	const struct facet_syscall_info *open = facet_syscall_by_name("open");
	const struct facet_syscall_info *openat = facet_syscall_by_name("openat");
	int r = open ? facet_engine_want_syscall(e, open->nr, ev) : 0;
	return r < 0 ? r : facet_engine_want_syscall(e, openat->nr, ev);
}

static void on_release(struct facet_engine *e)
{
	free(facet_engine_priv(e));
}

static const struct facet_engine_ops decide_ops = {
	.name = "decide",
	.start = on_start,
	.syscall_entry = on_entry,
	.syscall_exit = on_exit_call,
	.free_task_slot = free_slot,
	.release = on_release,
};

static int parse_rule(struct decide *d, const char *rule)
{
	char spec[128];
	if (snprintf(spec, sizeof(spec), "%s", rule) >= (int)sizeof(spec))
		return -1;
	if (strncmp(spec, "tag=", 4) == 0) {
		snprintf(d->tag, sizeof(d->tag), "%.31s", spec + 4);
		return 0;
	}
	if (strcmp(spec, "noexit") == 0) {
		d->noexit = true;
		return 0;
	}
	if (d->nrules == MAX_RULES)
		return -1;
	struct rule *r = &d->rules[d->nrules];
	char *name = strchr(spec, '@');
	if (!name)
		return -1;
	*name++ = '\0';
	char *value = strchr(name, '@');
	if (value)
		*value++ = '\0';
	unsigned k;
	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strcmp(spec, kind_names[k]) == 0)
			break;
	if (k == sizeof(kind_names) / sizeof(kind_names[0]) || (k != R_INJECT && k != R_WATCH) != (value != NULL))
		return -1;
	r->kind = (enum kind)k;
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (value) {
		char *end;
		errno = 0;
		r->value = strtoll(value, &end, 0);
		if (errno || *end || !*value)
			return -1;
	}
	d->nrules++;
	return 0;
}

__attribute__((visibility("default")))
struct facet_engine *facet_plugin_init(const char *arg)
{
	struct decide *d = calloc(1, sizeof(*d));
	char *copy = strdup(arg ? arg : "");
	if (!d || !copy) {
		free(d);
		free(copy);
		errno = ENOMEM;
		return NULL;
	}
	snprintf(d->tag, sizeof(d->tag), "decide");
	char *save = NULL;
	for (char *spec = strtok_r(copy, ",", &save); spec; spec = strtok_r(NULL, ",", &save))
		if (parse_rule(d, spec) < 0) {
			fprintf(stderr, "engine-decide: bad rule '%s'\n", spec);
			free(copy);
			free(d);
			errno = EINVAL;
			return NULL;
		}
	free(copy);
	struct facet_engine *e = facet_engine_new(&decide_ops, d);
	if (!e)
		free(d);
	return e;
}
