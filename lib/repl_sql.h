/* SQL text: the dialect of each flavor and version band, and quoting. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_SQL_H
#define REPL_SQL_H

#include "repl_coord.h"

/* The SQL dialect: the only place statement text is chosen. */
const char *repl_sql_binlog_status(const struct repl_server *);
const char *repl_sql_replica_status(const struct repl_server *);
const char *repl_sql_start_replica(const struct repl_server *);
const char *repl_sql_stop_replica(const struct repl_server *);
const char *repl_sql_change_source(const struct repl_server *);
const char *repl_sql_gtid_executed(const struct repl_server *);
const char *repl_sql_track_gtid(const struct repl_server *);
const char *repl_sql_last_gtid(const struct repl_server *);
int repl_sql_wait_gtid(char *, size_t, const struct repl_server *,
    const char *, int64_t);
int repl_sql_wait_pos(char *, size_t, const struct repl_server *,
    const char *, unsigned long long, int64_t);
int repl_sql_has_crc32c(const struct repl_server *);
int repl_sql_quote(char *, size_t, const char *);
int repl_sql_gtid_subtract(char *, size_t, const char *, const char *);
const char *repl_sql_replica_hosts(const struct repl_server *);
const char *repl_sql_top_state(const struct repl_server *);
const char *repl_sql_dump_clients(void);
const char *repl_sql_read_only(const struct repl_server *);
const char *repl_sql_reset_replica_all(const struct repl_server *);
const char *repl_sql_set_read_only(const struct repl_server *, int);
const char *repl_sql_logs_replicated(const struct repl_server *);
const char *repl_sql_event_replica_off(const struct repl_server *);

/* Names for SQL: identifiers in backticks, strings in hexadecimal. */
int repl_sql_ident(char *, size_t, const char *);
int repl_sql_hexstr(char *, size_t, const char *);

/* Pointing a replica at a source (repl-attach). */
enum repl_start {
	REPL_START_GTID = 0,	/* MASTER_USE_GTID=slave_pos, AUTO_POSITION */
	REPL_START_FILEPOS	/* binary log file and position */
};

struct repl_source {
	char host[REPL_HOST_MAX + 1];
	unsigned int port;
	const char *user;		/* escaped for a string literal */
	const char *password;		/* escaped; NULL: leave as it is */
	unsigned int connect_retry;	/* seconds; 0: the server's default */
	enum repl_ssl_mode ssl_mode;	/* of the replication channel */
	const char *ssl_ca;		/* escaped path on the replica */
	enum repl_start start;
	char file[REPL_FILE_MAX + 1];
	unsigned long long pos;
};

int repl_sql_attach(char *, size_t, const struct repl_server *,
    const struct repl_source *);
int repl_sql_set_gtid_pos(char *, size_t, const struct repl_server *,
    const char *);

#endif
