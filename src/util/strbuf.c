/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Running out of memory while formatting a trace line leaves nothing sane to
 * do: the callers have no error path, so stop here rather than print garbage. */
static void grow(struct strbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		abort();
	b->s = s;
	b->cap = cap;
}

void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	grow(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_putc(struct strbuf *b, char c)
{
	strbuf_add(b, &c, 1);
}

void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list copy;

	/* Most pieces are short: try the space we have before measuring. */
	grow(b, 64);
	va_copy(copy, ap);
	int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		grow(b, (size_t)n);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

static bool is_octal_digit(unsigned char c)
{
	return c >= '0' && c <= '7';
}

/* The escapes of strace's string_quote(): C escapes for the usual
 * controls, octal for other bytes that are not printable ASCII or are in
 * `extra`. */
static void quote_bytes(struct strbuf *b, const unsigned char *u, size_t shown, const char *extra)
{
	grow(b, shown * 4 + 5);
	for (size_t i = 0; i < shown; i++) {
		unsigned char c = u[i];
		switch (c) {
		case '"': case '\\':
			strbuf_putc(b, '\\');
			strbuf_putc(b, (char)c);
			continue;
		case '\f': strbuf_puts(b, "\\f"); continue;
		case '\n': strbuf_puts(b, "\\n"); continue;
		case '\r': strbuf_puts(b, "\\r"); continue;
		case '\t': strbuf_puts(b, "\\t"); continue;
		case '\v': strbuf_puts(b, "\\v"); continue;
		}
		if (c >= ' ' && c < 0x7f && !(extra && strchr(extra, c))) {
			strbuf_putc(b, (char)c);
			continue;
		}
		/* strace uses the shortest octal form unless the next shown
		 * byte is an octal digit, which would be read as part of it. */
		char oct[5];
		if (i + 1 < shown && is_octal_digit(u[i + 1]))
			snprintf(oct, sizeof(oct), "\\%03o", c);
		else
			snprintf(oct, sizeof(oct), "\\%o", c);
		strbuf_puts(b, oct);
	}
}

void strbuf_quote(struct strbuf *b, const char *s, size_t n, size_t max, int truncated)
{
	strbuf_putc(b, '"');
	quote_bytes(b, (const unsigned char *)s, n < max ? n : max, NULL);
	strbuf_putc(b, '"');
	if (truncated || n > max)
		strbuf_puts(b, "...");
}

void strbuf_quote_bare(struct strbuf *b, const char *s, size_t n, const char *extra)
{
	quote_bytes(b, (const unsigned char *)s, n, extra);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. Overlong
 * forms, surrogates and code points past U+10FFFF are invalid, as RFC 3629
 * says, so that the output is acceptable to strict JSON parsers. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len > n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void strbuf_json_escape(struct strbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	grow(b, n);
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		if (c == '"' || c == '\\') {
			strbuf_putc(b, '\\');
			strbuf_putc(b, (char)c);
			i++;
		} else if (c < 0x20) {
			strbuf_printf(b, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			strbuf_putc(b, (char)c);
			i++;
		} else {
			size_t len = utf8_len(u + i, n - i);
			if (len) {
				strbuf_add(b, s + i, len);
				i += len;
			} else {
				/* Not text: keep the byte value visible
				 * rather than drop it or emit invalid JSON. */
				strbuf_printf(b, "\\u%04x", c);
				i++;
			}
		}
	}
}

void strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
