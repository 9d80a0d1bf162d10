#!/bin/sh
# test_abi_diff.sh BUILD_DIR -- the differential API test (issue 6).
#
# tests/test_abi_diff.c is built twice: against clearxz (include/lzma.h and
# BUILD_DIR/lib/libclearxz.a) and against the system's liblzma 5.4.1
# (/usr/include/lzma.h, -llzma). Both run on the same sample files, made
# here with /usr/bin/xz, and print what the API returns. The outputs are
# compared group by group ("== NAME" lines):
#   PASS: abi_diff NAME          the group is identical
#   FAIL: abi_diff NAME (...)    it differs; the first differing lines shown
#   SKIP: abi_diff (...)         no system liblzma to compare with
# Prints PASS/FAIL/SKIP lines (see tests/run.sh). KEEP=1 keeps the work
# directory (both outputs and the sample files) for a closer look.

b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$KEEP" ] && trap - EXIT && echo "# $tmp"

if [ ! -f "$b/lib/libclearxz.a" ]; then
	echo "FAIL: abi_diff ($b/lib/libclearxz.a does not exist)"
	exit 1
fi
if ! $cc -std=c11 -O1 -o "$tmp/ours" -I"$top/include" \
	"$top/tests/test_abi_diff.c" "$b/lib/libclearxz.a" -pthread \
	> "$tmp/cc.log" 2>&1; then
	echo "FAIL: abi_diff (does not build against clearxz)"
	sed 's/^/    /' "$tmp/cc.log" | head -20
	exit 1
fi
if [ ! -f /usr/include/lzma.h ] || ! $cc -std=c11 -O1 -DAGAINST_SYSTEM \
	-o "$tmp/theirs" -I/usr/include "$top/tests/test_abi_diff.c" -llzma \
	> "$tmp/cc.log" 2>&1; then
	echo "SKIP: abi_diff (no system liblzma development files)"
	exit 0
fi

# Sample files: what xz writes with the options people use, and the
# shapes xz --list has to handle (several Streams, padding, empty Streams,
# damage). All made from text generated here; nothing is stored.
mkdir "$tmp/files"
if [ -x /usr/bin/xz ]; then
	(
	cd "$tmp/files" || exit 1
	seq 1 30000 > text
	awk 'BEGIN { x = 7; for (i = 0; i < 60000; i++) {
		x = (x * 1103515245 + 12345) % 2147483648;
		printf "%c", 65 + int(x / 65536) % 26 } }' > letters
	X=/usr/bin/xz
	$X -c -0 text > t0.xz
	$X -c -9e letters > l9e.xz
	for c in none crc32 crc64 sha256; do $X -c -1 -C $c text > c_$c.xz; done
	$X -c --x86 --lzma2=preset=1 text > x86.xz
	$X -c --delta=dist=4 --lzma2=preset=2,lc=0,lp=2 letters > delta.xz
	$X -c -1 --block-size=7000 text > blocks.xz
	$X -c --format=lzma -3 text > t.lzma
	: | $X -c > empty.xz
	cat t0.xz c_sha256.xz > two.xz
	{ cat blocks.xz; head -c 8 /dev/zero; cat empty.xz; head -c 12000 /dev/zero; \
	  cat c_none.xz; head -c 4 /dev/zero; } > padded.xz
	{ cat empty.xz empty.xz empty.xz; } > empties.xz
	head -c 1000 t0.xz > truncated.xz
	{ cat t0.xz; printf 'junk'; } > junk.xz
	{ cat t0.xz; printf 'ab'; } > odd.xz
	# One byte of the compressed data, the Index, the footer changed.
	for at in 200 -30 -6; do
		size=$(wc -c < blocks.xz)
		[ "$at" -lt 0 ] && pos=$((size + at)) || pos=$at
		{ head -c "$pos" blocks.xz; printf 'Q'; tail -c +"$((pos + 2))" blocks.xz; } \
			> "bad$pos.xz"
	done
	ls | grep -v -x -e text -e letters > list
	)
fi

"$tmp/ours" "$tmp/files" > "$tmp/ours.out" 2>&1
rc_ours=$?
"$tmp/theirs" "$tmp/files" > "$tmp/theirs.out" 2>&1
rc_theirs=$?
if [ $rc_ours -ne 0 ] || [ $rc_theirs -ne 0 ]; then
	echo "FAIL: abi_diff (exit status: clearxz $rc_ours, liblzma $rc_theirs)"
fi

# MicroLZMA across the libraries: each decodes what the other encoded.
mkdir "$tmp/m1" "$tmp/m2"
if "$tmp/theirs" micro-enc "$tmp/m1" && "$tmp/ours" micro-enc "$tmp/m2"; then
	"$tmp/ours" micro-dec "$tmp/m1" | sed 's/microlzma/abi_diff microlzma from liblzma/'
	"$tmp/theirs" micro-dec "$tmp/m2" | sed 's/microlzma/abi_diff microlzma to liblzma/'
else
	echo "FAIL: abi_diff microlzma (an encoder failed)"
fi

# Split each output into one file per group and compare them.
for side in ours theirs; do
	mkdir "$tmp/$side.d"
	awk -v d="$tmp/$side.d" '/^== / { name = $2 } { print > (d "/" name) }' \
		"$tmp/$side.out"
done
for f in "$tmp/theirs.d"/*; do
	g=$(basename "$f")
	if [ ! -f "$tmp/ours.d/$g" ]; then
		echo "FAIL: abi_diff $g (missing from clearxz's output)"
	elif cmp -s "$f" "$tmp/ours.d/$g"; then
		echo "PASS: abi_diff $g ($(wc -l < "$f") lines)"
	else
		n=$(diff "$f" "$tmp/ours.d/$g" | grep -c '^[<>]')
		echo "FAIL: abi_diff $g ($n lines differ; < liblzma, > clearxz)"
		diff "$f" "$tmp/ours.d/$g" | grep '^[<>]' | head -6 | sed 's/^/    /'
	fi
done
