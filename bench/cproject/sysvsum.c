/* The System V `sum -s` algorithm: byte sum folded to 16 bits. */
#include "fsum.h"

static void init(uint64_t *s)
{
	*s = 0;
}

static void update(uint64_t *s, const unsigned char *p, size_t n)
{
	uint64_t c = *s;
	while (n--)
		c += *p++;
	*s = c;
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	(void)total;
	uint64_t r = (*s & 0xFFFF) + ((*s & 0xFFFFFFFFu) >> 16);
	return (r & 0xFFFF) + (r >> 16);
}

const struct fsum_algo fsum_sysvsum = { "sysvsum", 16, init, update, final };
