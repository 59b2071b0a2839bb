/* Format a checksum as fixed-width lower-case hex. */
#include "fsum.h"

void fsum_format(char *dst, size_t dstlen, uint64_t value, int bits)
{
	static const char digits[] = "0123456789abcdef";
	size_t nd = (size_t)bits / 4;

	if (dstlen == 0)
		return;
	if (nd >= dstlen)
		nd = dstlen - 1;
	for (size_t i = 0; i < nd; i++) {
		dst[nd - 1 - i] = digits[value & 0xF];
		value >>= 4;
	}
	dst[nd] = '\0';
}
