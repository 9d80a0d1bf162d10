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
WERROR ?= -Werror
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wvla -Wimplicit-fallthrough $(WERROR)

# -fvisibility=hidden: only what LZMA_API marks is exported.
# -ffile-prefix-map: no build path in the objects (reproducible builds).
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden \
               -ffile-prefix-map=$(CURDIR)=. -pthread \
               -Iinclude -Ilib $(WARN)

# Full RELRO, no executable stack (checked by tests/test_elf.sh).
HARDEN_LDFLAGS := -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--build-id=none

# ---- the library, bottom layer first --------------------------------------

LIB_COMMON := \
	lib/common/alloc.c \
	lib/common/cpu.c

LIB_CHECK := \
	lib/check/crc32.c \
	lib/check/crc64.c \
	lib/check/sha256.c \
	lib/check/check.c \
	lib/check/x86/crc_clmul.c \
	lib/check/x86/sha256_shani.c

LIB_RANGECODER := \
	lib/rangecoder/rc_price.c

LIB_LZ := \
	lib/lz/lz_dec.c \
	lib/lz/lz_enc.c

LIB_LZMA := \
	lib/lzma/lzma_core.c \
	lib/lzma/lzma_dec.c \
	lib/lzma/lzma2_dec.c \
	lib/lzma/lzma_props.c \
	lib/lzma/lzma_enc.c \
	lib/lzma/lzma_enc_fast.c \
	lib/lzma/lzma_enc_opt.c \
	lib/lzma/lzma2_enc.c \
	lib/lzma/lzma_preset.c \
	lib/lzma/microlzma.c

LIB_FILTERS := \
	lib/filters/delta.c \
	lib/filters/simple.c \
	lib/filters/bcj_x86.c \
	lib/filters/bcj_arm.c \
	lib/filters/bcj_other.c \
	lib/filters/bcj_riscv.c \
	lib/filters/bcj_api.c

LIB_CONTAINER := \
	lib/container/vli.c \
	lib/container/stream_flags.c \
	lib/container/filter_chain.c \
	lib/container/block_header.c \
	lib/container/block_dec.c \
	lib/container/index_hash.c \
	lib/container/stream_parse.c \
	lib/container/stream_dec.c \
	lib/container/alone_dec.c \
	lib/container/lzip_dec.c \
	lib/container/auto_dec.c \
	lib/container/block_enc.c \
	lib/container/index.c \
	lib/container/index_dec.c \
	lib/container/file_info.c \
	lib/container/stream_enc.c \
	lib/container/alone_enc.c \
	lib/container/lzip_enc.c

LIB_THREADS := \
	lib/threads/mt_pool.c \
	lib/threads/mt_cache.c \
	lib/threads/mt_dec.c \
	lib/threads/mt_enc.c

LIB_API := \
	lib/api/code.c \
	lib/api/info.c \
	lib/api/compat.c \
	lib/api/decoders.c \
	lib/api/encoders.c \
	lib/api/filter_str.c \
	lib/api/index_api.c \
	lib/api/threads_api.c \
	lib/api/microlzma_api.c

LIB_SRC := $(LIB_COMMON) $(LIB_CHECK) $(LIB_RANGECODER) $(LIB_LZ) $(LIB_LZMA) \
           $(LIB_FILTERS) $(LIB_CONTAINER) $(LIB_THREADS) $(LIB_API)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)

# ---- the command-line tool ------------------------------------------------

CLI_SRC := \
	cli/main.c \
	cli/args.c \
	cli/options.c \
	cli/help.c \
	cli/coder.c \
	cli/list.c \
	cli/suffix.c \
	cli/files.c \
	cli/hardware.c \
	cli/messages.c \
	cli/signals.c \
	cli/sandbox.c

CLI_OBJ := $(CLI_SRC:%.c=$(B)/obj/%.o)
CLI_LINKS := xz unxz xzcat lzma unlzma lzcat xzdec lzmadec

# ---- the backdoor auditor (issue 8; docs/BACKDOOR-AUDIT.md) ---------------
# A client of the library's public lzma.h API only, plus zlib and libzstd
# for gzip and zstd (Debian zlib1g-dev, libzstd-dev).

AUDIT_SRC := \
	audit/audit_main.c \
	audit/audit_walk.c \
	audit/audit_scan.c \
	audit/audit_budget.c \
	audit/audit_indicators.c \
	audit/audit_elfscan.c \
	audit/audit_pkgdb.c \
	audit/audit_decompress.c \
	audit/audit_archive.c \
	audit/audit_carve.c \
	audit/audit_report.c

AUDIT_OBJ := $(AUDIT_SRC:%.c=$(B)/obj/%.o)
AUDIT_LIBS := -lz -lzstd

# ---- tests: each tests/NAME.c is one program linked with the static library

TEST_PROGS := \
	test_check \
	test_filters \
	test_layout \
	test_info \
	test_lzma_dec \
	test_lzma_enc \
	test_api \
	test_corrupt \
	test_conformance \
	test_container \
	test_container_dec \
	test_interop \
	test_encode \
	test_threads \
	test_index

TEST_BIN := $(TEST_PROGS:%=$(B)/tests/%)
TEST_COMMON := tests/testutil.c tests/gen.c tests/xzwriter.c

# Shell tests (tests/*.sh), run by tests/run.sh with the build directory.
TEST_SCRIPTS := \
	tests/test_python.sh \
	tests/test_dropin.sh \
	tests/test_header.sh \
	tests/test_symbols.sh \
	tests/test_trust.sh \
	tests/test_audit.sh \
	tests/test_cli_decode.sh \
	tests/test_cli.sh \
	tests/test_abi_diff.sh \
	tests/test_sandbox.sh \
	tests/test_valgrind.sh

# ---- targets --------------------------------------------------------------

.PHONY: all lib cli audit check install clean bench fuzz
all: lib cli audit

lib: $(B)/lib/libclearxz.a $(B)/lib/liblzma.so.5 $(B)/include/lzma.h

cli: $(B)/bin/clearxz

audit: $(B)/bin/clearxz-audit

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

$(B)/bin/clearxz-audit: $(AUDIT_OBJ) $(B)/lib/libclearxz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -pthread $(HARDEN_LDFLAGS) -pie $(LDFLAGS) -o $@ $(AUDIT_OBJ) \
		$(B)/lib/libclearxz.a $(AUDIT_LIBS)

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
	install -m 644 include/clearxz.h $(DESTDIR)$(PREFIX)/include/clearxz.h
	install -m 755 $(B)/bin/clearxz-audit $(DESTDIR)$(PREFIX)/bin/clearxz-audit
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 docs/clearxz.1 $(DESTDIR)$(PREFIX)/share/man/man1/clearxz.1
	# pkg-config: programs that ask for liblzma find clearxz's (API 5.8.1).
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' \
		'includedir=$${prefix}/include' '' 'Name: liblzma' \
		'Description: clearxz, an auditable liblzma-compatible library' \
		'Version: 5.8.1' 'Libs: -L$${libdir} -llzma' 'Libs.private: -pthread' \
		'Cflags: -I$${includedir}' > $(DESTDIR)$(PREFIX)/lib/pkgconfig/liblzma.pc

bench: all
	bench/run.sh $(B)

fuzz: all
	fuzz/run.sh $(B) $(FUZZ_SECONDS)

# ThreadSanitizer run of the threaded coders' test (issue 5): the library
# and tests/test_threads.c built with clang -fsanitize=thread into
# $(B)/tsan, then run; any data race or lock-order report fails it.
TSAN_CC ?= clang
TSAN_CFLAGS := -O1 -g -fsanitize=thread -DCLEARXZ_DEBUG

.PHONY: check-tsan
check-tsan:
	$(MAKE) B=$(B)/tsan CC=$(TSAN_CC) CFLAGS="$(TSAN_CFLAGS)" \
		$(B)/tsan/tests/test_threads
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		$(B)/tsan/tests/test_threads

# make -s print-VAR prints a variable (fuzz/run.sh reads LIB_SRC this way).
print-%:
	@echo $($*)

clean:
	rm -rf $(B)

# ---- trust ------------------------------------------------------------------
# The release is the tree and the build is reproducible (issue 7; how to
# verify a release is in docs/AUDIT.md).
#
#   make repro-check  clone HEAD twice to different paths, build each with a
#                     different umask, time zone and locale, and require
#                     bit-identical liblzma.so.5, libclearxz.a and clearxz
#   make dist         $(B)/clearxz-VERSION.tar.gz: git archive of HEAD,
#                     nothing added or generated
#   make distcheck    unpack that tarball elsewhere, require its file list
#                     to equal the files of HEAD (git ls-files of a clean
#                     checkout) and its contents to equal a fresh clone's
#                     (no export-ignore/export-subst surprises), and run
#                     make check in it (DISTCHECK_TARGET=all: only build it,
#                     as .ci/run does: the same files were just tested)
# They use HEAD, not the working tree: commit first.

DISTCHECK_TARGET ?= check
DIST_NAME := clearxz-$(VERSION)
DIST_TAR  := $(B)/$(DIST_NAME).tar.gz
REPRO_DIR := $(B)/repro
REPRO_FILES := lib/liblzma.so.5 lib/libclearxz.a bin/clearxz

.PHONY: repro-check dist distcheck

repro-check:
	rm -rf $(REPRO_DIR)
	git clone -q --no-local . $(REPRO_DIR)/one
	git clone -q --no-local . $(REPRO_DIR)/two/other-path
	cd $(REPRO_DIR)/one && umask 022 && TZ=UTC LC_ALL=C \
		$(MAKE) -s B=build lib cli
	cd $(REPRO_DIR)/two/other-path && umask 077 && TZ=Asia/Kathmandu LC_ALL=C.UTF-8 \
		$(MAKE) -s B=build lib cli
	@cd $(REPRO_DIR) && for f in $(REPRO_FILES); do \
		a=$$(sha256sum < one/build/$$f | cut -d' ' -f1); \
		b=$$(sha256sum < two/other-path/build/$$f | cut -d' ' -f1); \
		echo "$$a  $$f"; \
		if [ "$$a" != "$$b" ]; then \
			echo "repro-check: FAIL: $$f differs between the two builds"; exit 1; \
		fi; \
	done
	@echo "repro-check: the two builds are bit-identical"

dist:
	@mkdir -p $(B)
	git archive --format=tar.gz --prefix=$(DIST_NAME)/ -o $(DIST_TAR) HEAD
	@echo "$$(sha256sum < $(DIST_TAR) | cut -d' ' -f1)  $(DIST_TAR)"

distcheck: dist
	rm -rf $(B)/distcheck
	mkdir -p $(B)/distcheck
	tar -xzf $(DIST_TAR) -C $(B)/distcheck
	cd $(B)/distcheck/$(DIST_NAME) && find . -type f | sed 's|^\./||' | LC_ALL=C sort > ../files.tar
	git ls-tree -r --name-only HEAD | LC_ALL=C sort > $(B)/distcheck/files.git
	diff -u $(B)/distcheck/files.git $(B)/distcheck/files.tar
	git clone -q --no-local . $(B)/distcheck/clone
	diff -r --exclude=.git $(B)/distcheck/clone $(B)/distcheck/$(DIST_NAME)
	$(MAKE) -C $(B)/distcheck/$(DIST_NAME) B=build $(DISTCHECK_TARGET)
	@echo "distcheck: $(DIST_TAR) holds exactly the tree and passes make $(DISTCHECK_TARGET)"

# ---- sanitizers and size ---------------------------------------------------
#   make check-sanitize  the C tests and the CLI tests, built with clang's
#                        AddressSanitizer + UndefinedBehaviorSanitizer into
#                        $(B)/asan, with the internal assertions on
#   make loc             lines per layer (the library plus its header stays
#                        under 25,000: docs/AUDIT.md)

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer -DCLEARXZ_DEBUG
SAN_SCRIPTS := $(filter tests/test_cli% tests/test_sandbox.sh,$(TEST_SCRIPTS))

.PHONY: check-sanitize loc

check-sanitize:
	$(MAKE) B=$(B)/asan CC=clang CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" \
		$(B)/asan/bin/clearxz $(TEST_PROGS:%=$(B)/asan/tests/%)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run.sh $(B)/asan $(TEST_PROGS) $(SAN_SCRIPTS)

loc:
	@for d in include lib/common lib/check lib/rangecoder lib/lz lib/lzma \
		lib/filters lib/container lib/threads lib/api cli audit tests fuzz; do \
		printf '%-16s %6s\n' $$d $$(cat $$(git ls-files $$d | grep -E '\.(c|h)$$') /dev/null | wc -l); \
	done
	@printf '%-16s %6s\n' 'library+header' \
		$$(cat $$(git ls-files include lib | grep -E '\.(c|h)$$') | wc -l)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(AUDIT_OBJ:.o=.d)
