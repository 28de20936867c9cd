/* The engine of repl-feed: payloads, commits, their order, the writers. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_FEED_H
#define REPL_FEED_H

#include "repl_coord.h"
#include "repl_table.h"

/*
 * repl-feed: a data generator that prints the coordinate line of each
 * commit. Table names reach SQL only through repl_sql_ident.
 */
enum {
	REPL_FEED_COMMITTED = 0,	/* committed, position in the coord */
	REPL_FEED_FAILED,		/* refused by the server: not written */
	REPL_FEED_UNKNOWN,		/* connection lost: may have committed */
	REPL_FEED_NOPOS			/* committed, position unreadable */
};

int repl_feed_sql_create_db(char *, size_t, const struct repl_table *);
int repl_feed_sql_create_table(char *, size_t, const struct repl_table *,
    unsigned int);
size_t repl_feed_sql_insert_size(unsigned int, unsigned int);
int repl_feed_sql_insert(char *, size_t, const struct repl_table *,
    unsigned int, unsigned int, const char *);
uint64_t repl_feed_seed(uint64_t);
void repl_feed_payload(char *, size_t, uint64_t *);
int repl_feed_session(struct repl_conn *, struct repl_coord *, int *,
    struct repl_err *);
int repl_feed_commit(struct repl_conn *, const char *, size_t, int,
    struct repl_coord *, struct repl_err *);
int repl_feed_position(struct repl_conn *, int, struct repl_coord *,
    struct repl_err *);
int repl_feed_own_gtid(const char *, size_t, char *, size_t);

/* The binary protocol's bulk INSERT of a batch (MariaDB). */
struct repl_feed_bulk {
	void *stmt;			/* MYSQL_STMT * */
	void *bind;			/* MYSQL_BIND *: the payload column */
	char **ptr;			/* a payload per row */
	unsigned long *len;
	unsigned int cap, size;
};

int repl_feed_bulk_open(struct repl_feed_bulk *, struct repl_conn *,
    const struct repl_table *, unsigned int, unsigned int, struct repl_err *);
void repl_feed_bulk_close(struct repl_feed_bulk *);
int repl_feed_bulk_commit(struct repl_feed_bulk *, struct repl_conn *,
    const char *, unsigned int, int, struct repl_coord *, struct repl_err *);

/* After a lost connection: did the batch with this first payload commit? */
#define REPL_FEED_MARK_MIN 16	/* payload bytes that make a batch unique */
int repl_feed_server_start(struct repl_conn *, int64_t *, struct repl_err *);
int repl_feed_check(struct repl_conn *, const struct repl_table *,
    const char *, unsigned long, int64_t, int64_t, struct repl_err *);

/* Lines of several writers, held until they can go out in commit order. */
struct repl_feed_line {
	uint64_t key;			/* repl_feed_line_key */
	uint64_t at;			/* answers before it, itself included */
	struct repl_coord *co;
};

struct repl_feed_order {
	size_t nw;			/* writers */
	uint64_t ev;			/* lines received */
	uint64_t *sent;			/* per writer: ev when it sent; or idle */
	struct repl_feed_line *line;	/* held, sorted by key */
	size_t nline, cap;
};

uint64_t repl_feed_line_key(const struct repl_coord *);
int repl_feed_order_init(struct repl_feed_order *, size_t);
void repl_feed_order_free(struct repl_feed_order *);
void repl_feed_order_send(struct repl_feed_order *, size_t);
int repl_feed_order_done(struct repl_feed_order *, size_t,
    struct repl_coord *);
struct repl_coord *repl_feed_order_next(struct repl_feed_order *);

/* A repl-feed run (repl_feed_run): what is asked, and what happened. */
struct repl_feed {
	/* Set by the caller. */
	struct repl_addr addr;
	const struct repl_connopt *o;
	struct repl_table table;
	unsigned long long rows;	/* -n; 0 with -d */
	int64_t end;			/* -d: repl_now_ms() time; else -1 */
	unsigned int batch, size;	/* rows per transaction, bytes each */
	size_t conns;			/* writers at once */
	double rate;			/* rows per second; 0: no limit */
	int64_t interval;		/* ms between lines; 0: every commit */
	int64_t reconnect;		/* ms to try to connect */
	void (*line)(const struct repl_coord *);	/* a commit's line */
	void (*note)(const char *);	/* what happened, for stderr */
	/* The outcome. */
	unsigned long long committed, txns;	/* rows and transactions */
	unsigned long long unknown_rows, unknown_txns;
	struct repl_err err;		/* why it stopped, when it failed */
};

int repl_feed_run(struct repl_feed *);

#endif
