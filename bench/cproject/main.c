/* fsum: print checksums of files, in the style of cksum(1). */
#include <stdio.h>
#include <string.h>

#include "fsum.h"

static int sum_one(const struct fsum_algo *a, const char *path)
{
	uint64_t value, len;
	char hex[17];
	int rc = fsum_file(a, path, &value, &len);

	if (rc < 0) {
		fprintf(stderr, "fsum: %s: %s\n", path, strerror(-rc));
		return 1;
	}
	fsum_format(hex, sizeof hex, value, a->bits);
	printf("%s %llu %s\n", hex, (unsigned long long)len, path);
	return 0;
}

int main(int argc, char **argv)
{
	struct fsum_opts o;

	if (fsum_parse_options(argc, argv, &o) < 0) {
		fsum_usage(argv[0]);
		return 2;
	}
	if (o.list) {
		fsum_algo_list();
		return 0;
	}
	if (o.selftest)
		return fsum_selftest(o.verbose);

	const struct fsum_algo *a = fsum_algo_find(o.algo);
	if (!a) {
		fprintf(stderr, "fsum: unknown algorithm '%s' (try --list)\n", o.algo);
		return 2;
	}
	if (o.first_file == argc)
		return sum_one(a, "-");

	int status = 0;
	for (int i = o.first_file; i < argc; i++)
		status |= sum_one(a, argv[i]);
	return status;
}
