#!/bin/sh
# test_valgrind.sh BUILD_DIR -- valgrind memcheck on the CLI as built (the
# normal, unsanitized binary: what users run), issue 7 item 5.
#
# A few small generated files are compressed, decompressed, tested and
# listed, to files and to stdout, single- and multi-threaded, plus one
# corrupt input (the error path). Each run fails on any memcheck error,
# and on a definite or possible leak (--leak-check=full: exit status 99).
# The inputs are small because memcheck is ~50 times slower.
# SKIP if valgrind is not installed.
# Prints PASS/FAIL/SKIP lines (see tests/run.sh).

b=${1:-build}
x=$(cd "$b" && pwd -P)/bin/clearxz
if ! command -v valgrind > /dev/null 2>&1; then
	echo "SKIP: valgrind (valgrind is not installed)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

vg() {
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,possible \
		--log-file="$tmp/vg.log" "$x" "$@" 2> "$tmp/err"
}

# check NAME EXPECTED_STATUS ARGS...: runs the tool under memcheck, stdin
# and stdout as redirected by the caller, stderr to $tmp/err.
check() {
	name=$1 want=$2
	shift 2
	vg "$@"
	rc=$?
	# Memcheck's reports are "==PID==" lines; "--PID--" lines are
	# valgrind's own notes (such as an unknown system call: valgrind
	# 3.19 does not know Landlock's, and the tool then runs unsandboxed).
	if [ "$rc" -eq "$want" ] && ! grep -q '^==' "$tmp/vg.log"; then
		echo "PASS: valgrind $name" >&3
	else
		echo "FAIL: valgrind $name (exit $rc, expected $want; $(grep '^==' "$tmp/vg.log" | head -c 600 | tr '\n' ' '))" >&3
	fi
}
# The results go to fd 3, the test's stdout: the tool's stdout is redirected.
exec 3>&1

cd "$tmp" || exit 1
seq -f 'valgrind line %g' 1 3000 > text
awk 'BEGIN { s = 1; for (i = 0; i < 20000; i++) {
	s = (s * 1103515245 + 12345) % 2147483648; printf "%c", 65 + s % 7 } }' > mixed
cp text text.orig

check "compress stdin to stdout (-1)" 0 -1 < text > text.xz
check "decompress to stdout" 0 -dc text.xz > text.out
cmp -s text.out text.orig && echo "PASS: valgrind round trip" ||
	echo "FAIL: valgrind round trip (output differs)"
check "compress two threads, block size" 0 -2 -T2 --block-size=4KiB -k mixed
check "test threaded decoder" 0 -t -T2 mixed.xz
check "decompress threaded to a file" 0 -d -f -T2 mixed.xz
cp text text2
check "compress to a file, input removed (-e --check=sha256)" 0 -0e --check=sha256 text2
check "list -vv" 0 -lvv text2.xz text.xz > /dev/null
check "compress to .lzma" 0 --format=lzma -c text > /dev/null
head -c 700 text.xz > cut.xz
check "truncated input (error path)" 1 -dc cut.xz > /dev/null
exit 0
