/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), table driven. */
#include "fsum.h"

static uint32_t table[256];
static int table_ready;

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	table_ready = 1;
}

static void init(uint64_t *s)
{
	if (!table_ready)
		make_table();
	*s = 0xFFFFFFFFu;
}

static void update(uint64_t *s, const unsigned char *p, size_t n)
{
	uint32_t c = (uint32_t)*s;
	while (n--)
		c = table[(c ^ *p++) & 0xFF] ^ (c >> 8);
	*s = c;
}

static uint64_t final(uint64_t *s, uint64_t total)
{
	(void)total;
	return (uint32_t)*s ^ 0xFFFFFFFFu;
}

const struct fsum_algo fsum_crc32 = { "crc32", 32, init, update, final };
