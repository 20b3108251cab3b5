# buzon: build, run and test.
#
#   make         build build/buzon
#   make run     install missing Debian packages, build, serve on :8080
#   make check   install what the tests need, build, run every test twice
#                (plain, then under AddressSanitizer + UBSan)
#
# Sources are discovered by wildcard: every src/*.c except main.c goes into
# a static library that the program and every test binary link against, so
# adding a module or a test needs no edit here.

BUILD   ?= build
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libqrencode libsodium jansson xlsxwriter libpng librsvg-2.0 zlib
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
# CFLAGS is the caller's (optimisation, sanitizers); the project's own
# flags are kept apart so `make CFLAGS=...` cannot drop them.
CFLAGS  ?= -O2 -g
BUZON_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Itests/common $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
TESTLIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
INTEG_SRC := $(wildcard tests/integration/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/t/%,$(UNIT_SRC))
INTEG_BIN := $(patsubst tests/integration/%.c,$(BUILD)/t/%,$(INTEG_SRC))
TEST_BIN  := $(UNIT_BIN) $(INTEG_BIN)
TEST_COMMON := $(wildcard tests/common/*.c)
TEST_COMMON_OBJ := $(TEST_COMMON:%.c=$(BUILD)/%.o)

.PHONY: all run check test deps deps-check clean forms-check bench
all: $(BUILD)/buzon

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libbuzon.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/buzon: $(BUILD)/src/main.o $(BUILD)/libbuzon.a
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(LDLIBS)

# Test binaries all land in $(BUILD)/t/ (static pattern rules, so they never
# compete with the generic object rule above).
$(UNIT_BIN): $(BUILD)/t/%: $(BUILD)/tests/unit/%.o $(TEST_COMMON_OBJ) $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(TESTLIBS) $(LDLIBS)

$(INTEG_BIN): $(BUILD)/t/%: $(BUILD)/tests/integration/%.o $(TEST_COMMON_OBJ) $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(TESTLIBS) $(LDLIBS)

deps:
	@tools/install-deps.sh run

deps-check:
	@tools/install-deps.sh check

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	$(BUILD)/buzon serve --port 8080 --db var/buzon.db --forms forms

forms-check: all
	$(BUILD)/buzon forms check forms

# The test binaries of one build; used by tests/run.sh for each pass.
test: $(BUILD)/buzon $(TEST_BIN)

# Two passes over the same tests, then one closing line over both.
check: deps-check
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory test BUILD=build/san CC=clang \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
	@tests/run.sh build build/san

# Benchmarks: not part of check. tools/bench.sh runs every measurement
# side by side with its reference in the same run and prints one table.
BENCH_TOOLS := $(BUILD)/tools/loadgen $(BUILD)/tools/bench_sqlite_plain
$(BUILD)/tools/loadgen: tools/loadgen.c
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $< -o $@
$(BUILD)/tools/bench_sqlite_plain: tools/bench_sqlite_plain.c $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(LDLIBS)

bench:
	@tools/install-deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_TOOLS)
	@tools/bench.sh
clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
