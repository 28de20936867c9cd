/* Questions to a server: replica status, positions, waiting. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_REPLICA_H
#define REPL_REPLICA_H

#include "repl_coord.h"

/* A replica's status, read by column name in either spelling. */
struct repl_replica {
	int configured;			/* a status row exists */
	char io_running[16];		/* Yes, No, Connecting, Preparing */
	char sql_running[16];
	unsigned int last_io_errno;
	char last_io_error[512];
	unsigned int last_sql_errno;
	char last_sql_error[512];
	long long seconds_behind;	/* -1: NULL */
	char source_host[REPL_HOST_MAX + 1];
	unsigned int source_port;
	char exec_file[REPL_FILE_MAX + 1];
	unsigned long long exec_pos;
	char using_gtid[32];		/* MariaDB Using_Gtid; MySQL "1"/"0" */
	char read_file[REPL_FILE_MAX + 1];	/* the IO thread's source file */
	unsigned long long relay_space;	/* Relay_Log_Space, bytes */
};

int repl_replica_status(struct repl_conn *, struct repl_replica *,
    struct repl_err *);
void repl_gtid_squeeze(char *);
int repl_gtid_squeeze_into(char *, size_t, const char *);
int repl_gtid_mysql_minus(struct repl_conn *, const char *, const char *,
    char *, size_t, struct repl_err *);
int repl_replica_running(const struct repl_replica *);
int repl_replica_broken(const struct repl_replica *, struct repl_err *);

/* A source's position (repl-pos). */
int repl_pos_read(struct repl_conn *, struct repl_coord *, struct repl_err *);
int repl_pos_address(struct repl_conn *, const struct repl_addr *,
    const struct repl_addr *, struct repl_coord *, struct repl_err *);

/* Waiting until a replica has applied a position. */
int repl_wait_applied(struct repl_conn *, const struct repl_coord *,
    int64_t deadline, struct repl_err *);

/* Master-master pairs, and what a source can no longer send. */
int repl_circular_same_domain(struct repl_conn *, struct repl_conn *,
    char *, size_t, struct repl_err *);
int repl_binlog_purged(struct repl_conn *, char *, size_t, struct repl_err *);

#endif
