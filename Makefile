# shc: SMART Health Cards for PostgreSQL (PGXS build)
#
#   make                 build the extension
#   make install         install it into the server PG_CONFIG names
#   make installcheck    pg_regress against a running server
#   make unit            C unit tests of src/core under ASan/UBSan, no server
#   make dist            release tarball shc-<version>.tar.gz from git HEAD
#
# Out-of-tree (VPATH) builds work the way pg_buildext runs them:
#   mkdir build-15 && make -C build-15 -f ../Makefile VPATH=..
# Sources are found under $(srcdir) (PGXS sets it from VPATH), objects and
# results are written to the build directory.
#
# The full test run, with its scratch server, is test/run-tests.sh.

EXTENSION = shc
# the version being built, from the control file beside this Makefile
# (read before PGXS is included: PG_CPPFLAGS below is expanded there)
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(dir $(firstword $(MAKEFILE_LIST)))shc.control)
MODULE_big = shc
# Extension scripts (sql/extension/; sql/ and expected/ hold the pg_regress
# suite).  The install script of the version being built is made from the
# one source of the catalog, sql/extension/shc.sql (pgvector's pattern);
# the released scripts are frozen and serve upgrades only.
DATA = sql/extension/shc--0.1.0.sql sql/extension/shc--0.1.0--0.2.0.sql \
	sql/extension/shc--0.2.0--0.3.0.sql
DATA_built = sql/extension/shc--$(EXTVERSION).sql
PGFILEDESC = "shc - SMART Health Cards"

# Source lists relative to $(srcdir), which PGXS defines (from VPATH) only
# once it is included below: these are recursive variables, expanded where
# they are used, after the include.
shc_srcs = $(patsubst $(srcdir)/%,%,$(sort $(wildcard $(srcdir)/$(1))))
CORE_SRCS = $(call shc_srcs,src/core/*.c)
GLUE_SRCS = $(call shc_srcs,src/*.c)
OBJS = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

PG_CPPFLAGS = -I$(srcdir)/src -DSHC_VERSION=\"$(EXTVERSION)\"
SHLIB_LINK = -lcrypto -ldeflate -lz -lqrencode -lzbar -lpng -ljpeg

# pg_regress tests, one per feature, in order
REGRESS = init
REGRESS += qr
REGRESS += json
REGRESS += cache
REGRESS += fhir
REGRESS += qrimg
REGRESS += qrscan
REGRESS += scanner
REGRESS += card
REGRESS += keys
REGRESS += minimize
REGRESS += issue
REGRESS += trust
REGRESS += verify
REGRESS += status
REGRESS += decode
REGRESS += health_cards
REGRESS += stories
REGRESS += revocation
REGRESS += adversarial
REGRESS += directory
REGRESS += rulebook
REGRESS += secrets
REGRESS += vci
REGRESS += trust_edges
REGRESS += scaleout
REGRESS += memo
REGRESS += adoption
REGRESS += preload
REGRESS += shl
REGRESS += names
REGRESS += triggers
REGRESS += deprecated
REGRESS += restore
REGRESS += setup

REGRESS_OPTS = --inputdir=$(srcdir) --load-extension=shc

EXTRA_CLEAN = build results regression.diffs regression.out shc-*.tar.gz

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# A VPATH build writes src/*.o and src/core/*.o under the build directory;
# PGXS's compile rule does not make directories.  Only sources are looked
# up in $(srcdir): with a plain VPATH, make would take shc.so and objects
# left there by an in-tree build (for another PostgreSQL major, say) as
# up to date and link them.
ifneq ($(srcdir),.)
$(shell mkdir -p src/core sql/extension)
srcdir := $(srcdir)
override VPATH :=
vpath %.c $(srcdir)
vpath %.h $(srcdir)
vpath %.sql $(srcdir)
vpath %.control $(srcdir)
# the regression tests read files under test/ relative to where they run
installcheck: shc-vpath-test-link
.PHONY: shc-vpath-test-link
shc-vpath-test-link:
	@[ "$(abspath $(srcdir))" = "$(CURDIR)" ] || ln -sfn $(abspath $(srcdir))/test test
endif

# --- C unit tests of the core: no PostgreSQL include path at all -----------
UNIT_CC ?= $(CC)
UNIT_CFLAGS = -std=c99 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-I$(srcdir)/src/core
UNIT_SRCS = $(call shc_srcs,test/unit/*.c)

build/unit/shc-unit: $(CORE_SRCS) $(wildcard $(srcdir)/src/core/*.h) $(UNIT_SRCS) $(wildcard $(srcdir)/test/unit/*.h)
	@mkdir -p build/unit
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $(addprefix $(srcdir)/,$(CORE_SRCS) $(UNIT_SRCS)) -lcrypto -ldeflate -lz -lqrencode -lzbar -lpng -ljpeg

.PHONY: unit
unit: build/unit/shc-unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/unit/shc-unit

# --- fuzzing: libFuzzer harnesses of src/core, no PostgreSQL ---------------
#   make fuzz            build every test/fuzz/fuzz_<name>.c into build/fuzz/
#   make fuzz-corpus     regenerate the seed corpora test/fuzz/corpus/<name>/
#   make fuzz-long       run each harness for FUZZ_RUNS executions (default
#                        1000000), one at a time, on one core each
# The short run of the test command is test/tiers/80-fuzz.sh.
FUZZ_CC ?= clang
FUZZ_COMMON = -std=c99 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Isrc/core
FUZZ_CFLAGS = $(FUZZ_COMMON) -fsanitize=fuzzer,address,undefined
FUZZ_CORE_CFLAGS = $(FUZZ_COMMON) -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LIBS = -lcrypto -ldeflate -lz -lqrencode -lzbar -lpng -ljpeg
FUZZ_SRCS := $(sort $(wildcard test/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst test/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
FUZZ_CORE_OBJS := $(patsubst src/core/%.c,build/fuzz/core/%.o,$(CORE_SRCS))
FUZZ_RUNS ?= 1000000

build/fuzz/core/%.o: src/core/%.c $(wildcard src/core/*.h)
	@mkdir -p build/fuzz/core
	$(FUZZ_CC) $(FUZZ_CORE_CFLAGS) -c -o $@ $<

build/fuzz/libshccore.a: $(FUZZ_CORE_OBJS)
	rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/fuzz.h build/fuzz/libshccore.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< build/fuzz/libshccore.a $(FUZZ_LIBS)

build/fuzz/gen_corpus: test/fuzz/gen_corpus.c test/fuzz/fuzz.h test/bench/sample_card.h $(CORE_SRCS) $(wildcard src/core/*.h)
	@mkdir -p build/fuzz
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/fuzz/gen_corpus.c $(CORE_SRCS) $(FUZZ_LIBS)

.PHONY: fuzz fuzz-corpus fuzz-long
fuzz: $(FUZZ_BINS)

fuzz-corpus: build/fuzz/gen_corpus
	rm -rf test/fuzz/corpus
	ASAN_OPTIONS=detect_leaks=1 build/fuzz/gen_corpus test/fuzz/corpus

fuzz-long: fuzz
	FUZZ_RUNS=$(FUZZ_RUNS) bash test/fuzz/run.sh

# the install script of this version: a copy of the one source
sql/extension/shc--$(EXTVERSION).sql: sql/extension/shc.sql
	cp $< $@

# the library reports the version it was built as
src/shc.o: $(srcdir)/shc.control

# every object depends on every header (PGXS tracks no header dependencies
# unless PostgreSQL was configured with --enable-depend)
$(OBJS): $(wildcard $(srcdir)/src/*.h $(srcdir)/src/core/*.h)

# --- release tarball ---------------------------------------------------------
#   make dist            shc-<version>.tar.gz of git DIST_REF (default HEAD),
#                        with the version from shc.control; META.json must agree
DIST_REF ?= HEAD
.PHONY: dist
dist:
	@grep -q '"version": "$(EXTVERSION)"' $(srcdir)/META.json || \
		{ echo "META.json does not say version $(EXTVERSION)" >&2; exit 1; }
	git -C $(srcdir) archive --format=tar.gz --prefix=shc-$(EXTVERSION)/ \
		-o $(CURDIR)/shc-$(EXTVERSION).tar.gz $(DIST_REF)
