# replkit: one plain Makefile. `make` builds the tools against the system
# libmariadb; `make static` builds the fully static musl release tools.

VERSION = 0.1.0
TOOLS = repl-wait repl-pos repl-attach repl-count repl-feed repl-diff repl-top repl-promote repl-clone
UNITS = unit-addr unit-coord unit-dialect unit-dur unit-attach unit-count \
	unit-opt unit-feed unit-diff unit-top unit-retry unit-clone

# The library, by family, from the bottom layer up (lib/*.c).
# Base: errors and exit codes, durations and numbers, clocks, output and
# engines' remarks, a growing string.
LIB_BASE = err dur num clock clock_us out note input diff_sb json
# Connection: server operands, flavors, options, option files, passwords,
# sessions, trying until a deadline.
LIB_CONN = addr flavor connopt opt optfile password greeting conn escape \
	retry
# Coordinates and the grammars of what reaches SQL.
LIB_COORD = coord coord_io coord_lines grammar gtid_cover gtid_lag
# SQL text: the dialect of each flavor and version band, and quoting.
LIB_SQL = dialect attach_sql count_quote
# Questions to a server: replica status, positions, waiting.
LIB_REPLICA = replica pos wait purged circular gtid_mysql
# Tables and scope: names, listing, a thread per server.
LIB_TABLE = table_name table_list multi
# The engines, one per tool that has one.
LIB_ATTACH = attach attach_purged attach_run voice
LIB_COUNT = count_round count_table count_verdict count_print
LIB_FEED = feed_sql feed_payload feed_commit feed_bulk feed_check \
	feed_order feed_run
LIB_DIFF = diff_sql diff_hash diff_schema diff_print diff_job diff_row diff_sum \
	diff_narrow diff_run
LIB_TOP = top top_node top_print
LIB_PROMOTE = promote_check promote
LIB_CLONE = clone_sql clone_plan clone_check clone_snap clone_copy clone_obj \
	clone_run clone_inst
LIBSRC = $(LIB_BASE) $(LIB_CONN) $(LIB_COORD) $(LIB_SQL) $(LIB_REPLICA) \
	$(LIB_TABLE) $(LIB_ATTACH) $(LIB_COUNT) $(LIB_FEED) $(LIB_DIFF) \
	$(LIB_TOP) $(LIB_PROMOTE) $(LIB_CLONE)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Werror -pedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2
REPL_CPPFLAGS = -D_DEFAULT_SOURCE -Ilib
MYSQL_CFLAGS ?= $(shell mariadb_config --include 2>/dev/null || pkg-config --cflags libmariadb)
MYSQL_LIBS ?= $(shell mariadb_config --libs 2>/dev/null || pkg-config --libs libmariadb)
CMOCKA_LIBS ?= -lcmocka
# repl-count runs a thread per server.
THREAD_LIBS ?= -lpthread
OUT ?= out/dev

# make static's flags: built for size like its dependencies
# (build/deps.sh): -Os, a section per function and per object so that
# --gc-sections drops what nothing reaches, no unwind tables.
STATIC_CFLAGS = -Os -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
STATIC_LDFLAGS = -static -s -Wl,--gc-sections

# Where `make static` keeps the musl OpenSSL and libmariadb it builds.
REPLKIT_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/replkit
export REPLKIT_CACHE CONC_TARBALL OPENSSL_TARBALL

LIBOBJ = $(LIBSRC:%=$(OUT)/lib/%.o)
BINS = $(TOOLS:%=$(OUT)/bin/%)
UNITBINS = $(UNITS:%=$(OUT)/t/%)
MULTI = $(OUT)/multicall
MULTIOBJ = $(MULTI)/multicall.o $(TOOLS:%=$(MULTI)/%.o)
ALLCFLAGS = $(WARN) $(REPL_CPPFLAGS) $(MYSQL_CFLAGS) $(CPPFLAGS) $(CFLAGS)
# Every object and program depends on the headers it includes: the
# compiler writes them down (beside an object; for a program, under
# $(OUT)/cmd or $(OUT)/t/unit, so that bin/ holds only programs) and make
# reads them back.
DEPFLAGS = -MMD -MP
DEPS = $(LIBOBJ:=.d) $(TOOLS:%=$(OUT)/cmd/%.d) $(UNITS:%=$(OUT)/t/unit/%.d) \
	$(MULTIOBJ:=.d)

all: $(BINS)

$(OUT)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $@.d -c -o $@ $<

$(OUT)/libreplkit.a: $(LIBOBJ)
	@rm -f $@
	@echo "  AR      $@"
	@$(AR) rcs $@ $(LIBOBJ)

$(OUT)/bin/%: cmd/%.c $(OUT)/libreplkit.a
	@mkdir -p $(@D) $(OUT)/cmd
	@echo "  LD      $@"
	@$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $(OUT)/cmd/$*.d $(LDFLAGS) -o $@ $< $(OUT)/libreplkit.a $(MYSQL_LIBS) $(THREAD_LIBS)

$(OUT)/t/%: t/unit/%.c $(OUT)/libreplkit.a
	@mkdir -p $(@D)/unit
	@echo "  LD      $@"
	@$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $(OUT)/t/unit/$*.d $(LDFLAGS) -o $@ $< $(OUT)/libreplkit.a $(MYSQL_LIBS) $(CMOCKA_LIBS) $(THREAD_LIBS)

units: $(UNITBINS)

-include $(DEPS)

# The release tools (build/static.sh): fully static, musl, with and
# without TLS, and the tools image's multi-call binary.
static:
	@STATIC_CFLAGS="$(STATIC_CFLAGS)" STATIC_LDFLAGS="$(STATIC_LDFLAGS)" \
	    MAKE="$(MAKE)" build/static.sh

# The tools image's one binary for every tool (docker/multicall.c): each
# cmd/ source compiled again with its main renamed, dispatched on the name
# the binary runs as; tools.h (build/multicall.sh) lists them.
multicall: $(MULTI)/replkit

$(MULTI)/tools.h: Makefile build/multicall.sh
	@mkdir -p $(@D)
	@build/multicall.sh $(TOOLS) >$@

$(MULTI)/multicall.o: docker/multicall.c $(MULTI)/tools.h
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $@.d -I$(MULTI) -c -o $@ $<

$(MULTI)/%.o: cmd/%.c $(MULTI)/tools.h
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(DEPFLAGS) -MF $@.d -include $(MULTI)/tools.h \
	    -Dmain=replkit_main_$(subst -,_,$*) -c -o $@ $<

$(MULTI)/replkit: $(MULTIOBJ) $(OUT)/libreplkit.a
	@echo "  LD      $@"
	@$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ $(MULTIOBJ) $(OUT)/libreplkit.a $(MYSQL_LIBS) $(THREAD_LIBS)

# Everything built with AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) --no-print-directory all units OUT=out/asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# The whole suite against the tools in $(OUT) (REPL_BIN overrides).
check: all units
	REPL_BIN=$${REPL_BIN:-$(CURDIR)/$(OUT)/bin} REPL_UNIT=$${REPL_UNIT:-$(CURDIR)/$(OUT)/t} \
	    prove -j2 t/

# The tools image (docker/README): make static's multi-call binary, FROM
# scratch; tagged replkit:$(VERSION), latest.
image: static
	VERSION=$(VERSION) docker/image.sh

# The compose stacks end to end (t/50*.t), with the tools image and local
# stand-ins for the server and proxy images (docker/standin/build.sh).
check-compose: image
	prove t/50*.t

lint:
	for m in man/*.[17]; do mandoc -Tlint -W warning $$m || exit 1; done
	shellcheck -x t/*.t t/lib/*.sh build/*.sh bench/run bench/count bench/feed bench/diff bench/clone .ci/run
	shellcheck -x docker/*.sh docker/standin/*.sh docker/proxy/repl-check sql/*.sh \
	    compose/*/init.sh

# The README's two commands: both install what is missing first.
demo:
	build/demo.sh

test:
	build/test.sh

# Figures, not a test: bench/run starts its own servers (BENCH_RUNS).
bench: all static
	bench/run
	bench/count
	bench/feed
	bench/diff
	bench/clone

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man7
	for t in $(TOOLS); do cp -f $(OUT)/bin/$$t $(DESTDIR)$(BINDIR)/ && chmod 755 $(DESTDIR)$(BINDIR)/$$t || exit 1; done
	for t in $(TOOLS); do cp -f man/$$t.1 $(DESTDIR)$(MANPREFIX)/man1/ || exit 1; done
	cp -f man/replkit.7 $(DESTDIR)$(MANPREFIX)/man7/

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(MANPREFIX)/man1/$$t.1; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/replkit.7

clean:
	rm -rf out

.PHONY: all units static multicall asan check image check-compose lint demo test bench install uninstall clean
.SECONDARY: $(LIBOBJ) $(MULTIOBJ)
