# timtin — one non-recursive GNU Makefile.
#
#   make            build every program into build/
#   make check      install missing packages, build, run all tests
#   make asan       the tests under AddressSanitizer + UBSan (build/asan/)
#   make fuzz       the fuzz targets under libFuzzer (FUZZ_SECONDS each)
#   make demo       the end-to-end demo (see README)
#   make bench      benchmarks against the peers -> docs/benchmarks.md
#   make install PREFIX=/usr/local DESTDIR=   /   make uninstall
#   V=1             show full commands;  WERROR=1  warnings are errors
#
# Sources: every lib/ corpus/ crawler/ indexer/ searcher/ web/ file *.c and
# lib/xap.cc goes into build/libtimtin.a, except program entry points, named
# main.c or main_*.c.  Unit tests are tests/unit/test_*.c.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/timtin
BUILD    ?= build
CC       ?= cc
CXX      ?= c++
OPT      ?= -O2 -g
SAN      ?=

PKGS     := xapian-core libcurl zlib libxml-2.0 libutf8proc jansson libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wpointer-arith -Wvla -Wundef -Wwrite-strings
CXXWARN  := -Wall -Wextra -Wshadow -Wformat=2 -Wpointer-arith -Wundef
ifeq ($(WERROR),1)
WARN     += -Werror
CXXWARN  += -Werror
endif

DEFS     := -D_GNU_SOURCE
INCS     := -Ilib -Icorpus -Icrawler -Iindexer -Isearcher -Iweb -I$(BUILD)/gen
ALL_CFLAGS   = -std=c11 $(OPT) $(SAN) $(WARN) $(DEFS) $(INCS) $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_CXXFLAGS = -std=c++17 $(OPT) $(SAN) $(CXXWARN) $(DEFS) $(INCS) $(PKG_CFLAGS) -MMD -MP $(CXXFLAGS)
ALL_LDFLAGS  = $(SAN) $(LDFLAGS)
LIBS     := $(PKG_LIBS) -lpthread -lm
# timtin-index's allocator is jemalloc: a bulk build churns through the
# small C++ allocations of Xapian's in-memory postings, where it spends
# about 5% less CPU than glibc's malloc, with 12% less peak memory
# (docs/ARCHITECTURE.md, Indexing).  Not the other programs: a
# timtin-search process, start to exit, takes 0.2 ms longer with it.  Not
# under a sanitizer, which brings its own malloc.
ALLOC_LIBS_timtin-index := $(if $(SAN),,$(shell pkg-config --libs jemalloc 2>/dev/null || echo -ljemalloc))

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

LAYERS   := lib corpus crawler indexer searcher web
ALL_C    := $(foreach d,$(LAYERS),$(wildcard $(d)/*.c))
MAIN_C   := $(filter %/main.c $(foreach d,$(LAYERS),$(d)/main_%.c),$(ALL_C))
LIB_C    := $(filter-out $(MAIN_C),$(ALL_C))
LIB_CXX  := $(wildcard lib/*.cc)
LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/obj/%.o) $(LIB_CXX:%.cc=$(BUILD)/obj/%.o)
LIBA     := $(BUILD)/libtimtin.a

# program name -> entry point
PROG_timtin-corpus   := corpus/main.c
PROG_timtin-index    := indexer/main.c
PROG_timtin-search   := searcher/main.c
PROG_timtin-tokenize := lib/main_tokenize.c
PROG_timtin-crawl    := crawler/main.c
PROG_timtin.cgi      := web/main.c
PROG_timtin-sitegen  := corpus/main_sitegen.c
ALL_PROGS  := timtin-corpus timtin-index timtin-search timtin-tokenize timtin-crawl timtin.cgi timtin-sitegen
PROG_NAMES := $(foreach p,$(ALL_PROGS),$(if $(wildcard $(PROG_$(p))),$(p)))
PROGS    := $(PROG_NAMES:%=$(BUILD)/%)

TEST_C   := $(wildcard tests/unit/test_*.c)
TESTS    := $(TEST_C:tests/unit/%.c=$(BUILD)/tests/%)
# fuzz targets (tests/fuzz/fuzz_NAME.c): replayed over their kept inputs
# by test_fuzz_NAME in every check; `make fuzz` runs them under libFuzzer
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(BUILD)/tests/test_fuzz_%)
FUZZERS  := $(FUZZ_NAMES:%=$(BUILD)/fuzzers/fuzz_%)
FUZZ_SECONDS ?= 60
BENCH_C  := $(wildcard bench/*.c)
BENCHES  := $(BENCH_C:bench/%.c=$(BUILD)/bench/%)

SCRIPTS  := $(wildcard scripts/timtin-*)

.PHONY: all check test asan fuzz fuzzers deps test-tools demo bench bench-quick install uninstall clean layers FORCE
# keep intermediate objects (tests' .o files), so a rebuild relinks only
.SECONDARY:
.DEFAULT_GOAL := all

all: $(PROGS) $(TESTS) $(FUZZ_REPLAYS) $(BENCHES)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(call say,CXX,$<)$(CXX) $(ALL_CXXFLAGS) -c -o $@ $<

# lib/vn.c's character tables are computed at build time, by lib/vn.c
# itself built as a small program (-DVN_GENERATE, lib/main_vntab.c)
VNTAB_OBJ := $(BUILD)/obj/gen/vn.o $(BUILD)/obj/lib/main_vntab.o \
             $(BUILD)/obj/lib/unicode.o $(BUILD)/obj/lib/util.o

$(BUILD)/obj/gen/vn.o: lib/vn.c
	@mkdir -p $(dir $@)
	$(call say,CC,$< -DVN_GENERATE)$(CC) $(ALL_CFLAGS) -DVN_GENERATE -c -o $@ $<

$(BUILD)/gen/vntab: $(VNTAB_OBJ)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/gen/vn_tables.inc: $(BUILD)/gen/vntab
	$(call say,GEN,$@)$(BUILD)/gen/vntab $@.tmp && mv $@.tmp $@

$(BUILD)/obj/lib/vn.o: $(BUILD)/gen/vn_tables.inc

# $(call shq,TEXT): TEXT as one shell word, whatever it holds (in single
# quotes, a ' in it as '\'')
shq = '$(subst ','\'',$(1))'

# DATADIR, where installed data is looked for, is TT_DATADIR in
# $(BUILD)/gen/datadir.h, with the source tree and the build directory
# (TT_SRCDIR, TT_BUILDDIR: the crawler run from its build directory reads
# the source tree's profiles), as C strings (a " or \ escaped); written
# again only when it changes: `make`, then `make install PREFIX=/opt/x`,
# rebuilds what includes it (crawler/main.c)
$(BUILD)/gen/datadir.h: FORCE
	@mkdir -p $(dir $@)
	@cstr() { printf '"%s"' "$$(printf '%s' "$$1" | sed 's/[\\"]/\\&/g')"; } && \
	{ printf '#define TT_DATADIR %s\n' "$$(cstr $(call shq,$(DATADIR)))" && \
	  printf '#define TT_SRCDIR %s\n' "$$(cstr "$$(pwd -P)")" && \
	  printf '#define TT_BUILDDIR %s\n' "$$(cstr "$$(cd $(call shq,$(BUILD)) && pwd -P)")"; } >$@.tmp && \
	    if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/obj/crawler/main.o: $(BUILD)/gen/datadir.h

FORCE:

$(LIBA): $(LIB_OBJ)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

.SECONDEXPANSION:
$(PROGS): $(BUILD)/%: $(BUILD)/obj/$$(basename $$(PROG_$$*)).o $(LIBA)
	$(call say,LINK,$@)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(ALLOC_LIBS_$*)

# tests/*.c: helpers the unit tests and fuzz targets share
TEST_HELP := $(patsubst tests/%.c,$(BUILD)/obj/tests/%.o,$(wildcard tests/*.c))

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_HELP) $(LIBA)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CXX) $(ALL_LDFLAGS) $(TEST_LDFLAGS) -o $@ $^ $(LIBS)

# test_search commits between a search and its data read: it wraps the read
$(BUILD)/tests/test_search: TEST_LDFLAGS = -Wl,--wrap=xap_db_doc_data

$(BUILD)/tests/test_fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o \
        $(BUILD)/obj/tests/fuzz/replay.o $(BUILD)/obj/tests/fuzz/common.o \
        $(TEST_HELP) $(LIBA)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

fuzzers: $(FUZZERS)

$(BUILD)/fuzzers/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o \
        $(BUILD)/obj/tests/fuzz/common.o $(TEST_HELP) $(LIBA)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CXX) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

$(BUILD)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Itests -Itests/fuzz -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Itests -c -o $@ $<

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Itests -c -o $@ $<

# What make check needs is installed here, never by the tests (which use
# no network).  Chromium (tests/e2e/browser.sh) and npm's warcio
# (tests/e2e/corpus.sh's independent WARC reader) only where they can be
# had: without them those checks skip, saying so.
deps:
	@scripts/install-deps.sh build test
	@scripts/install-deps.sh browser || \
	    echo "make: no chromium: tests/e2e/browser.sh will skip"

WARCIO := $(BUILD)/npm/node_modules/.bin/warcio
test-tools:
	@[ -x $(WARCIO) ] || { mkdir -p $(BUILD)/npm && \
	    npm install --prefix $(BUILD)/npm --no-audit --no-fund warcio \
	        >$(BUILD)/npm/install.log 2>&1; } || \
	    echo "make: npm could not install warcio ($(BUILD)/npm/install.log): tests/e2e/corpus.sh will skip its check"

check: deps
	@$(MAKE) --no-print-directory all test-tools
	@scripts/check-layers.sh
	@tests/run.sh $(BUILD) $(T)

test: all
	@tests/run.sh $(BUILD) $(T)

# new_delete_type_mismatch=0: libxapian 1.4.22's Database::check (run after
# a commit that failed) deletes an object as another type inside the
# library; lib/xap.cc, the project's C++, deletes each object as the type
# it made
ASAN_OPT = -O1 -g -fno-omit-frame-pointer
ASAN_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
asan: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="$(ASAN_OPT)" \
	    SAN="$(ASAN_SAN)" all test-tools
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:new_delete_type_mismatch=0 \
	    UBSAN_OPTIONS=print_stacktrace=1 \
	    TT_SANITIZED=1 TT_OPT="$(ASAN_OPT)" TT_SAN="$(ASAN_SAN)" \
	    tests/run.sh $(BUILD)/asan $(T)

# libFuzzer with ASan + UBSan, clang's (build/fuzz/); each target runs
# FUZZ_SECONDS, T=NAME for one; what crashes is left in build/fuzz/crashes/
fuzz:
	@scripts/install-deps.sh build fuzz
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=clang CXX=clang++ \
	    OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
	    fuzzers
	@tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(T)

demo:
	@scripts/install-deps.sh build test
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)

bench:
	@scripts/install-deps.sh build bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(BUILD) full

bench-quick:
	@scripts/install-deps.sh build bench
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(BUILD) quick

layers:
	@scripts/check-layers.sh

# The data: the crawler's profiles (lib/data/*.txt are compiled in).
# Uninstall removes the files install puts down (and the lexicon files
# an older install did), then the directories if that leaves them empty:
# an operator's own profiles there stay.
PROFILES := $(wildcard crawler/profiles/*.conf)
OLD_DATA := lexicon.txt abbrev.txt

#
# The directories may hold white space and quotes (each is one shell word:
# shq); they must be absolute, as must DESTDIR when given: a relative one
# would install into (or uninstall from) the source tree, where make runs.
# Checked when make reads this file, before anything is built or written.
I_BIN  = $(call shq,$(DESTDIR)$(BINDIR))
I_DATA = $(call shq,$(DESTDIR)$(DATADIR))
ifneq ($(filter install uninstall,$(MAKECMDGOALS)),)
not_abs = $(if $(filter /%,$(firstword $(1))),,$(error $(2)="$(1)" is not an absolute path (make runs in the source tree: it would $(filter install uninstall,$(MAKECMDGOALS)) there)))
$(foreach v,PREFIX BINDIR DATADIR,$(call not_abs,$($(v)),$(v)))
$(if $(DESTDIR),$(call not_abs,$(DESTDIR),DESTDIR))
endif

install: $(PROGS)
	install -d $(I_BIN) $(I_DATA)/profiles
	install -m 755 $(PROGS) $(SCRIPTS) $(I_BIN)/
	install -m 644 $(PROFILES) $(I_DATA)/profiles/

uninstall:
	for f in $(PROG_NAMES) $(notdir $(SCRIPTS)); do rm -f $(I_BIN)/"$$f" || exit 1; done
	for f in $(addprefix profiles/,$(notdir $(PROFILES))) $(OLD_DATA); do \
	    rm -f $(I_DATA)/"$$f" || exit 1; done
	for d in $(I_DATA)/profiles $(I_DATA); do \
	    [ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d" || exit 1; done

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
