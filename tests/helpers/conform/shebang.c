/* shebang.c: the #! line at its edges, as the kernel reads it: an
 * interpreter that is itself a script, spaces and tabs around the
 * interpreter, one long argument, an interpreter path full of "/..", a
 * line longer than the kernel's buffer, a line with no interpreter, and a
 * script that is its own interpreter. Each script is made under w/ and run
 * with CONFORM_REPORT=exec (bin/conform prints its argv, exe, name and
 * AT_EXECFN), or fails with the errno the kernel gives. */
#include "conform.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Makes w/NAME with TEXT and runs it as "w/NAME arg1". */
static void run_script(struct out *o, const char *name, const char *text)
{
	char path[64];
	snprintf(path, sizeof(path), "w/%s", name);
	char *argv[] = { path, "arg1", NULL };
	if (mk_script(o, path, text))
		exec_report_case(o, path, argv, "exec");
}

/* w/sh-outer's interpreter is w/sh-inner, a script whose interpreter is
 * bin/conform: the kernel runs both lines. */
static void interpreter_is_script(struct out *o)
{
	char text[PATH_MAX + 32];
	snprintf(text, sizeof(text), "#! %s -b\n", P("bin/conform"));
	if (!mk_script(o, "w/sh-inner", text))
		return;
	snprintf(text, sizeof(text), "#! %s -a\n", P("w/sh-inner"));
	run_script(o, "sh-outer", text);
}

static void spaces_and_tabs(struct out *o)
{
	char text[PATH_MAX + 32];
	snprintf(text, sizeof(text), "#! \t %s \t -x  y \t\n", P("bin/conform"));
	run_script(o, "sh-blanks", text);
}

/* Well under the kernel's 256 bytes whatever ROOT's length. */
static void long_argument(struct out *o)
{
	char text[PATH_MAX + 160], arg[101];
	fill(arg, 100, 'X');
	snprintf(text, sizeof(text), "#!%s %s\n", P("bin/conform"), arg);
	run_script(o, "sh-long-arg", text);
}

/* "/.." at "/" stays at "/": the interpreter is found. */
static void interpreter_dotdots(struct out *o)
{
	char text[PATH_MAX + 64];
	snprintf(text, sizeof(text), "#!/../../../../../../../..%s\n", P("bin/conform"));
	run_script(o, "sh-dotdots", text);
}

/* An interpreter path that does not end within the kernel's buffer
 * (256 bytes): not run (ENOEXEC), never a truncated path. Known to fail in
 * a view (EACCES): see tests/PROOT-COVERAGE.md. */
static void interpreter_beyond_buffer(struct out *o)
{
	char text[PATH_MAX + 400];
	size_t n = (size_t)snprintf(text, sizeof(text), "#!");
	for (int i = 0; i < 90; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "/..");
	snprintf(text + n, sizeof(text) - n, "%s x\n", P("bin/conform"));
	run_script(o, "sh-too-long", text);
}

static void blank_interpreter(struct out *o)
{
	run_script(o, "sh-blank", "#!                                        \n");
}

static void bare_shebang(struct out *o)
{
	run_script(o, "sh-bare", "#!\n");
}

/* The kernel gives up after a few levels: ELOOP. */
static void own_interpreter(struct out *o)
{
	char text[PATH_MAX + 16];
	snprintf(text, sizeof(text), "#!%s\n", P("w/sh-self"));
	run_script(o, "sh-self", text);
}

/* A relative interpreter is relative to the caller's working directory. */
static void interpreter_missing(struct out *o)
{
	run_script(o, "sh-missing", "#!nothere/interpreter\n");
}

const struct conform_case shebang_cases[] = {
	CASE("shebang-interpreter-is-a-script", interpreter_is_script),
	CASE("shebang-spaces-and-tabs", spaces_and_tabs),
	CASE("shebang-long-argument", long_argument),
	CASE("shebang-interpreter-through-root-dotdots", interpreter_dotdots),
	CASE("shebang-interpreter-beyond-buffer", interpreter_beyond_buffer),
	CASE("shebang-blank-interpreter", blank_interpreter),
	CASE("shebang-bare", bare_shebang),
	CASE("shebang-own-interpreter", own_interpreter),
	CASE("shebang-missing-relative-interpreter", interpreter_missing),
	CASES_END
};
