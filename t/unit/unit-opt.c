/*
 * Unit tests for the command-line check before getopt (repl_opt_check),
 * and for where the replication password comes from (repl_password_repl).
 */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)

static const struct option lo[] = {
	REPL_CONN_LONGOPTS,
	{ "timeout", required_argument, 0, 't' },
	{ "verbose", no_argument, 0, 'v' },
	{ "follow", no_argument, 0, REPL_OPT_TOOL },
	{ 0, 0, 0, 0 }
};
static const char so[] = "qt:u:v";

/* Check argv (NULL-terminated), at the caller's line. */
#define CHECK(want, msgpart, ...) check(__FILE__, __LINE__, (want), \
    (msgpart), (char *[]){ "prog", __VA_ARGS__, NULL })

static void
check(const char *file, int line, int want, const char *msgpart,
    char *argv[])
{
	char msg[256] = "";
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	_assert_int_equal(I(repl_opt_check(argc, argv, so, lo, msg,
	    sizeof(msg))), I(want), file, line);
	if (msgpart != NULL)
		_assert_true(strstr(msg, msgpart) != NULL, msg, file, line);
	/* Never the value of what was refused. */
	_assert_true(strstr(msg, "hunter2") == NULL, msg, file, line);
}

static void
full_names_pass(void **state)
{
	(void)state;
	CHECK(0, NULL, "--password-file", "/run/pw", "-v", "db1");
	CHECK(0, NULL, "--password-file=/run/pw", "--timeout=5", "db1");
	CHECK(0, NULL, "--follow", "-qv", "-t5", "-t", "5", "db1:3306");
}

static void
prefixes_refused_by_name_only(void **state)
{
	(void)state;
	CHECK(-1, "unknown option '--passw'", "--passw=hunter2", "db1");
	CHECK(-1, "unknown option '--time'", "--time", "5", "db1");
	CHECK(-1, "unknown option '--nope'", "--nope=hunter2");
}

static void
password_on_the_command_line_refused(void **state)
{
	(void)state;
	/* --password itself is a known option: repl_connopt_set refuses it. */
	CHECK(0, NULL, "--password=hunter2", "db1");
	CHECK(-1, "-p: a password is never taken", "-phunter2", "db1");
	CHECK(-1, "--password-file FILE", "-vp", "db1");
}

static void
option_values_are_not_options(void **state)
{
	(void)state;
	/* The value of -t, -u or --timeout may start with '-'. */
	CHECK(0, NULL, "-u", "--odd", "db1");
	CHECK(0, NULL, "--timeout", "--odd", "-tp", "db1");
	CHECK(0, NULL, "--user", "-p", "db1");
	/* After --, operands only. */
	CHECK(0, NULL, "--", "--passw=x", "-p");
}

static void
repl_password_file_over_environment_over_none(void **state)
{
	char path[] = "/tmp/unit-opt-XXXXXX", *pw = (char *)"unset";
	struct repl_err err;
	FILE *f;
	int fd;

	(void)state;
	repl_err_clear(&err);
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_true(fputs("from-file\nsecond line\n", f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(unsetenv("REPLKIT_REPL_PASSWORD"), 0);
	assert_int_equal(repl_password_repl(NULL, &pw, &err), 0);
	assert_null(pw);
	assert_int_equal(setenv("REPLKIT_REPL_PASSWORD", "from-env", 1), 0);
	assert_int_equal(repl_password_repl(NULL, &pw, &err), 0);
	assert_string_equal(pw, "from-env");
	repl_password_free(pw);
	assert_int_equal(repl_password_repl(path, &pw, &err), 0);
	assert_string_equal(pw, "from-file");
	repl_password_free(pw);
	/* An empty variable is an empty password, not none. */
	assert_int_equal(setenv("REPLKIT_REPL_PASSWORD", "", 1), 0);
	assert_int_equal(repl_password_repl(NULL, &pw, &err), 0);
	assert_string_equal(pw, "");
	repl_password_free(pw);
	assert_int_equal(unlink(path), 0);
	/* A file that cannot be read fails, the variable notwithstanding. */
	assert_int_equal(repl_password_repl(path, &pw, &err), -1);
	assert_null(pw);
	assert_int_equal(err.kind, REPL_E_PERM);
	assert_non_null(strstr(err.msg, "unable to open password file"));
	assert_int_equal(unsetenv("REPLKIT_REPL_PASSWORD"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_names_pass),
		cmocka_unit_test(prefixes_refused_by_name_only),
		cmocka_unit_test(password_on_the_command_line_refused),
		cmocka_unit_test(option_values_are_not_options),
		cmocka_unit_test(repl_password_file_over_environment_over_none),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-opt", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
