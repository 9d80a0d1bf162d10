#!/bin/sh
# test_audit.sh BUILD_DIR -- clearxz-audit against fixtures built here, now.
#
# Nothing here is malware and nothing is downloaded. The "infected" files are
# objects compiled from C whose data section holds the published signature
# bytes (taken from audit/indicators.def, the auditor's own list), text files
# with the published injection lines, and packages whose metadata names a
# backdoored version. The payload hashes cannot be tested with the real
# payloads (never fetched); the hash mechanism is tested with test-only
# indicators (--indicators) naming files generated here.
# Prints one PASS/FAIL/SKIP line per case.

b=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
A=$b/bin/clearxz-audit
case $A in /*) ;; *) A=$(pwd)/$A ;; esac
DEF=$top/audit/indicators.def
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

if [ ! -x "$A" ]; then
	echo "FAIL: audit-binary ($A not built)"
	exit 1
fi

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1 ($2)"; }
skip() { echo "SKIP: $1 ($2)"; }

# expect NAME RC PATTERN [ARGS...]: runs the auditor with ARGS; wants exit
# status RC and, unless PATTERN is empty, a line of output containing it.
expect() {
	name=$1 want=$2 pat=$3
	shift 3
	"$A" -q "$@" > "$T/out" 2> "$T/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, want $want: $(head -c 300 "$T/out" "$T/err" | tr '\n' ' ')"
	elif [ -n "$pat" ] && ! grep -qF -- "$pat" "$T/out"; then
		fail "$name" "no '$pat' in: $(head -c 400 "$T/out" | tr '\n' ' ')"
	else
		pass "$name"
	fi
}

# ---- fixtures: objects with the signature bytes --------------------------

# sig_c RULE [MAX]: C source with the patterns of RULE (at most MAX of them)
# as data arrays. "??" (any byte) becomes 0x11.
sig_c() {
	echo "/* test fixture: the published signature bytes as data, nothing else */"
	sed -n 's/^CODE("\([^"]*\)", "\([^"]*\)".*/\1|\2/p' "$DEF" |
	grep "^$1|" | head -n "${2:-99}" |
	while IFS='|' read -r rule hex; do
		n=$((${n:-0} + 1))
		bytes=$(printf '%s' "$hex" | tr -d ' ' | sed 's/??/11/g; s/\(..\)/0x\1,/g')
		echo "__attribute__((used)) const unsigned char sig_$n[] = { 0x90, $bytes 0x90 };"
	done
}
mkdir -p "$T/fx"
sig_c openwall-detect-sh > "$T/fx/openwall.c"
sig_c yara-xz-backdoor-opcodes > "$T/fx/yara.c"
sig_c yara-xz-backdoor-opcodes 2 > "$T/fx/yara2.c"
echo "int clean_function(int x) { return x * 3; }" > "$T/fx/clean.c"
if ! grep -q 0xf3 "$T/fx/openwall.c" || [ "$(grep -c sig_ "$T/fx/yara.c")" -ne 3 ]; then
	fail fixture-sources "could not read the CODE lines of $DEF"
	exit 1
fi
for f in openwall yara yara2 clean; do
	$CC -c -o "$T/fx/$f.o" "$T/fx/$f.c" || { fail "fixture-$f" "cc failed"; exit 1; }
done
$CC -shared -fPIC -o "$T/fx/liblzma.so.5" "$T/fx/openwall.c" || exit 1
$CC -shared -fPIC -o "$T/fx/clean.so" "$T/fx/clean.c" || exit 1

mkdir -p "$T/t1"
cp "$T/fx/liblzma.so.5" "$T/t1/"
expect elf-shared-openwall 1 "openwall-detect-sh" "$T/t1"
expect elf-path-and-tier 1 "[tier 1: backdoored binary] $T/t1/liblzma.so.5" "$T/t1"
expect verdict-line-found 1 "FOUND: 1 trace of the xz backdoor (CVE-2024-3094)" "$T/t1"
expect elf-object-yara 1 "yara-xz-backdoor-opcodes" "$T/fx/yara.o"
expect elf-object-yara-needs-all-three 0 "No trace" "$T/fx/yara2.o"
expect elf-clean-object 0 "No trace" "$T/fx/clean.o"
ar rcs "$T/fx/libstatic.a" "$T/fx/clean.o" "$T/fx/yara.o"
expect static-archive-member 1 "libstatic.a!yara.o" "$T/fx/libstatic.a"
ar rcs "$T/fx/libclean.a" "$T/fx/clean.o" "$T/fx/yara2.o"
expect static-archive-clean 0 "No trace" "$T/fx/libclean.a"
expect system-liblzma-clean 0 "No trace" /usr/lib/x86_64-linux-gnu/liblzma.so.5

# ---- hashes: the mechanism, with test-only indicators --------------------
# Sizes around the SHA-256 padding boundaries (55, 56, 64 bytes) and a big one.
mkdir -p "$T/h"
: > "$T/h/ind.def"
for n in 1 55 56 63 64 65 1000 300000; do
	head -c "$n" /dev/zero | tr '\0' 'x' > "$T/h/f$n"
	sum=$(sha256sum < "$T/h/f$n" | cut -d' ' -f1)
	echo "HASH(\"source\", \"$sum\", \"test file of $n bytes\", \"tests/test_audit.sh\")" >> "$T/h/ind.def"
done
"$A" -q --indicators "$T/h/ind.def" "$T/h" > "$T/out" 2>&1
if [ "$(grep -c '^\[tier 2: malicious source\]' "$T/out")" -eq 8 ]; then
	pass hash-sha256-matches-sha256sum
else
	fail hash-sha256-matches-sha256sum "$(grep -c tier "$T/out") of 8 hashes matched"
fi
echo 'HASH("binary", "00", "x", "y")' > "$T/h/bad.def"
expect indicators-file-bad-hash 2 "" --indicators "$T/h/bad.def" "$T/h"
"$A" --list-indicators > "$T/h/all.def"
expect indicators-list-reloads 0 "No trace" --indicators "$T/h/all.def" "$T/fx/clean.o"

# ---- source text: m4, configure, Makefile ---------------------------------
# The injected lines as published (openwall oss-security 2024/03/29/4).
mk_src() {   # mk_src DIR: an "xz-5.6.1" source tree with the injection
	mkdir -p "$1/m4"
	cat > "$1/m4/build-to-host.m4" <<'EOF'
# build-to-host.m4 serial 30
dnl test fixture: the published injection lines, inert text
AC_DEFUN([gl_BUILD_TO_HOST],
[
  gl_am_configmake=`grep -aErls "#{4}[[:alnum:]]{5}#{4}$" $srcdir/ 2>/dev/null`
  gl_path_map='tr "\t \-_" " \t_\-"'
])
EOF
	cat > "$1/configure" <<'EOF'
#! /bin/sh
# test fixture
gl_am_configmake=`grep -aErls "#{4}[[:alnum:]]{5}#{4}$" $srcdir/ 2>/dev/null`
gl_path_map='tr "\t \-_" " \t_\-"'
EOF
	printf 'all:\nam__test = bad-3-corrupt_lzma2.xz\n' > "$1/Makefile.in"
}
mk_clean_src() {   # the gnulib macro as it normally is: serial 3, no injection
	mkdir -p "$1/m4"
	cat > "$1/m4/build-to-host.m4" <<'EOF'
# build-to-host.m4 serial 3
dnl test fixture: a normal gnulib macro
AC_DEFUN([gl_BUILD_TO_HOST],
[
  gl_final_[$1]="$[$1]"
])
EOF
	printf '#! /bin/sh\necho configure\n' > "$1/configure"
	printf 'all:\n\techo ok\n' > "$1/Makefile.in"
}
mkdir -p "$T/s/bad" "$T/s/good"
mk_src "$T/s/bad/xz-5.6.1"
mk_clean_src "$T/s/good/xz-5.4.6"
expect m4-serial-30 1 "m4-build-to-host-injection" "$T/s/bad/xz-5.6.1/m4"
expect configure-lines 1 "configure-injection" "$T/s/bad/xz-5.6.1/configure"
expect makefile-am-test 1 "makefile-injection" "$T/s/bad/xz-5.6.1/Makefile.in"
expect clean-gnulib-m4 0 "No trace" "$T/s/good"
tar -C "$T/s/bad" -czf "$T/s/xz-5.6.1.tar.gz" xz-5.6.1
tar -C "$T/s/bad" -cJf "$T/s/xz-5.6.1.tar.xz" xz-5.6.1
tar -C "$T/s/good" -cJf "$T/s/xz-5.4.6.tar.xz" xz-5.4.6
expect tarball-gz-m4 1 "xz-5.6.1.tar.gz!xz-5.6.1/m4/build-to-host.m4" "$T/s/xz-5.6.1.tar.gz"
expect tarball-xz-configure 1 "xz-5.6.1.tar.xz!xz-5.6.1/configure" "$T/s/xz-5.6.1.tar.xz"
expect tarball-clean 0 "No trace" "$T/s/xz-5.4.6.tar.xz"

# ---- packages -----------------------------------------------------------------
# mk_deb NAME VERSION COMPRESSOR [FILE-FOR-usr/lib/x86_64-linux-gnu]
mk_deb() {
	r=$T/d/root-$1-$2-$3
	mkdir -p "$r/DEBIAN" "$r/usr/lib/x86_64-linux-gnu"
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: test <t@example.org>\nDescription: test fixture\n' \
		"$1" "$2" > "$r/DEBIAN/control"
	if [ -n "$4" ]; then cp "$4" "$r/usr/lib/x86_64-linux-gnu/liblzma.so.5.6.1"; fi
	dpkg-deb --root-owner-group -Z"$3" --build "$r" "$T/d/$1_$2_$3.deb" > /dev/null 2>&1
}
if command -v dpkg-deb > /dev/null; then
	mkdir -p "$T/d"
	mk_deb liblzma5 5.6.1-1 xz
	mk_deb liblzma5 5.6.1+really5.4.5-1 xz
	mk_deb xz-utils 5.6.0-0.2 gzip
	mk_deb liblzma5 5.6.1-1 zstd "$T/fx/liblzma.so.5"
	mk_deb liblzma5 5.6.1+really5.4.5-1 zstd "$T/fx/clean.so"
	expect deb-affected-version 1 "dpkg:liblzma5=5.6.1-1" "$T/d/liblzma5_5.6.1-1_xz.deb"
	expect deb-affected-tier 1 "[tier 3: affected package] $T/d/liblzma5_5.6.1-1_xz.deb!control.tar.xz!control" \
		"$T/d/liblzma5_5.6.1-1_xz.deb"
	expect deb-fixed-really 0 "No trace" "$T/d/liblzma5_5.6.1+really5.4.5-1_xz.deb"
	expect deb-gzip-members 1 "dpkg:xz-utils=5.6.0-0.2" "$T/d/xz-utils_5.6.0-0.2_gzip.deb"
	expect deb-zstd-nested-elf 1 "liblzma5_5.6.1-1_zstd.deb!data.tar.zst!usr/lib/x86_64-linux-gnu/liblzma.so.5.6.1" \
		"$T/d/liblzma5_5.6.1-1_zstd.deb"
	expect deb-zstd-clean 0 "No trace" "$T/d/liblzma5_5.6.1+really5.4.5-1_zstd.deb"
else
	skip deb-packages "dpkg-deb not installed"
fi

mkdir -p "$T/db/var/lib/dpkg" "$T/db2/var/lib/dpkg"
cat > "$T/db/var/lib/dpkg/status" <<'EOF'
Package: zlib1g
Status: install ok installed
Version: 1:1.2.13.dfsg-1

Package: xz-utils
Status: deinstall ok config-files
Version: 5.6.0-0.1

Package: liblzma5
Status: install ok installed
Architecture: amd64
Version: 5.6.1-1
Description: XZ-format compression library
 a continuation line: Version: 5.6.0-0.2
EOF
sed 's/^Version: 5.6.1-1$/Version: 5.6.1+really5.4.5-1/' "$T/db/var/lib/dpkg/status" > "$T/db2/var/lib/dpkg/status"
expect dpkg-status-installed 1 "dpkg:liblzma5=5.6.1-1" "$T/db"
if grep -q "xz-utils" "$T/out"; then fail dpkg-status-config-files-ignored "flagged a removed package"; else pass dpkg-status-config-files-ignored; fi
# two installed packages are counted; the removed one (config-files) is not
expect dpkg-status-fixed 0 "No trace of the xz backdoor (CVE-2024-3094) found in 1 files, 2 packages" "$T/db2"

# apk: the installed database and a package (.PKGINFO in a gzip tar segment)
mkdir -p "$T/apk/lib/apk/db" "$T/apk2/lib/apk/db" "$T/apkp"
printf 'C:Q1abc=\nP:musl\nV:1.2.4-r2\n\nC:Q1def=\nP:xz-libs\nV:5.6.1-r1\nA:x86_64\n\n' > "$T/apk/lib/apk/db/installed"
printf 'C:Q1def=\nP:xz-libs\nV:5.6.1-r2\n\n' > "$T/apk2/lib/apk/db/installed"
expect apk-installed 1 "apk:xz-libs=5.6.1-r1" "$T/apk"
expect apk-installed-fixed 0 "No trace" "$T/apk2"
printf 'pkgname = xz-libs\npkgver = 5.6.1-r0\narch = x86_64\n' > "$T/apkp/.PKGINFO"
tar -C "$T/apkp" -czf "$T/apkp/ctl.tar.gz" .PKGINFO
tar -C "$T/fx" -czf "$T/apkp/data.tar.gz" clean.o
cat "$T/apkp/ctl.tar.gz" "$T/apkp/data.tar.gz" > "$T/apkp/xz-libs-5.6.1-r0.apk"
expect apk-package 1 "xz-libs-5.6.1-r0.apk!.PKGINFO" "$T/apkp/xz-libs-5.6.1-r0.apk"

# pacman: the local database and a package (.pkg.tar.zst)
mkdir -p "$T/pac/var/lib/pacman/local/xz-5.6.1-1" "$T/pac2/var/lib/pacman/local/xz-5.6.1-2" "$T/pacp"
printf '%%NAME%%\nxz\n\n%%VERSION%%\n5.6.1-1\n\n%%ARCH%%\nx86_64\n' > "$T/pac/var/lib/pacman/local/xz-5.6.1-1/desc"
printf '%%NAME%%\nxz\n\n%%VERSION%%\n5.6.1-2\n' > "$T/pac2/var/lib/pacman/local/xz-5.6.1-2/desc"
expect pacman-local-db 1 "pacman:xz=5.6.1-1" "$T/pac"
expect pacman-fixed-5.6.1-2 0 "No trace" "$T/pac2"
printf 'pkgname = xz\npkgver = 5.6.0-1\n' > "$T/pacp/.PKGINFO"
if command -v zstd > /dev/null; then
	tar -C "$T/pacp" -cf - .PKGINFO | zstd -q > "$T/pacp/xz-5.6.0-1-x86_64.pkg.tar.zst"
	expect pacman-package-zst 1 "pacman:xz=5.6.0-1" "$T/pacp/xz-5.6.0-1-x86_64.pkg.tar.zst"
else
	skip pacman-package-zst "zstd not installed"
fi

# rpm: lead, an empty signature header, a header with NAME/VERSION/RELEASE,
# and an xz-compressed cpio (newc) payload; written by perl, see
# audit_archive.c for the layout.
mk_rpm() {   # mk_rpm NAME VERSION RELEASE FILE OUT
	perl -e '
		use strict;
		my ($name, $ver, $rel, $file) = @ARGV;
		open(my $fh, "<", $file) or die; binmode $fh; local $/; my $elf = <$fh>;
		sub hdr { my ($idx, $store) = ("", "");
			for my $t (@_) { $idx .= pack("NNNN", $t->[0], 6, length($store), 1);
				$store .= $t->[1] . "\0"; }
			return pack("NNNN", 0x8eade801, 0, scalar(@_), length($store)) . $idx . $store; }
		sub newc { my ($n, $d, $mode) = @_;
			my $s = sprintf("070701" . ("%08X" x 13), 1, $mode, 0, 0, 1, 0,
				length($d), 0, 0, 0, 0, length($n) + 1, 0) . $n . "\0";
			$s .= "\0" x ((4 - length($s) % 4) % 4); $s .= $d;
			$s .= "\0" x ((4 - length($s) % 4) % 4); return $s; }
		my $cpio = newc("./usr/lib64/liblzma.so.5.6.1", $elf, 0100755) . newc("TRAILER!!!", "", 0);
		open(my $z, "|-", "xz -c > payload.xz") or die; binmode $z; print $z $cpio; close $z;
		open($z, "<", "payload.xz") or die; binmode $z; my $payload = <$z>;
		binmode STDOUT;
		print pack("N", 0xedabeedb), "\0" x 92, hdr(),
			hdr([1000, $name], [1001, $ver], [1002, $rel]), $payload;
	' "$1" "$2" "$3" "$4" > "$5"
}
mkdir -p "$T/rpm" && cd "$T/rpm" || exit 1
mk_rpm xz-libs 5.6.1 1.fc41 "$T/fx/liblzma.so.5" "$T/rpm/xz-libs-5.6.1-1.fc41.x86_64.rpm"
mk_rpm liblzma5 5.6.1.revertto5.4 1.1 "$T/fx/clean.so" "$T/rpm/liblzma5-5.6.1.revertto5.4-1.1.x86_64.rpm"
cd "$top" || exit 1
expect rpm-affected-version 1 "rpm:xz-libs=5.6.1" "$T/rpm/xz-libs-5.6.1-1.fc41.x86_64.rpm"
expect rpm-cpio-payload-elf 1 "xz-libs-5.6.1-1.fc41.x86_64.rpm!usr/lib64/liblzma.so.5.6.1" \
	"$T/rpm/xz-libs-5.6.1-1.fc41.x86_64.rpm"
expect rpm-opensuse-revert-clean 0 "No trace" "$T/rpm/liblzma5-5.6.1.revertto5.4-1.1.x86_64.rpm"

# ---- blobs: streams embedded at an offset ----------------------------------
# Seeded filler (perl's rand with a fixed seed), then the stream, then filler.
filler() { perl -e 'srand($ARGV[0]); print pack("C*", map { int(rand(256)) } 1..$ARGV[1])' "$1" "$2"; }
mkdir -p "$T/b/root/usr/lib"
cp "$T/fx/liblzma.so.5" "$T/b/root/usr/lib/liblzma.so.5"
tar -C "$T/b/root" -cf "$T/b/inner.tar" usr/lib/liblzma.so.5
xz -c "$T/b/inner.tar" > "$T/b/inner.tar.xz"
xz --format=lzma -c "$T/b/inner.tar" > "$T/b/inner.tar.lzma"
{ filler 1 65536; cat "$T/b/inner.tar.xz"; filler 2 5000; } > "$T/b/blob.bin"
expect blob-embedded-xz 1 "blob.bin!0x10000.xz!usr/lib/liblzma.so.5" "$T/b/blob.bin"
{ filler 3 4096; cat "$T/b/inner.tar.lzma"; filler 4 100; } > "$T/b/blob-lzma.bin"
expect blob-embedded-lzma 1 "blob-lzma.bin!0x1000.lzma!usr/lib/liblzma.so.5" "$T/b/blob-lzma.bin"
if command -v lzip > /dev/null; then
	lzip -c "$T/b/inner.tar" > "$T/b/inner.tar.lz"
	{ filler 5 777; cat "$T/b/inner.tar.lz"; } > "$T/b/blob-lz.bin"
	expect blob-embedded-lzip 1 "blob-lz.bin!0x309.lz!usr/lib/liblzma.so.5" "$T/b/blob-lz.bin"
else
	skip blob-embedded-lzip "lzip not installed"
fi
# nested: the blob inside a gzip'd tar inside another blob
tar -C "$T/b" -czf "$T/b/fw.tar.gz" blob.bin
{ filler 6 1000; cat "$T/b/fw.tar.gz"; } > "$T/b/outer.img"
expect blob-nested-gzip-tar-blob 1 "outer.img!0x3e8.gz!blob.bin!0x10000.xz!usr/lib/liblzma.so.5" "$T/b/outer.img"
filler 7 300000 > "$T/b/noise.bin"
expect blob-random-clean 0 "No trace" "$T/b/noise.bin"

# ---- hostile input: no crash, no hang, limits hold -------------------------
mkdir -p "$T/x"
size=$(wc -c < "$T/b/inner.tar.xz")
head -c $((size / 2)) "$T/b/inner.tar.xz" > "$T/x/truncated.tar.xz"
# the first half still decodes to the whole library: found, and noted as partial
expect hostile-truncated-xz 1 "scanned only in part" "$T/x/truncated.tar.xz"
# corrupt: overwrite 64 bytes in the middle of each stream
for f in inner.tar.xz inner.tar.lzma fw.tar.gz; do
	cp "$T/b/$f" "$T/x/corrupt-$f"
	filler 8 64 | dd of="$T/x/corrupt-$f" bs=1 seek=200 conv=notrunc 2> /dev/null
done
"$A" -q "$T/x/corrupt-inner.tar.xz" "$T/x/corrupt-inner.tar.lzma" "$T/x/corrupt-fw.tar.gz" > "$T/out" 2>&1
rc=$?
if [ "$rc" -le 1 ] && grep -q "files" "$T/out"; then pass hostile-corrupt-streams; else fail hostile-corrupt-streams "exit $rc"; fi
# random bytes behind each magic
mkdir -p "$T/g"
for m in 'fd377a585a00' '5d0000800000' '1f8b0800' '28b52ffd' '4c5a495001' '213c617263683e0a' '303730373031'; do
	{ printf '%s' "$m" | sed 's/\(..\)/\\x\1/g' | xargs -0 printf; filler 9 4000; } > "$T/g/magic-$m"
done
expect hostile-garbage-after-magic 0 "No trace" "$T/g"
# a blob of nothing but plausible stream headers: carving gives up, noted
mkdir -p "$T/hc"
perl -e 'print "\x5d\x00\x00\x80\x00" . ("\xff" x 8) . "\x00" for 1..100000' > "$T/hc/lzma-headers.bin"
perl -e 'print "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" for 1..100000' > "$T/hc/gzip-headers.bin"
expect hostile-carve-candidates 0 "scanned only in part" "$T/hc"
# zip-bomb-like repetition: 1 GiB of zeros in a few KiB; the member cap stops it
if command -v zstd > /dev/null; then
	head -c 1073741824 /dev/zero | zstd -q -1 > "$T/x/bomb.zst"
	expect hostile-zstd-bomb-capped 0 "scanned only in part" --max-expand 16M "$T/x/bomb.zst"
else
	skip hostile-zstd-bomb-capped "zstd not installed"
fi
head -c 100000000 /dev/zero | gzip -1 > "$T/x/bomb.gz"
expect hostile-gzip-bomb-capped 0 "scanned only in part" --max-expand 1M "$T/x/bomb.gz"
# a tar header claiming a huge member
printf 'x' > "$T/x/m"
tar -C "$T/x" -cf "$T/x/huge.tar" m
perl -e 'open(F, "+<", $ARGV[0]) or die; binmode F; seek(F, 124, 0);
	print F "77777777777"; seek(F, 148, 0); print F "        ";
	seek(F, 0, 0); read(F, my $h, 512); my $s = unpack("%32C*", $h);
	seek(F, 148, 0); printf F "%06o\0 ", $s; close F' "$T/x/huge.tar"
expect hostile-tar-huge-size 0 "scanned only in part" "$T/x/huge.tar"
# deep nesting: gzip of gzip of ... of the infected library
cp "$T/fx/liblzma.so.5" "$T/x/deep0"
i=0
while [ $i -lt 12 ]; do gzip -c "$T/x/deep$i" > "$T/x/deep$((i + 1))"; rm "$T/x/deep$i"; i=$((i + 1)); done
expect nesting-within-max-depth 1 "openwall-detect-sh" --max-depth 12 "$T/x/deep12"
expect nesting-beyond-max-depth 0 "scanned only in part" --max-depth 4 "$T/x/deep12"

# ---- walking the tree ---------------------------------------------------------
mkdir -p "$T/w/tree" "$T/w/outside"
cp "$T/fx/liblzma.so.5" "$T/w/outside/"
ln -s "$T/w/outside/liblzma.so.5" "$T/w/tree/link.so"
ln -s "$T/w/outside" "$T/w/tree/linkdir"
expect walk-symlinks-not-followed 0 "No trace" "$T/w/tree"
expect walk-missing-path 2 "" "$T/w/does-not-exist"
expect walk-proc-refused 2 "" /proc
"$A" -q --json "$T/t1" > "$T/out" 2>&1
if grep -q '"verdict":"found"' "$T/out" && grep -q '"tier":1' "$T/out"; then
	if command -v python3 > /dev/null && python3 -c 'import json,sys; json.load(sys.stdin)' < "$T/out" 2> /dev/null; then
		pass json-output
	elif command -v python3 > /dev/null; then
		fail json-output "not valid JSON"
	else
		pass json-output
	fi
else
	fail json-output "$(head -c 300 "$T/out")"
fi

# a sparse file claiming 100 GiB is not read as 100 GiB of zeros
mkdir -p "$T/sp"
truncate -s 100G "$T/sp/lastlog" 2> /dev/null
expect walk-sparse-file-skipped 0 "scanned only in part" "$T/sp"
# progress line on a terminal (script(1) gives the program one)
if command -v script > /dev/null; then
	script -qc "$A $T/s/good" /dev/null > "$T/out" 2>&1 < /dev/null
	if grep -q "files, 0 MB, $T/s/good" "$T/out"; then pass progress-line-on-terminal
	else fail progress-line-on-terminal "$(head -c 200 "$T/out" | tr '\r' ' ')"; fi
else
	skip progress-line-on-terminal "script(1) not installed"
fi

# ---- this machine: a clean system finds nothing ----------------------------
expect system-lib-and-dpkg-clean 0 "No trace" /usr/lib/x86_64-linux-gnu /var/lib/dpkg
exit 0
