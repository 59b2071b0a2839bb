/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the supervisor (core/view/holder.c) and facet-holder (holder.c) say
 * to each other over their socket pair. Freestanding: both sides include it.
 */
#ifndef FACET_HOLDER_PROTOCOL_H
#define FACET_HOLDER_PROTOCOL_H

#include <stdint.h>

/* A request; HOLDER_PLACE comes with one fd (SCM_RIGHTS). The answer
 * carries its request's number, so that an answer that comes too late is
 * never taken for the next one's; its value is 0, a proxy's pid, or
 * -errno. The holder's first answer, number 0, unasked, says it is ready. */
enum holder_op { HOLDER_PLACE = 1, HOLDER_PROXY };
struct holder_msg {
	uint32_t seq;
	int32_t op;
	int32_t fd;                        /* HOLDER_PLACE: the number to put it at */
	uint32_t uid, gid;                 /* HOLDER_PROXY: the proxy's ids */
};
struct holder_answer {
	uint32_t seq;
	int32_t value;
};

/* facet-holder's arguments: argv[1] the supervisor's pid, argv[2] the fd
 * of its end of the socket pair, both in decimal. */
#define HOLDER_ARGC 3

#endif
