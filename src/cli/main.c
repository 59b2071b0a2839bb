/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The facet command: parse, build a session from the plan, run, report. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/options.h"
#include "engines/trace/trace.h"

#define EXIT_USAGE 2

static int die(int code, const char *fmt, const char *what)
{
	fputs("facet: ", stderr);
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	return code;
}

/* What -v says about Landlock depends on the view asked for. */
struct verbose_view {
	bool view;
	enum facet_view_mode mode;
};

static int on_verbose_start(struct facet_engine *e, struct facet_session *s)
{
	const struct facet_features f = *facet_session_features(s);
	fprintf(stderr, "facet: back end: %s (seccomp user notification %s, sync wake-up %s, "
		"fd injection %s, killable wait %s)\n",
		facet_backend_name(facet_session_backend(s)), f.user_notif ? "yes" : "no",
		f.sync_wakeup ? "yes" : "no", f.notif_addfd ? "yes" : "no", f.wait_killable ? "yes" : "no");
	const struct verbose_view *v = facet_engine_priv(e);
	const char *why;
	int abi = facet_session_landlock(s, &why);
	if (abi > 0)
		fprintf(stderr, "facet: Landlock ABI %d: the tree is confined to the view's mounts\n", abi);
	else if (v->view && v->mode == FACET_VIEW_SUPERVISOR)
		fprintf(stderr, "facet: Landlock: not used (--no-fast)\n");
	else if (v->view)
		fprintf(stderr, "facet: Landlock: not available (%s)\n", why);
	if (facet_session_fast(s, &why))
		fprintf(stderr, "facet: fast mode: a runtime in each process answers the view's path calls\n");
	else if (v->view && v->mode == FACET_VIEW_CONFINE)
		fprintf(stderr, "facet: fast mode: off (--confine)\n");
	else if (v->view && v->mode == FACET_VIEW_SUPERVISOR)
		fprintf(stderr, "facet: fast mode: off (--no-fast)\n");
	else if (v->view)
		fprintf(stderr, "facet: fast mode: off (%s)\n", why);
	return 0;
}

/* In a view, a call that would bypass it is refused: said once per call. */
static void on_verbose_entry(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	static bool said[1024];
	if (sc->nr < 0 || sc->nr >= 1024 || said[sc->nr] || !sc->info)
		return;
	said[sc->nr] = true;
	int err = facet_view_refusal(sc->nr);
	fprintf(stderr, "facet: %s is refused in the view (%s): it would bypass the view\n", sc->info->name,
		err == ENOSYS ? "ENOSYS, as a kernel without it" : strerror(err));
}

static const struct facet_engine_ops verbose_ops = {
	.name = "verbose", .start = on_verbose_start, .syscall_entry = on_verbose_entry,
};

static struct facet_engine *verbose_engine(bool view, enum facet_view_mode mode)
{
	static struct verbose_view v;
	v = (struct verbose_view){ view, mode };
	struct facet_engine *e = facet_engine_new(&verbose_ops, &v);
	size_t cursor = 0;
	const struct facet_syscall_info *info;
	while (e && view && (info = facet_syscall_next(&cursor)))
		if (facet_view_refusal(info->nr))
			facet_engine_want_syscall(e, info->nr, FACET_EV_SYSCALL_ENTRY);
	return e;
}

/* --engine=PATH[:ARG]: the shared object stays loaded until exit. */
static int attach_plugin(struct facet_session *s, const char *spec)
{
	char path[4096];
	/* ARG starts at the first ':' after the last '/'. */
	const char *slash = strrchr(spec, '/');
	const char *colon = strchr(slash ? slash : spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	if (n + 2 >= sizeof(path))
		return die(EXIT_USAGE, "engine path too long: %s", spec);
	/* dlopen() searches the library path for a name without '/': make a
	 * bare name mean the file in the current directory, as the user wrote. */
	int prefix = memchr(spec, '/', n) ? 0 : 2;
	memcpy(path, "./", 2);
	memcpy(path + prefix, spec, n);
	path[n + prefix] = '\0';
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "facet: cannot load engine %s: %s\n", path, dlerror());
		return EXIT_USAGE;
	}
	facet_plugin_init_fn *init = (facet_plugin_init_fn *)dlsym(handle, FACET_PLUGIN_INIT);
	if (!init) {
		fprintf(stderr, "facet: %s is not a facet engine: it has no %s function\n", path, FACET_PLUGIN_INIT);
		return EXIT_USAGE;
	}
	errno = 0;
	struct facet_engine *e = init(colon ? colon + 1 : NULL);
	if (!e) {
		fprintf(stderr, "facet: engine %s refused to start: %s\n", path,
			errno ? strerror(errno) : "no reason given");
		return EXIT_USAGE;
	}
	return facet_session_attach(s, e) < 0 ? die(1, "%s", "out of memory") : 0;
}

static FILE *open_output(const char *path)
{
	if (!path) {
		setvbuf(stderr, NULL, _IOLBF, 0);
		return stderr;
	}
	/* O_CLOEXEC: the traced command must not inherit the trace file. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f)
		close(fd);
	else
		setvbuf(f, NULL, isatty(fd) ? _IOLBF : _IOFBF, 1 << 16);
	return f;
}

static int attach_trace(struct facet_session *s, const struct cli_plan *plan, FILE **out)
{
	struct trace_options opts = {
		.json = plan->json, .summary = plan->summary,
		.decode = { .string_max = plan->string_max, .fd_paths = plan->fd_paths },
		.timestamps = plan->timestamps, .durations = plan->durations, .quiet = plan->quiet,
	};
	const char *bad = NULL;
	size_t badlen = 0;
	if (trace_set_parse(&opts.set, plan->trace_set, &bad, &badlen) < 0) {
		fprintf(stderr, "facet: unknown system call or class '%.*s' in '%s'; "
			"classes are %%file %%desc %%process %%network %%signal %%memory %%ipc %%creds %%clock %%stat\n",
			(int)badlen, bad, plan->trace_set);
		return EXIT_USAGE;
	}
	if (!(*out = open_output(plan->output))) {
		fprintf(stderr, "facet: cannot open the output file %s: %s\n", plan->output, strerror(errno));
		return EXIT_USAGE;
	}
	opts.out = *out;
	struct facet_engine *e = trace_engine_new(&opts);
	if (!e || facet_session_attach(s, e) < 0)
		return die(1, "%s", "out of memory");
	return 0;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* A command killed by a signal: facet dies of the same signal, as strace
 * does, so that a shell sees WIFSIGNALED (a loop stops on ^C, ^\ prints
 * "Quit"). No core file: the command's was written already, if any. */
static void die_like(int status)
{
	if (!WIFSIGNALED(status))
		return;
	int sig = WTERMSIG(status);
	struct rlimit no_core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Still here: a signal whose default is not to terminate. */
}

int main(int argc, char **argv)
{
	struct cli_plan plan;
	char err[256];
	if (cli_parse(argc, argv, &plan, err, sizeof(err)) < 0) {
		cli_plan_free(&plan);
		return die(EXIT_USAGE, "%s", err);
	}
	if (plan.action == CLI_HELP || plan.action == CLI_VERSION) {
		if (plan.action == CLI_HELP)
			cli_usage(stdout);
		else
			puts("facet " FACET_VERSION);
		cli_plan_free(&plan);
		return 0;
	}
	struct facet_session *s = facet_session_new();
	if (!s) {
		cli_plan_free(&plan);
		return die(1, "%s", "out of memory");
	}
	facet_session_set_backend(s, plan.backend);
	if (cli_has_view(&plan)) {
		struct facet_view *v = cli_view_build(&plan);
		if (!v || facet_session_set_view(s, v) < 0) {
			facet_session_free(s);
			cli_plan_free(&plan);
			return die(1, "%s", "out of memory");
		}
	}
	FILE *out = NULL;
	int code = 0;
	if (plan.verbose)
		facet_session_attach(s, verbose_engine(cli_has_view(&plan), plan.mode));
	for (unsigned i = 0; i < plan.nengines && code == 0; i++)
		code = attach_plugin(s, plan.engines[i]);
	if (plan.trace && code == 0)
		code = attach_trace(s, &plan, &out);
	int status = -1;
	if (code == 0) {
		status = facet_session_run(s, plan.argv);
		if (status >= 0)
			code = exit_code(status);
		else if (facet_session_command_error(s) &&
			 (status == -ENOENT || status == -EACCES || status == -ENOEXEC))
			code = die(status == -ENOENT ? 127 : 126, "cannot run %s", facet_session_error(s));
		else
			code = die(EXIT_USAGE, "%s", facet_session_error(s));
	}
	if (out && out != stderr)
		fclose(out);
	facet_session_free(s);
	cli_plan_free(&plan);
	if (status >= 0)
		die_like(status);
	return code;
}
