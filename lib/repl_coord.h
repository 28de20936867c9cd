/* Coordinates: the coordinate line, its grammars, lines as they arrive. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_COORD_H
#define REPL_COORD_H

#include "repl_conn.h"

/*
 * The coordinate line: a source's position, as key=value fields.
 * See replkit(7). Values here have passed their grammar.
 */
#define REPL_FILE_MAX 255
#define REPL_GTID_MAX 16383
#define REPL_UUID_LEN 36
#define REPL_LINE_MAX 65536
struct repl_coord {
	enum repl_flavor flavor;
	char host[REPL_HOST_MAX + 1];	/* empty: not given */
	unsigned int port;		/* 0: not given */
	unsigned long server_id;
	int has_server_id;
	char file[REPL_FILE_MAX + 1];	/* empty: not given */
	unsigned long long pos;		/* 0: not given */
	char gtid[REPL_GTID_MAX + 1];	/* empty: none */
	int has_gtid;
	char uuid[REPL_UUID_LEN + 1];	/* MySQL server_uuid */
};

int repl_coord_parse(struct repl_coord *, const char *, size_t,
    struct repl_err *);
int repl_coord_read(struct repl_coord *, int, int64_t, struct repl_err *);
void repl_coord_print(const struct repl_coord *, int json);
void repl_coord_json_members(const struct repl_coord *);
int repl_file_valid(const char *);
int repl_gtid_valid(enum repl_flavor, const char *);
int repl_uuid_valid(const char *);

/* Comparing MariaDB GTID positions, domain by domain. */
int repl_gtid_mariadb_covers(const char *, const char *, int, char *,
    size_t);

/* Coordinate lines one at a time, each stamped when it arrived. */
struct repl_lines {
	int fd;
	char *buf;			/* REPL_LINE_MAX + 2 bytes */
	size_t len;
	int64_t *stamp;			/* arrival of each newline in buf */
	size_t nstamp;
	int eof;
	int64_t eof_us;
};

int repl_lines_init(struct repl_lines *, int, struct repl_err *);
void repl_lines_free(struct repl_lines *);
int repl_lines_poll(struct repl_lines *, struct repl_err *);
int repl_lines_next(struct repl_lines *, char *, size_t *, int64_t *,
    struct repl_err *);

/* Transactions one GTID position has that another lacks (repl-top). */
unsigned long long repl_gtid_mariadb_lag(const char *, const char *);
int repl_gtid_mysql_lag(const char *, const char *, unsigned long long *);

#endif
