/* fsum: a small checksum tool, used as the `make -j2` benchmark workload. */
#ifndef FSUM_H
#define FSUM_H

#include <stddef.h>
#include <stdint.h>

/* One checksum algorithm: init a state, feed it bytes, finish into a value. */
struct fsum_algo {
	const char *name;
	int bits;                       /* width of the result: 16, 32 or 64 */
	void (*init)(uint64_t *state);
	void (*update)(uint64_t *state, const unsigned char *buf, size_t len);
	uint64_t (*final)(uint64_t *state, uint64_t total_len);
};

extern const struct fsum_algo fsum_crc32;
extern const struct fsum_algo fsum_adler32;
extern const struct fsum_algo fsum_fnv1a32;
extern const struct fsum_algo fsum_fnv1a64;
extern const struct fsum_algo fsum_bsdsum;
extern const struct fsum_algo fsum_sysvsum;
extern const struct fsum_algo fsum_djb2;
extern const struct fsum_algo fsum_murmur3;

/* algo.c */
const struct fsum_algo *fsum_algo_find(const char *name);
void fsum_algo_list(void);
size_t fsum_algo_count(void);
const struct fsum_algo *fsum_algo_at(size_t i);

/* readfile.c: checksum a whole file ("-" for stdin); 0 or -errno. */
int fsum_file(const struct fsum_algo *a, const char *path, uint64_t *out, uint64_t *len);
uint64_t fsum_buffer(const struct fsum_algo *a, const void *buf, size_t len);

/* hexfmt.c */
void fsum_format(char *dst, size_t dstlen, uint64_t value, int bits);

/* selftest.c: 0 if all known answers match. */
int fsum_selftest(int verbose);

/* options.c */
struct fsum_opts {
	const char *algo;
	int list;
	int selftest;
	int verbose;
	int first_file;                 /* index into argv */
};
int fsum_parse_options(int argc, char **argv, struct fsum_opts *o);
void fsum_usage(const char *prog);

#endif
