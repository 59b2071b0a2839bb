/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The view options: -r/-R ROOT, -b HOST[:GUEST][:ro], -w DIR, parsed into
 * the plan and checked before anything runs, then turned into a
 * facet_view. Short forms are PRoot's, so that a PRoot command line needs
 * only its first word changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/options.h"

/* PRoot's -R set: what a distribution's root needs from the host. */
static const char *const recommended[] = {
	"/dev", "/proc", "/sys", "/tmp", "/run", "$HOME", "/etc/resolv.conf", "/etc/hosts",
	"/etc/hostname", "/etc/localtime", "/etc/nsswitch.conf", "/etc/host.conf",
};

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
	snprintf(err, errlen, fmt, a, b);
	return -1;
}

/* A relative host path with no guest path is mounted where it is, as PRoot
 * does: at its absolute path (not resolved further). */
static char *absolute(const char *host)
{
	if (host[0] == '/')
		return strdup(host);
	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	char *p;
	return asprintf(&p, "%s/%s", strcmp(cwd, "/") ? cwd : "", host) < 0 ? NULL : p;
}

/* -b HOST[:GUEST][:ro] */
static int parse_bind(struct cli_plan *plan, const char *spec, char *err, size_t errlen)
{
	if (plan->nbinds == CLI_MAX_BINDS)
		return fail(err, errlen, "-b %s: too many binds (at most %s)", spec, "128");
	struct cli_bind *b = &plan->binds[plan->nbinds];
	size_t n = strlen(spec);
	b->ro = n > 3 && !strcmp(spec + n - 3, ":ro");
	if (b->ro)
		n -= 3;
	const char *colon = memchr(spec, ':', n);
	b->host = strndup(spec, colon ? (size_t)(colon - spec) : n);
	b->guest = colon ? strndup(colon + 1, n - (size_t)(colon - spec) - 1) : absolute(b->host);
	if (!b->host || !b->guest)
		return fail(err, errlen, "%s%s", "out of memory", "");
	if (!b->host[0])
		return fail(err, errlen, "-b %s: the host path is empty; use -b HOST[:GUEST][:ro]%s", spec, "");
	if (b->guest[0] != '/')
		return fail(err, errlen, "-b %s: the guest path must be absolute, not '%s'", spec, b->guest);
	plan->nbinds++;
	return 0;
}

void cli_plan_free(struct cli_plan *plan)
{
	/* The slot after the last bind too: a bind refused after its paths
	 * were copied. */
	for (unsigned i = 0; i < CLI_MAX_BINDS; i++) {
		free(plan->binds[i].host);
		free(plan->binds[i].guest);
		plan->binds[i].host = plan->binds[i].guest = NULL;
	}
}

static int set_mode(struct cli_plan *plan, enum facet_view_mode mode, const char *opt, char *err, size_t errlen)
{
	if (plan->mode_given && plan->mode != mode)
		return fail(err, errlen, "%s: only one of --fast, --confine and --no-fast may be given%s", opt, "");
	plan->mode = mode;
	plan->mode_given = true;
	return 0;
}

/* -i UID:GID: numbers, as in /etc/passwd (the view's, not the host's, names them). */
static int parse_ids(struct cli_plan *plan, const char *arg, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	unsigned long u = strtoul(arg, &end, 10), g = 0;
	bool ok = end != arg && *end == ':' && arg[0] != '-' && errno == 0 && u < 0xffffffffUL;
	if (ok) {
		const char *gs = end + 1;
		g = strtoul(gs, &end, 10);
		ok = end != gs && !*end && gs[0] != '-' && errno == 0 && g < 0xffffffffUL;
	}
	if (!ok)
		return fail(err, errlen, "-i %s: give the identity as UID:GID, two numbers (-i 1000:1000)%s", arg, "");
	if (plan->fake && (plan->fake_uid != u || plan->fake_gid != g))
		return fail(err, errlen, "-i %s: only one of -0 and -i may be given, once%s", arg, "");
	plan->fake = true;
	plan->fake_uid = (uid_t)u;
	plan->fake_gid = (gid_t)g;
	return 0;
}

int cli_view_option(struct cli_plan *plan, int opt, const char *arg, char *err, size_t errlen)
{
	switch (opt) {
	case '0':
		return parse_ids(plan, "0:0", err, errlen);
	case 'i':
		return parse_ids(plan, arg, err, errlen);
	case CLI_OPT_FAKEROOT_STATE:
		if (!arg[0])
			return fail(err, errlen, "--fakeroot-state: the file name is empty%s%s", "", "");
		plan->owner_state = arg;
		return 0;
	case CLI_OPT_FAST:
		return set_mode(plan, FACET_VIEW_FAST, "--fast", err, errlen);
	case CLI_OPT_CONFINE:
		return set_mode(plan, FACET_VIEW_CONFINE, "--confine", err, errlen);
	case CLI_OPT_NO_FAST:
		return set_mode(plan, FACET_VIEW_SUPERVISOR, "--no-fast", err, errlen);
	case 'b':
		return parse_bind(plan, arg, err, errlen);
	case 'r':
	case 'R':
		if (plan->root)
			return fail(err, errlen, "-%s %s: the root is given twice", opt == 'r' ? "r" : "R", arg);
		if (!arg[0])
			return fail(err, errlen, "-%s: the root is empty; use -%s ROOT", opt == 'r' ? "r" : "R",
				    opt == 'r' ? "r" : "R");
		plan->root = arg;
		plan->root_recommended = opt == 'R';
		return 0;
	default: /* 'w' */
		if (!arg[0])
			return fail(err, errlen, "-w: the directory is empty%s%s", "", "");
		plan->cwd = arg;
		return 0;
	}
}

static bool same_guest(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	return la == lb && !strncmp(a, b, la);
}

int cli_view_check(const struct cli_plan *plan, char *err, size_t errlen)
{
	struct stat st;
	if (plan->root && stat(plan->root, &st) < 0)
		return fail(err, errlen, "-r %s: %s", plan->root, strerror(errno));
	if (plan->root && !S_ISDIR(st.st_mode))
		return fail(err, errlen, "-r %s: %s", plan->root, "not a directory");
	for (unsigned i = 0; i < plan->nbinds; i++) {
		const struct cli_bind *b = &plan->binds[i];
		if (stat(b->host, &st) < 0)
			return fail(err, errlen, "-b %s: %s", b->host, strerror(errno));
		for (unsigned j = 0; j < i; j++)
			if (same_guest(b->guest, plan->binds[j].guest))
				return fail(err, errlen, "two mounts at %s (-b %s and another -b)", b->guest, b->host);
	}
	if (plan->owner_state && !plan->fake)
		return fail(err, errlen, "--fakeroot-state %s: needs -0 or -i UID:GID%s", plan->owner_state, "");
	if (plan->cwd && plan->cwd[0] != '/')
		return fail(err, errlen, "-w %s: the directory must be an absolute path in the view%s", plan->cwd, "");
	return 0;
}

bool cli_has_view(const struct cli_plan *plan)
{
	return plan->root || plan->nbinds || plan->cwd || plan->fake;
}

static bool bound(const struct cli_plan *plan, const char *guest)
{
	for (unsigned i = 0; i < plan->nbinds; i++)
		if (same_guest(plan->binds[i].guest, guest))
			return true;
	return false;
}

struct facet_view *cli_view_build(const struct cli_plan *plan)
{
	struct facet_view *v = facet_view_new();
	if (!v)
		return NULL;
	int r = 0;
	if (plan->root)
		r = facet_view_set_root(v, plan->root);
	for (unsigned i = 0; r == 0 && i < plan->nbinds; i++)
		r = facet_view_bind(v, plan->binds[i].host, plan->binds[i].guest,
				    plan->binds[i].ro ? FACET_BIND_RO : 0);
	if (r == 0)
		r = facet_view_set_mode(v, plan->mode);
	const char *done[sizeof(recommended) / sizeof(recommended[0])];
	size_t ndone = 0;
	for (size_t i = 0; r == 0 && plan->root_recommended && i < sizeof(recommended) / sizeof(recommended[0]); i++) {
		const char *p = recommended[i];
		if (!strcmp(p, "$HOME") && !(p = getenv("HOME")))
			continue;
		struct stat st;
		bool seen = bound(plan, p) || same_guest(p, "/");
		for (size_t j = 0; j < ndone; j++)
			seen |= same_guest(done[j], p);
		if (p[0] == '/' && !seen && stat(p, &st) == 0) {
			r = facet_view_bind(v, p, p, 0);
			done[ndone++] = p;
		}
	}
	if (r == 0 && plan->cwd)
		r = facet_view_set_cwd(v, plan->cwd);
	if (r == 0 && plan->fake)
		r = facet_view_set_identity(v, plan->fake_uid, plan->fake_gid);
	if (r == 0 && plan->owner_state)
		r = facet_view_set_owner_state(v, plan->owner_state);
	if (r < 0) {
		facet_view_free(v);
		return NULL;
	}
	return v;
}
