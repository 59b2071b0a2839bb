/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The load plan (src/loader/plan.h) without a loader: what
 * loader_plan_build() lays out, that loader_plan_check() (the loader's own
 * check) accepts it and refuses every kind of damage, where
 * loader_plan_place() puts it, and the process name of a filename.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader/plan_build.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL: " __VA_ARGS__); putchar('\n'); } } while (0)

static _Alignas(16) unsigned char buf[LOADER_PLAN_MAX];

static const struct loader_plan_image_spec extras[] = {
	{ "/proc/1/fd/5", 0x60000 },
	{ "/proc/1/fd/6", 0x7f0000000000 },
};

static const struct loader_plan_spec full = {
	.program = "/proc/1/fd/3",
	.interp = "/proc/1/fd/4",
	.execfn = "./prog",
	.comm = "prog",
	.flags = LOADER_PLAN_RANDOMIZE | LOADER_PLAN_RANDOMIZE_BRK,
	.extras = extras,
	.extra_count = 2,
};

static struct loader_plan *plan(void)
{
	return (struct loader_plan *)buf;
}

static void test_build(void)
{
	ssize_t need = loader_plan_build(NULL, 0, &full);
	ssize_t n = loader_plan_build(buf, sizeof(buf), &full);
	CHECK(n > 0 && n == need, "build: %zd bytes, %zd measured", n, need);
	CHECK(loader_plan_build(buf, (size_t)n - 1, &full) == -ENOSPC, "build into a buffer one byte short");
	n = loader_plan_build(buf, sizeof(buf), &full);
	const char *why = NULL;
	CHECK(loader_plan_check(plan(), (uint32_t)n, &why) == 0, "check of a built plan: %s", why);
	struct loader_plan *p = plan();
	CHECK(p->magic == LOADER_PLAN_MAGIC && p->version == LOADER_PLAN_VERSION && p->size == n, "header");
	CHECK(memcmp(&p->magic, "FCLP", 4) == 0, "magic reads FCLP in memory");
	CHECK(p->flags == full.flags, "flags");
	CHECK(strcmp(loader_plan_str(p, p->program), full.program) == 0, "program");
	CHECK(strcmp(loader_plan_str(p, p->interp), full.interp) == 0, "interp");
	CHECK(strcmp(loader_plan_str(p, p->execfn), full.execfn) == 0, "execfn");
	CHECK(strcmp(loader_plan_str(p, p->comm), full.comm) == 0, "comm");
	CHECK(p->extra_count == 2 && p->extras % 8 == 0, "extras: %u at %u", p->extra_count, p->extras);
	const struct loader_plan_image *img = loader_plan_images(p);
	for (int i = 0; i < 2; i++)
		CHECK(img[i].addr == extras[i].addr && strcmp(loader_plan_str(p, img[i].path), extras[i].path) == 0 &&
		      img[i].flags == 0, "extra %d", i);

	struct loader_plan_spec s = full;
	s.interp = NULL;
	s.extra_count = 0;
	n = loader_plan_build(buf, sizeof(buf), &s);
	CHECK(n > 0 && loader_plan_check(plan(), (uint32_t)n, NULL) == 0, "a static program's plan");
	CHECK(plan()->interp == 0 && plan()->extras == 0, "no interpreter, no extras: offsets 0");
}

static void test_build_refuses(void)
{
	char long_path[LOADER_EXECFN_MAX + 1];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	struct loader_plan_image_spec many[LOADER_PLAN_MAX_EXTRAS + 1];
	for (size_t i = 0; i < LOADER_PLAN_MAX_EXTRAS + 1; i++)
		many[i] = (struct loader_plan_image_spec){ "/x", 0x10000 * (i + 1) };
	struct loader_plan_image_spec odd = { "/x", 0x10001 };
	struct {
		const char *what;
		struct loader_plan_spec spec;
		ssize_t want;
	} cases[] = {
		{ "no program", { .execfn = "x", .comm = "x" }, -EINVAL },
		{ "no execfn", { .program = "x", .comm = "x" }, -EINVAL },
		{ "no comm", { .program = "x", .execfn = "x" }, -EINVAL },
		{ "unknown flag", { .program = "x", .execfn = "x", .comm = "x", .flags = 0x100 }, -EINVAL },
		{ "long execfn", { .program = "x", .execfn = long_path, .comm = "x" }, -ENAMETOOLONG },
		{ "too many extras", { .program = "x", .execfn = "x", .comm = "x", .extras = many,
				       .extra_count = LOADER_PLAN_MAX_EXTRAS + 1 }, -E2BIG },
		{ "unaligned extra", { .program = "x", .execfn = "x", .comm = "x", .extras = &odd, .extra_count = 1 },
		  -EINVAL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ssize_t r = loader_plan_build(buf, sizeof(buf), &cases[i].spec);
		CHECK(r == cases[i].want, "build with %s: %zd, expected %zd", cases[i].what, r, cases[i].want);
	}
}

/* Builds the full plan, damages it, and expects the check to refuse it. */
static void refused(const char *what, void (*damage)(struct loader_plan *), int want)
{
	ssize_t n = loader_plan_build(buf, sizeof(buf), &full);
	damage(plan());
	const char *why = NULL;
	int r = loader_plan_check(plan(), (uint32_t)n, &why);
	CHECK(r == want && why != NULL, "check of a plan with %s: %d (%s), expected %d", what, r, why ? why : "-", want);
}

static void bad_magic(struct loader_plan *p) { p->magic = 0x464c457f; }
static void bad_version(struct loader_plan *p) { p->version = LOADER_PLAN_VERSION + 1; }
static void size_beyond(struct loader_plan *p) { p->size += 1; }
static void size_small(struct loader_plan *p) { p->size = sizeof(*p) - 1; }
static void unknown_flag(struct loader_plan *p) { p->flags |= 0x80000000u; }
static void sites_alone(struct loader_plan *p) { p->sites = sizeof(*p); }
static void reserved_set(struct loader_plan *p) { p->reserved = 8; }
static void program_in_header(struct loader_plan *p) { p->program = 4; }
static void program_zero(struct loader_plan *p) { p->program = 0; }
static void execfn_outside(struct loader_plan *p) { p->execfn = p->size; }
static void unterminated(struct loader_plan *p) { ((char *)p)[p->size - 1] = 'x'; }
static void extras_odd(struct loader_plan *p) { p->extras += 4; }
static void extras_count(struct loader_plan *p) { p->extra_count = LOADER_PLAN_MAX_EXTRAS + 1; }
static void extras_beyond(struct loader_plan *p) { p->extras = p->size - 8; }
static void extra_unaligned(struct loader_plan *p) { ((struct loader_plan_image *)((char *)p + p->extras))->addr += 8; }
static void extra_flags(struct loader_plan *p) { ((struct loader_plan_image *)((char *)p + p->extras))[1].flags = 1; }
static void extras_no_count(struct loader_plan *p) { p->extra_count = 0; }

static void test_check(void)
{
	refused("a bad magic", bad_magic, -EPROTO);
	refused("another version", bad_version, -EPROTO);
	refused("a size beyond what is there", size_beyond, -EINVAL);
	refused("a size smaller than the header", size_small, -EINVAL);
	refused("an unknown flag", unknown_flag, -EINVAL);
	refused("call sites without a runtime", sites_alone, -EINVAL);
	refused("a reserved field set", reserved_set, -EINVAL);
	refused("a string in the header", program_in_header, -EINVAL);
	refused("no program", program_zero, -EINVAL);
	refused("a string at the end", execfn_outside, -EINVAL);
	refused("an unterminated string", unterminated, -EINVAL);
	refused("misaligned extras", extras_odd, -EINVAL);
	refused("too many extras", extras_count, -EINVAL);
	refused("extras past the end", extras_beyond, -EINVAL);
	refused("an unaligned extra address", extra_unaligned, -EINVAL);
	refused("extra image flags", extra_flags, -EINVAL);
	refused("extras without a count", extras_no_count, -EINVAL);
	const char *why = NULL;
	CHECK(loader_plan_check(plan(), sizeof(struct loader_plan) - 1, &why) == -EINVAL, "a truncated header");
}

/* A runtime: a flag of the plan; its configuration, which the supervisor
 * writes into the image, must have fake root's path end inside its field,
 * known flags and counts within the arrays, and is written in the parts
 * in use only. */
static void test_runtime(void)
{
	struct loader_plan_spec s = full;
	s.runtime = true;
	ssize_t n = loader_plan_build(buf, sizeof(buf), &s);
	CHECK(n > 0 && loader_plan_check(plan(), (uint32_t)n, NULL) == 0 && (plan()->flags & LOADER_PLAN_RUNTIME),
	      "a plan with a runtime");
	static struct rt_config rc = { .flags = RT_CONFIG_FAKEROOT };
	static const char owners[] = "/tmp/facet-view.x/owners";
	CHECK(rt_config_valid(&rc) && rt_config_owners(&rc)[0] == '\0', "a configuration with nothing packed");
	/* Packed: 1 procfs device, 2 fences and their links (padded to 8),
	 * 1 root, a 40-byte table, the owners path. */
	rc.nproc_devs = 1;
	rc.nfences = 2;
	rc.nroots = 1;
	rc.table_size = 40;
	rc.owners_len = sizeof(owners) - 1;
	memcpy((char *)rc.data + rt_config_owners_at(&rc), owners, sizeof(owners));
	CHECK(rt_config_valid(&rc) && !strcmp(rt_config_owners(&rc), owners), "fake root's configuration");
	CHECK(rt_config_fences_at(&rc) == 8 && rt_config_links_at(&rc) == 40 && rt_config_roots_at(&rc) == 48 &&
	      rt_config_table_at(&rc) == 64 && rt_config_owners_at(&rc) == 104 &&
	      (const char *)rt_config_table(&rc) == (const char *)rc.data + 64,
	      "the parts' places: %u %u %u %u %u", rt_config_fences_at(&rc), rt_config_links_at(&rc),
	      rt_config_roots_at(&rc), rt_config_table_at(&rc), rt_config_owners_at(&rc));
	CHECK(rt_config_size(&rc) == offsetof(struct rt_config, data) + 104 + sizeof(owners) &&
	      rt_config_size(&rc) < 4096 - 64,
	      "the bytes in use: %u, the start of one page", rt_config_size(&rc));
	rc.owners_len = 3;
	CHECK(!rt_config_valid(&rc), "an owners path longer than owners_len says");
	rc.owners_len = sizeof(owners) - 1;
	rc.table_size = RT_TABLE_MAX + 8;
	CHECK(!rt_config_valid(&rc), "a table larger than RT_TABLE_MAX");
	rc.table_size = 40;
	rc.flags = 1u << 31;
	CHECK(!rt_config_valid(&rc), "an unknown runtime flag");
	rc.flags = 0;
	rc.nroots = RT_MAX_ROOTS + 1;
	CHECK(!rt_config_valid(&rc), "more roots than the array holds");
}

/* Call sites: with a runtime only (the interpreter's with an interpreter
 * only), inside the plan, at most LOADER_PLAN_MAX_SITES, each 7 or 8
 * bytes long. */
static void test_sites(void)
{
	static const struct loader_plan_site sites[2] = {
		{ .off = 0x1234, .how = 21, .imm = 21, .orig = { 0xb8, 21, 0, 0, 0, 0x0f, 0x05 }, .len = 7 },
		{ .off = 0x2345, .how = 257, .imm = 257, .orig = { 0xb8, 1, 1, 0, 0, 0x0f, 0x05 }, .len = 7 },
	};
	struct loader_plan_spec s = full;
	s.runtime = true;
	s.sites = sites;
	s.site_count = 2;
	ssize_t n = loader_plan_build(buf, sizeof(buf), &s);
	CHECK(n > 0 && loader_plan_check(plan(), (uint32_t)n, NULL) == 0, "a plan with call sites");
	const struct loader_plan_sites *ps = loader_plan_sites(plan());
	CHECK(ps && plan()->sites % 8 == 0 && ps->count == 2 && ps->site[1].off == 0x2345 &&
	      !memcmp(ps->site[0].orig, sites[0].orig, 8), "the sites as given");
	((struct loader_plan_sites *)(buf + plan()->sites))->count = LOADER_PLAN_MAX_SITES + 1;
	CHECK(loader_plan_check(plan(), (uint32_t)n, NULL) == -EINVAL, "too many call sites");
	((struct loader_plan_sites *)(buf + plan()->sites))->count = 2;
	plan()->sites = ((uint32_t)n - 16) & ~7u;
	memset(buf + plan()->sites, 0, 8);
	((struct loader_plan_sites *)(buf + plan()->sites))->count = 1;
	const char *why = NULL;
	CHECK(loader_plan_check(plan(), (uint32_t)n, &why) == -EINVAL && why && !strcmp(why, "bad call sites"),
	      "call sites past the end");
	s.interp = NULL;
	CHECK(loader_plan_build(buf, sizeof(buf), &s) == -EINVAL, "the interpreter's call sites without an interpreter");
	struct loader_plan_site prog_sites[2] = { sites[0], sites[1] };
	prog_sites[0].image = prog_sites[1].image = LOADER_SITE_PROGRAM;
	prog_sites[1].len = 8;
	s.sites = prog_sites;
	n = loader_plan_build(buf, sizeof(buf), &s);
	CHECK(n > 0 && loader_plan_check(plan(), (uint32_t)n, NULL) == 0, "the program's call sites, no interpreter");
	((struct loader_plan_sites *)(buf + plan()->sites))->site[1].len = 9;
	CHECK(loader_plan_check(plan(), (uint32_t)n, NULL) == -EINVAL, "a call site 9 bytes long");
	((struct loader_plan_sites *)(buf + plan()->sites))->site[1].len = 8;
	((struct loader_plan_sites *)(buf + plan()->sites))->site[1].reserved[5] = 1;
	CHECK(loader_plan_check(plan(), (uint32_t)n, NULL) == -EINVAL, "a call site's reserved byte set");
	((struct loader_plan_sites *)(buf + plan()->sites))->site[1].reserved[5] = 0;
	((struct loader_plan_sites *)(buf + plan()->sites))->site[0].image = LOADER_SITE_INTERP;
	CHECK(loader_plan_check(plan(), (uint32_t)n, &why) == -EINVAL && !strcmp(why, "bad call site"),
	      "a plan with an interpreter's call site and no interpreter");
	prog_sites[0].len = 6;
	CHECK(loader_plan_build(buf, sizeof(buf), &s) == -EINVAL, "a call site 6 bytes long");
	s.sites = sites;
	s.interp = full.interp;
	s.site_count = LOADER_PLAN_MAX_SITES + 1;
	CHECK(loader_plan_build(buf, sizeof(buf), &s) == -E2BIG, "more call sites than a plan takes");
}

static void test_place(void)
{
	uint64_t sp = 0x7ffc12345678, addr = 0;
	CHECK(loader_plan_place(sp, 300, &addr) == 0, "place 300 bytes");
	CHECK(addr % 16 == 0 && addr + 300 <= sp - LOADER_STACK_RESERVE &&
	      addr >= sp - LOADER_STACK_RESERVE - 300 - 15, "placed at %#llx for sp %#llx",
	      (unsigned long long)addr, (unsigned long long)sp);
	CHECK(loader_plan_place(sp, LOADER_PLAN_MAX + 1, &addr) == -E2BIG, "place a plan too big");
	CHECK(loader_plan_place(sp, 8, &addr) == -E2BIG, "place less than a header");
	CHECK(loader_plan_place(4096, 300, &addr) == -EINVAL, "place below a tiny stack pointer");
}

static void test_comm(void)
{
	struct { const char *filename, *comm; } cases[] = {
		{ "/usr/bin/python3", "python3" },
		{ "ls", "ls" },
		{ "./a-very-long-program-name", "a-very-long-pro" },
		{ "dir/", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char comm[LOADER_COMM_LEN];
		loader_plan_comm(comm, cases[i].filename);
		CHECK(strcmp(comm, cases[i].comm) == 0, "comm of %s: %s, expected %s", cases[i].filename, comm,
		      cases[i].comm);
	}
}

int main(void)
{
	test_build();
	test_build_refuses();
	test_check();
	test_runtime();
	test_sites();
	test_place();
	test_comm();
	int flags = loader_plan_aslr_flags();
	CHECK(flags >= 0 && !(flags & ~LOADER_PLAN_FLAGS_KNOWN), "loader_plan_aslr_flags: %d", flags);
	if (failures) {
		printf("%d failures\n", failures);
		return 1;
	}
	return 0;
}
