#!/bin/sh
# test_cli_decode.sh BUILD_DIR -- the decoding side of the clearxz command
# behaves as /usr/bin/xz does.
#
# Each case runs the same command line twice, once with /usr/bin/xz (or its
# link unxz, xzcat, unlzma, lzcat) and once with BUILD_DIR/bin/clearxz (or
# the link of the same name beside it), each in a fresh copy of the same
# files, and requires:
#   - the same exit status (0 ok, 1 error, 2 warning);
#   - the same bytes on stdout, unless the status is 1 (how much of a
#     corrupt file is written before the error is found may differ);
#   - the same files left behind, with the same contents, permissions and
#     modification times (-k, input removal, no output file left after an
#     error, mode and mtime copied from the input);
#   - every line xz writes on stderr, minus its "xz: " prefix, appearing in
#     clearxz's stderr (so "f.xz: Compressed data is corrupt" must be said
#     the same way); nothing on stderr where xz says nothing.
# The damaged files are made here from xz's own output, one field each.
set -u
b=${1:-build}
if [ ! -x "$b/bin/clearxz" ]; then
	echo "SKIP: cli decode ($b/bin/clearxz is not built)"
	exit 0
fi
bindir=$(cd "$b/bin" && pwd)
xz=/usr/bin/xz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clearxz-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
orig=$tmp/orig
mkdir "$orig"
have_lzip=no
command -v lzip > /dev/null 2>&1 && have_lzip=yes

# ---- byte surgery ----------------------------------------------------------

# poke FILE OFFSET OCTAL: overwrite one byte.
poke() {
	printf "\\$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null
}
# crc_into FILE FROM COUNT AT: store the CRC32 of COUNT bytes at FROM as four
# little-endian bytes at AT. gzip's trailer is that same CRC32 (IEEE 802.3,
# as xz-file-format.txt 3.1 specifies), little-endian, followed by ISIZE.
crc_into() {
	dd if="$1" bs=1 skip="$2" count="$3" 2> /dev/null | gzip -c | tail -c 8 |
		head -c 4 | dd of="$1" bs=1 seek="$4" conv=notrunc 2> /dev/null
}
size() { wc -c < "$1" | tr -d ' '; }

# ---- the files ---------------------------------------------------------------

make_files() {
	cd "$orig" || exit 1
	# 6000 lines from a linear congruential generator: deterministic and
	# only mildly compressible, so the .xz is about 50 KB.
	awk 'BEGIN { s = 1; for (i = 0; i < 6000; i++) {
		s = (s * 1103515245 + 12345) % 2147483648
		printf "%d %x %o\n", s, s % 65536, s % 4096 } }' > data.txt
	$xz -6 --check=crc32 -c data.txt > good.xz
	$xz --format=lzma -6 -c data.txt > good.lzma
	[ $have_lzip = yes ] && lzip -6 -c data.txt > good.lz
	: | $xz -c > empty.xz
	$xz -1 -T2 --block-size=30000 -c data.txt > multi.xz
	# Two streams with four bytes of Stream Padding between them (2.2).
	{ $xz -0 -c data.txt; printf '\0\0\0\0'; $xz -0 --check=sha256 -c data.txt; } > cat.xz
	: > zero-bytes.xz
	cp data.txt unknown.xz
	cp good.xz exists.xz
	echo "already here" > exists
	n=$(size good.xz)
	# LZMA data changed in the middle of the block.
	cp good.xz corrupt.xz
	poke corrupt.xz $((n / 2)) 125
	# The stream cut short, 100 bytes before its end.
	head -c $((n - 100)) good.xz > truncated.xz
	head -c $(($(size good.lzma) / 2)) good.lzma > truncated.lzma
	# The block's CRC32 check field (4 bytes before the index) changed:
	# index is 1+1+2+3+CRC = 12 bytes here, the footer 12.
	cp good.xz badcheck.xz
	poke badcheck.xz $((n - 28)) 0
	poke badcheck.xz $((n - 27)) 0
	# Garbage after the stream, where only padding may follow.
	{ cat good.xz; printf 'junk'; } > trailing.xz
	# Check ID 2 (reserved, 4-byte check, 2.1.1.2) in header and footer
	# Stream Flags, both CRC32s fixed: xz warns and decodes anyway.
	cp good.xz uncheck.xz
	poke uncheck.xz 7 002
	crc_into uncheck.xz 6 2 8
	poke uncheck.xz $((n - 3)) 002
	crc_into uncheck.xz $((n - 8)) 6 $((n - 12))
	# Filter ID 0x22 (unknown) instead of LZMA2 (0x21) in the block header
	# (3.1.5) at offset 14: header 02 00 21 01 dict 00 00 00 CRC32.
	cp good.xz badfilter.xz
	poke badfilter.xz 14 042
	crc_into badfilter.xz 12 8 20
	if [ "$(od -An -tx1 -j12 -N3 good.xz | tr -d ' ')" != "020021" ]; then
		echo "FAIL: cli decode setup (xz's block header is not 02 00 21)"
	fi
	# A name xz does not know how to strip.
	cp good.xz good.txt
	# Output files take the input's mode (and mtime: cp -p keeps those).
	chmod 640 good.lzma
	chmod 600 multi.xz
	cd - > /dev/null || exit 1
}

# ---- one case ---------------------------------------------------------------

# run WHO PROG STDIN ARGS...: WHO is xz or our; fresh copy, outputs in $tmp/WHO.*
run() {
	who=$1 prog=$2 in=$3
	shift 3
	if [ "$who" = xz ]; then
		p=/usr/bin/$prog
	elif [ "$prog" = xz ]; then
		p=$bindir/clearxz
	else
		p=$bindir/$prog
	fi
	rm -rf "${tmp:?}/$who"
	cp -Rp "$orig" "$tmp/$who"
	(cd "$tmp/$who" && "$p" "$@" < "$in" > "$tmp/$who.out" 2> "$tmp/$who.err")
	echo $? > "$tmp/$who.rc"
	# Contents, and the mode and mtime xz copies from input to output.
	(cd "$tmp/$who" && cksum -- * && stat -c '%n %a %Y' -- *) > "$tmp/$who.files"
}

# check NAME PROG STDIN ARGS...
check() {
	name=$1
	shift
	run xz "$@"
	run our "$@"
	xrc=$(cat "$tmp/xz.rc") orc=$(cat "$tmp/our.rc")
	why=
	if [ "$xrc" != "$orc" ]; then
		why="exit status $orc, xz gives $xrc"
	elif [ "$xrc" != 1 ] && ! cmp -s "$tmp/xz.out" "$tmp/our.out"; then
		why="stdout differs from xz's"
	elif ! cmp -s "$tmp/xz.files" "$tmp/our.files"; then
		why="files left differ: $(diff "$tmp/xz.files" "$tmp/our.files" | grep '^[<>]' | tr '\n' ' ')"
	elif [ ! -s "$tmp/xz.err" ] && [ -s "$tmp/our.err" ]; then
		why="unexpected stderr: $(head -1 "$tmp/our.err")"
	else
		while IFS= read -r line; do
			msg=${line#*: }
			if ! grep -qF -- "$msg" "$tmp/our.err"; then
				why="stderr lacks \"$msg\" (has \"$(head -1 "$tmp/our.err")\")"
				break
			fi
		done < "$tmp/xz.err"
	fi
	if [ -z "$why" ]; then
		echo "PASS: cli $name"
	else
		echo "FAIL: cli $name ($why)"
	fi
}

make_files

# Good files: to stdout, testing, stdin, several files.
goods="good.xz good.lzma empty.xz multi.xz cat.xz"
[ $have_lzip = yes ] && goods="$goods good.lz"
for f in $goods; do
	check "-dc $f" xz /dev/null -dc "$f"
	check "-t $f" xz /dev/null -t "$f"
	check "-dc < $f" xz "$f" -dc
	check "-d < $f" xz "$f" -d
	check "-dk $f" xz /dev/null -dk "$f"
	check "-d $f" xz /dev/null -d "$f"
done
check "-dc - < good.xz" xz good.xz -dc -
check "-dc good.xz good.lzma multi.xz" xz /dev/null -dc good.xz good.lzma multi.xz
check "-dc -T1 multi.xz" xz /dev/null -dc -T1 multi.xz
check "-dc -T2 multi.xz" xz /dev/null -dc -T2 multi.xz
check "-dc -T0 good.xz" xz /dev/null -dc -T0 good.xz
check "-tv-less -t good.xz good.lzma" xz /dev/null -t good.xz good.lzma
check "--decompress --stdout --keep good.xz" xz /dev/null --decompress --stdout --keep good.xz
check "--test good.xz" xz /dev/null --test good.xz

# Formats forced with -F / --format.
check "-dc -F xz good.xz" xz /dev/null -dc -F xz good.xz
check "-dc --format=lzma good.lzma" xz /dev/null -dc --format=lzma good.lzma
check "-dc --format=xz good.lzma" xz /dev/null -dc --format=xz good.lzma
check "-dc --format=lzma good.xz" xz /dev/null -dc --format=lzma good.xz
check "-dc -F auto good.lzma" xz /dev/null -dc -F auto good.lzma
if [ $have_lzip = yes ]; then
	check "-dc --format=lzip good.lz" xz /dev/null -dc --format=lzip good.lz
	check "-dc --format=xz good.lz" xz /dev/null -dc --format=xz good.lz
fi

# Files: existing output, -f, unknown suffix, missing input, pass-through.
check "-d exists.xz (output exists)" xz /dev/null -d exists.xz
check "-df exists.xz" xz /dev/null -df exists.xz
check "-d good.txt (unknown suffix)" xz /dev/null -d good.txt
check "-dc missing.xz" xz /dev/null -dc missing.xz
check "-dcf data.txt (pass-through)" xz /dev/null -dcf data.txt
check "-dcf < data.txt" xz data.txt -dcf

# The links pick the mode from the program name.
check "unxz good.xz" unxz /dev/null good.xz
check "unxz -k good.xz" unxz /dev/null -k good.xz
check "unxz < good.xz" unxz good.xz
check "xzcat good.xz" xzcat /dev/null good.xz
check "xzcat good.xz cat.xz" xzcat /dev/null good.xz cat.xz
check "xzcat < multi.xz" xzcat multi.xz
check "xzcat good.lzma" xzcat /dev/null good.lzma
check "unlzma good.lzma" unlzma /dev/null good.lzma
check "unlzma -c good.lzma" unlzma /dev/null -c good.lzma
check "unlzma good.xz" unlzma /dev/null good.xz
check "lzcat good.lzma" lzcat /dev/null good.lzma
check "lzcat < good.lzma" lzcat good.lzma
check "lzcat good.xz" lzcat /dev/null good.xz

# Damaged files: each in every way of reading it.
for f in corrupt.xz truncated.xz truncated.lzma badcheck.xz trailing.xz \
	unknown.xz zero-bytes.xz uncheck.xz badfilter.xz; do
	check "-dc $f" xz /dev/null -dc "$f"
	check "-t $f" xz /dev/null -t "$f"
	check "-dc < $f" xz "$f" -dc
	check "-d $f" xz /dev/null -d "$f"
	check "-dk $f" xz /dev/null -dk "$f"
	check "-q -dc $f" xz /dev/null -q -dc "$f"
done
check "-Q -dc uncheck.xz" xz /dev/null -Q -dc uncheck.xz
check "-Q -t uncheck.xz" xz /dev/null -Q -t uncheck.xz
check "-qq -t corrupt.xz" xz /dev/null -qq -t corrupt.xz
check "-dc good.xz corrupt.xz good.lzma" xz /dev/null -dc good.xz corrupt.xz good.lzma
check "-t uncheck.xz good.xz" xz /dev/null -t uncheck.xz good.xz
check "-t truncated.xz uncheck.xz" xz /dev/null -t truncated.xz uncheck.xz
check "xzcat corrupt.xz" xzcat /dev/null corrupt.xz
check "unxz truncated.xz" unxz /dev/null truncated.xz
check "lzcat truncated.lzma" lzcat /dev/null truncated.lzma
exit 0
