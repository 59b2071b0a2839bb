/* MurmurHash3 x86_32 with seed 0, streamed: the state keeps the running hash
 * in the low 32 bits, up to 3 pending tail bytes in bits 32..55 and their
 * count in bits 56..63. */
#include "fsum.h"

static uint32_t rotl32(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static uint32_t mix_k(uint32_t k)
{
	k *= 0xcc9e2d51u;
	k = rotl32(k, 15);
	return k * 0x1b873593u;
}

static void init(uint64_t *s)
{
	*s = 0;
}

static void update(uint64_t *s, const unsigned char *p, size_t n)
{
	uint32_t h = (uint32_t)*s;
	uint32_t tail = (uint32_t)(*s >> 32) & 0xFFFFFF;
	unsigned cnt = (unsigned)(*s >> 56);

	while (n--) {
		tail |= (uint32_t)*p++ << (8 * cnt);
		if (++cnt == 4) {
			h ^= mix_k(tail);
			h = rotl32(h, 13);
			h = h * 5 + 0xe6546b64u;
			tail = 0;
			cnt = 0;
		}
	}
	*s = h | ((uint64_t)tail << 32) | ((uint64_t)cnt << 56);
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	uint32_t h = (uint32_t)*s;
	uint32_t tail = (uint32_t)(*s >> 32) & 0xFFFFFF;
	if (*s >> 56)
		h ^= mix_k(tail);
	h ^= (uint32_t)total;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

const struct fsum_algo fsum_murmur3 = { "murmur3", 32, init, update, final };
