/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Engines: what they ask for, and the decisions they make on a call. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"

struct facet_engine *facet_engine_new(const struct facet_engine_ops *ops, void *priv)
{
	struct facet_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->ops = ops;
	e->priv = priv;
	return e;
}

void facet_engine_free(struct facet_engine *e)
{
	if (!e)
		return;
	if (e->ops->release)
		e->ops->release(e);
	free(e);
}

void *facet_engine_priv(const struct facet_engine *e) { return e->priv; }
const char *facet_engine_name(const struct facet_engine *e) { return e->ops->name; }

#define SYSCALL_EVENTS (FACET_EV_SYSCALL_ENTRY | FACET_EV_SYSCALL_EXIT)

int facet_engine_want_syscall(struct facet_engine *e, long nr, unsigned events)
{
	if (nr < 0 || nr >= FACET_NR_MAX || (events & ~SYSCALL_EVENTS) || !events)
		return -EINVAL;
	if (e->session && e->session->started)
		return -EBUSY; /* the filter is already in the kernel */
	e->want[nr] |= events;
	return 0;
}

int facet_engine_want_class(struct facet_engine *e, unsigned classes, unsigned events)
{
	size_t cur = 0;
	const struct facet_syscall_info *info;
	while ((info = facet_syscall_next(&cur)))
		if (info->classes & classes) {
			int r = facet_engine_want_syscall(e, info->nr, events);
			if (r < 0)
				return r;
		}
	return 0;
}

int facet_engine_want_all(struct facet_engine *e, unsigned events)
{
	size_t cur = 0;
	const struct facet_syscall_info *info;
	while ((info = facet_syscall_next(&cur))) {
		int r = facet_engine_want_syscall(e, info->nr, events);
		if (r < 0)
			return r;
	}
	return 0;
}

void facet_engine_want_events(struct facet_engine *e, unsigned events)
{
	e->events |= events & ~SYSCALL_EVENTS;
}

/* A decision replaces the current one only if it ranks strictly higher:
 * the most interventionist action wins, and the first engine among equals. */
static int decide(struct facet_syscall *sc, const struct facet_engine *e, enum facet_action a)
{
	if (sc->action >= a)
		return -EALREADY;
	/* An fd handed over for injection is the session's: close it if a
	 * stronger decision means it will not be injected. */
	if (sc->action == FACET_INJECT_FD && sc->inject_fd >= 0) {
		close(sc->inject_fd);
		sc->inject_fd = -1;
	}
	sc->action = a;
	sc->decided_by = e;
	return 0;
}

int facet_syscall_fail(struct facet_syscall *sc, const struct facet_engine *e, int err)
{
	if (err <= 0 || err > 4095)
		return -EINVAL;
	int r = decide(sc, e, FACET_FAIL);
	if (r == 0)
		sc->retval = -err;
	return r;
}

int facet_syscall_complete(struct facet_syscall *sc, const struct facet_engine *e, int64_t value)
{
	int r = decide(sc, e, FACET_COMPLETE);
	if (r == 0)
		sc->retval = value;
	return r;
}

int facet_syscall_inject_fd(struct facet_syscall *sc, const struct facet_engine *e, int fd, bool cloexec)
{
	struct call *c = container_of(sc, struct call, sc);
	if (fd < 0)
		return -EBADF;
	int r = c->can_inject ? decide(sc, e, FACET_INJECT_FD) : -EOPNOTSUPP;
	if (r < 0)
		close(fd); /* owned by the session from the call on, even when refused */
	if (r == 0) {
		sc->inject_fd = fd;
		sc->inject_cloexec = cloexec;
	}
	return r;
}

int facet_syscall_rewrite(struct facet_syscall *sc, const struct facet_engine *e, unsigned argi, uint64_t value)
{
	struct call *c = container_of(sc, struct call, sc);
	if (argi >= FACET_MAX_ARGS)
		return -EINVAL;
	if (!c->can_rewrite)
		return -EOPNOTSUPP;
	if (sc->action > FACET_REWRITE)
		return -EALREADY;
	/* Several engines may rewrite different arguments of one call. */
	if (sc->action < FACET_REWRITE) {
		sc->action = FACET_REWRITE;
		sc->decided_by = e;
	}
	sc->args[argi] = value;
	return 0;
}
