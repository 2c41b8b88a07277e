# shc: SMART Health Cards for PostgreSQL (PGXS build)
#
#   make                 build the extension
#   make install         install it into the server PG_CONFIG names
#   make installcheck    pg_regress against a running server
#   make unit            C unit tests of src/core under ASan/UBSan, no server
#
# The full test run, with its scratch server, is test/run-tests.sh.

EXTENSION = shc
MODULE_big = shc
DATA = sql/shc--0.1.0.sql
PGFILEDESC = "shc - SMART Health Cards"

CORE_SRCS := $(sort $(wildcard src/core/*.c))
GLUE_SRCS := $(sort $(wildcard src/*.c))
OBJS = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

PG_CPPFLAGS = -I$(srcdir)/src
SHLIB_LINK = -lcrypto -lz -lqrencode

# pg_regress tests, one per feature, in order
REGRESS = init
REGRESS += qr
REGRESS += json
REGRESS += cache
REGRESS += qrimg
REGRESS += card
REGRESS += keys
REGRESS += minimize
REGRESS += issue
REGRESS += trust
REGRESS += verify
REGRESS += decode
REGRESS += adversarial

REGRESS_OPTS = --inputdir=$(srcdir) --load-extension=shc

EXTRA_CLEAN = build results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# --- C unit tests of the core: no PostgreSQL include path at all -----------
UNIT_CC ?= $(CC)
UNIT_CFLAGS = -std=c99 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Isrc/core
UNIT_SRCS := $(sort $(wildcard test/unit/*.c))

build/unit/shc-unit: $(CORE_SRCS) $(wildcard src/core/*.h) $(UNIT_SRCS) $(wildcard test/unit/*.h)
	@mkdir -p build/unit
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $(CORE_SRCS) $(UNIT_SRCS) -lcrypto -lz -lqrencode

.PHONY: unit
unit: build/unit/shc-unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/unit/shc-unit
