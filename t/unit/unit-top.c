/* Unit tests for repl-top's lag in transactions: repl_gtid_*_lag. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)
#define U1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define U2 "3e11fa47-71ca-11e1-9e33-c80aa9429563"

#define MY(src, have, want) my(__FILE__, __LINE__, (src), (have), (want))

static void
my(const char *file, int line, const char *src, const char *have,
    long long want)
{
	unsigned long long lag = 12345;
	int r = repl_gtid_mysql_lag(src, have, &lag);

	if (want < 0) {
		_assert_int_equal(I(r), I(-1), file, line);
		return;
	}
	_assert_int_equal(I(r), I(0), file, line);
	_assert_int_equal(I(lag), I(want), file, line);
}

static void
mariadb_per_domain(void **state)
{
	(void)state;
	assert_int_equal(repl_gtid_mariadb_lag("0-1-42", "0-1-42"), 0);
	assert_int_equal(repl_gtid_mariadb_lag("0-1-42", "0-1-40"), 2);
	/* A replica ahead in a domain is not negative lag. */
	assert_int_equal(repl_gtid_mariadb_lag("0-1-40", "0-2-45"), 0);
	/* Domains add up; one the replica lacks counts from 0. */
	assert_int_equal(repl_gtid_mariadb_lag("0-1-10,1-2-7", "0-1-9"), 8);
	assert_int_equal(repl_gtid_mariadb_lag("0-1-10,1-2-7", ""), 17);
	assert_int_equal(repl_gtid_mariadb_lag("", "0-1-3"), 0);
	/* Domains of the replica only do not count. */
	assert_int_equal(repl_gtid_mariadb_lag("1-2-7", "0-1-9,1-2-7"), 0);
	assert_int_equal(repl_gtid_mariadb_lag("0-1-18446744073709551615",
	    "0-1-1"), 18446744073709551614ULL);
}

static void
mysql_intervals(void **state)
{
	(void)state;
	MY(U1 ":1-77", U1 ":1-77", 0);
	MY(U1 ":1-77", U1 ":1-70", 7);
	MY(U1 ":1-77", "", 77);
	MY("", U1 ":1-5", 0);
	/* Holes on either side. */
	MY(U1 ":1-10:20-29", U1 ":1-5:21-29", 6);
	MY(U1 ":1-10", U1 ":2:4:6-7", 6);
	/* Other sources count apart. */
	MY(U1 ":1-3," U2 ":1-4", U1 ":1-3", 4);
	MY(U1 ":1-3," U2 ":1-4", U2 ":1-4", 3);
	/* Tagged GTIDs (MySQL 8.3): uuid:tag:intervals, a source of their own. */
	MY(U1 ":1-3:tag1:1-3:5", U1 ":1-3", 4);
	MY(U1 ":tag1:1-3:5", U1 ":tag1:1-3", 1);
	MY(U1 ":5", U1 ":1-4", 1);
	/* The largest interval. */
	MY(U1 ":1-18446744073709551615", U1 ":2-18446744073709551615", 1);
}

static void
mysql_bad_sets_refused(void **state)
{
	(void)state;
	MY("3e11fa47:1-3", "", -1);
	MY(U1, "", -1);
	MY(U1 ":", "", -1);
	MY(U1 ":5-3", "", -1);
	MY(U1 ":1-", "", -1);
	MY(U1 ":1-3;DROP", "", -1);
	MY(U1 ":1-3", U1 ":x", -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mariadb_per_domain),
		cmocka_unit_test(mysql_intervals),
		cmocka_unit_test(mysql_bad_sets_refused),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-top", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
