/* Unit tests for the SQL dialect of each version band, and version parsing. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

#define I(v) cast_to_largest_integral_type(v)
#define NBANDS (sizeof(bands) / sizeof(bands[0]))

#define UUID1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define UUID2 "4f22ab58-82db-22f2-af44-d91bbad3a673"

/* Check at the caller's line, so a failure names the input. */
#define SQL_IS(b, got, want) sql_is(__FILE__, __LINE__, (b), (got), (want))
#define WAIT_GTID(srv, g, ms, want) \
	wait_gtid(__FILE__, __LINE__, (srv), (g), (ms), (want))
#define WAIT_POS(srv, f, pos, ms, want) \
	wait_pos(__FILE__, __LINE__, (srv), (f), (pos), (ms), (want))
#define QUOTE_BAD(v) quote_bad(__FILE__, __LINE__, (v))
#define SERVER_IS(info, fl, v) server_is(__FILE__, __LINE__, (info), (fl), (v))
#define SERVER_BAD(info) server_bad(__FILE__, __LINE__, (info))

/* One server per version band, and the statement text it must get. */
struct band {
	const char *name;
	struct repl_server srv;
	const char *binlog_status;
	const char *replica_status;
	const char *start, *stop;
	const char *change_source;
	const char *gtid_executed;
	const char *pos_wait;
};

#define MARIADB(name, v) { name, { REPL_FLAVOR_MARIADB, v }, \
	"SHOW MASTER STATUS", "SHOW SLAVE STATUS", "START SLAVE", \
	"STOP SLAVE", "CHANGE MASTER TO", "SELECT @@GLOBAL.gtid_binlog_pos", \
	"MASTER_POS_WAIT" }

static const struct band bands[] = {
	MARIADB("MariaDB 10.6", 100612),
	MARIADB("MariaDB 10.11", 101106),
	MARIADB("MariaDB 11.4", 110402),
	{ "MySQL 5.7.44", { REPL_FLAVOR_MYSQL, 50744 },
	    "SHOW MASTER STATUS", "SHOW SLAVE STATUS", "START SLAVE",
	    "STOP SLAVE", "CHANGE MASTER TO", "SELECT @@GLOBAL.gtid_executed",
	    "MASTER_POS_WAIT" },
	{ "MySQL 8.0.21", { REPL_FLAVOR_MYSQL, 80021 },
	    "SHOW MASTER STATUS", "SHOW SLAVE STATUS", "START SLAVE",
	    "STOP SLAVE", "CHANGE MASTER TO", "SELECT @@GLOBAL.gtid_executed",
	    "MASTER_POS_WAIT" },
	{ "MySQL 8.0.22", { REPL_FLAVOR_MYSQL, 80022 },
	    "SHOW MASTER STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE MASTER TO",
	    "SELECT @@GLOBAL.gtid_executed", "MASTER_POS_WAIT" },
	{ "MySQL 8.0.23", { REPL_FLAVOR_MYSQL, 80023 },
	    "SHOW MASTER STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "MASTER_POS_WAIT" },
	{ "MySQL 8.0.25", { REPL_FLAVOR_MYSQL, 80025 },
	    "SHOW MASTER STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "MASTER_POS_WAIT" },
	{ "MySQL 8.0.26", { REPL_FLAVOR_MYSQL, 80026 },
	    "SHOW MASTER STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "SOURCE_POS_WAIT" },
	{ "MySQL 8.1.0", { REPL_FLAVOR_MYSQL, 80100 },
	    "SHOW MASTER STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "SOURCE_POS_WAIT" },
	{ "MySQL 8.2.0", { REPL_FLAVOR_MYSQL, 80200 },
	    "SHOW BINARY LOG STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "SOURCE_POS_WAIT" },
	{ "MySQL 8.4.3", { REPL_FLAVOR_MYSQL, 80403 },
	    "SHOW BINARY LOG STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "SOURCE_POS_WAIT" },
	{ "MySQL 9.1.0", { REPL_FLAVOR_MYSQL, 90100 },
	    "SHOW BINARY LOG STATUS", "SHOW REPLICA STATUS", "START REPLICA",
	    "STOP REPLICA", "CHANGE REPLICATION SOURCE TO",
	    "SELECT @@GLOBAL.gtid_executed", "SOURCE_POS_WAIT" },
};

/*
 * Compare statement text with the band's name in front, so that a
 * failure says which band got what.
 */
static void
sql_is(const char *file, int line, const struct band *b, const char *got,
    const char *want)
{
	char g[1024], w[1024];

	_assert_true(I(snprintf(g, sizeof(g), "%s: %s", b->name,
	    got ? got : "(null)") < (int)sizeof(g)), "fits", file, line);
	_assert_true(I(snprintf(w, sizeof(w), "%s: %s", b->name, want) <
	    (int)sizeof(w)), "fits", file, line);
	_assert_string_equal(g, w, file, line);
}

/* want is the statement, or "refused" where the call must return -1. */
static void
wait_gtid(const char *file, int line, const struct band *b, const char *g,
    int64_t ms, const char *want)
{
	char buf[REPL_GTID_MAX + 128];
	int r;

	r = repl_sql_wait_gtid(buf, sizeof(buf), &b->srv, g, ms);
	sql_is(file, line, b, r == -1 ? "refused" : buf, want);
	_assert_int_equal(I(r), I(strcmp(want, "refused") == 0 ? -1 :
	    (int)strlen(want)), file, line);
}

/* As wait_gtid, for the wait on a file and position. */
static void
wait_pos(const char *file, int line, const struct band *b, const char *f,
    unsigned long long pos, int64_t ms, const char *want)
{
	char buf[REPL_FILE_MAX + 128];
	int r;

	r = repl_sql_wait_pos(buf, sizeof(buf), &b->srv, f, pos, ms);
	sql_is(file, line, b, r == -1 ? "refused" : buf, want);
	_assert_int_equal(I(r), I(strcmp(want, "refused") == 0 ? -1 :
	    (int)strlen(want)), file, line);
}

static void
quote_bad(const char *file, int line, const char *v)
{
	char buf[64];

	_assert_int_equal(I(repl_sql_quote(buf, sizeof(buf), v)), I(-1), file,
	    line);
}

static void
server_is(const char *file, int line, const char *info, enum repl_flavor fl,
    unsigned long v)
{
	struct repl_server srv = { REPL_FLAVOR_UNKNOWN, 0 };

	_assert_int_equal(I(repl_server_parse(&srv, info)), I(0), file, line);
	_assert_string_equal(repl_flavor_name(srv.flavor), repl_flavor_name(fl),
	    file, line);
	_assert_int_equal(I(srv.version), I(v), file, line);
}

static void
server_bad(const char *file, int line, const char *info)
{
	struct repl_server srv = { REPL_FLAVOR_UNKNOWN, 0 };

	_assert_int_equal(I(repl_server_parse(&srv, info)), I(-1), file, line);
}

static const struct band *
band(const char *name)
{
	size_t i;

	for (i = 0; i < NBANDS; i++)
		if (strcmp(bands[i].name, name) == 0)
			return &bands[i];
	fail_msg("no band '%s'", name);
	return NULL;
}

static void
binlog_status_per_band(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NBANDS; i++)
		SQL_IS(&bands[i], repl_sql_binlog_status(&bands[i].srv),
		    bands[i].binlog_status);
}

static void
replica_status_per_band(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NBANDS; i++)
		SQL_IS(&bands[i], repl_sql_replica_status(&bands[i].srv),
		    bands[i].replica_status);
}

static void
start_and_stop_replica_per_band(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NBANDS; i++) {
		SQL_IS(&bands[i], repl_sql_start_replica(&bands[i].srv),
		    bands[i].start);
		SQL_IS(&bands[i], repl_sql_stop_replica(&bands[i].srv),
		    bands[i].stop);
	}
}

static void
change_source_per_band(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NBANDS; i++)
		SQL_IS(&bands[i], repl_sql_change_source(&bands[i].srv),
		    bands[i].change_source);
}

static void
gtid_executed_per_band(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NBANDS; i++)
		SQL_IS(&bands[i], repl_sql_gtid_executed(&bands[i].srv),
		    bands[i].gtid_executed);
}

static void
wait_gtid_mariadb_fractional_seconds_at_least_1ms(void **state)
{
	size_t i;
	const struct band *b;

	(void)state;
	for (i = 0; i < NBANDS; i++) {
		b = &bands[i];
		if (b->srv.flavor != REPL_FLAVOR_MARIADB)
			continue;
		WAIT_GTID(b, "0-1-5,1-2-7", 1500,
		    "SELECT MASTER_GTID_WAIT('0-1-5,1-2-7', 1.500)");
		WAIT_GTID(b, "0-1-5", 0,
		    "SELECT MASTER_GTID_WAIT('0-1-5', 0.001)");
		WAIT_GTID(b, "0-1-5", 1,
		    "SELECT MASTER_GTID_WAIT('0-1-5', 0.001)");
		WAIT_GTID(b, "0-1-5", 42,
		    "SELECT MASTER_GTID_WAIT('0-1-5', 0.042)");
		WAIT_GTID(b, "0-1-5", 999,
		    "SELECT MASTER_GTID_WAIT('0-1-5', 0.999)");
		WAIT_GTID(b, "0-1-5", 1000,
		    "SELECT MASTER_GTID_WAIT('0-1-5', 1.000)");
		WAIT_GTID(b, "0-1-5", 604800000,
		    "SELECT MASTER_GTID_WAIT('0-1-5', 604800.000)");
	}
}

static void
wait_gtid_mysql_whole_seconds_at_least_1(void **state)
{
	size_t i;
	const struct band *b;

	(void)state;
	for (i = 0; i < NBANDS; i++) {
		b = &bands[i];
		if (b->srv.flavor != REPL_FLAVOR_MYSQL)
			continue;
		WAIT_GTID(b, UUID1 ":1-5", 0,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET('" UUID1 ":1-5', 1)");
		WAIT_GTID(b, UUID1 ":1-5", 1,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET('" UUID1 ":1-5', 1)");
		WAIT_GTID(b, UUID1 ":1-5", 999,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET('" UUID1 ":1-5', 1)");
		WAIT_GTID(b, UUID1 ":1-5", 1000,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET('" UUID1 ":1-5', 1)");
		WAIT_GTID(b, UUID1 ":1-5", 1001,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET('" UUID1 ":1-5', 2)");
		WAIT_GTID(b, UUID1 ":1-5", 1500,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET('" UUID1 ":1-5', 2)");
		WAIT_GTID(b, UUID1 ":tag:1-3," UUID2 ":7", 60000,
		    "SELECT WAIT_FOR_EXECUTED_GTID_SET("
		    "'" UUID1 ":tag:1-3," UUID2 ":7', 60)");
	}
}

static void
wait_gtid_refuses_negative_timeout_bad_gtid_small_buffer(void **state)
{
	static const char want[] = "SELECT MASTER_GTID_WAIT('0-1-5', 1.500)";
	const struct band *m = band("MariaDB 10.11");
	const struct band *y = band("MySQL 8.4.3");
	char buf[sizeof(want)];

	(void)state;
	WAIT_GTID(m, "0-1-5", -1, "refused");
	WAIT_GTID(y, UUID1 ":1", -1, "refused");
	WAIT_GTID(m, "0-1-5'", 1000, "refused");
	WAIT_GTID(m, "0-1-5', 0)#", 1000, "refused");
	WAIT_GTID(m, "0-1-5\\", 1000, "refused");
	WAIT_GTID(m, "0-1-5 ", 1000, "refused");
	WAIT_GTID(y, UUID1 ":1;SELECT 1", 1000, "refused");
	assert_int_equal(repl_sql_wait_gtid(buf, sizeof(buf), &m->srv,
	    "0-1-5", 1500), sizeof(want) - 1);
	assert_string_equal(buf, want);
	assert_int_equal(repl_sql_wait_gtid(buf, sizeof(buf) - 1, &m->srv,
	    "0-1-5", 1500), -1);
}

static void
wait_pos_function_per_band(void **state)
{
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < NBANDS; i++) {
		snprintf(want, sizeof(want), "SELECT %s('mysql-bin.000002', "
		    "1234, 2)", bands[i].pos_wait);
		WAIT_POS(&bands[i], "mysql-bin.000002", 1234, 1500, want);
	}
}

static void
wait_pos_whole_seconds_never_0(void **state)
{
	const struct band *m = band("MariaDB 11.4");
	const struct band *old = band("MySQL 8.0.25");
	const struct band *y = band("MySQL 8.0.26");

	(void)state;
	WAIT_POS(m, "b.000001", 4, 0,
	    "SELECT MASTER_POS_WAIT('b.000001', 4, 1)");
	WAIT_POS(m, "b.000001", 4, 1,
	    "SELECT MASTER_POS_WAIT('b.000001', 4, 1)");
	WAIT_POS(m, "b.000001", 4, 1000,
	    "SELECT MASTER_POS_WAIT('b.000001', 4, 1)");
	WAIT_POS(m, "b.000001", 4, 1001,
	    "SELECT MASTER_POS_WAIT('b.000001', 4, 2)");
	WAIT_POS(old, "binlog.000001", 157, 0,
	    "SELECT MASTER_POS_WAIT('binlog.000001', 157, 1)");
	WAIT_POS(y, "binlog.000001", 157, 0,
	    "SELECT SOURCE_POS_WAIT('binlog.000001', 157, 1)");
	WAIT_POS(y, "binlog.000001", 157, 999,
	    "SELECT SOURCE_POS_WAIT('binlog.000001', 157, 1)");
	WAIT_POS(y, "binlog.000001", 9223372036854775807ULL, 604800000,
	    "SELECT SOURCE_POS_WAIT('binlog.000001', 9223372036854775807, "
	    "604800)");
}

static void
wait_pos_refuses_negative_timeout_bad_file_small_buffer(void **state)
{
	static const char want[] = "SELECT SOURCE_POS_WAIT('b.1', 4, 1)";
	const struct band *y = band("MySQL 9.1.0");
	char buf[sizeof(want)];

	(void)state;
	WAIT_POS(y, "b.1", 4, -1, "refused");
	WAIT_POS(y, "b.1'", 4, 1000, "refused");
	WAIT_POS(y, "b.1', 4, 0)#", 4, 1000, "refused");
	WAIT_POS(y, "b\\.1", 4, 1000, "refused");
	WAIT_POS(y, "b 1", 4, 1000, "refused");
	WAIT_POS(y, "b.1;", 4, 1000, "refused");
	assert_int_equal(repl_sql_wait_pos(buf, sizeof(buf), &y->srv, "b.1",
	    4, 1000), sizeof(want) - 1);
	assert_string_equal(buf, want);
	assert_int_equal(repl_sql_wait_pos(buf, sizeof(buf) - 1, &y->srv,
	    "b.1", 4, 1000), -1);
}

/*
 * The longest timeout an int64_t holds must still round up, not wrap to
 * a negative number of seconds (or trap under -fsanitize=undefined).
 */
static void
wait_timeouts_of_int64_max_do_not_overflow(void **state)
{
	const struct band *m = band("MariaDB 10.6");
	const struct band *y = band("MySQL 8.4.3");

	(void)state;
	WAIT_GTID(m, "0-1-5", INT64_MAX,
	    "SELECT MASTER_GTID_WAIT('0-1-5', 9223372036854775.807)");
	WAIT_GTID(y, UUID1 ":1", INT64_MAX, "SELECT WAIT_FOR_EXECUTED_GTID_SET("
	    "'" UUID1 ":1', 9223372036854776)");
	WAIT_POS(y, "b.1", 4, INT64_MAX,
	    "SELECT SOURCE_POS_WAIT('b.1', 4, 9223372036854776)");
	WAIT_POS(m, "b.1", 4, INT64_MAX,
	    "SELECT MASTER_POS_WAIT('b.1', 4, 9223372036854776)");
}

static void
quote_wraps_grammar_characters(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(repl_sql_quote(buf, sizeof(buf), "mysql-bin.000001"),
	    18);
	assert_string_equal(buf, "'mysql-bin.000001'");
	assert_int_equal(repl_sql_quote(buf, sizeof(buf),
	    UUID1 ":tag_1:1-5,0-1-2"), 54);
	assert_string_equal(buf, "'" UUID1 ":tag_1:1-5,0-1-2'");
	assert_int_equal(repl_sql_quote(buf, sizeof(buf), "AZaz09"), 8);
	assert_string_equal(buf, "'AZaz09'");
}

static void
quote_refuses_quotes_backslashes_spaces_semicolons(void **state)
{
	(void)state;
	QUOTE_BAD("'");
	QUOTE_BAD("a'b");
	QUOTE_BAD("''");
	QUOTE_BAD("\"");
	QUOTE_BAD("`");
	QUOTE_BAD("\\");
	QUOTE_BAD("a\\'b");
	QUOTE_BAD(" ");
	QUOTE_BAD("a b");
	QUOTE_BAD(";");
	QUOTE_BAD("a;DROP");
	QUOTE_BAD("\t");
	QUOTE_BAD("\n");
	QUOTE_BAD("\r");
	QUOTE_BAD("#");
	QUOTE_BAD("/*");
	QUOTE_BAD("(");
	QUOTE_BAD("%");
	QUOTE_BAD("\x1a");
	QUOTE_BAD("\xc3\xa9");
	QUOTE_BAD("0-1-1\xe2\x80\x8b");
}

static void
quote_refuses_too_small_buffer(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(repl_sql_quote(buf, 6, "abc"), 5);
	assert_string_equal(buf, "'abc'");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(repl_sql_quote(buf, 5, "abc"), -1);
	assert_int_equal(repl_sql_quote(buf, 0, "abc"), -1);
	assert_memory_equal(buf, "xxxxxxxx", sizeof(buf));
}

static void
server_parse_real_version_strings(void **state)
{
	(void)state;
	SERVER_IS("10.11.6-MariaDB-0+deb12u1", REPL_FLAVOR_MARIADB, 101106);
	SERVER_IS("5.5.5-10.6.12-MariaDB-log", REPL_FLAVOR_MARIADB, 100612);
	SERVER_IS("11.4.2-MariaDB", REPL_FLAVOR_MARIADB, 110402);
	SERVER_IS("10.6.16-MariaDB-1:10.6.16+maria~ubu2204-log",
	    REPL_FLAVOR_MARIADB, 100616);
	SERVER_IS("8.0.36", REPL_FLAVOR_MYSQL, 80036);
	SERVER_IS("8.0.36-0ubuntu0.22.04.1", REPL_FLAVOR_MYSQL, 80036);
	SERVER_IS("8.4.3-commercial", REPL_FLAVOR_MYSQL, 80403);
	SERVER_IS("5.7.44-log", REPL_FLAVOR_MYSQL, 50744);
	SERVER_IS("9.1.0", REPL_FLAVOR_MYSQL, 90100);
	SERVER_IS("5.5.5", REPL_FLAVOR_MYSQL, 50505);
}

static void
server_parse_refuses_garbage(void **state)
{
	(void)state;
	SERVER_BAD("");
	SERVER_BAD("abc");
	SERVER_BAD("8.0");
	SERVER_BAD("8.x.1");
	SERVER_BAD("8");
	SERVER_BAD("8.0.");
	SERVER_BAD(".8.0.1");
	SERVER_BAD("-8.0.1");
	SERVER_BAD("v8.0.36");
	SERVER_BAD(" 8.0.36");
	SERVER_BAD("8.100.1");
	SERVER_BAD("8.0.100");
	SERVER_BAD("MariaDB");
	SERVER_BAD("5.5.5-MariaDB");
}

static void
server_parse_then_dialect_picks_band(void **state)
{
	struct repl_server srv;

	(void)state;
	assert_int_equal(repl_server_parse(&srv, "8.0.22-log"), 0);
	assert_string_equal(repl_sql_replica_status(&srv),
	    "SHOW REPLICA STATUS");
	assert_string_equal(repl_sql_change_source(&srv), "CHANGE MASTER TO");
	assert_int_equal(repl_server_parse(&srv, "5.5.5-11.4.2-MariaDB-log"),
	    0);
	assert_string_equal(repl_sql_replica_status(&srv), "SHOW SLAVE STATUS");
	assert_string_equal(repl_sql_binlog_status(&srv),
	    "SHOW MASTER STATUS");
	assert_int_equal(repl_server_parse(&srv, "8.2.0"), 0);
	assert_string_equal(repl_sql_binlog_status(&srv),
	    "SHOW BINARY LOG STATUS");
}

static void
flavor_names_parse_back(void **state)
{
	(void)state;
	assert_string_equal(repl_flavor_name(REPL_FLAVOR_MARIADB), "mariadb");
	assert_string_equal(repl_flavor_name(REPL_FLAVOR_MYSQL), "mysql");
	assert_string_equal(repl_flavor_name(REPL_FLAVOR_UNKNOWN), "unknown");
	assert_int_equal(repl_flavor_parse("mariadb"), REPL_FLAVOR_MARIADB);
	assert_int_equal(repl_flavor_parse("mysql"), REPL_FLAVOR_MYSQL);
	assert_int_equal(repl_flavor_parse("unknown"), -1);
	assert_int_equal(repl_flavor_parse("MySQL"), -1);
	assert_int_equal(repl_flavor_parse(""), -1);
}

/* repl-feed: the GTID of each commit, in its OK packet or asked after. */
static void
feed_gtid_per_flavor(void **state)
{
	static const struct repl_server maria = { REPL_FLAVOR_MARIADB, 100612 },
	    my574 = { REPL_FLAVOR_MYSQL, 50705 },
	    my576 = { REPL_FLAVOR_MYSQL, 50706 },
	    my84 = { REPL_FLAVOR_MYSQL, 80400 };

	(void)state;
	assert_string_equal(repl_sql_track_gtid(&maria), "SET SESSION "
	    "session_track_system_variables = 'last_gtid'");
	assert_string_equal(repl_sql_last_gtid(&maria),
	    "SELECT @@SESSION.last_gtid");
	assert_null(repl_sql_track_gtid(&my574));
	assert_string_equal(repl_sql_track_gtid(&my576),
	    "SET SESSION session_track_gtids = 'OWN_GTID'");
	assert_string_equal(repl_sql_track_gtid(&my84),
	    "SET SESSION session_track_gtids = 'OWN_GTID'");
	assert_null(repl_sql_last_gtid(&my576));
	assert_null(repl_sql_last_gtid(&my84));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(binlog_status_per_band),
		cmocka_unit_test(replica_status_per_band),
		cmocka_unit_test(start_and_stop_replica_per_band),
		cmocka_unit_test(change_source_per_band),
		cmocka_unit_test(gtid_executed_per_band),
		cmocka_unit_test(
		    wait_gtid_mariadb_fractional_seconds_at_least_1ms),
		cmocka_unit_test(wait_gtid_mysql_whole_seconds_at_least_1),
		cmocka_unit_test(
		    wait_gtid_refuses_negative_timeout_bad_gtid_small_buffer),
		cmocka_unit_test(wait_pos_function_per_band),
		cmocka_unit_test(wait_pos_whole_seconds_never_0),
		cmocka_unit_test(
		    wait_pos_refuses_negative_timeout_bad_file_small_buffer),
		cmocka_unit_test(quote_wraps_grammar_characters),
		cmocka_unit_test(
		    quote_refuses_quotes_backslashes_spaces_semicolons),
		cmocka_unit_test(quote_refuses_too_small_buffer),
		cmocka_unit_test(server_parse_real_version_strings),
		cmocka_unit_test(server_parse_refuses_garbage),
		cmocka_unit_test(server_parse_then_dialect_picks_band),
		cmocka_unit_test(flavor_names_parse_back),
		cmocka_unit_test(feed_gtid_per_flavor),
		/* last: under -fsanitize=undefined it ends the run */
		cmocka_unit_test(wait_timeouts_of_int64_max_do_not_overflow),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-dialect", tests, NULL, NULL) ==
	    0 ? 0 : 1;
}
