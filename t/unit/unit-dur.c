/*
 * Unit tests for command-line durations and numbers: repl_dur_parse,
 * repl_num_parse.
 */
/* SPDX-License-Identifier: MIT */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)

/* Check at the caller's line, so a failure names the input. */
#define DUR_OK(in, want) dur_ok(__FILE__, __LINE__, (in), (want))
#define DUR_BAD(in) dur_bad(__FILE__, __LINE__, (in))

#define WEEK_MS ((int64_t)7 * 24 * 3600 * 1000)

static void
dur_ok(const char *file, int line, const char *in, int64_t want)
{
	int64_t ms = -12345;

	_assert_int_equal(I(repl_dur_parse(in, &ms)), I(0), file, line);
	_assert_int_equal(I(ms), I(want), file, line);
}

static void
dur_bad(const char *file, int line, const char *in)
{
	int64_t ms = -12345;

	_assert_int_equal(I(repl_dur_parse(in, &ms)), I(-1), file, line);
}

static void
bare_number_is_seconds(void **state)
{
	(void)state;
	DUR_OK("0", 0);
	DUR_OK("1", 1000);
	DUR_OK("60", 60000);
	DUR_OK("1.5", 1500);
	DUR_OK("0.001", 1);
	DUR_OK("0.5", 500);
}

static void
suffixes_s_ms_m_h(void **state)
{
	(void)state;
	DUR_OK("1.5s", 1500);
	DUR_OK("30s", 30000);
	DUR_OK("0s", 0);
	DUR_OK("500ms", 500);
	DUR_OK("0ms", 0);
	DUR_OK("1ms", 1);
	DUR_OK("2m", 120000);
	DUR_OK("1.5m", 90000);
	DUR_OK("2.25m", 135000);
	DUR_OK("1h", 3600000);
	DUR_OK("0.5h", 1800000);
	DUR_OK("0.001h", 3600);
}

static void
up_to_three_decimals(void **state)
{
	(void)state;
	DUR_OK("1.2", 1200);
	DUR_OK("1.23", 1230);
	DUR_OK("1.234", 1234);
	DUR_OK("1.050", 1050);
	DUR_BAD("1.2345");
	DUR_BAD("0.0001");
	DUR_BAD("1.0000");
}

static void
empty_sign_and_lone_dot_refused(void **state)
{
	(void)state;
	DUR_BAD("");
	DUR_BAD("-1");
	DUR_BAD("-0");
	DUR_BAD("+1");
	DUR_BAD("1.");
	DUR_BAD("1.s");
	DUR_BAD(".5");
	DUR_BAD(".5s");
	DUR_BAD(".");
	DUR_BAD("s");
	DUR_BAD("ms");
}

static void
unknown_unit_or_spaces_refused(void **state)
{
	(void)state;
	DUR_BAD("10x");
	DUR_BAD("1 s");
	DUR_BAD(" 1");
	DUR_BAD("1 ");
	DUR_BAD("1\n");
	DUR_BAD("1S");
	DUR_BAD("1MS");
	DUR_BAD("1sec");
	DUR_BAD("1d");
	DUR_BAD("1us");
	DUR_BAD("1e3");
	DUR_BAD("0x10");
	DUR_BAD("1h30m");
	DUR_BAD("1.5.0");
	DUR_BAD("1,5");
	DUR_BAD("1ss");
}

static void
a_week_is_accepted_a_millisecond_more_refused(void **state)
{
	(void)state;
	DUR_OK("604800", WEEK_MS);
	DUR_OK("604800s", WEEK_MS);
	DUR_OK("604800.000", WEEK_MS);
	DUR_OK("604799.999", WEEK_MS - 1);
	DUR_OK("604800000ms", WEEK_MS);
	DUR_OK("10080m", WEEK_MS);
	DUR_OK("168h", WEEK_MS);
	DUR_BAD("604800.001");
	DUR_BAD("604801");
	DUR_BAD("604800001ms");
	DUR_BAD("10080.001m");
	DUR_BAD("10081m");
	DUR_BAD("168.001h");
	DUR_BAD("169h");
}

static void
huge_digit_strings_refused(void **state)
{
	char big[1001];

	(void)state;
	DUR_BAD("9223372036854775807");
	DUR_BAD("9223372036854775808");
	DUR_BAD("18446744073709551616");
	DUR_BAD("18446744073709551616ms");
	DUR_BAD("99999999999999999999999999999999999999h");
	DUR_BAD("2562047788015216h");
	memset(big, '9', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	DUR_BAD(big);
}

#define NUM(in, min, max, want) num(__FILE__, __LINE__, (in), (min), (max), \
    (want), 0)
#define NUM_BAD(in, min, max) num(__FILE__, __LINE__, (in), (min), (max), \
    0, -1)

static void
num(const char *file, int line, const char *in, unsigned long long min,
    unsigned long long max, unsigned long long want, int ret)
{
	unsigned long long v = 12345;

	_assert_int_equal(I(repl_num_parse(in, min, max, &v)), I(ret), file,
	    line);
	_assert_int_equal(I(v), I(ret == 0 ? want : 12345), file, line);
}

static void
numbers_digits_only_within_range(void **state)
{
	(void)state;
	NUM("0", 0, 10, 0);
	NUM("1", 1, 1, 1);
	NUM("007", 1, 10, 7);
	NUM("1000", 1, 100000, 1000);
	NUM("18446744073709551615", 0, ULLONG_MAX, ULLONG_MAX);
	NUM_BAD("0", 1, 10);
	NUM_BAD("11", 1, 10);
	NUM_BAD("", 0, 10);
	NUM_BAD("-1", 0, 10);
	NUM_BAD("+1", 0, 10);
	NUM_BAD(" 1", 0, 10);
	NUM_BAD("1 ", 0, 10);
	NUM_BAD("0x10", 0, 100);
	NUM_BAD("1e3", 0, 10000);
	NUM_BAD("1.0", 0, 10);
	/* One past the largest, and far past it: no wrap to a small one. */
	NUM_BAD("18446744073709551616", 0, ULLONG_MAX);
	NUM_BAD("36893488147419103232", 0, ULLONG_MAX);
	NUM_BAD("184467440737095516150", 0, ULLONG_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bare_number_is_seconds),
		cmocka_unit_test(suffixes_s_ms_m_h),
		cmocka_unit_test(up_to_three_decimals),
		cmocka_unit_test(empty_sign_and_lone_dot_refused),
		cmocka_unit_test(unknown_unit_or_spaces_refused),
		cmocka_unit_test(a_week_is_accepted_a_millisecond_more_refused),
		cmocka_unit_test(huge_digit_strings_refused),
		cmocka_unit_test(numbers_digits_only_within_range),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-dur", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
