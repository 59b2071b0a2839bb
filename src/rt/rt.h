/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-process runtime: facet's code inside every traced process of a
 * view in fast mode (DESIGN.md, "The in-process fast path").
 *
 * It lives in the same image as facet's loader (src/loader/), which the
 * kernel maps at a fixed address at every exec in a view; the loader
 * starts it (rt_start) before it jumps to the program. The session's
 * seccomp filter then
 *   - admits every call made from the image's own code (the runtime's and
 *     the loader's), by instruction pointer;
 *   - sends the calls the runtime serves, made by the program, to it as a
 *     SIGSYS (SECCOMP_RET_TRAP with RT_TRAP_DATA);
 *   - sends what the runtime cannot do itself to the supervisor, by user
 *     notification, when the runtime makes it from rt_gate_forward.
 *
 * Freestanding like the loader: raw system calls, no libc, no allocation,
 * async-signal-safe, no vector registers, nothing relocated.
 */
#ifndef FACET_RT_H
#define FACET_RT_H

#include "rt/config.h"

/* Installs the runtime in the process that is about to run the program:
 * copies the configuration and takes SIGSYS. Returns 0 or -errno. */
long rt_start(const struct rt_config *config);

/* A call as the supervisor would have seen it, made through the
 * forwarding instruction (arch/<cpu>/gate.S). */
long rt_forward(long nr, long a, long b, long c, long d, long e, long f);

/* What a SIGSYS handler the runtime installs returns through. */
void rt_restorer(void);

/* The runtime's answer to call nr with arguments a[6] that the filter
 * trapped (dispatch.c). */
long rt_call(long nr, const long a[6]);

/* signals.c: the program's signal calls, with SIGSYS kept for the
 * runtime. */
extern struct rt_config rt_config;
long rt_signal_call(long nr, const long a[6]);
struct rt_sigaction;
void rt_signals_start(const struct rt_sigaction *before);
void rt_program_sigsys(int sig, void *info, void *uc);

#endif
