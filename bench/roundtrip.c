/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * roundtrip: a loadable facet engine for bench/run.sh that wants the entry
 * of getppid and lets it run. No engine wants its exit and getppid is not a
 * call the core performs itself, so the supervisor answers each one with
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE: what getppid-loop then measures is the
 * bare user-notification round trip through facet's own loop (wake up,
 * receive, dispatch, answer), with no work on the call:
 *
 *     facet --backend=notify --engine=./roundtrip.so -- getppid-loop N
 *
 * It uses only the public header, <facet/facet.h>.
 */
#include <errno.h>
#include <sys/syscall.h>

#include <facet/facet.h>

static int on_start(struct facet_engine *e, struct facet_session *s)
{
	(void)s;
	return facet_engine_want_syscall(e, SYS_getppid, FACET_EV_SYSCALL_ENTRY);
}

static void on_entry(struct facet_engine *e, struct facet_task *t, struct facet_syscall *sc)
{
	(void)e, (void)t, (void)sc; /* FACET_RUN: the kernel runs it */
}

static const struct facet_engine_ops roundtrip_ops = {
	.name = "roundtrip",
	.start = on_start,
	.syscall_entry = on_entry,
};

__attribute__((visibility("default")))
struct facet_engine *facet_plugin_init(const char *arg)
{
	if (arg) {
		errno = EINVAL;
		return NULL;
	}
	return facet_engine_new(&roundtrip_ops, NULL);
}
