#!/bin/sh
# test_sandbox.sh BUILD_DIR -- the CLI's Landlock sandbox (cli/sandbox.c,
# issue 7 item 7) is really entered, and file safety still works inside it.
#
# The proof is a forbidden action tried after entering: with the test-only
# variable CLEARXZ_SANDBOX_SELFTEST=PATH the tool opens PATH for writing
# (without creating or truncating it) right after each sandbox step and
# prints "sandbox-selftest: state=STATE write=denied|allowed" on stderr.
# Whether the kernel offers Landlock is asked independently of the tool
# (python3 calling landlock_create_ruleset's version query, else the LSM
# list in securityfs): if it does, the tool must sandbox itself; if it does
# not, every case is a SKIP with the reason.
# Prints PASS/FAIL/SKIP lines (see tests/run.sh).

b=${1:-build}
x=$(cd "$b" && pwd -P)/bin/clearxz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS: sandbox $1"; }
fail() { echo "FAIL: sandbox $1 ($2)"; }

# The kernel's Landlock ABI version, or "" with the reason in $why.
landlock_abi() {
	why=
	if command -v python3 > /dev/null 2>&1; then
		# 444: landlock_create_ruleset, the same number on every
		# architecture; flag 1 asks for the ABI version.
		v=$(python3 -c 'import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
v = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint(1))
print(v if v > 0 else "errno %d (%s)" % (ctypes.get_errno(), os.strerror(ctypes.get_errno())))' 2>&1)
		case $v in
		[1-9]*) echo "$v"; return ;;
		*) why="landlock_create_ruleset version query: $v" ;;
		esac
	elif [ -r /sys/kernel/security/lsm ]; then
		if grep -q landlock /sys/kernel/security/lsm; then
			echo 1
			return
		fi
		why="landlock is not in /sys/kernel/security/lsm"
	else
		why="no python3 and no /sys/kernel/security/lsm to ask"
	fi
}

abi=$(landlock_abi)
if [ -z "$abi" ]; then
	landlock_abi > /dev/null
	echo "SKIP: sandbox (kernel without Landlock: $why)"
	# The tool must then say so at -vv and still work.
	seq 1 100 | "$x" | "$x" -dc > /dev/null 2>&1 &&
		pass "unsandboxed run works" || fail "unsandboxed run works" "exit $?"
	exit 0
fi
pass "kernel has Landlock (ABI $abi)"

mkdir -p "$tmp/work" "$tmp/elsewhere"
seq -f 'line %g of a file compressed in the sandbox' 1 5000 > "$tmp/orig"
: > "$tmp/elsewhere/forbidden"
: > "$tmp/work/forbidden"
far=$tmp/elsewhere/forbidden
near=$tmp/work/forbidden

# run FORBIDDEN ARGS...: runs the tool with the selftest on FORBIDDEN,
# stdout to $tmp/out, stderr to $tmp/err, exit status in $rc.
run() {
	forbidden=$1
	shift
	CLEARXZ_SANDBOX_SELFTEST=$forbidden "$x" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
}
# strict_denied NAME: the last selftest line says strict and denied.
strict_denied() {
	last=$(grep '^sandbox-selftest:' "$tmp/err" | tail -1)
	case $last in
	# EACCES is Landlock's answer.
	"sandbox-selftest: state=strict write=denied (Permission denied)") return 0 ;;
	esac
	fail "$1" "selftest: ${last:-no selftest line}; stderr: $(head -c 300 "$tmp/err")"
	return 1
}

"$x" -c "$tmp/orig" > "$tmp/work/a.xz"

# Decompressing one file to stdout: no filesystem access at all.
(cd "$tmp/work" && CLEARXZ_SANDBOX_SELFTEST=$far "$x" -dc a.xz > "$tmp/out" 2> "$tmp/err")
rc=$?
if strict_denied "decompress file to stdout"; then
	if [ "$rc" -ne 0 ] || ! cmp -s "$tmp/out" "$tmp/orig"; then
		fail "decompress file to stdout" "exit $rc or wrong output"
	else
		pass "decompress file to stdout: writing elsewhere denied"
	fi
fi

# Compressing stdin to stdout, and reading data in the sandboxed process.
CLEARXZ_SANDBOX_SELFTEST=$near "$x" -T2 < "$tmp/orig" > "$tmp/out" 2> "$tmp/err"
rc=$?
if strict_denied "compress stdin to stdout"; then
	if [ "$rc" -ne 0 ] || ! "$x" -dc "$tmp/out" | cmp -s - "$tmp/orig"; then
		fail "compress stdin to stdout" "exit $rc or no round trip"
	else
		pass "compress stdin to stdout: writing next to the input denied"
	fi
fi

# -t, threaded decoder: the worker threads run inside the sandbox too.
run "$far" -t -T2 "$tmp/work/a.xz"
strict_denied "test" && { [ "$rc" -eq 0 ] && pass "test (-t -T2)" ||
	fail "test (-t -T2)" "exit $rc"; }

# Compressing to a file: the input is removed, attributes are copied,
# and still nothing else may be written, even in the same directory.
cp "$tmp/orig" "$tmp/work/c"
chmod 640 "$tmp/work/c"
touch -d '2001-02-03 04:05:06' "$tmp/work/c"
run "$near" "$tmp/work/c"
if strict_denied "compress to a file"; then
	if [ "$rc" -ne 0 ] || [ -e "$tmp/work/c" ] || [ ! -f "$tmp/work/c.xz" ]; then
		fail "compress to a file" "exit $rc, input kept or no output"
	elif [ "$(stat -c '%a %Y' "$tmp/work/c.xz")" != "640 $(date -d '2001-02-03 04:05:06' +%s)" ]; then
		fail "compress to a file" "mode/mtime not copied: $(stat -c '%a %Y' "$tmp/work/c.xz")"
	else
		pass "compress to a file: input removed, mode and mtime copied, writes denied"
	fi
fi

# Decompressing to a file with -k: both stay.
run "$far" -dk "$tmp/work/c.xz"
if strict_denied "decompress to a file (-k)"; then
	if [ "$rc" -ne 0 ] || ! cmp -s "$tmp/work/c" "$tmp/orig" || [ ! -f "$tmp/work/c.xz" ]; then
		fail "decompress to a file (-k)" "exit $rc or wrong files"
	else
		pass "decompress to a file (-k)"
	fi
fi

# A failure inside the sandbox: the partial output is removed, the input kept.
head -c $(($(wc -c < "$tmp/work/a.xz") / 2)) "$tmp/work/a.xz" > "$tmp/work/t.xz"
run "$far" -d "$tmp/work/t.xz"
if strict_denied "failed output removed"; then
	if [ "$rc" -ne 1 ] || [ -e "$tmp/work/t" ] || [ ! -f "$tmp/work/t.xz" ]; then
		fail "failed output removed" "exit $rc, or output left, or input gone"
	else
		pass "truncated input: partial output removed inside the sandbox"
	fi
fi

# Several files: the earlier ones run in the early sandbox, the last one
# strictly. With -c the early sandbox is read-only already; writing to
# files it must allow writing, and the selftest must then see that (this
# shows the probe really tries, instead of always reporting "denied").
cp "$tmp/work/a.xz" "$tmp/work/b.xz"
run "$far" -dc "$tmp/work/a.xz" "$tmp/work/b.xz"
if [ "$(grep -c '^sandbox-selftest: state=early write=denied' "$tmp/err")" = 1 ] &&
		strict_denied "two files to stdout"; then
	pass "two files to stdout: read-only, then strict"
else
	fail "two files to stdout" "$(grep selftest "$tmp/err" | tr '\n' ' ')"
fi
cp "$tmp/orig" "$tmp/work/d"
cp "$tmp/orig" "$tmp/work/e"
run "$near" -k "$tmp/work/d" "$tmp/work/e"
if [ "$(grep -c '^sandbox-selftest: state=early write=allowed' "$tmp/err")" = 1 ] &&
		strict_denied "two files to files"; then
	pass "two files to files: the selftest sees an allowed write, then a denied one"
else
	fail "two files to files" "$(grep selftest "$tmp/err" | tr '\n' ' ')"
fi

# With Landlock present there is no "running without a sandbox" note.
run "$far" -vv -t "$tmp/work/a.xz"
if grep -q 'without a sandbox' "$tmp/err"; then
	fail "no note at -vv" "$(cat "$tmp/err")"
else
	pass "no unsandboxed note at -vv"
fi

# Entering fails (Landlock allows 16 stacked layers; python fills them all
# with a harmless rule set, then runs the tool): an error, exit status 1,
# and the input is not touched.
python3 -c 'import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
attr = ctypes.c_uint64(1 << 9)      # handle MAKE_SOCK only
fd = libc.syscall(444, ctypes.byref(attr), ctypes.c_size_t(8), ctypes.c_uint(0))
assert fd >= 0 and libc.prctl(38, 1, 0, 0, 0) == 0    # PR_SET_NO_NEW_PRIVS
for _ in range(16):
    assert libc.syscall(446, fd, ctypes.c_uint(0)) == 0
os.execv(sys.argv[1], sys.argv[1:])' "$x" -dc "$tmp/work/a.xz" > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'Failed to enable the sandbox' "$tmp/err" && [ ! -s "$tmp/out" ]; then
	pass "entering fails: error, exit 1, no output"
else
	fail "entering fails" "exit $rc: $(head -c 300 "$tmp/err")"
fi
exit 0
