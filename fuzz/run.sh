#!/bin/sh
# run.sh BUILD_DIR SECONDS -- builds each libFuzzer harness in fuzz/, seeds
# it with a corpus made now from /usr/bin/xz and lzip output of small
# generated inputs (corpora are generated, never committed), runs each for
# SECONDS, and prints one PASS/FAIL/SKIP line per harness.
#
# The harnesses are built with clang -fsanitize=fuzzer,address,undefined,
# with the library's sources (the Makefile's LIB_SRC) compiled straight in.
# Beside each one, BUILD_DIR/fuzz/replay_NAME runs the same harness over
# files or directories without libFuzzer (ASan+UBSan), and
# BUILD_DIR/fuzz/replay_NAME-plain the same without sanitizers, for valgrind:
#     BUILD_DIR/fuzz/replay_stream BUILD_DIR/fuzz/corpus-stream
#     valgrind BUILD_DIR/fuzz/replay_stream-plain BUILD_DIR/fuzz/corpus-stream
# A crash leaves BUILD_DIR/fuzz/crash-NAME-*, the log BUILD_DIR/fuzz/NAME.log.
#
# FUZZ_SYSTEM_LZMA=1 builds against the system liblzma instead of the
# library's sources: it checks the harnesses themselves.
# FUZZ_ONLY="NAME..." runs only those harnesses.
set -u
b=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS}
secs=${2:-30}
cd "$(dirname "$0")/.." || exit 1
out=$b/fuzz
mkdir -p "$out" || exit 1

# The harnesses: fuzz/fuzz_NAME.c, the function below that writes its seeds,
# and optionally a function that prints extra sources and flags for its
# link. Adding a harness is one line here.
HARNESSES='
stream  seeds_xz
alone   seeds_lzma
lzip    seeds_lzip
raw     seeds_raw
stream_mt seeds_xz
audit   seeds_audit  extra_audit
'

# clearxz-audit's scanner: its sources but main(), zlib and libzstd.
extra_audit() {
	echo -Iaudit $(make -s print-AUDIT_SRC | tr ' ' '\n' | grep -v audit_main.c) -lz -lzstd
}

# ---- seeds -------------------------------------------------------------------
# Each seed is fuzz_common.h's six control bytes (input chunk sizes, output
# chunk sizes, two harness parameters) and then a compressed stream.

# inputs DIR: small generated inputs of several kinds.
inputs() {
	mkdir -p "$1"
	: > "$1/empty"
	printf 'x' > "$1/byte"
	seq -f 'line %g of the clearxz fuzz seed' 1 2000 > "$1/text"
	head -c 70000 /dev/zero > "$1/zeros"
	# Machine code (for the BCJ filters) and assorted bytes.
	head -c 40000 /usr/bin/xz > "$1/code"
	awk 'BEGIN { s = 7; for (i = 0; i < 3000; i++) {
		s = (s * 1103515245 + 12345) % 2147483648; printf "%c", s % 251 } }' > "$1/noise"
}

# seed DIR NAME CTL TOOL ARGS...: write CTL (printf escapes), then the output
# of TOOL ARGS on each input, as DIR/NAME-INPUT.
seed() {
	s_dir=$1 s_name=$2 s_ctl=$3
	shift 3
	for f in "$out/inputs"/*; do
		{ printf "$s_ctl"; "$@" < "$f"; } > "$s_dir/$s_name-${f##*/}" 2> /dev/null
	done
}

seeds_xz() {
	seed "$1" p0 '\001\001\001\001\000\000' xz -c -0
	seed "$1" p6 '\077\077\377\377\000\000' xz -c -6 --check=sha256
	seed "$1" none '\007\015\003\021\037\000' xz -c -1 --check=none
	seed "$1" crc32 '\002\003\005\007\004\000' xz -c -1 --check=crc32
	seed "$1" x86 '\020\040\100\200\000\000' xz -c --x86 --lzma2=preset=1
	seed "$1" arm64 '\020\040\100\200\000\000' xz -c --arm64=start=4096 --lzma2=preset=1
	seed "$1" delta '\005\005\005\005\000\000' xz -c --delta=dist=4 --lzma2=preset=0
	seed "$1" blocks '\011\013\015\017\000\000' xz -c -0 -T2 --block-size=5000
	seed "$1" auto '\003\003\003\003\000\001' xz -c --format=lzma -0
}

seeds_lzma() {
	seed "$1" p0 '\001\001\001\001\000\000' xz -c --format=lzma -0
	seed "$1" p6 '\077\077\377\377\000\000' xz -c --format=lzma -6
	seed "$1" lclp '\007\015\003\021\000\000' xz -c --format=lzma --lzma1=preset=1,lc=0,lp=4,pb=0
	seed "$1" small '\011\013\015\017\001\000' xz -c --format=lzma --lzma1=preset=1,dict=64KiB
}

seeds_lzip() {
	command -v lzip > /dev/null 2>&1 || return 0
	seed "$1" p0 '\001\001\001\001\001\000' lzip -c -0
	seed "$1" p6 '\077\077\377\377\001\000' lzip -c -6
	seed "$1" one '\007\015\003\021\000\000' lzip -c -1
	seed "$1" s4k '\011\013\015\017\007\000' lzip -c -s 4KiB -m 5
	seed "$1" members '\005\005\005\005\001\000' lzip -c -0 -b 100KiB
}

# The auditor: byte 0 picks the name the file is scanned under (fuzz_audit.c).
seeds_audit() {
	seed "$1" xz '\000' xz -c -1
	seed "$1" gz '\000' gzip -c
	seed "$1" lzma '\011' xz -c --format=lzma -0
	seed "$1" text '\007' cat
}

# Raw: param[0] selects the dictionary 4 KiB << n (n = 0 .. 12), bit 7 LZMA1;
# param[1] the filter before it (1 delta, 2 x86, ... 8 sparc); see fuzz_raw.c.
seeds_raw() {
	seed "$1" l2-256k '\001\001\001\001\006\000' xz -c --format=raw --lzma2=preset=0
	seed "$1" l2-4k '\077\077\377\377\000\000' xz -c --format=raw --lzma2=dict=4KiB
	seed "$1" l1 '\007\015\003\021\206\000' xz -c --format=raw --lzma1=preset=0
	seed "$1" delta '\005\005\005\005\004\001' xz -c --format=raw --delta=dist=1 --lzma2=dict=64KiB
	seed "$1" x86 '\011\013\015\017\004\002' xz -c --format=raw --x86 --lzma2=dict=64KiB
	seed "$1" arm '\011\013\015\017\004\005' xz -c --format=raw --arm --lzma2=dict=64KiB
	seed "$1" sparc '\011\013\015\017\004\010' xz -c --format=raw --sparc --lzma2=dict=64KiB
}

# ---- build -------------------------------------------------------------------

cc=${FUZZ_CC:-clang}
san='-fsanitize=address,undefined -fno-sanitize-recover=undefined'
cflags='-std=c11 -D_GNU_SOURCE -g -gdwarf-4 -O1 -pthread'
if [ "${FUZZ_SYSTEM_LZMA:-0}" = 1 ]; then
	inc='-I/usr/include'
	libs='-llzma'
	objs=
	objs_plain=
else
	inc='-Iinclude -Ilib'
	libs=
	objs=
	objs_plain=
	for src in $(make -s print-LIB_SRC); do
		o=$out/obj/${src%.c}.o
		mkdir -p "$(dirname "$o")"
		$cc $cflags $san -fsanitize=fuzzer-no-link $inc -c -o "$o" "$src" ||
			{ echo "FAIL: fuzz (library source $src does not build)"; exit 1; }
		objs="$objs $o"
		o=$out/obj-plain/${src%.c}.o
		mkdir -p "$(dirname "$o")"
		$cc $cflags $inc -c -o "$o" "$src" ||
			{ echo "FAIL: fuzz (library source $src does not build)"; exit 1; }
		objs_plain="$objs_plain $o"
	done
fi

# build NAME [EXTRA_FN]: fuzz_NAME, replay_NAME, replay_NAME-plain; false
# if it fails.
build() {
	common="fuzz/fuzz_$1.c fuzz/fuzz_common.c"
	extra=
	[ -z "${2:-}" ] || extra=$($2)
	$cc $cflags $san -fsanitize=fuzzer $inc -o "$out/fuzz_$1" $common $objs $extra $libs &&
	$cc $cflags $san $inc -o "$out/replay_$1" fuzz/replay.c $common $objs $extra $libs &&
	$cc $cflags $inc -o "$out/replay_$1-plain" fuzz/replay.c $common $objs_plain $extra $libs
}

# ---- run -------------------------------------------------------------------

rm -rf "$out/inputs"
inputs "$out/inputs"
status=0
rm -f "$out/failed"
echo "$HARNESSES" | while read -r name seeder extra_fn; do
	[ -n "$name" ] || continue
	case " ${FUZZ_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	log=$out/$name.log
	if ! build "$name" "$extra_fn" > "$log" 2>&1; then
		echo "SKIP: fuzz $name (does not build or link; see $log)"
		continue
	fi
	rm -rf "$out/seeds-$name"
	mkdir -p "$out/seeds-$name" "$out/corpus-$name"
	$seeder "$out/seeds-$name"
	"$out/fuzz_$name" -max_total_time="$secs" -max_len=32768 -timeout=30 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/crash-$name-" \
		"$out/corpus-$name" "$out/seeds-$name" >> "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	files=$(ls "$out/corpus-$name" | wc -l)
	# The replay driver over the corpus, as a check that it runs.
	replayed=$("$out/replay_$name" "$out/corpus-$name" 2>> "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "PASS: fuzz $name (${runs:-?} runs in $secs s, ${cov:-cov: ?}, corpus $files files, $replayed)"
	else
		echo "FAIL: fuzz $name (exit $rc; see $log and $out/crash-$name-*)"
		echo 1 > "$out/failed"
	fi
done
[ ! -f "$out/failed" ] || { rm -f "$out/failed"; status=1; }
exit $status
