/* The table of algorithms, looked up by name. */
#include <stdio.h>
#include <string.h>

#include "fsum.h"

static const struct fsum_algo *const algos[] = {
	&fsum_crc32, &fsum_adler32, &fsum_fnv1a32, &fsum_fnv1a64,
	&fsum_bsdsum, &fsum_sysvsum, &fsum_djb2, &fsum_murmur3,
};

size_t fsum_algo_count(void)
{
	return sizeof(algos) / sizeof(algos[0]);
}

const struct fsum_algo *fsum_algo_at(size_t i)
{
	return i < fsum_algo_count() ? algos[i] : NULL;
}

const struct fsum_algo *fsum_algo_find(const char *name)
{
	for (size_t i = 0; i < fsum_algo_count(); i++)
		if (strcmp(algos[i]->name, name) == 0)
			return algos[i];
	return NULL;
}

void fsum_algo_list(void)
{
	for (size_t i = 0; i < fsum_algo_count(); i++)
		printf("%-8s %2d bits\n", algos[i]->name, algos[i]->bits);
}
