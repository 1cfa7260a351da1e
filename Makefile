# dossier - build, test, demo. `make demo` and `make test` install what is missing first.
PREFIX  ?= /usr/local
CC      ?= cc
PKGS    := libsodium libarchive libcjson openssl zlib libzstd libcurl
BUILD   ?= build

WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wformat-security -Werror -Wno-overlength-strings
DEFS    := -D_GNU_SOURCE
CFLAGS  ?= -O2 -g
THREADS := -pthread
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring $(THREADS)
ALL_CFLAGS = $(WARN) $(DEFS) $(THREADS) $(CFLAGS) -fPIC -fvisibility=hidden -Iinclude $(PKG_CFLAGS)

LIB_SRC := $(wildcard src/lib/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps test-deps demo test asan valgrind fuzz install clean bench bench-quick bench-scale check-build

all: $(BUILD)/dossier $(BUILD)/libdossier.a $(BUILD)/libdossier.so $(BUILD)/man/.stamp $(BUILD)/completion/dossier

deps:
	@scripts/ensure-deps build

test-deps:
	@scripts/ensure-deps test

$(BUILD)/%.o: src/%.c include/dossier.h $(wildcard src/lib/*.h src/cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libdossier.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libdossier.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libdossier.so.0 -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/dossier: $(CLI_OBJ) $(BUILD)/libdossier.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libdossier.a $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdossier.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc/lib -o $@ $< $(BUILD)/libdossier.a $(LDFLAGS) $(PKG_LIBS) -lcmocka

# Man pages and the bash completion come from the help tables in src/cli/help_text.c, through
# the command itself, so they always match its --help (a new command needs nothing here).
$(BUILD)/man/.stamp: $(BUILD)/dossier
	@mkdir -p $(BUILD)/man
	@set -e; for page in dossier $$($(BUILD)/dossier help --commands); do \
	    $(BUILD)/dossier help --man $$page >$(BUILD)/man/page.tmp; \
	    case $$page in dossier) name=dossier ;; *) name=dossier-$$page ;; esac; \
	    mv $(BUILD)/man/page.tmp $(BUILD)/man/$$name.1; \
	done
	@touch $@

$(BUILD)/completion/dossier: $(BUILD)/dossier
	@mkdir -p $(BUILD)/completion
	@$(BUILD)/dossier help --completion >$@.tmp && mv $@.tmp $@

# The fault-injection shim the CLI tests preload (tests/faults/fault.c).
$(BUILD)/tests/libfault.so: tests/faults/fault.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -o $@ $< -ldl

check-build: all $(UNIT_BIN) $(BUILD)/tests/libfault.so

demo: deps
	@$(MAKE) -s --no-print-directory all
	@examples/demo.sh $(BUILD)/dossier

test: test-deps
	@$(MAKE) -s --no-print-directory check-build
	@tests/run $(BUILD)

# ASan + UBSan build in its own directory, running the whole suite.
asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" check-build
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 tests/run build-asan

# The unit tests and every CLI scenario with dossier under valgrind (slow: minutes); the
# scenarios in two lanes, one per core (valgrind runs a program on one).
valgrind: test-deps
	@command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
	@$(MAKE) -s --no-print-directory check-build
	@DOSSIER_WRAP=tests/valgrind-dossier DOSSIER_TEST_JOBS=2 tests/run $(BUILD)

fuzz: test-deps
	@scripts/ensure-deps fuzz
	@$(MAKE) --no-print-directory -f fuzz/Makefile

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(BUILD)/dossier $(DESTDIR)$(PREFIX)/bin/dossier
	install -m 0644 $(BUILD)/libdossier.a $(DESTDIR)$(PREFIX)/lib/libdossier.a
	install -m 0755 $(BUILD)/libdossier.so $(DESTDIR)$(PREFIX)/lib/libdossier.so.0
	ln -sf libdossier.so.0 $(DESTDIR)$(PREFIX)/lib/libdossier.so
	install -m 0644 include/dossier.h $(DESTDIR)$(PREFIX)/include/dossier.h
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 $(BUILD)/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 $(BUILD)/completion/dossier $(DESTDIR)$(PREFIX)/share/bash-completion/completions/dossier
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define DOSSIER_VERSION "\(.*\)"/\1/p' include/dossier.h)|g' \
	    dossier.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/dossier.pc

# Ratios against stock tools on generated data; never part of `make test`.
bench-quick: all
	@bench/run --quick $(BUILD)/dossier

bench: all
	@bench/run $(BUILD)/dossier

# Throughput and memory against size and file count, drawn into docs/scaling.svg.
bench-scale: all
	@bench/scale -o docs/scaling.svg $(BUILD)/dossier

clean:
	rm -rf build build-asan build-fuzz
