/* Unit tests for the attach statements of each version band, and GTID covering. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "replkit.h"

static const struct repl_server mariadb = { REPL_FLAVOR_MARIADB, 101106 };
static const struct repl_server mysql57 = { REPL_FLAVOR_MYSQL, 50744 };
static const struct repl_server mysql8003 = { REPL_FLAVOR_MYSQL, 80003 };
static const struct repl_server mysql8022 = { REPL_FLAVOR_MYSQL, 80022 };
static const struct repl_server mysql8023 = { REPL_FLAVOR_MYSQL, 80023 };
static const struct repl_server mysql84 = { REPL_FLAVOR_MYSQL, 80403 };
static const struct repl_server mysql91 = { REPL_FLAVOR_MYSQL, 90100 };

static struct repl_source
source(enum repl_start start)
{
	struct repl_source s;

	memset(&s, 0, sizeof(s));
	strcpy(s.host, "db1");
	s.port = 3306;
	s.user = "repl";
	s.password = "p\\'w";
	s.start = start;
	if (start == REPL_START_FILEPOS) {
		strcpy(s.file, "mysql-bin.000003");
		s.pos = 1494;
	}
	return s;
}

static void
attach_is(const struct repl_server *srv, const struct repl_source *s,
    const char *want)
{
	char buf[2048];
	int n = repl_sql_attach(buf, sizeof(buf), srv, s);

	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void
mariadb_gtid_uses_slave_pos(void **state)
{
	struct repl_source s = source(REPL_START_GTID);

	(void)state;
	attach_is(&mariadb, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_USE_GTID=slave_pos");
}

static void
mariadb_filepos_turns_gtid_off(void **state)
{
	struct repl_source s = source(REPL_START_FILEPOS);

	(void)state;
	s.connect_retry = 5;
	attach_is(&mariadb, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_CONNECT_RETRY=5, MASTER_LOG_FILE='mysql-bin.000003', "
	    "MASTER_LOG_POS=1494, MASTER_USE_GTID=no");
}

static void
mariadb_no_password_keeps_the_old_one(void **state)
{
	struct repl_source s = source(REPL_START_GTID);

	(void)state;
	s.password = NULL;
	attach_is(&mariadb, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_USE_GTID=slave_pos");
}

static void
mariadb_tls_channel(void **state)
{
	struct repl_source s = source(REPL_START_GTID);

	(void)state;
	s.password = NULL;
	s.ssl_mode = REPL_SSL_VERIFY_IDENTITY;
	s.ssl_ca = "/etc/ca.pem";
	attach_is(&mariadb, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_SSL=1, "
	    "MASTER_SSL_CA='/etc/ca.pem', MASTER_SSL_VERIFY_SERVER_CERT=1, "
	    "MASTER_USE_GTID=slave_pos");
	s.ssl_mode = REPL_SSL_VERIFY_CA;
	attach_is(&mariadb, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_SSL=1, "
	    "MASTER_SSL_CA='/etc/ca.pem', MASTER_SSL_VERIFY_SERVER_CERT=0, "
	    "MASTER_USE_GTID=slave_pos");
	s.ssl_mode = REPL_SSL_DISABLED;
	s.ssl_ca = NULL;
	attach_is(&mariadb, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_SSL=0, "
	    "MASTER_USE_GTID=slave_pos");
}

static void
mysql57_old_names_no_public_key(void **state)
{
	struct repl_source s = source(REPL_START_GTID);

	(void)state;
	attach_is(&mysql57, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_AUTO_POSITION=1");
	attach_is(&mysql8003, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_AUTO_POSITION=1");
}

static void
mysql8022_old_names_get_master_public_key(void **state)
{
	struct repl_source s = source(REPL_START_FILEPOS);

	(void)state;
	attach_is(&mysql8022, &s, "CHANGE MASTER TO MASTER_HOST='db1', "
	    "MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "GET_MASTER_PUBLIC_KEY=1, MASTER_LOG_FILE='mysql-bin.000003', "
	    "MASTER_LOG_POS=1494, MASTER_AUTO_POSITION=0");
}

static void
mysql8023_on_new_names(void **state)
{
	struct repl_source s = source(REPL_START_GTID);
	const struct repl_server *srv[] = { &mysql8023, &mysql84, &mysql91 };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		attach_is(srv[i], &s, "CHANGE REPLICATION SOURCE TO "
		    "SOURCE_HOST='db1', SOURCE_PORT=3306, SOURCE_USER='repl', "
		    "SOURCE_PASSWORD='p\\'w', GET_SOURCE_PUBLIC_KEY=1, "
		    "SOURCE_AUTO_POSITION=1");
	s.ssl_mode = REPL_SSL_REQUIRED;
	s.password = NULL;
	attach_is(&mysql84, &s, "CHANGE REPLICATION SOURCE TO "
	    "SOURCE_HOST='db1', SOURCE_PORT=3306, SOURCE_USER='repl', "
	    "SOURCE_SSL=1, SOURCE_SSL_VERIFY_SERVER_CERT=0, "
	    "SOURCE_AUTO_POSITION=1");
}

static void
attach_refuses_small_buffer(void **state)
{
	struct repl_source s = source(REPL_START_GTID);
	char buf[40];

	(void)state;
	assert_int_equal(repl_sql_attach(buf, sizeof(buf), &mariadb, &s), -1);
}

static void
set_gtid_pos_per_flavor(void **state)
{
	char buf[256];

	(void)state;
	assert_int_not_equal(repl_sql_set_gtid_pos(buf, sizeof(buf), &mariadb,
	    "0-1-42,1-2-3"), -1);
	assert_string_equal(buf, "SET GLOBAL gtid_slave_pos = '0-1-42,1-2-3'");
	assert_int_not_equal(repl_sql_set_gtid_pos(buf, sizeof(buf), &mysql84,
	    "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"), -1);
	assert_string_equal(buf, "SET GLOBAL gtid_purged = "
	    "'3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5'");
	assert_int_equal(repl_sql_set_gtid_pos(buf, sizeof(buf), &mariadb,
	    "0-1-1'"), -1);
}

static void
covers_domain_by_domain(void **state)
{
	char why[64];

	(void)state;
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-1-10", 0, why,
	    sizeof(why)), 1);
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-2-9", 0, why,
	    sizeof(why)), 1);
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-2-11", 0, why,
	    sizeof(why)), 0);
	assert_string_equal(why, "0-2-11");
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-1-5,1-1-3", 0,
	    why, sizeof(why)), 0);
	assert_string_equal(why, "1-1-3");
	/* with only_shared, a domain x does not have is not asked for */
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-1-5,1-1-3", 1,
	    why, sizeof(why)), 1);
	assert_int_equal(repl_gtid_mariadb_covers("", "0-1-5", 0, why,
	    sizeof(why)), 0);
	assert_int_equal(repl_gtid_mariadb_covers("", "", 0, why,
	    sizeof(why)), 1);
	assert_int_equal(repl_gtid_mariadb_covers("0-1-5", "", 0, why,
	    sizeof(why)), 1);
	/* a binlog state may name a domain once per server */
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-1-9,0-2-10", 0,
	    why, sizeof(why)), 1);
	assert_int_equal(repl_gtid_mariadb_covers("0-1-10", "0-1-9,0-2-11", 0,
	    why, sizeof(why)), 0);
	assert_string_equal(why, "0-2-11");
	assert_int_equal(repl_gtid_mariadb_covers("7-1-18446744073709551615",
	    "7-3-18446744073709551615", 0, why, sizeof(why)), 1);
}

/* The whole sequence, as run and as shown, for one server. */
static void
plan_is(const struct repl_server *srv, const char *gtid, const char *want,
    const char *want_shown)
{
	struct repl_source s = source(REPL_START_GTID);
	struct repl_attach_plan p;
	char run[4096] = "", shown[4096] = "";
	size_t i;

	assert_int_equal(repl_attach_plan(&p, srv, &s, "p\\'w", gtid), 0);
	for (i = 0; i < p.n; i++) {
		strcat(run, p.sql[i]);
		strcat(run, ";\n");
		strcat(shown, p.shown[i]);
		strcat(shown, ";\n");
	}
	repl_attach_plan_free(&p);
	assert_int_equal(p.n, 0);
	assert_string_equal(run, want);
	assert_string_equal(shown, want_shown);
}

static void
plan_per_flavor_and_band(void **state)
{
	(void)state;
	plan_is(&mariadb, NULL,
	    "STOP SLAVE;\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_USE_GTID=slave_pos;\n"
	    "START SLAVE;\n",
	    "STOP SLAVE;\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='***', "
	    "MASTER_USE_GTID=slave_pos;\n"
	    "START SLAVE;\n");
	/* --at-position: the GTID position is set before the change. */
	plan_is(&mariadb, "0-1-42",
	    "STOP SLAVE;\n"
	    "SET GLOBAL gtid_slave_pos = '0-1-42';\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_USE_GTID=slave_pos;\n"
	    "START SLAVE;\n",
	    "STOP SLAVE;\n"
	    "SET GLOBAL gtid_slave_pos = '0-1-42';\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='***', "
	    "MASTER_USE_GTID=slave_pos;\n"
	    "START SLAVE;\n");
	plan_is(&mysql57, NULL,
	    "STOP SLAVE;\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "MASTER_AUTO_POSITION=1;\n"
	    "START SLAVE;\n",
	    "STOP SLAVE;\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='***', "
	    "MASTER_AUTO_POSITION=1;\n"
	    "START SLAVE;\n");
	plan_is(&mysql8022, NULL,
	    "STOP REPLICA;\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='p\\'w', "
	    "GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1;\n"
	    "START REPLICA;\n",
	    "STOP REPLICA;\n"
	    "CHANGE MASTER TO MASTER_HOST='db1', MASTER_PORT=3306, "
	    "MASTER_USER='repl', MASTER_PASSWORD='***', "
	    "GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1;\n"
	    "START REPLICA;\n");
	plan_is(&mysql84, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77",
	    "STOP REPLICA;\n"
	    "SET GLOBAL gtid_purged = "
	    "'3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77';\n"
	    "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1', "
	    "SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='p\\'w', "
	    "GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1;\n"
	    "START REPLICA;\n",
	    "STOP REPLICA;\n"
	    "SET GLOBAL gtid_purged = "
	    "'3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77';\n"
	    "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1', "
	    "SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='***', "
	    "GET_SOURCE_PUBLIC_KEY=1, SOURCE_AUTO_POSITION=1;\n"
	    "START REPLICA;\n");
}

static void
plan_without_password_keeps_it(void **state)
{
	struct repl_source s = source(REPL_START_GTID);
	struct repl_attach_plan p;

	(void)state;
	assert_int_equal(repl_attach_plan(&p, &mysql91, &s, NULL, NULL), 0);
	assert_int_equal(p.n, 3);
	assert_null(strstr(p.sql[1], "PASSWORD"));
	assert_string_equal(p.sql[1], p.shown[1]);
	repl_attach_plan_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mariadb_gtid_uses_slave_pos),
		cmocka_unit_test(mariadb_filepos_turns_gtid_off),
		cmocka_unit_test(mariadb_no_password_keeps_the_old_one),
		cmocka_unit_test(mariadb_tls_channel),
		cmocka_unit_test(mysql57_old_names_no_public_key),
		cmocka_unit_test(mysql8022_old_names_get_master_public_key),
		cmocka_unit_test(mysql8023_on_new_names),
		cmocka_unit_test(attach_refuses_small_buffer),
		cmocka_unit_test(set_gtid_pos_per_flavor),
		cmocka_unit_test(covers_domain_by_domain),
		cmocka_unit_test(plan_per_flavor_and_band),
		cmocka_unit_test(plan_without_password_keeps_it),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("unit-attach", tests, NULL, NULL);
}
