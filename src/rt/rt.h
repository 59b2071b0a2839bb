/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-process runtime: facet's code inside every traced process of a
 * view in fast mode (DESIGN.md, "The in-process fast path").
 *
 * It lives in the same image as facet's loader (src/loader/), which the
 * kernel maps at a fixed address at every exec in a view; the loader
 * starts it (rt_start) before it jumps to the program.
 *
 * How calls reach it. The session's filter admits the calls made from the
 * image's one system-call instruction of its own (loader_gate, through
 * loader_syscall6), and sends those made from rt_gate_forward to the
 * supervisor by user notification. A path call the program makes reaches
 * the supervisor as usual; if it comes from the common call site
 * `mov $nr,%eax; syscall` (or glibc 2.41's cancellable-call site,
 * `mov 0x10(%rsp),%rax; syscall`, or ld.so's and libc's open site,
 * `mov $-100,%edi; syscall`), the supervisor also rewrites those 7 bytes
 * into `jmp *RT_SITE_TABLE+8*k` (its bytes 5 and 6 are 0f 05, the
 * syscall instruction, so that a call restarted there, or a thread that
 * had run the mov, still makes the call), and notes the site's number and
 * return address in rt_sites[k]. From then on that
 * site jumps to trampoline k (arch/<cpu>/sites.S), which moves to a stack
 * of the runtime's own and calls rt_site_call(nr, args): the runtime
 * answers the call itself where the kernel would give the view's answer
 * (calls.c), and otherwise makes it from rt_gate_forward (or, a call it
 * never answers, from rt_gate_pass, as the program's own).
 *
 * The runtime takes no signal and changes no mask. A program can tell it
 * is there by reading its own code, by the stack a signal handler runs on
 * when the signal interrupts the runtime, and in /proc/self/maps.
 *
 * Freestanding like the loader: raw system calls, no libc, no allocation,
 * async-signal-safe, no vector registers, nothing relocated.
 */
#ifndef FACET_RT_H
#define FACET_RT_H

#include <stdbool.h>

#include "rt/config.h"

/* Installs the runtime in the process that is about to run the program.
 * Returns 0 or -errno. */
long rt_start(void);

/* A call as the supervisor would have seen it, made through the
 * forwarding instruction (arch/<cpu>/gate.S). */
long rt_forward(long nr, long a, long b, long c, long d, long e, long f);

/* Call nr from a patched site, with the program's arguments a[6]: its
 * result, or RT_PASS (rt/lookup.h) for the trampoline to make it as the
 * program's own from rt_gate_pass. */
long rt_site_call(long nr, const long a[6]);

/* Bit nr set: the runtime may answer call nr (rt_answers, for this
 * session's flags). The trampolines make any other call as the program's
 * own without calling rt_site_call. Numbers from RT_ANSWER_NRS up are
 * never answered. */
#define RT_ANSWER_NRS 512
extern uint64_t rt_answer_bits[RT_ANSWER_NRS / 64];


/* The runtime's answer to call nr (calls.c), or RT_PASS. */
long rt_call(long nr, const long a[6]);

/* Written by the supervisor when it patches a site, before the site's
 * first byte changes (core/view/patch.c); read by the trampolines. */
extern struct rt_site rt_sites[RT_MAX_SITES];
extern uint32_t rt_site_next;

extern struct rt_config rt_config;
/* Written by the supervisor at exec and chdir (config.h). */
extern struct rt_cwd rt_cwd;
/* The cwd's mount as cwd_mount() found it (fds.c): seq << 32 | 1 + mount,
 * one store, for threads. */
extern uint64_t rt_cwd_mount;
/* Fake root's record as the runtime mapped it, or 0 (fake.c). */
struct owners_table;
extern const struct owners_table *rt_owners;
extern bool rt_owners_ring_rw;

#endif
