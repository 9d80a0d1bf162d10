#!/bin/sh
# test_python.sh BUILD_DIR -- CPython's own test suite for its lzma module,
# run with clearxz's liblzma.so.5 in place of the system's (issue 6).
# First proves that Python really loaded our library (its path in
# /proc/self/maps), then runs `python3 -m test test_lzma`.
b=$1
lib=$(cd "$b/lib" && pwd)
if ! python3 -c 'import lzma, test.support' 2>/dev/null; then
	echo "SKIP: python test_lzma (python3 with the lzma module and its test package not found)"
	exit 0
fi
loaded=$(LD_LIBRARY_PATH=$lib python3 -c '
import lzma
for line in open("/proc/self/maps"):
    if "liblzma.so" in line:
        print(line.split()[-1]); break')
case $loaded in
"$lib"/liblzma.so*) echo "PASS: python loads clearxz's liblzma ($loaded)" ;;
*) echo "FAIL: python loaded '$loaded', not $lib/liblzma.so.5"; exit 1 ;;
esac
out=$(LD_LIBRARY_PATH=$lib python3 -m test test_lzma 2>&1)
if printf '%s\n' "$out" | grep -q 'Result: SUCCESS'; then
	echo "PASS: python -m test test_lzma ($(printf '%s\n' "$out" | grep 'Total tests'))"
else
	printf '%s\n' "$out" | tail -30
	echo "FAIL: python -m test test_lzma"
	exit 1
fi
