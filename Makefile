# clearxz: the whole build, in one file.
#
# Everything is built into build/. Nothing is generated, nothing is downloaded.
# Every source file is named below, layer by layer (no wildcards): a new file
# shows up in review as a change to this file.
#
#   make                 library, CLI, links, public header  -> build/
#   make check           the whole test suite (tests/run.sh)
#   make install         PREFIX=/usr/local DESTDIR=
#   make bench           speed and ratio tables against /usr/bin/xz (bench/run.sh)
#   make fuzz            libFuzzer harnesses, FUZZ_SECONDS each (fuzz/run.sh)
#   make clean

VERSION     := 0.1.0
PREFIX      ?= /usr/local
DESTDIR     ?=
CC          ?= cc
CFLAGS      ?= -O2 -g
LDFLAGS     ?=
FUZZ_SECONDS ?= 30

B ?= build

# Warnings are errors: the style guide's list, on gcc and clang.
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wimplicit-fallthrough $(WERROR)
WERROR ?= -Werror

# -fvisibility=hidden: only what LZMA_API marks is exported.
# -ffile-prefix-map: no build path in the objects (reproducible builds).
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden \
               -ffile-prefix-map=$(CURDIR)=. -pthread \
               -Iinclude -Ilib $(WARN)

# Full RELRO, no executable stack (checked by tests/test_elf.sh).
HARDEN_LDFLAGS := -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--build-id=none

# ---- the library, bottom layer first --------------------------------------

LIB_COMMON := \
	lib/common/alloc.c

LIB_CHECK :=

LIB_RANGECODER :=

LIB_LZ :=

LIB_LZMA :=

LIB_FILTERS :=

LIB_CONTAINER :=

LIB_THREADS :=

LIB_API :=

LIB_SRC := $(LIB_COMMON) $(LIB_CHECK) $(LIB_RANGECODER) $(LIB_LZ) $(LIB_LZMA) \
           $(LIB_FILTERS) $(LIB_CONTAINER) $(LIB_THREADS) $(LIB_API)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)

# ---- the command-line tool ------------------------------------------------

CLI_SRC :=

CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
CLI_LINKS := xz unxz xzcat lzma unlzma lzcat xzdec lzmadec

# ---- tests: each tests/NAME.c is one program linked with the static library

TEST_PROGS :=

TEST_BIN := $(TEST_PROGS:%=$(B)/tests/%)
TEST_COMMON := tests/testutil.c

# Shell tests (tests/*.sh), run by tests/run.sh with the build directory.
TEST_SCRIPTS :=

# ---- targets --------------------------------------------------------------

.PHONY: all lib cli check install clean bench fuzz
all: lib cli

lib: $(B)/lib/libclearxz.a $(B)/lib/liblzma.so.5 $(B)/include/lzma.h

cli: $(B)/bin/clearxz

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/lib/libclearxz.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcD $@ $(LIB_OBJ)

# The shared library: SONAME liblzma.so.5, symbol versions from the map.
$(B)/lib/liblzma.so.5: $(LIB_OBJ) lib/api/liblzma.map
	@mkdir -p $(dir $@)
	$(CC) -shared -pthread $(CFLAGS) $(HARDEN_LDFLAGS) $(LDFLAGS) \
		-Wl,-soname,liblzma.so.5 -Wl,--version-script=lib/api/liblzma.map \
		-o $@ $(LIB_OBJ)
	ln -sf liblzma.so.5 $(B)/lib/liblzma.so

$(B)/include/lzma.h: include/lzma.h
	@mkdir -p $(dir $@)
	cp include/lzma.h $@

$(B)/bin/clearxz: $(CLI_OBJ) $(B)/lib/libclearxz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -pthread $(HARDEN_LDFLAGS) -pie $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/lib/libclearxz.a
	for l in $(CLI_LINKS); do ln -sf clearxz $(B)/bin/$$l; done

$(B)/tests/%: tests/%.c $(TEST_COMMON) tests/testutil.h $(B)/lib/libclearxz.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Itests -o $@ $< $(TEST_COMMON) $(B)/lib/libclearxz.a

check: all $(TEST_BIN)
	tests/run.sh $(B) $(TEST_PROGS) $(TEST_SCRIPTS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include
	install -m 755 $(B)/bin/clearxz $(DESTDIR)$(PREFIX)/bin/clearxz
	for l in $(CLI_LINKS); do ln -sf clearxz $(DESTDIR)$(PREFIX)/bin/$$l; done
	install -m 755 $(B)/lib/liblzma.so.5 $(DESTDIR)$(PREFIX)/lib/liblzma.so.5
	ln -sf liblzma.so.5 $(DESTDIR)$(PREFIX)/lib/liblzma.so
	install -m 644 $(B)/lib/libclearxz.a $(DESTDIR)$(PREFIX)/lib/libclearxz.a
	install -m 644 include/lzma.h $(DESTDIR)$(PREFIX)/include/lzma.h

bench: all
	bench/run.sh $(B)

fuzz: all
	fuzz/run.sh $(B) $(FUZZ_SECONDS)

clean:
	rm -rf $(B)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
