#!/bin/sh
# test_dropin.sh BUILD_DIR -- programs on this machine that link liblzma.so.5
# keep working with clearxz's library first in their search path (issue 6):
# XZ Utils' own xz binary (5.4.1, linked against liblzma), and dpkg-deb
# building and reading a package with xz compression.
b=$1
lib=$(cd "$b/lib" && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export LD_LIBRARY_PATH=$lib

uses_ours() {
	ldd "$1" | grep -q "liblzma.so.5 => $lib/liblzma.so.5"
}

if uses_ours /usr/bin/xz; then
	head -c 3000000 /usr/bin/xz > "$t/in"
	cat /etc/services >> "$t/in" 2>/dev/null
	ok=1
	for opt in -0 -6 "-9e" "-T2 --block-size=300KiB" "--format=lzma" "--x86 --lzma2"; do
		# shellcheck disable=SC2086
		if /usr/bin/xz $opt -c "$t/in" > "$t/c" && /usr/bin/xz -dc $opt "$t/c" 2>/dev/null > "$t/d" \
			&& cmp -s "$t/in" "$t/d"; then
			echo "PASS: system xz on clearxz's liblzma: $opt"
		else
			echo "FAIL: system xz on clearxz's liblzma: $opt"; ok=0
		fi
	done
	/usr/bin/xz -lvv "$t/c" > "$t/list" 2>&1 && echo "PASS: system xz --list on clearxz's liblzma" \
		|| { echo "FAIL: system xz --list"; cat "$t/list"; }
else
	echo "FAIL: /usr/bin/xz does not resolve liblzma.so.5 to $lib"
fi

if command -v dpkg-deb > /dev/null && uses_ours "$(command -v dpkg-deb)"; then
	mkdir -p "$t/pkg/DEBIAN" "$t/pkg/usr/share/doc/clearxz-test"
	printf 'Package: clearxz-test\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n' \
		> "$t/pkg/DEBIAN/control"
	cp "$t/in" "$t/pkg/usr/share/doc/clearxz-test/data"
	if dpkg-deb -Zxz --build "$t/pkg" "$t/p.deb" > /dev/null 2>&1 \
		&& dpkg-deb -x "$t/p.deb" "$t/x" && cmp -s "$t/in" "$t/x/usr/share/doc/clearxz-test/data"; then
		echo "PASS: dpkg-deb builds and unpacks an xz package on clearxz's liblzma"
	else
		echo "FAIL: dpkg-deb with clearxz's liblzma"
	fi
else
	echo "SKIP: dpkg-deb (not installed or not linked with liblzma)"
fi
