/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

void cli_usage(FILE *out)
{
	fputs("Usage: facet trace [OPTIONS] [--] COMMAND [ARG...]\n"
	      "       facet [-r ROOT | -R ROOT] [-b HOST[:GUEST][:ro]]... [-w DIR] [--trace[=SET]]\n"
	      "             [-0 | -i UID:GID] [--fakeroot-state FILE]\n"
	      "             [OPTIONS] [--] [COMMAND [ARG...]]\n"
	      "\n"
	      "Run COMMAND and its whole process tree under the facet supervisor.\n"
	      "\n"
	      "Tracing (lines in the format of strace -f -o FILE):\n"
	      "  -e trace=SET, -e SET   trace only the calls in SET: call names and classes\n"
	      "                         %file %desc %process %network %signal %memory %ipc\n"
	      "                         %creds %clock %stat, comma-separated; all, none;\n"
	      "                         a leading ! negates (default: all)\n"
	      "      --trace[=SET]      the same as 'facet trace -e trace=SET'\n"
	      "  -o FILE                write the trace to FILE instead of standard error\n"
	      "  -s N                   show at most N bytes of strings and buffers (32)\n"
	      "  -y                     print the paths of file descriptors: 3</etc/passwd>\n"
	      "  -t, -tt, -ttt          prefix lines with the time of day, with microseconds,\n"
	      "                         or as seconds since the epoch\n"
	      "  -T                     show the time spent in each call: <0.000012>\n"
	      "  -q, -qq, -qqq          -qq: no '+++ exited with N +++' lines; -qqq: no\n"
	      "                         '+++ superseded by execve' lines either (-q alone\n"
	      "                         changes nothing: facet prints no attach messages)\n"
	      "  -f                     accepted for strace's sake: facet always follows\n"
	      "                         forks, clones and threads\n"
	      "      --json             one JSON object per call per line\n"
	      "  -c                     count calls, errors and time; print a table at exit\n"
	      "\n"
	      "View (a private view of the file system; short forms as PRoot's):\n"
	      "  -r, --rootfs=ROOT      the host directory ROOT is the view's /\n"
	      "  -R ROOT                the same, with the host's /dev /proc /sys /tmp /run $HOME\n"
	      "                         and /etc/{resolv.conf,hosts,hostname,localtime,\n"
	      "                         nsswitch.conf,host.conf} bound into it\n"
	      "  -b, --bind=HOST[:GUEST][:ro]\n"
	      "                         mount the host file or directory HOST at GUEST\n"
	      "                         (default: the same path); :ro makes it read-only\n"
	      "  -w, --cwd=DIR          start in DIR (default: the current directory if the\n"
	      "                         view shows it, else /)\n"
	      "                         Without COMMAND, a view runs /bin/sh.\n"
	      "      --fast             (default) a runtime inside each process answers\n"
	      "                         the view's path calls; the rest go to facet\n"
	      "      --confine          facet itself decides every path call (slower; the\n"
	      "                         view holds even against a hostile program, as far\n"
	      "                         as facet(1), VIEWS, says)\n"
	      "                         Both confine the tree to the view's mounts with\n"
	      "                         Landlock where the kernel has it (-v says).\n"
	      "      --no-fast          facet alone, without the runtime or Landlock\n"
	      "\n"
	      "Fake root (a view; facet(1), FAKE ROOT):\n"
	      "  -0, --root-id          the tree believes it is root: chown, chmod and mknod\n"
	      "                         of devices are recorded and shown back to it\n"
	      "  -i, --change-id=UID:GID  the same with the identity UID:GID\n"
	      "      --fakeroot-state=FILE  load the record of owners, modes, devices and\n"
	      "                         security.*/trusted.* xattrs from FILE at start, save\n"
	      "                         it there at the end (under a lock; several runs may\n"
	      "                         share FILE)\n"
	      "\n"
	      "Engines:\n"
	      "      --engine=PATH[:ARG]  load an engine from a shared object (see\n"
	      "                         libfacet(3)); several may be given, and they are\n"
	      "                         attached in order, before the tracer\n"
	      "\n"
	      "Supervisor:\n"
	      "      --backend=NAME     auto (default), notify (seccomp user notification)\n"
	      "                         or ptrace\n"
	      "  -v                     say which back end and kernel features are used,\n"
	      "                         and whether Landlock confines a view\n"
	      "  -h, --help             show this help\n"
	      "  -V, --version          show the version\n"
	      "\n"
	      "Calls outside SET run natively: the kernel's seccomp filter lets them through.\n"
	      "The exit status is COMMAND's, or 128+N if it was killed by signal N.\n",
	      out);
}

enum { OPT_JSON = 256, OPT_BACKEND, OPT_TRACE, OPT_ENGINE };

/* strace takes -s up to UINT_MAX / 4. */
#define STRING_MAX_LIMIT (4294967295u / 4)

static int fail(char *err, size_t errlen, const char *fmt, const char *what)
{
	snprintf(err, errlen, fmt, what);
	return -1;
}

static int parse_backend(const char *name, enum facet_backend *out)
{
	static const struct { const char *name; enum facet_backend b; } names[] = {
		{ "auto", FACET_BACKEND_AUTO }, { "notify", FACET_BACKEND_NOTIFY },
		{ "ptrace", FACET_BACKEND_PTRACE },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].b;
			return 0;
		}
	return -1;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > STRING_MAX_LIMIT)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* The name of the option getopt just rejected (c is ':' or '?'), as the
 * user wrote it: a long one is the whole argument; a short one may sit in
 * a group ("-yZ"), and getopt has not always moved past that group yet. */
static const char *bad_option(int c, char **argv, char *buf, size_t size)
{
	const char *arg = argv[optind - 1];
	bool long_opt = strncmp(arg, "--", 2) == 0 && (optopt == 0 || optopt >= 256 || c == ':');
	if (long_opt || optopt <= 0 || optopt >= 256)
		return arg;
	snprintf(buf, size, "-%c", optopt);
	return buf;
}

int cli_parse(int argc, char **argv, struct cli_plan *plan, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "trace", optional_argument, NULL, OPT_TRACE },
		{ "output", required_argument, NULL, 'o' },
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ "bind", required_argument, NULL, 'b' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "fast", no_argument, NULL, CLI_OPT_FAST },
		{ "confine", no_argument, NULL, CLI_OPT_CONFINE },
		{ "no-fast", no_argument, NULL, CLI_OPT_NO_FAST },
		{ "root-id", no_argument, NULL, '0' },
		{ "change-id", required_argument, NULL, 'i' },
		{ "fakeroot-state", required_argument, NULL, CLI_OPT_FAKEROOT_STATE },
		{ 0 },
	};
	memset(plan, 0, sizeof(*plan));
	plan->trace_set = "all";
	plan->string_max = 32;
	int first = 1;
	if (argc > 1 && strcmp(argv[1], "trace") == 0) {
		plan->trace = true;
		first = 2;
	}
	/* getopt_long starts at optind; "+" stops at the command's name, ":"
	 * tells a missing argument (':') from an unknown option ('?'). */
	optind = first;
	opterr = 0;
	bool output_opts = false; /* options that only make sense for a trace */
	unsigned follow = 0, yflags = 0;
	char name[8];
	int c;
	while ((c = getopt_long(argc, argv, "+:he:o:cvVs:ytTfqb:r:R:w:0i:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': plan->action = CLI_HELP; return 0;
		case 'V': plan->action = CLI_VERSION; return 0;
		case 'e':
		case OPT_TRACE:
			plan->trace = true;
			if (!optarg)
				break;
			plan->trace_set = strncmp(optarg, "trace=", 6) == 0 ? optarg + 6 : optarg;
			if (!*plan->trace_set)
				return fail(err, errlen, "option '%s' needs a set of calls, e.g. -e trace=%%file",
					    c == 'e' ? "-e" : "--trace");
			break;
		case 'o':
			if (!*optarg)
				return fail(err, errlen, "%s", "option '-o' needs a file name");
			plan->output = optarg;
			break;
		case 'c': plan->summary = true; break;
		case 'v': plan->verbose = true; break;
		case 's':
			if (parse_size(optarg, &plan->string_max) < 0)
				return fail(err, errlen, "option '-s' needs a number of bytes (0 to 1073741823), not '%s'",
					    optarg);
			output_opts = true;
			break;
		case 'y':
			if (++yflags > 1)
				return fail(err, errlen, "%s", "-yy (details of sockets and devices) is not supported; "
					    "-y prints the paths of file descriptors");
			plan->fd_paths = true;
			output_opts = true;
			break;
		case 't':
			if (plan->timestamps < 3)
				plan->timestamps++;
			output_opts = true;
			break;
		case 'T': plan->durations = true; output_opts = true; break;
		case 'q':
			if (plan->quiet < 3)
				plan->quiet++;
			output_opts = true;
			break;
		case 'f':
			/* facet always follows children; -ff would mean one
			 * file per process, which it does not write. */
			if (++follow > 1)
				return fail(err, errlen, "%s", "-ff (one output file per process) is not supported; "
					    "facet follows every process and thread with or without -f");
			break;
		case OPT_JSON: plan->json = true; break;
		case OPT_ENGINE:
			if (!*optarg || *optarg == ':')
				return fail(err, errlen, "%s", "option '--engine' needs the path of a shared object: "
					    "--engine=PATH[:ARG]");
			if (plan->nengines == sizeof(plan->engines) / sizeof(plan->engines[0]))
				return fail(err, errlen, "too many engines (at most 16): '%s'", optarg);
			plan->engines[plan->nengines++] = optarg;
			break;
		case 'b':
		case 'r':
		case 'R':
		case 'w':
		case CLI_OPT_FAST:
		case CLI_OPT_CONFINE:
		case CLI_OPT_NO_FAST:
		case '0':
		case 'i':
		case CLI_OPT_FAKEROOT_STATE:
			if (cli_view_option(plan, c, optarg, err, errlen) < 0)
				return -1;
			break;
		case OPT_BACKEND:
			if (!*optarg)
				return fail(err, errlen, "%s", "option '--backend' needs a value: auto, notify or ptrace");
			if (parse_backend(optarg, &plan->backend) < 0)
				return fail(err, errlen, "unknown back end '%s'; use auto, notify or ptrace", optarg);
			break;
		case ':':
			return fail(err, errlen, "option '%s' needs an argument; see 'facet --help'",
				    bad_option(c, argv, name, sizeof(name)));
		default:
			return fail(err, errlen, "unknown option '%s'; see 'facet --help'",
				    bad_option(c, argv, name, sizeof(name)));
		}
	}
	if (optind >= argc && !cli_has_view(plan))
		return fail(err, errlen, "%s", "no command given; usage: facet trace [OPTIONS] COMMAND [ARG...]");
	if ((plan->json || plan->summary || plan->output || output_opts) && !plan->trace)
		plan->trace = true; /* these options only make sense for a trace */
	if (plan->json && plan->summary)
		return fail(err, errlen, "%s", "--json and -c cannot be used together");
	static char *shell[] = { "/bin/sh", NULL }; /* a view without a command: as PRoot does */
	plan->argv = optind < argc ? argv + optind : shell;
	return cli_view_check(plan, err, errlen);
}
