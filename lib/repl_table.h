/* Tables and scope: names, the tables of -d and -T, a thread per server. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_TABLE_H
#define REPL_TABLE_H

#include "repl_conn.h"

#define REPL_NAME_CHARS 64	/* characters of a schema or table name */
#define REPL_NAME_MAX 256	/* ... and bytes, in UTF-8 */

struct repl_table {
	char db[REPL_NAME_MAX + 1];
	char name[REPL_NAME_MAX + 1];
};

size_t repl_utf8_len(const char *);
size_t repl_utf8_len_n(const char *, size_t);
int repl_name_valid(const char *);
int repl_table_parse(struct repl_table *, const char *, struct repl_err *);
int repl_table_cmp(const void *, const void *);

/*
 * The layer every tool over many servers stands on (lib/multi.c,
 * table_list.c): libmariadb set up for threads, a thread per server, the
 * tables a server has, sorted and each once, the errors after which a
 * connection is lost, and the options -d, -T and -t that choose the
 * tables and the time.
 */
int repl_multi_init(void);
void repl_multi_end(void);
int repl_table_list(struct repl_conn *, char *const *, size_t,
    struct repl_table **, size_t *, struct repl_err *);
void repl_multi_each(void *, size_t, size_t, void *(*)(void *));
void repl_table_unique(struct repl_table *, size_t *);
int repl_conn_lost(unsigned int);
/* The long options of repl_scope_opt, for a tool's option table. */
#define REPL_SCOPE_LONGOPTS \
	{ "database", required_argument, 0, 'd' }, \
	{ "table", required_argument, 0, 'T' }, \
	{ "timeout", required_argument, 0, 't' }
int repl_scope_opt(int, char *, char **, size_t *, struct repl_table *,
    size_t *, int64_t *, struct repl_err *);

#endif
