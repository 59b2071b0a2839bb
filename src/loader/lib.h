/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The few string and memory functions the loader needs, without libc. */
#ifndef FACET_LOADER_LIB_H
#define FACET_LOADER_LIB_H

#include <stddef.h>

/* The compiler may emit calls to these four even in freestanding code. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t loader_strlen(const char *s);
/* Decimal digits of n into buf (at least 21 bytes); returns where they
 * start in buf. */
const char *loader_decimal(char *buf, unsigned long n);

#endif
