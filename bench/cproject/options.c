/* Command-line parsing. */
#include <stdio.h>
#include <string.h>

#include "fsum.h"

void fsum_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-a ALGO] [-v] [FILE...]\n"
		"       %s --list | --selftest\n"
		"Print a checksum and the size of each FILE (default: standard input).\n",
		prog, prog);
}

int fsum_parse_options(int argc, char **argv, struct fsum_opts *o)
{
	memset(o, 0, sizeof *o);
	o->algo = "crc32";

	int i = 1;
	for (; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--") == 0) {
			i++;
			break;
		} else if (strcmp(s, "-a") == 0) {
			if (++i == argc)
				return -1;
			o->algo = argv[i];
		} else if (strncmp(s, "--algo=", 7) == 0) {
			o->algo = s + 7;
		} else if (strcmp(s, "--list") == 0) {
			o->list = 1;
		} else if (strcmp(s, "--selftest") == 0) {
			o->selftest = 1;
		} else if (strcmp(s, "-v") == 0) {
			o->verbose = 1;
		} else if (s[0] == '-' && s[1] != '\0') {
			return -1;
		} else {
			break;
		}
	}
	o->first_file = i;
	return 0;
}
