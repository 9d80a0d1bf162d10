#!/bin/sh
# test_symbols.sh BUILD_DIR -- the dynamic symbols of BUILD_DIR/lib/liblzma.so.5
# against tests/symbols.txt (liblzma 5.8's ABI):
#   PASS  per exported symbol whose name and version (default @@ or
#         compatibility @) are listed;
#   FAIL  for an exported symbol that is not listed, has another version,
#         has no version, or is not an lzma_ function; for a wrong SONAME,
#         wrong version-node parents, or an lzma_ function the library
#         needs but does not define;
#   SKIP  one line: how many listed symbols are not exported yet (the
#         library grows issue by issue).
# Prints PASS/FAIL/SKIP lines (see tests/run.sh).

b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
lib=$b/lib/liblzma.so.5
list=$top/tests/symbols.txt

if [ ! -f "$lib" ]; then
	echo "FAIL: symbols ($lib does not exist)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Expected: "name version default|compat", one per line.
grep -v '^#' "$list" | awk -F '\t' 'NF >= 2 {
	print $1, $2, ($3 == "compat" ? "compat" : "default") }' | sort > "$tmp/want"
awk '{ print $2 }' "$tmp/want" | sort -u > "$tmp/nodes"

# Exported: nm prints "VALUE TYPE name@@VER" (default version),
# "name@VER" (other version), or a bare name (no version at all). The
# version nodes themselves appear as absolute symbols named after the node.
nm -D --defined-only "$lib" | awk '{ print $2, $3 }' > "$tmp/nm"

: > "$tmp/have"
while read -r type sym; do
	case $sym in
	*@@*) name=${sym%%@@*} ver=${sym#*@@} kind=default ;;
	*@*) name=${sym%%@*} ver=${sym#*@} kind=compat ;;
	*) name=$sym ver= kind= ;;
	esac
	if [ "$type" = A ] && [ -z "$ver" ]; then
		# A version node definition.
		if grep -qx "$name" "$tmp/nodes"; then
			echo "PASS: symbols: version node $name"
		else
			echo "FAIL: symbols: unexpected version node $name"
		fi
		continue
	fi
	case $name in
	lzma_*) ;;
	*)
		echo "FAIL: symbols: exported non-lzma symbol $sym ($type)"
		continue ;;
	esac
	if [ -z "$ver" ]; then
		echo "FAIL: symbols: $name exported without a version (not in lib/api/liblzma.map?)"
		continue
	fi
	echo "$name $ver $kind" >> "$tmp/have"
	if grep -qx "$name $ver $kind" "$tmp/want"; then
		echo "PASS: symbols: $sym"
	elif grep -q "^$name " "$tmp/want"; then
		echo "FAIL: symbols: $sym has the wrong version (want:" \
			$(grep "^$name " "$tmp/want" | awk '{ print $2 "(" $3 ")" }') ")"
	else
		echo "FAIL: symbols: $sym is exported but not in tests/symbols.txt"
	fi
done < "$tmp/nm"

# The library must not need an lzma_ function it does not define (a compat
# forwarder or a call to something not written yet): with -z now the
# dynamic linker would refuse to load it.
undef=$(nm -D --undefined-only "$lib" | awk '{ print $2 }' | grep '^lzma_')
if [ -n "$undef" ]; then
	echo "FAIL: symbols: undefined lzma_ functions:" $undef
else
	echo "PASS: symbols: no undefined lzma_ functions"
fi

soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
if [ "$soname" = liblzma.so.5 ]; then
	echo "PASS: symbols: SONAME liblzma.so.5"
else
	echo "FAIL: symbols: SONAME is '$soname', want liblzma.so.5"
fi

# The version nodes' parents (liblzma's chain). readelf -V prints each
# definition as "Name: NODE" followed, if it has one, by "Parent 1: NODE".
readelf -V "$lib" | awk '
	/Name: XZ_/ { for (i = 1; i <= NF; i++) if ($i == "Name:") node = $(i + 1) }
	/Parent 1:/ { print node, $NF; node = "" }' | sort > "$tmp/parents"
sort > "$tmp/parents.want" <<'EOF'
XZ_5.2 XZ_5.0
XZ_5.1.2alpha XZ_5.0
XZ_5.2.2 XZ_5.1.2alpha
XZ_5.4 XZ_5.2
XZ_5.6.0 XZ_5.4
XZ_5.8 XZ_5.6.0
EOF
# Nodes without any exported symbol yet may be absent; every node present
# must have the right parent.
bad=$(join -v 1 "$tmp/parents" "$tmp/parents.want" | tr '\n' ' ')
wrong=$(join "$tmp/parents" "$tmp/parents.want" | awk '$2 != $3 { print $1 }' | tr '\n' ' ')
if [ -z "$bad$wrong" ]; then
	echo "PASS: symbols: version node parents"
else
	echo "FAIL: symbols: version node parents wrong for: $bad$wrong"
fi

sort -u "$tmp/have" > "$tmp/have.sorted"
missing=$(comm -23 "$tmp/want" "$tmp/have.sorted" | wc -l)
total=$(wc -l < "$tmp/want")
if [ "$missing" -gt 0 ]; then
	echo "SKIP: symbols: $missing of $total listed symbols not implemented yet" \
		"(first: $(comm -23 "$tmp/want" "$tmp/have.sorted" | head -n 5 | awk '{ print $1 "@" $2 }' | tr '\n' ' '))"
fi

# Binary compatibility, the point of the versions: a program compiled and
# linked against the system's liblzma (5.4.1 here) runs with ours, and a
# program that asks for a compatibility version (as RHEL/CentOS 7 binaries
# do) binds to it. -z now makes the dynamic linker resolve every reference
# at load time, so a missing symbol or version fails at once.
cat > "$tmp/abi.c" <<'EOT'
#include <lzma.h>
#include <stdio.h>
int main(void)
{
	printf("%s %u %u %u\n", lzma_version_string(),
	       (unsigned)lzma_version_number(),
	       (unsigned)lzma_check_size(LZMA_CHECK_SHA256),
	       (unsigned)(lzma_cputhreads() > 0));
	return 0;
}
EOT
want="5.8.1 50080012 32 1"
if [ -f /usr/include/lzma.h ] && cc -Wl,-z,now -o "$tmp/abi" "$tmp/abi.c" -llzma 2> /dev/null; then
	got=$(LD_LIBRARY_PATH=$b/lib "$tmp/abi" 2>&1)
	if [ "$got" = "$want" ]; then
		echo "PASS: symbols: a program linked against the system liblzma runs with ours"
	else
		echo "FAIL: symbols: a program linked against the system liblzma: '$got', want '$want'"
	fi
else
	echo "SKIP: symbols: system liblzma-dev not installed (binary compatibility)"
fi

# An undefined reference with an explicit version, as a binary built
# against RHEL 7's liblzma 5.2.2 carries it.
cat > "$tmp/compat.c" <<'EOT'
#include <stdint.h>
#include <stdio.h>
uint32_t lzma_cputhreads(void);
__asm__(".symver lzma_cputhreads, lzma_cputhreads@XZ_5.2.2");
int main(void)
{
	printf("%u\n", (unsigned)(lzma_cputhreads() > 0));
	return 0;
}
EOT
if cc -Wl,-z,now -o "$tmp/compat" "$tmp/compat.c" "$b/lib/liblzma.so.5" 2> "$tmp/log" &&
   [ "$(LD_LIBRARY_PATH=$b/lib "$tmp/compat" 2>&1)" = 1 ] &&
   readelf -V "$tmp/compat" | grep -q 'Name: XZ_5.2.2'; then
	echo "PASS: symbols: a binary asking for lzma_cputhreads@XZ_5.2.2 loads and runs"
else
	echo "FAIL: symbols: lzma_cputhreads@XZ_5.2.2 cannot be used ($(head -n 2 "$tmp/log" | tr '\n' ' '))"
fi
