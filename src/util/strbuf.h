/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable string, for building trace lines and messages. */
#ifndef FACET_UTIL_STRBUF_H
#define FACET_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *s;      /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { 0 }

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
__attribute__((format(printf, 2, 3))) void strbuf_printf(struct strbuf *b, const char *fmt, ...);
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap);
/* Quoted and escaped like strace: "a\nb", at most `max` bytes shown, then "...". */
void strbuf_quote(struct strbuf *b, const char *s, size_t n, size_t max, int truncated);
/* The same escapes without the quotes, and bytes in `extra` in octal too
 * (strace's -y paths: "<>"). */
void strbuf_quote_bare(struct strbuf *b, const char *s, size_t n, const char *extra);
/* Escaped for a JSON string value (without the surrounding quotes). */
void strbuf_json_escape(struct strbuf *b, const char *s, size_t n);
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
