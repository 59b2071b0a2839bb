/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A session: the engines, the back end chosen for them, and one run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "core/seccomp_compat.h"
#include "core/view/view.h"

struct facet_session *facet_session_new(void)
{
	struct facet_session *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->notify_fd = -1;
	return s;
}

void facet_session_free(struct facet_session *s)
{
	if (!s)
		return;
	task_free_all(s);
	view_stop(s);
	creds_stop(s);
	facet_view_free(s->view);
	for (unsigned i = 0; i < s->nengines; i++)
		facet_engine_free(s->engines[i]);
	free(s->engines);
	if (s->notify_fd >= 0)
		close(s->notify_fd);
	free(s);
}

int facet_session_attach(struct facet_session *s, struct facet_engine *e)
{
	if (!e)
		return -EINVAL;
	if (s->started) {
		facet_engine_free(e);
		return -EBUSY;
	}
	struct facet_engine **v = realloc(s->engines, (s->nengines + 1) * sizeof(*v));
	if (!v) {
		facet_engine_free(e);
		return -ENOMEM;
	}
	s->engines = v;
	e->index = s->nengines;
	e->session = s;
	s->engines[s->nengines++] = e;
	return 0;
}

void facet_session_set_backend(struct facet_session *s, enum facet_backend b) { s->requested = b; }
enum facet_backend facet_session_backend(const struct facet_session *s) { return s->backend; }
const char *facet_session_error(const struct facet_session *s) { return s->error; }
bool facet_session_command_error(const struct facet_session *s) { return s->command_error; }
const struct facet_features *facet_session_features(const struct facet_session *s) { return &s->feat; }

const char *facet_backend_name(enum facet_backend b)
{
	switch (b) {
	case FACET_BACKEND_NOTIFY: return "notify";
	case FACET_BACKEND_PTRACE: return "ptrace";
	default: return "auto";
	}
}

int session_fail(struct facet_session *s, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(s->error))
		snprintf(s->error + n, sizeof(s->error) - (size_t)n, ": %s", strerror(-err));
	return err;
}

int session_fail_text(struct facet_session *s, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	return err;
}

enum call_route session_route(const struct facet_session *s, long nr)
{
	uint64_t clone_mask;
	if (s->backend == FACET_BACKEND_PTRACE || keep_traced_nr(nr, &clone_mask))
		return ROUTE_PTRACE;
	if (view_traps(s, nr))
		return view_route(s, nr);
	/* A result we cannot compute ourselves needs the ptrace exit stop. */
	if ((s->want[nr] & FACET_EV_SYSCALL_EXIT) && !emulate_supported(s, nr))
		return ROUTE_PTRACE;
	return ROUTE_NOTIFY;
}

static int choose_backend(struct facet_session *s)
{
	const struct facet_features *f = &s->feat;
	if (!f->seccomp_filter)
		return session_fail(s, -ENOSYS, "seccomp() failed: the kernel was built without seccomp filters, "
				    "or facet runs under a tool that does not implement them (valgrind does not)");
	if (!f->get_syscall_info)
		return session_fail(s, -ENOSYS, "this kernel lacks PTRACE_GET_SYSCALL_INFO (Linux 5.3 or newer is needed)");
	bool notify_ok = f->user_notif && f->pidfd_getfd;
	switch (s->requested) {
	case FACET_BACKEND_NOTIFY:
		if (!notify_ok)
			return session_fail(s, -EOPNOTSUPP,
					    "seccomp user notification is not available here (an older kernel, or a "
					    "seccomp listener is already installed above us); use --backend=ptrace");
		s->backend = FACET_BACKEND_NOTIFY;
		break;
	case FACET_BACKEND_PTRACE:
		s->backend = FACET_BACKEND_PTRACE;
		break;
	default:
		s->backend = notify_ok ? FACET_BACKEND_NOTIFY : FACET_BACKEND_PTRACE;
	}
	return 0;
}

int session_prepare(struct facet_session *s)
{
	for (unsigned i = 0; i < s->nengines; i++) {
		struct facet_engine *e = s->engines[i];
		if (e->ops->start) {
			int r = e->ops->start(e, s);
			if (r < 0)
				return session_fail(s, r, "starting engine %s", e->ops->name);
		}
	}
	for (unsigned i = 0; i < s->nengines; i++) {
		s->events |= s->engines[i]->events;
		for (long nr = 0; nr < FACET_NR_MAX; nr++)
			s->want[nr] |= s->engines[i]->want[nr];
	}
	for (long nr = 0; nr < FACET_NR_MAX; nr++)
		if ((s->want[nr] & FACET_EV_SYSCALL_EXIT) && emulate_supported(s, nr))
			s->emulating = true;
	int r = creds_start(s);
	return r < 0 ? session_fail(s, r, "reading facet's own credentials") : 0;
}

static void finish_engines(struct facet_session *s)
{
	for (unsigned i = 0; i < s->nengines; i++)
		if (s->engines[i]->ops->finish)
			s->engines[i]->ops->finish(s->engines[i], s);
}

int facet_session_run(struct facet_session *s, char *const argv[])
{
	if (s->started)
		return session_fail(s, -EBUSY, "the session has already run");
	if (!argv || !argv[0])
		return session_fail(s, -EINVAL, "no command");
	int r = probe_features(&s->feat);
	if (r < 0)
		return session_fail(s, r, "probing the kernel");
	if ((r = choose_backend(s)) < 0 || (r = session_prepare(s)) < 0 || (r = view_start(s)) < 0)
		return r;
	struct sock_fprog prog = { 0 };
	if ((r = filter_compile(s, &prog)) < 0)
		return session_fail(s, r, "compiling the seccomp filter");
	s->started = true;
	/* The stub runs on this, in our memory, until it execs (spawn.c). */
	char stub_area[SPAWN_AREA_SIZE] __attribute__((aligned(16)));
	r = spawn_tree(s, argv, &prog, stub_area);
	filter_free(&prog);
	if (r < 0)
		return r;
	r = supervise(s);
	finish_engines(s);
	if (s->exec_error) {
		s->command_error = true;
		return session_fail(s, -s->exec_error, "%s", argv[0]);
	}
	if (r < 0)
		return session_fail(s, r, "supervising the command");
	/* The tree is gone: what the view keeps beyond it (fake root's
	 * record) is saved now, while a failure can still be reported. */
	if ((r = view_end(s)) < 0)
		return r;
	return s->root_status;
}
