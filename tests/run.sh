#!/bin/sh
# run.sh BUILD_DIR TEST...  -- runs each test (a program in BUILD_DIR/tests or
# a shell script in tests/), shows its case lines, and ends with the one line
# "N passed, N failed, N skipped". Exit status 1 if anything failed.
#
# A test prints "PASS: ...", "FAIL: ..." or "SKIP: ..." per case. A test that
# exits non-zero without printing a FAIL line counts as one failure.
b=$1
shift
pass=0 fail=0 skip=0
log=$(mktemp)
for t in "$@"; do
	case $t in
	*.sh) cmd="sh $t $b" ;;
	*) cmd="$b/tests/$t" ;;
	esac
	echo "== $t"
	$cmd > "$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	s=$(grep -c '^SKIP: ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $t exited with status $rc"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
rm -f "$log"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
