#!/bin/sh
# run.sh BUILD_DIR -- clearxz's speed against /usr/bin/xz, measured in the
# same run on the same files (quote ratios, not absolute figures).
#
# Corpus: ../shared/bench/make-corpus quick (12 MiB: C source, machine
# code, tables; the first run may install Debian packages). Its SHA256SUMS
# say which corpus the figures belong to.
#
# 1. Decompression through the CLI: each file compressed once by
#    `/usr/bin/xz -6 -T1`, then CPU time (user + system, from getrusage via
#    bench/cputime.c) of `clearxz -dc -T1` and `/usr/bin/xz -dc -T1`, the best
#    of BENCH_RUNS (3) runs each, alternating. Ratio = clearxz CPU / xz CPU
#    (<= 1.0: clearxz is faster).
# 2. Decompression through the library from memory (bench/bench_decode.c),
#    linked with libclearxz.a and with the system liblzma: no file I/O.
# 3. Compression, when `clearxz -z` works: per preset, total compressed size
#    and CPU time against `xz -T1` (and `7zz -txz -mmt1` where installed),
#    the best of BENCH_ENC_RUNS (1) runs. BENCH_PRESETS picks the presets.
# 4. Threads: the corpus joined into one file, -6 --block-size=1MiB; wall
#    time of threaded compression with 1 and 2 threads and of decompressing
#    an `xz -T2` file (of the file four times) with 1 and 2 threads,
#    clearxz against xz, and both
#    again pinned to one core with taskset (the scaling table of issue 5).
# BENCH_SECTIONS (default "cli lib enc threads") picks the sections.
set -u
b=${1:?usage: bench/run.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 1
xz=/usr/bin/xz
cxz=$b/bin/clearxz
runs=${BENCH_RUNS:-3}
enc_runs=${BENCH_ENC_RUNS:-1}
presets=${BENCH_PRESETS:--0 -1 -2 -3 -4 -5 -6 -7 -8 -9 -0e -6e -9e}
sections=${BENCH_SECTIONS:-cli lib enc threads}
want() { case " $sections " in *" $1 "*) return 0 ;; esac; return 1; }
work=$b/bench
mkdir -p "$work" || exit 1

corpus=$(../shared/bench/make-corpus quick) || { echo "bench: make-corpus failed"; exit 1; }
files=$(cd "$corpus" && ls | grep -v SHA256SUMS)
echo "corpus: $corpus"
sed 's/^/  /' "$corpus/SHA256SUMS"

# ---- helpers -------------------------------------------------------------------

cc=${CC:-cc}
$cc -O2 -o "$work/cputime" bench/cputime.c || exit 1
$cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -o "$work/bench_decode" bench/bench_decode.c \
	"$b/lib/libclearxz.a" -pthread || exit 1
have_liblzma=no
if [ -f /usr/include/lzma.h ] &&
	$cc -std=c11 -D_GNU_SOURCE -O2 -I/usr/include -o "$work/bench_decode-liblzma" \
		bench/bench_decode.c -llzma 2> /dev/null; then
	have_liblzma=yes
fi

# cpu OUT_FILE IN_FILE CMD...: CPU seconds of CMD < IN_FILE > OUT_FILE.
cpu() {
	o=$1 i=$2
	shift 2
	"$work/cputime" "$work/t" "$@" < "$i" > "$o" || { echo "bench: $* failed" >&2; echo 0; return 1; }
	cut -d' ' -f1 "$work/t"
}

# wall OUT_FILE IN_FILE CMD...: wall-clock seconds of CMD < IN_FILE > OUT_FILE.
wall() {
	o=$1 i=$2
	shift 2
	"$work/cputime" "$work/t" "$@" < "$i" > "$o" || { echo "bench: $* failed" >&2; echo 0; return 1; }
	cut -d' ' -f2 "$work/t"
}

# best CURRENT NEW: the smaller, treating "" as none.
best() {
	if [ -z "$1" ]; then echo "$2"; else awk -v a="$1" -v b="$2" 'BEGIN { print (b < a) ? b : a }'; fi
}

# mbs BYTES SECONDS: MB/s (10^6 bytes).
mbs() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", n / t / 1e6; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

# ---- 1. decompression through the CLI ---------------------------------------------

for f in $files; do
	[ -f "$work/$f.xz" ] && [ "$work/$f.xz" -nt "$corpus/$f" ] ||
		$xz -6 -T1 -k -c "$corpus/$f" > "$work/$f.xz"
done

if ! want cli; then
	:
elif [ ! -x "$cxz" ]; then
	echo "SKIP: CLI decompression ($cxz is not built)"
else
	echo
	echo "Decompression, CLI, -dc -T1, best of $runs (CPU = user + sys):"
	printf '%-16s %10s %10s %12s %8s\n' file size "xz MB/s" "clearxz MB/s" ratio
	tx=0 tc=0 tn=0
	for f in $files; do
		n=$(wc -c < "$corpus/$f")
		if ! "$cxz" -dc -T1 "$work/$f.xz" | cmp -s - "$corpus/$f"; then
			printf '%-16s %10s  clearxz -dc gives wrong output\n' "$f" "$n"
			continue
		fi
		bx= bc=
		r=0
		while [ $r -lt "$runs" ]; do
			bx=$(best "$bx" "$(cpu /dev/null "$work/$f.xz" $xz -dc -T1)")
			bc=$(best "$bc" "$(cpu /dev/null "$work/$f.xz" "$cxz" -dc -T1)")
			r=$((r + 1))
		done
		printf '%-16s %10s %10s %12s %8s\n' "$f" "$n" "$(mbs "$n" "$bx")" \
			"$(mbs "$n" "$bc")" "$(ratio "$bc" "$bx")"
		tx=$(awk -v a="$tx" -v b="$bx" 'BEGIN { print a + b }')
		tc=$(awk -v a="$tc" -v b="$bc" 'BEGIN { print a + b }')
		tn=$((tn + n))
	done
	printf '%-16s %10s %10s %12s %8s\n' total "$tn" "$(mbs "$tn" "$tx")" \
		"$(mbs "$tn" "$tc")" "$(ratio "$tc" "$tx")"
fi

# ---- 2. decompression through the library, from memory ---------------------------

if want lib; then

echo
echo "Decompression, library, from memory, best of $runs (CPU of the decode only):"
if [ $have_liblzma = yes ]; then
	"$work/bench_decode-liblzma" "$runs" $(for f in $files; do echo "$work/$f.xz"; done) \
		> "$work/lib-xz.txt"
else
	: > "$work/lib-xz.txt"
fi
"$work/bench_decode" "$runs" $(for f in $files; do echo "$work/$f.xz"; done) > "$work/lib-cxz.txt"
printf '%-16s %10s %12s %12s %8s\n' file size "liblzma MB/s" "clearxz MB/s" ratio
# (In awk, a ">" inside printf's arguments would be a redirection: the
# comparisons are made before.)
awk 'function row(name, n, x, c,   xs, r) {
		xs = "-"; r = "-"
		if (x > 0) { xs = sprintf("%.1f", n / x / 1e6); r = sprintf("%.3f", c / x) }
		printf "%-16s %10s %12s %12.1f %8s\n", name, n, xs, n / c / 1e6, r
	}
	NR == FNR { t[$1] = $3; next }
	{ x = 0; if ($1 in t) x = t[$1]
	  row($1, $2, x, $3); n += $2; tc += $3; tx += x }
	END { row("total", n, tx, tc) }' \
	"$work/lib-xz.txt" "$work/lib-cxz.txt"
[ $have_liblzma = yes ] || echo "(no /usr/include/lzma.h: liblzma column empty)"
fi

# ---- 3. compression, when the CLI can compress ---------------------------------

probe=$work/probe.txt
seq 1 20000 > "$probe"
if [ ! -x "$cxz" ] || ! "$cxz" -z -c -T1 -0 < "$probe" 2> /dev/null | $xz -dc 2> /dev/null |
	cmp -s - "$probe"; then
	echo
	echo "SKIP: compression and threads tables ($cxz -z does not work yet)"
	exit 0
fi
have_7zz=no
command -v 7zz > /dev/null 2>&1 && have_7zz=yes

if want enc; then
echo
echo "Compression, -T1, totals over the corpus, best of $enc_runs;"
echo "size ratio = clearxz bytes / xz bytes, CPU ratio = clearxz CPU / xz CPU (7zz: against xz too):"
printf '%-6s %11s %9s %9s %9s' preset "xz bytes" "xz CPU" "size" "CPU"
[ $have_7zz = yes ] && printf ' %9s %9s' "7zz size" "7zz CPU"
echo
for p in $presets; do
	sx=0 sc=0 s7=0 cx=0 cc7=0 ccx=0 bad=
	level=$(echo "$p" | tr -d -- '-e')
	for f in $files; do
		in=$corpus/$f
		bx= bc= b7=
		r=0
		while [ $r -lt "$enc_runs" ]; do
			bx=$(best "$bx" "$(cpu "$work/enc.xz" "$in" $xz -z -c -T1 "$p")")
			bc=$(best "$bc" "$(cpu "$work/enc.cxz" "$in" "$cxz" -z -c -T1 "$p")")
			case $p in
			*e) ;;
			*) [ $have_7zz = yes ] &&
				b7=$(best "$b7" "$(cpu "$work/enc.7z" "$in" 7zz a -txz -mx="$level" -mmt1 -si -so dummy)") ;;
			esac
			r=$((r + 1))
		done
		$xz -dc "$work/enc.cxz" | cmp -s - "$in" || bad="$bad $f"
		sx=$((sx + $(wc -c < "$work/enc.xz")))
		sc=$((sc + $(wc -c < "$work/enc.cxz")))
		[ -n "$b7" ] && s7=$((s7 + $(wc -c < "$work/enc.7z")))
		cx=$(awk -v a="$cx" -v b="$bx" 'BEGIN { print a + b }')
		ccx=$(awk -v a="$ccx" -v b="$bc" 'BEGIN { print a + b }')
		[ -n "$b7" ] && cc7=$(awk -v a="$cc7" -v b="$b7" 'BEGIN { print a + b }')
	done
	printf '%-6s %11s %8.2fs %9s %9s' "$p" "$sx" "$cx" "$(ratio "$sc" "$sx")" "$(ratio "$ccx" "$cx")"
	if [ $have_7zz = yes ]; then
		if [ "$s7" -gt 0 ]; then
			printf ' %9s %9s' "$(ratio "$s7" "$sx")" "$(ratio "$cc7" "$cx")"
		else
			printf ' %9s %9s' - -
		fi
	fi
	[ -n "$bad" ] && printf '  WRONG OUTPUT:%s' "$bad"
	echo
done
fi

# ---- 4. threads ---------------------------------------------------------------------

want threads || exit 0
joined=$work/joined
for f in $files; do cat "$corpus/$f"; done > "$joined"
jn=$(wc -c < "$joined")
topt="-6 --block-size=1MiB"
# Decompression is fast: four copies, so the time is the decoder's, not
# the process start's.
cat "$joined" "$joined" "$joined" "$joined" | $xz -z -c -T2 $topt > "$work/joined-xzT2.xz"
pin=
command -v taskset > /dev/null 2>&1 && pin="taskset -c 0"
echo
echo "Threads: the corpus as one file ($jn bytes), $topt, wall seconds, best of $runs;"
echo "compression in threaded mode (-T+1 = one worker), decompression of an xz -T2 file:"
printf '%-28s %10s %10s %8s\n' case "xz s" "clearxz s" ratio
# trow LABEL IN OPTS...: one row, clearxz and xz with the same options.
trow() {
	label=$1 in=$2
	shift 2
	bx= bc= r=0
	while [ $r -lt "$runs" ]; do
		bx=$(best "$bx" "$(wall "$work/tx.out" "$in" $pre $xz "$@")")
		bc=$(best "$bc" "$(wall "$work/tc.out" "$in" $pre "$cxz" "$@")")
		r=$((r + 1))
	done
	cmp -s "$work/tx.out" "$work/tc.out" || case " $* " in
		*" -d "*) label="$label WRONG OUTPUT" ;;
		*) $xz -dc "$work/tc.out" | cmp -s - "$joined" || label="$label WRONG OUTPUT" ;;
		esac
	printf '%-28s %10.3f %10.3f %8s\n' "$label" "$bx" "$bc" "$(ratio "$bc" "$bx")"
	echo "$label $bx $bc" >> "$work/threads.txt"
}
: > "$work/threads.txt"
pre=
trow "compress -T+1" "$joined" -z -c -T+1 $topt
trow "compress -T2" "$joined" -z -c -T2 $topt
trow "decompress -T1" "$work/joined-xzT2.xz" -d -c -T1
trow "decompress -T2" "$work/joined-xzT2.xz" -d -c -T2
if [ -n "$pin" ]; then
	pre=$pin
	trow "compress -T2, 1 core" "$joined" -z -c -T2 $topt
	trow "decompress -T2, 1 core" "$work/joined-xzT2.xz" -d -c -T2
fi
echo "Scaling, 2 threads against 1 (wall of 1 thread / wall of 2):"
awk '{ n = NF; x[$0 ~ /1 core/ ? "pin" : $0] = 1 }
	/^compress -T\+1 / { c1x = $(NF-1); c1c = $NF }
	/^compress -T2 [0-9]/ { c2x = $(NF-1); c2c = $NF }
	/^decompress -T1 / { d1x = $(NF-1); d1c = $NF }
	/^decompress -T2 [0-9]/ { d2x = $(NF-1); d2c = $NF }
	END {
		printf "  compress:   xz %.2fx, clearxz %.2fx\n", c1x / c2x, c1c / c2c
		printf "  decompress: xz %.2fx, clearxz %.2fx\n", d1x / d2x, d1c / d2c
	}' "$work/threads.txt"
