/* The engine of repl-diff: schemas, row hashes, differences, the run. */
/* SPDX-License-Identifier: MIT */
#ifndef REPL_DIFF_H
#define REPL_DIFF_H

#include <stdio.h>

#include "repl_table.h"

/*
 * repl-diff: schema and row differences between a source and replicas.
 * Values reach SQL only as literals built by repl_diff_sql_literal.
 */
#define REPL_DIFF_KEY_MAX 16		/* columns of a key */

enum repl_diff_ctype {
	REPL_DIFF_TEXT = 0,		/* character data: quoted */
	REPL_DIFF_NUM,			/* integers, decimals, floats */
	REPL_DIFF_TIME,			/* dates and times */
	REPL_DIFF_BIN			/* bytes: binary, blobs, bits */
};

/* How the row hash takes a column's values: on every server alike. */
enum repl_diff_hkind {
	REPL_DIFF_H_BYTES = 0,		/* as bytes: text, binary data */
	REPL_DIFF_H_PRINT,		/* a number or time, as printed */
	REPL_DIFF_H_INT32		/* an integer of 32 bits or fewer */
};

struct repl_diff_col {
	char name[REPL_NAME_MAX + 1];
	char type[256];			/* COLUMN_TYPE, e.g. int(11) */
	char collation[64];		/* empty: none (no text) */
	enum repl_diff_ctype ctype;
	enum repl_diff_hkind hkind;
	int nullable;
	unsigned int pos;		/* ORDINAL_POSITION */
};

struct repl_diff_key {
	char name[REPL_NAME_MAX + 1];	/* PRIMARY for the primary key */
	size_t ncol;
	char col[REPL_DIFF_KEY_MAX][REPL_NAME_MAX + 1];
};

/* A table as one server has it. */
struct repl_diff_schema {
	int exists;
	struct repl_diff_col *col;	/* by ORDINAL_POSITION */
	size_t ncol;
	struct repl_diff_key *key;	/* unique keys, PRIMARY first */
	size_t nkey;
};

/* What a comparison of a table works on: its common columns. */
struct repl_diff_tab {
	struct repl_table t;
	struct repl_diff_col *col;	/* common columns, source order */
	size_t ncol;
	size_t key[REPL_DIFF_KEY_MAX];	/* the key's columns in col */
	size_t nkey;			/* 0: no usable key */
	int crc32c;			/* every server has CRC32C() */
	int samecoll;			/* text in one collation everywhere */
};

/* A row: a value per column of a repl_diff_tab; val NULL is NULL. */
struct repl_diff_row {
	char **val;
	unsigned long *len;
};

enum repl_diff_what {
	REPL_DIFF_TABLE_MISSING = 0,	/* on the source, not the replica */
	REPL_DIFF_TABLE_EXTRA,
	REPL_DIFF_COLUMN_MISSING,	/* name */
	REPL_DIFF_COLUMN_EXTRA,		/* name */
	REPL_DIFF_COLUMN_TYPE,		/* name, a (source), b (replica) */
	REPL_DIFF_COLUMN_ORDER,		/* name, a, b: positions */
	REPL_DIFF_KEY_MISSING,		/* name, a: its columns */
	REPL_DIFF_KEY_EXTRA,		/* name, a */
	REPL_DIFF_KEY_DIFFERS,		/* name, a, b */
	REPL_DIFF_COMMON,		/* a: the columns compared */
	REPL_DIFF_NOKEY,		/* whole-table checksums differ */
	REPL_DIFF_ROW_MISSING,		/* src */
	REPL_DIFF_ROW_EXTRA,		/* rep */
	REPL_DIFF_ROW_DIFFERS		/* src, rep: the columns that differ */
};

/* One difference, as repl_diff_print prints it. */
struct repl_diff_rec {
	enum repl_diff_what what;
	const char *replica;		/* the operand */
	const struct repl_diff_tab *tab;
	const char *name, *a, *b;
	const struct repl_diff_row *src, *rep;
};

#define REPL_DIFF_OUT_TEXT 0
#define REPL_DIFF_OUT_JSON 1
#define REPL_DIFF_OUT_SQL 2

struct repl_diff_server {
	const char *operand;
	struct repl_addr addr;
	int up;				/* connected, not lost */
	int synced;			/* caught up with the source once */
	struct repl_err err;		/* its first failure */
	unsigned long ndiff;		/* differences found on it */
};

struct repl_diff {
	/* Set by the caller. */
	struct repl_diff_server *srv;	/* [0] the source */
	size_t nsrv;
	char **dbs;
	size_t ndbs;
	const struct repl_table *want;
	size_t nwant;
	int64_t timeout;		/* each wait for a replica, ms */
	int64_t chunk_ms;		/* the time target of a chunk */
	int portable;			/* hash as if no server had CRC32C */
	void (*emit)(void *, size_t, const struct repl_diff_rec *);
	void (*note)(void *, enum repl_note, const char *);
	void *arg;
	/* Filled by repl_diff_run. */
	size_t ntab;			/* tables compared */
	unsigned long long rows;	/* rows checksummed on the source */
	unsigned long chunks, rechecks;
	unsigned long ndiff;
	int nodata;			/* a -T table nowhere, a -d empty */
	struct repl_err err;		/* a failure of the run itself */
};

enum repl_diff_ctype repl_diff_ctype(const char *);
enum repl_diff_hkind repl_diff_hkind(const char *);
size_t repl_diff_keylist(char *, size_t, const struct repl_diff_key *);
int repl_diff_schema_read(struct repl_conn *, const struct repl_table *,
    struct repl_diff_schema *, struct repl_err *);
void repl_diff_schema_free(struct repl_diff_schema *);
int repl_diff_schema_cmp(const struct repl_diff_schema *,
    const struct repl_diff_schema *, const char *,
    const struct repl_diff_tab *,
    void (*)(void *, const struct repl_diff_rec *), void *);
int repl_diff_tab_make(struct repl_diff_tab *, const struct repl_table *,
    const struct repl_diff_schema *, size_t);
void repl_diff_tab_free(struct repl_diff_tab *);
void repl_diff_sql_literal(struct repl_sb *, const struct repl_diff_col *,
    const char *, unsigned long);
void repl_diff_sql_ident(struct repl_sb *, const char *);
void repl_diff_sql_table(struct repl_sb *, const struct repl_table *);
void repl_diff_sql_hashes(struct repl_sb *, const struct repl_diff_tab *,
    int);
void repl_diff_sql_hash(struct repl_sb *, const struct repl_diff_tab *);
void repl_diff_sql_range(struct repl_sb *, const struct repl_diff_tab *,
    const struct repl_diff_row *, const struct repl_diff_row *);
void repl_diff_sql_keyeq(struct repl_sb *, const struct repl_diff_tab *,
    const struct repl_diff_row *);
int repl_diff_same(const struct repl_diff_tab *, size_t,
    const struct repl_diff_row *, const struct repl_diff_row *);
int repl_diff_print(FILE *, int, const struct repl_diff_rec *);
int repl_diff_run(struct repl_diff *, const struct repl_connopt *);
int repl_diff_exit(const struct repl_diff *);

#endif
