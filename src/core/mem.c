/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and writing tracee memory with process_vm_readv/writev: one system
 * call per transfer, no ptrace stop needed, and EFAULT exactly where the
 * tracee itself would fault. */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include <limits.h>
#include <stdlib.h>

#include "core/internal.h"

#define PAGE 4096u

/*
 * While the supervisor handles one call the tracee is stopped, yet the same
 * bytes are wanted several times: the tracer decodes a path, then the core
 * emulating the call reads it again; the core writes a stat buffer, then the
 * tracer decodes it. Each process_vm_readv costs about a microsecond, so the
 * last strings read and the last region written are kept for the duration
 * of the call. Confinement needs this too: the emulated call must act on
 * the very bytes the engines saw.
 */
#define CACHED_STRINGS 2
#define CACHED_WRITE_MAX 512

struct mem_cache {
	struct { uint64_t addr; size_t len; bool valid; char data[PATH_MAX]; } str[CACHED_STRINGS];
	unsigned next;
	uint64_t waddr;
	size_t wlen;
	unsigned char wdata[CACHED_WRITE_MAX];
};

void mem_cache_reset(struct facet_task *t)
{
	struct mem_cache *c = t->memcache;
	if (!c)
		return;
	for (unsigned i = 0; i < CACHED_STRINGS; i++)
		c->str[i].valid = false;
	c->wlen = 0;
}

ssize_t mem_writev(struct facet_task *t, const struct iovec *local, const struct iovec *remote, size_t n,
		   size_t total)
{
	mem_cache_reset(t); /* what was read or written there is stale */
	ssize_t w = process_vm_writev(t->tid, local, n, remote, n, 0);
	if (w < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)w == total ? w : -EFAULT;
}

void mem_cache_free(struct facet_task *t)
{
	free(t->memcache);
	t->memcache = NULL;
}

static struct mem_cache *cache_of(struct facet_task *t)
{
	if (!t->memcache)
		t->memcache = calloc(1, sizeof(struct mem_cache));
	return t->memcache;
}

static bool overlaps(uint64_t a, size_t alen, uint64_t b, size_t blen)
{
	return a < b + blen && b < a + alen;
}

static ssize_t vm_xfer(pid_t tid, uint64_t addr, void *buf, size_t len, bool write)
{
	if (len == 0)
		return 0;
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n = write ? process_vm_writev(tid, &local, 1, &remote, 1, 0)
			  : process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return n;
}

ssize_t facet_mem_read(struct facet_task *t, uint64_t addr, void *buf, size_t len)
{
	const struct mem_cache *c = t->memcache;
	if (c && c->wlen && addr >= c->waddr && addr - c->waddr + len <= c->wlen) {
		memcpy(buf, c->wdata + (addr - c->waddr), len);
		return (ssize_t)len;
	}
	ssize_t n = vm_xfer(t->tid, addr, buf, len, false);
	return n >= 0 && (size_t)n < len ? -EFAULT : n;
}

ssize_t facet_mem_write(struct facet_task *t, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n = vm_xfer(t->tid, addr, (void *)buf, len, true);
	if (n >= 0 && (size_t)n < len)
		n = -EFAULT;
	struct mem_cache *c = t->memcache;
	if (c) {
		for (unsigned i = 0; i < CACHED_STRINGS; i++)
			if (c->str[i].valid && overlaps(addr, len, c->str[i].addr, c->str[i].len + 1))
				c->str[i].valid = false;
		c->wlen = 0;
	}
	if (n > 0 && len <= CACHED_WRITE_MAX && (c = cache_of(t))) {
		memcpy(c->wdata, buf, len);
		c->waddr = addr;
		c->wlen = len;
	}
	return n;
}

static ssize_t read_string(struct facet_task *t, uint64_t addr, char *buf, size_t size);

ssize_t facet_mem_read_string(struct facet_task *t, uint64_t addr, char *buf, size_t size)
{
	struct mem_cache *c = t->memcache;
	for (unsigned i = 0; c && i < CACHED_STRINGS; i++)
		if (c->str[i].valid && c->str[i].addr == addr && c->str[i].len < size) {
			memcpy(buf, c->str[i].data, c->str[i].len + 1);
			return (ssize_t)c->str[i].len;
		}
	ssize_t n = read_string(t, addr, buf, size);
	if (n >= 0 && (size_t)n < PATH_MAX && (c = cache_of(t))) {
		unsigned i = c->next++ % CACHED_STRINGS;
		memcpy(c->str[i].data, buf, (size_t)n + 1);
		c->str[i].addr = addr;
		c->str[i].len = (size_t)n;
		c->str[i].valid = true;
	}
	return n;
}

static ssize_t read_string(struct facet_task *t, uint64_t addr, char *buf, size_t size)
{
	if (size == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	if (addr == 0)
		return -EFAULT;
	size_t got = 0;
	/* Read up to each page boundary so an unmapped next page does not fail
	 * a string that ends before it. */
	while (got < size) {
		size_t chunk = PAGE - (size_t)((addr + got) % PAGE);
		if (chunk > size - got)
			chunk = size - got;
		ssize_t n = vm_xfer(t->tid, addr + got, buf + got, chunk, false);
		if (n <= 0) {
			buf[0] = '\0';
			return n < 0 ? n : -EFAULT;
		}
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}
