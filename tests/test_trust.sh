#!/bin/sh
# test_trust.sh BUILD_DIR -- the house rules that hid nothing in clearxz,
# checked mechanically (issue 7, items 1-3):
#  (a) every file of the tree is text: no NUL byte, valid UTF-8, and no
#      long runs of hex digits (opaque data pasted as a string);
#  (b) the built BUILD_DIR/lib/liblzma.so.5 and BUILD_DIR/bin/clearxz run
#      nothing before main and are hardened: no IFUNC symbol, no IRELATIVE
#      relocation, .init_array no larger than the toolchain's own (measured
#      on an empty library/program built now with the same flags), full
#      RELRO (GNU_RELRO + BIND_NOW), no TEXTREL, a non-executable stack,
#      and no library dependency beyond libc and pthreads (house rule 4);
#  (c) no __DATE__/__TIME__/__TIMESTAMP__ in any C source (reproducible
#      builds), no constructor/destructor/ifunc attributes and no
#      .init_array/.ctors sections in lib/ and cli/.
# Finally it proves that each check catches what it guards: it builds small
# libraries and files that break one rule each and runs the same check
# functions on them ("self-test" cases). repro-check, dist and distcheck
# (item 3 and 4) are Makefile targets, under "# ---- trust".
# Prints PASS/FAIL/SKIP lines (see tests/run.sh).

b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd -P)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- (a) the tree is text --------------------------------------------------

# The files of the release: git's list in a checkout; in an unpacked
# release tarball (no .git), every file outside the build directories.
tree_files() {
	# (An unpacked tarball inside another checkout is not that checkout.)
	if [ "$(git -C "$top" rev-parse --show-toplevel 2> /dev/null)" = "$top" ]; then
		git -C "$top" ls-files
	else
		(cd "$top" && find . -type f ! -path './build*' | sed 's|^\./||' | sort)
	fi
}

# text_file FILE: prints why FILE is not plain text, nothing if it is.
text_file() {
	f=$1
	if [ "$(tr -d '\000' < "$f" | wc -c)" -ne "$(wc -c < "$f")" ]; then
		echo "contains NUL bytes"
	elif ! iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1; then
		echo "is not valid UTF-8"
	elif LC_ALL=C grep -Eq '[0-9A-Fa-f]{128}' "$f"; then
		# 64 bytes or more written as one hex string (house rule 1).
		echo "contains a run of 128+ hex digits (opaque data)"
	fi
}

n=0 bad=0
for f in $(tree_files); do
	[ -f "$top/$f" ] || continue # deleted in the working tree
	n=$((n + 1))
	why=$(text_file "$top/$f")
	if [ -n "$why" ]; then
		echo "FAIL: trust text: $f $why"
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ] && echo "PASS: trust text: all $n files of the tree are text"

# ---- (b) the ELF files -----------------------------------------------------

# init_array_size FILE: bytes of .init_array (0 if there is none).
init_array_size() {
	sz=$(readelf -SW "$1" | awk '$2 == ".init_array" { print $6 } $3 == ".init_array" { print $7 }' | head -n 1)
	echo $((0x${sz:-0}))
}

# check_elf NAME FILE EMPTY: one line per property of FILE; EMPTY is the
# same kind of file built from nothing with the same flags (its .init_array
# is what the toolchain adds by itself).
check_elf() {
	name=$1 f=$2 empty=$3
	if readelf -sW "$f" | awk '$4 == "IFUNC"' | grep -q .; then
		echo "FAIL: trust $name: IFUNC symbols: $(readelf -sW "$f" | awk '$4 == "IFUNC" { print $8 }' | sort -u | tr '\n' ' ')"
	else
		echo "PASS: trust $name: no IFUNC symbols"
	fi
	if readelf -rW "$f" | grep -q 'IRELATIV'; then
		echo "FAIL: trust $name: IRELATIVE relocations (code run by the dynamic linker)"
	else
		echo "PASS: trust $name: no IRELATIVE relocations"
	fi
	got=$(init_array_size "$f") base=$(init_array_size "$empty")
	if [ "$got" -gt "$base" ]; then
		echo "FAIL: trust $name: .init_array has $got bytes, the toolchain alone $base (a constructor?)"
	else
		echo "PASS: trust $name: .init_array $got bytes (toolchain: $base)"
	fi
	if readelf -SW "$f" | grep -Eq '\.preinit_array|\.ctors'; then
		echo "FAIL: trust $name: .preinit_array or .ctors section"
	else
		echo "PASS: trust $name: no .preinit_array or .ctors"
	fi
	dyn=$(readelf -dW "$f")
	if readelf -lW "$f" | grep -q GNU_RELRO && echo "$dyn" | grep -Eq 'BIND_NOW|Flags:.* NOW'; then
		echo "PASS: trust $name: full RELRO (GNU_RELRO and BIND_NOW)"
	else
		echo "FAIL: trust $name: no full RELRO (needs -z relro -z now)"
	fi
	if echo "$dyn" | grep -q TEXTREL; then
		echo "FAIL: trust $name: TEXTREL (relocations in code)"
	else
		echo "PASS: trust $name: no TEXTREL"
	fi
	# House rule 4: libc and pthreads only.
	extra=$(echo "$dyn" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p' |
		grep -Ev '^(libc\.so\.6|libpthread\.so\.0|ld-linux[-a-z0-9_.]*\.so\.[0-9]+)$' | tr '\n' ' ')
	if [ -n "$extra" ]; then
		echo "FAIL: trust $name: depends on more than libc and pthreads: $extra"
	else
		echo "PASS: trust $name: depends only on libc and pthreads"
	fi
	stack=$(readelf -lW "$f" | grep GNU_STACK)
	if [ -z "$stack" ] || echo "$stack" | grep -q 'RWE'; then
		echo "FAIL: trust $name: executable stack (GNU_STACK ${stack:+RWE}${stack:-missing})"
	else
		echo "PASS: trust $name: stack not executable"
	fi
}

# The flags of the Makefile's link lines (HARDEN_LDFLAGS and CFLAGS).
harden="-O2 -g -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--build-id=none"
echo 'int xzc_trust_empty(void); int xzc_trust_empty(void) { return 0; }' > "$tmp/empty.c"
echo 'int main(void) { return 0; }' > "$tmp/main.c"
if ! $cc $harden -shared -fPIC -o "$tmp/empty.so" "$tmp/empty.c" ||
   ! $cc $harden -pie -fPIE -o "$tmp/empty.exe" "$tmp/main.c"; then
	echo "FAIL: trust elf: cannot build the empty reference files with $cc"
	exit 1
fi

for pair in "liblzma.so.5:$b/lib/liblzma.so.5:$tmp/empty.so" \
	    "clearxz:$b/bin/clearxz:$tmp/empty.exe"; do
	name=${pair%%:*} rest=${pair#*:}
	f=${rest%%:*} empty=${rest#*:}
	if [ -f "$f" ]; then
		check_elf "$name" "$f" "$empty"
	else
		echo "SKIP: trust $name: $f not built"
	fi
done

# ---- (c) the sources -------------------------------------------------------

# check_sources DIR LIBDIRS: FAIL lines for the forbidden constructs.
check_sources() {
	root=$1
	shift
	hits=$(cd "$root" && find . -name '*.[ch]' ! -path './build*' | sort |
		xargs grep -nE '__(DATE|TIME|TIMESTAMP)__' 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "FAIL: trust sources: build time in the code: $(echo "$hits" | head -n 3 | tr '\n' ' ')"
	else
		echo "PASS: trust sources: no __DATE__/__TIME__/__TIMESTAMP__"
	fi
	dirs=
	for d in "$@"; do [ -d "$root/$d" ] && dirs="$dirs $d"; done
	[ -n "$dirs" ] || return 0
	hits=$(cd "$root" && find $dirs -name '*.[ch]' | sort | xargs grep -nE \
		'__attribute__ *\(\(.*\b_*(constructor|destructor|ifunc)_*\b|section *\( *"\.(init_array|preinit_array|ctors|fini_array)|\.section[ "]*\.?(init_array|preinit_array|ctors)|#pragma +(init|fini)\b' \
		2>/dev/null)
	if [ -n "$hits" ]; then
		echo "FAIL: trust sources: code that runs before main: $(echo "$hits" | head -n 3 | tr '\n' ' ')"
	else
		echo "PASS: trust sources: no constructor/destructor/ifunc attributes or init sections in$dirs"
	fi
}

check_sources "$top" lib cli

# ---- self-tests: each check fails when what it guards is broken ------------

# expect CASE PATTERN OUTPUT: PASS if OUTPUT has a FAIL line matching PATTERN.
expect() {
	if echo "$3" | grep -q "^FAIL: .*$2"; then
		echo "PASS: trust self-test: $1 is detected"
	else
		echo "FAIL: trust self-test: $1 is not detected"
	fi
}

mkdir -p "$tmp/bad/lib" "$tmp/bad/cli"
# An IFUNC resolver, the mechanism of the 2024 backdoor.
cat > "$tmp/ifunc.c" <<'EOF'
static int impl(void) { return 1; }
static int (*resolve(void))(void) { return impl; }
int xzc_chosen(void) __attribute__((ifunc("resolve")));
__attribute__((visibility("default"))) int xzc_call(void);
int xzc_call(void) { return xzc_chosen(); }
EOF
$cc $harden -shared -fPIC -fvisibility=hidden -o "$tmp/ifunc.so" "$tmp/ifunc.c"
out=$(check_elf bad "$tmp/ifunc.so" "$tmp/empty.so")
expect "an IFUNC symbol" "IFUNC symbols" "$out"
expect "an IRELATIVE relocation" "IRELATIVE" "$out"

cat > "$tmp/ctor.c" <<'EOF'
int xzc_early;
__attribute__((constructor)) static void early(void) { xzc_early = 1; }
EOF
$cc $harden -shared -fPIC -o "$tmp/ctor.so" "$tmp/ctor.c"
expect "a constructor" "init_array has" "$(check_elf bad "$tmp/ctor.so" "$tmp/empty.so")"

$cc -O2 -shared -fPIC -Wl,-z,norelro -Wl,-z,lazy -o "$tmp/lazy.so" "$tmp/empty.c"
expect "missing RELRO/BIND_NOW" "no full RELRO" "$(check_elf bad "$tmp/lazy.so" "$tmp/empty.so")"

$cc $harden -shared -fPIC -Wl,-z,execstack -o "$tmp/xstack.so" "$tmp/empty.c" 2> /dev/null
expect "an executable stack" "executable stack" "$(check_elf bad "$tmp/xstack.so" "$tmp/empty.so")"

# An absolute address stored in .text needs a relocation in the code.
cat > "$tmp/textrel.c" <<'EOF'
int xzc_target;
__asm__(".text\n.globl xzc_ptr_in_text\nxzc_ptr_in_text:\n.quad xzc_target\n");
EOF
$cc -O2 -shared -fPIC -Wl,-z,notext -o "$tmp/textrel.so" "$tmp/textrel.c" 2> /dev/null
expect "a TEXTREL" "TEXTREL" "$(check_elf bad "$tmp/textrel.so" "$tmp/empty.so")"

$cc $harden -shared -fPIC -o "$tmp/zdep.so" "$tmp/empty.c" -Wl,--no-as-needed -lz 2> /dev/null &&
	expect "a dependency beyond libc" "more than libc" "$(check_elf bad "$tmp/zdep.so" "$tmp/empty.so")"

# Sources: a build date and a constructor in a fake lib/ directory, and a
# binary file for the text check.
printf 'const char *when = __DATE__;\n' > "$tmp/bad/lib/date.c"
printf '__attribute__((constructor)) static void f(void) {}\n' > "$tmp/bad/cli/ctor.c"
out=$(check_sources "$tmp/bad" lib cli)
expect "__DATE__ in a source" "build time" "$out"
expect "a constructor attribute in a source" "runs before main" "$out"
printf 'ab\000cd' > "$tmp/bin.dat"
printf 'caf\351\n' > "$tmp/latin1.txt"
expect "a NUL byte" "NUL" "FAIL: x $(text_file "$tmp/bin.dat")"
expect "invalid UTF-8" "UTF-8" "FAIL: x $(text_file "$tmp/latin1.txt")"
# 65 bytes as one hex string, written by a loop so this file holds none.
i=0 hex=
while [ $i -lt 65 ]; do hex=${hex}a5; i=$((i + 1)); done
echo "static const char blob[] = \"$hex\";" > "$tmp/blob.c"
expect "a long hex string" "hex digits" "FAIL: x $(text_file "$tmp/blob.c")"
