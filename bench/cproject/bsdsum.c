/* The BSD `sum` algorithm: 16-bit checksum with a right rotation per byte. */
#include "fsum.h"

static void init(uint64_t *s)
{
	*s = 0;
}

static void update(uint64_t *s, const unsigned char *p, size_t n)
{
	uint32_t c = (uint32_t)*s;
	while (n--) {
		c = (c >> 1) + ((c & 1) << 15);
		c = (c + *p++) & 0xFFFF;
	}
	*s = c;
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	(void)total;
	return *s & 0xFFFF;
}

const struct fsum_algo fsum_bsdsum = { "bsdsum", 16, init, update, final };
