/* Bernstein's djb2 string hash (h * 33 + c), applied to a byte stream. */
#include "fsum.h"

static void init(uint64_t *s)
{
	*s = 5381;
}

static void update(uint64_t *s, const unsigned char *p, size_t n)
{
	uint32_t h = (uint32_t)*s;
	while (n--)
		h = h * 33u + *p++;
	*s = h;
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	(void)total;
	return (uint32_t)*s;
}

const struct fsum_algo fsum_djb2 = { "djb2", 32, init, update, final };
