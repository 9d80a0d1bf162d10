#!/bin/sh
# test_header.sh BUILD_DIR -- include/lzma.h compiles unchanged in every
# language mode a liblzma user may use (C89 with GNU extensions, C99, C11,
# C++98, C++11, with gcc and clang where installed), declares the 114
# functions listed in tests/symbols.txt, and each declaration has the same
# signature as the system's liblzma header when that is installed (a
# program written for liblzma must compile unchanged against ours).
#
# Prints PASS/FAIL/SKIP lines (see tests/run.sh).

top=$(cd "$(dirname "$0")/.." && pwd)
hdr=$top/include/lzma.h
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A small program that uses the types, the initializer and a few calls.
cat > "$tmp/use.c" <<'EOF'
#include <lzma.h>
int use_lzma(void);
int use_lzma(void)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_filter chain[LZMA_FILTERS_MAX + 1];
	chain[0].id = LZMA_FILTER_LZMA2;
	chain[0].options = &opt;
	chain[1].id = LZMA_VLI_UNKNOWN;
	chain[1].options = NULL;
	if (lzma_lzma_preset(&opt, LZMA_PRESET_DEFAULT | LZMA_PRESET_EXTREME))
		return 1;
	if (lzma_stream_encoder(&strm, chain, LZMA_CHECK_CRC64) != LZMA_OK)
		return 1;
	lzma_end(&strm);
	return (int)(lzma_version_number() != LZMA_VERSION);
}
EOF
cp "$tmp/use.c" "$tmp/use.cc"

# compile NAME COMPILER FLAGS... : one case per language mode.
compile() {
	name=$1 cc=$2
	shift 2
	case $name in *.cc) src=$tmp/use.cc ;; *) src=$tmp/use.c ;; esac
	if ! command -v "$cc" > /dev/null 2>&1; then
		echo "SKIP: header $name ($cc not installed)"
		return
	fi
	if "$cc" "$@" -Wall -Wextra -Werror -fsyntax-only -I"$top/include" \
		"$src" > "$tmp/log" 2>&1; then
		echo "PASS: header $name"
	else
		echo "FAIL: header $name ($(head -n 3 "$tmp/log" | tr '\n' ' '))"
	fi
}

compile "gnu89 gcc" gcc -std=gnu89 -pedantic -Wno-long-long
compile "c99 gcc" gcc -std=c99 -pedantic -Wstrict-prototypes -Wmissing-prototypes
compile "c11 gcc" gcc -std=c11 -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
compile "c11 clang" clang -std=c11 -pedantic -Wshadow -Wstrict-prototypes
compile "c++98 g++.cc" g++ -std=c++98 -pedantic -Wno-long-long
compile "c++11 g++.cc" g++ -std=c++11 -pedantic
compile "c++17 clang++.cc" clang++ -std=c++17 -pedantic

# Every function of tests/symbols.txt is declared, and nothing else is.
grep -o '^extern LZMA_API([^)]*)[^(]*' "$hdr" | awk '{print $NF}' | sort -u > "$tmp/declared"
cut -f1 "$top/tests/symbols.txt" | grep '^lzma_' | sort -u > "$tmp/listed"
n=$(wc -l < "$tmp/declared")
if cmp -s "$tmp/declared" "$tmp/listed" && [ "$n" -eq 114 ]; then
	echo "PASS: header declares the 114 functions of tests/symbols.txt"
else
	echo "FAIL: header declares $n functions; differences with tests/symbols.txt:" \
		$(comm -3 "$tmp/declared" "$tmp/listed" | tr -d '\t')
fi

# Signatures against the system header: redeclare each of its functions
# after including ours; a C compiler rejects any incompatible redeclaration.
sys=/usr/include/lzma
if [ ! -d "$sys" ]; then
	echo "SKIP: header signatures equal liblzma's (no $sys; install liblzma-dev)"
else
	{
		echo '#include <lzma.h>'
		for f in "$sys"/*.h; do
			# Join each "extern LZMA_API(...) name(...) attrs;" onto one
			# line and drop the attribute macros.
			awk '/^extern LZMA_API/ { p = 1; s = "" }
			     p { s = s " " $0 }
			     p && /;/ { print s; p = 0 }' "$f"
		done | sed 's/lzma_nothrow//g; s/lzma_attr_[a-z_]*//g'
	} > "$tmp/redecl.c"
	n=$(grep -c 'LZMA_API' "$tmp/redecl.c")
	if gcc -std=c11 -Wall -Werror -fsyntax-only -I"$top/include" \
		"$tmp/redecl.c" > "$tmp/log" 2>&1; then
		echo "PASS: header signatures equal the system liblzma's ($n functions)"
	else
		echo "FAIL: header signatures differ from the system liblzma's ($(grep error "$tmp/log" | head -n 3 | tr '\n' ' '))"
	fi
fi
