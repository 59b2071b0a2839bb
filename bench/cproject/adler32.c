/* Adler-32 (RFC 1950). */
#include "fsum.h"

#define MOD_ADLER 65521u
#define NMAX 5552               /* largest n with 255n(n+1)/2 + (n+1)(BASE-1) < 2^32 */

static void init(uint64_t *s)
{
	*s = 1;
}

static void update(uint64_t *s, const unsigned char *p, size_t n)
{
	uint32_t a = (uint32_t)*s & 0xFFFF, b = (uint32_t)(*s >> 16) & 0xFFFF;
	while (n) {
		size_t k = n < NMAX ? n : NMAX;
		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= MOD_ADLER;
		b %= MOD_ADLER;
	}
	*s = ((uint64_t)b << 16) | a;
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	(void)total;
	return *s & 0xFFFFFFFFu;
}

const struct fsum_algo fsum_adler32 = { "adler32", 32, init, update, final };
