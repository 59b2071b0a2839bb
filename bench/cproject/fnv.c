/* FNV-1a, 32- and 64-bit. */
#include "fsum.h"

static void init32(uint64_t *s)
{
	*s = 2166136261u;
}

static void update32(uint64_t *s, const unsigned char *p, size_t n)
{
	uint32_t h = (uint32_t)*s;
	while (n--) {
		h ^= *p++;
		h *= 16777619u;
	}
	*s = h;
}

static void init64(uint64_t *s)
{
	*s = 14695981039346656037ull;
}

static void update64(uint64_t *s, const unsigned char *p, size_t n)
{
	uint64_t h = *s;
	while (n--) {
		h ^= *p++;
		h *= 1099511628211ull;
	}
	*s = h;
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	(void)total;
	return *s;
}

const struct fsum_algo fsum_fnv1a32 = { "fnv1a32", 32, init32, update32, final };
const struct fsum_algo fsum_fnv1a64 = { "fnv1a64", 64, init64, update64, final };
