# buzon: build, run and test.
#
#   make         build build/buzon
#   make run     install missing Debian packages, build, serve on :8080
#                (PORT=N for another port, BASE_URL=URL for the posters)
#   make check   install what the tests need, build, run every test twice
#                (plain, then under AddressSanitizer + UBSan), replay the
#                fuzzers' regression inputs and fuzz each harness briefly,
#                then the end-to-end tests in Chromium (tests/e2e) once
#   make layers  check that src/ keeps to its layers (part of check)
#   make fuzz    fuzz each harness in tests/fuzz for FUZZ_SECONDS (60) each
#   make valgrind  the integration tests with the server under valgrind
#                (not part of check: about ten times slower)
#   make install   install under PREFIX (/usr/local), staged under DESTDIR;
#                make uninstall removes it again (never the data)
#
# Sources are discovered by wildcard: every src/<layer>/*.c except
# src/cli/main.c goes into a static library that the program and every test
# binary link against, so adding a module or a test needs no edit here.
# Includes name their layer ("base/buf.h"), from -Isrc; the test helpers'
# folder (tests/common) is on the include path of test code only.

BUILD   ?= build
PORT    ?= 8080
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libqrencode libsodium jansson xlsxwriter libpng librsvg-2.0 zlib libzip expat nettle hogweed libjpeg libcurl
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
# CFLAGS is the caller's (optimisation, sanitizers); the project's own
# flags are kept apart so `make CFLAGS=...` cannot drop them.
CFLAGS  ?= -O2 -g
BUZON_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lgmp -lpthread -lm
TESTLIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC   := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)

# The version, written in one place: `git describe` of the newest v* tag
# in a git checkout that has one (v0.11.0-3-gabc1234 gives 0.11.0-3-gabc1234),
# else the VERSION file (a release tarball). Only cli_help.c is compiled
# with it; the stamp file changes only when the version does, so a new
# version rebuilds that one object and nothing else.
BUZON_VERSION := $(shell git describe --tags --match 'v[0-9]*' 2>/dev/null | sed 's/^v//' | grep . || cat VERSION)
VERSION_STAMP := $(BUILD)/version.stamp
$(shell mkdir -p $(BUILD) && { [ "$$(cat $(VERSION_STAMP) 2>/dev/null)" = '$(BUZON_VERSION)' ] || echo '$(BUZON_VERSION)' >$(VERSION_STAMP); })
$(BUILD)/%cli_help.o: BUZON_CFLAGS += -DBUZON_VERSION='"$(BUZON_VERSION)"'
$(filter %/cli_help.o,$(LIB_OBJ)): $(VERSION_STAMP)

# make install: the layout of a Debian server tool. The unit is generated
# from dist/buzon.service.in so its paths follow PREFIX; the data
# (/var/lib/buzon) is the service's own and outside PREFIX.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/buzon
MANDIR  ?= $(PREFIX)/share/man/man1
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
INTEG_SRC := $(wildcard tests/integration/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/t/%,$(UNIT_SRC))
INTEG_BIN := $(patsubst tests/integration/%.c,$(BUILD)/t/%,$(INTEG_SRC))
TEST_BIN  := $(UNIT_BIN) $(INTEG_BIN)
TEST_COMMON := $(wildcard tests/common/*.c)
TEST_COMMON_OBJ := $(TEST_COMMON:%.c=$(BUILD)/%.o)
# libFuzzer harnesses (tests/fuzz/fuzz_<name>.c), built with clang in their
# own build folder: the library with coverage instrumentation and ASan +
# UBSan, each harness linked with libFuzzer's main.
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,$(BUILD)/fz/%,$(FUZZ_SRC))
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 5

.DEFAULT_GOAL := all
.PHONY: all run check test deps deps-check clean forms-check bench fuzz fuzz-build valgrind layers install uninstall
all: $(BUILD)/buzon

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) -c $< -o $@

# Test code alone sees the test helpers.
$(BUILD)/tests/%.o: BUZON_CFLAGS += -Itests/common

$(BUILD)/libbuzon.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/buzon: $(BUILD)/src/cli/main.o $(BUILD)/libbuzon.a
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(LDLIBS)

# Test binaries all land in $(BUILD)/t/ (static pattern rules, so they never
# compete with the generic object rule above).
$(UNIT_BIN): $(BUILD)/t/%: $(BUILD)/tests/unit/%.o $(TEST_COMMON_OBJ) $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(TESTLIBS) $(LDLIBS)

$(INTEG_BIN): $(BUILD)/t/%: $(BUILD)/tests/integration/%.o $(TEST_COMMON_OBJ) $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $^ -o $@ $(LDFLAGS) $(TESTLIBS) $(LDLIBS)

# (Compiled and linked in one step; its .d file adds the headers as
# prerequisites, hence $< and the library named, not $^.)
$(FUZZ_BIN): $(BUILD)/fz/%: tests/fuzz/%.c $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $< $(BUILD)/libbuzon.a -o $@ $(LDFLAGS) $(LDLIBS)

deps:
	@tools/install-deps.sh run

deps-check:
	@tools/install-deps.sh check

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	$(BUILD)/buzon serve --port $(PORT) --db var/buzon.db --forms forms $(if $(BASE_URL),--base-url $(BASE_URL))

# The architecture (README "Layout"): every include and every call of
# src/ goes one way down the layers (tools/layers.sh says the rules).
layers: all
	@tools/layers.sh $(BUILD)

forms-check: all
	$(BUILD)/buzon forms check forms

# The test binaries of one build; used by tests/run.sh for each pass.
test: $(BUILD)/buzon $(TEST_BIN)

# Two passes over the same tests, a short round of each fuzz harness, the
# layers (make layers), the browser tests, then one closing line over all
# of it.
check: deps-check
	@$(MAKE) --no-print-directory test $(E2E_STAMP)
	@$(MAKE) --no-print-directory test BUILD=build/san CC=clang \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
	@$(MAKE) --no-print-directory fuzz-build BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)"
	@LAYERS=build E2E=build FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) tests/run.sh build build/san build/fuzz

# End-to-end tests (tests/e2e: Debian's Chromium driven by playwright-core,
# run by tests/run.sh once, against the plain build): their npm packages,
# exactly as the committed lock file says, installed again when it changes.
E2E_STAMP := tests/e2e/node_modules/.stamp
$(E2E_STAMP): tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund
	@touch $@

# The harnesses of one build (BUILD=build/fuzz CC=clang, see fuzz).
fuzz-build: $(FUZZ_BIN)

fuzz: deps-check
	@$(MAKE) --no-print-directory fuzz-build BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)"
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh build/fuzz

valgrind: deps-check
	@command -v valgrind >/dev/null || { echo "make valgrind: install valgrind (apt-get install valgrind)" >&2; exit 1; }
	@$(MAKE) --no-print-directory test
	@BUZON_VALGRIND=1 TESTS="$(notdir $(INTEG_BIN))" tests/run.sh build

# Benchmarks: not part of check. tools/bench.sh runs every measurement
# side by side with its reference in the same run and prints one table.
BENCH_TOOLS := $(BUILD)/tools/loadgen $(BUILD)/tools/bench_sqlite_plain \
               $(BUILD)/tools/gen_responses $(BUILD)/tools/bench_indicators
$(BUILD)/tools/loadgen: tools/loadgen.c
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $< -o $@
$(BUILD)/tools/bench_sqlite_plain: tools/bench_sqlite_plain.c $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $(filter %.c %.a,$^) -o $@ $(LDFLAGS) $(LDLIBS)
# indicators: the synthetic-responses generator and the timing of the figures
$(BUILD)/tools/gen_responses $(BUILD)/tools/bench_indicators: $(BUILD)/tools/%: tools/%.c $(BUILD)/libbuzon.a
	@mkdir -p $(dir $@)
	$(CC) $(BUZON_CFLAGS) $(CFLAGS) $(filter %.c %.a,$^) -o $@ $(LDFLAGS) $(LDLIBS)

# www/ and forms/ (the standard forms, served as they are or copied and
# edited, see README) are copied file by file with their folders.
install: $(BUILD)/buzon
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 755 $(BUILD)/buzon $(DESTDIR)$(BINDIR)/buzon
	for d in www forms; do \
	  for f in $$(cd $$d && find . -type f | sort); do \
	    $(INSTALL) -D -m 644 "$$d/$$f" "$(DESTDIR)$(DATADIR)/$$d/$$f" || exit 1; \
	  done; \
	done
	$(INSTALL) -m 644 man/buzon.1 $(DESTDIR)$(MANDIR)/buzon.1
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' dist/buzon.service.in \
	  >$(DESTDIR)$(UNITDIR)/buzon.service
	chmod 644 $(DESTDIR)$(UNITDIR)/buzon.service

# What install wrote; the database under /var/lib/buzon stays.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/buzon $(DESTDIR)$(MANDIR)/buzon.1 $(DESTDIR)$(UNITDIR)/buzon.service
	rm -rf $(DESTDIR)$(DATADIR)

bench:
	@tools/install-deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_TOOLS) $(E2E_STAMP)
	@tools/bench.sh
clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
