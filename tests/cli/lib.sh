# lib.sh - sourced by every CLI scenario: a fresh temp dir, TAP output, small assertions.
# Each scenario runs from its own temp dir (removed at exit) with $DOSSIER and $TOP set.
set -u
: "${DOSSIER:?run through tests/run}" "${TOP:?run through tests/run}"
T=$(mktemp -d)
TEST_HOME=$(mktemp -d) # $HOME, outside $T: the scenarios list and complete what is in $T
trap 'rm -rf "$T" "$TEST_HOME"' EXIT
cd "$T" || exit 1
export NO_COLOR=1 SOURCE_DATE_EPOCH=1602806400
unset XDG_CONFIG_HOME
export HOME="$TEST_HOME"
n=0
# The sample names 16 signatories and most scenarios sign it with one or two keys: the test
# user's default keyring holds a policy that asks for one trusted signatory instead of all
# of them (FORMAT.md 12). Scenarios about the every-signatory rule use -K or --policy.
RELAXED_POLICY='{"dossier_policy":1,"all_signatories":false}'
mkdir -p "$HOME/.config/dossier/keyring" && echo "$RELAXED_POLICY" >"$HOME/.config/dossier/keyring/policy.json"

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# expect CODE NAME -- CMD...: runs CMD, checks its exit code, keeps stdout/stderr in out/err.
expect() {
	want=$1 name=$2; shift 3
	"$@" >out 2>err; got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else
		not_ok "$name" "exit $got, wanted $want: $*" "stderr: $(head -c 600 err)" "stdout: $(head -c 300 out)"
	fi
}

# has FILE PATTERN NAME: grep -E PATTERN in FILE
has() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else not_ok "$3" "no /$2/ in $1:" "$(head -c 600 "$1")"; fi
}

same() { if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3" "$1 and $2 differ"; fi; }

# A small signed bundle of the sample letter: sample.tar signed by alice (keys alice.*, bob.*).
make_sample() {
	"$DOSSIER" keygen -W -o alice --name "Helmut Scholz" >/dev/null &&
	"$DOSSIER" keygen -W -o bob --name "Brando Benifei" >/dev/null &&
	"$DOSSIER" pack "$TOP/manifests/open-letter-2020-10-16.json" -o "${1:-sample.tar}" -p alice.pub -p bob.pub 2>/dev/null &&
	"$DOSSIER" sign "${1:-sample.tar}" -k alice.key 2>/dev/null
}

# ---- shared by the scenarios below: names, crafted archives, more assertions ----
# (they use python3, GNU tar, zip/unzip, zstd and minisign as the stock tools to compare with)
NAME=open-letter-2020-10-16                          # the sample's top directory
SPEC="$TOP/manifests/open-letter-2020-10-16.json"
EXAMPLES="$TOP/examples/open-letter-2020-10-16"
BAGTOOL="$TOP/tests/cli/helpers/bagtool.py"
# The interpreter itself: a version manager's python3 shim costs most of a second per call.
if [ -z "${PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=$(python3 -c 'import sys; print(sys.executable)'); fi
fi
# bagtool tar|zip|sigflip|keyid|pubcheck|json|rebag|retag ...: see tests/cli/helpers/bagtool.py
bagtool() { "$PYTHON" "$BAGTOOL" "$@"; }
# keyid PUB: a public key's id computed from its bytes (not from dossier's comment)
keyid() { "$PYTHON" "$BAGTOOL" keyid "$1"; }

# lacks FILE PATTERN NAME: no grep -E PATTERN in FILE
lacks() {
	if grep -Eq -- "$2" "$1"; then not_ok "$3" "unexpected /$2/ in $1:" "$(grep -E -- "$2" "$1" | head -c 600)"; else ok "$3"; fi
}
# differ A B NAME: both files exist and are not byte-identical
differ() {
	if [ ! -f "$1" ] || [ ! -f "$2" ]; then not_ok "$3" "$1 or $2 does not exist"
	elif cmp -s "$1" "$2"; then not_ok "$3" "$1 and $2 are identical"; else ok "$3"; fi
}
# check NAME -- CMD...: CMD succeeds (its output kept in out/err)
check() {
	_name=$1; shift 2
	if "$@" >out 2>err; then ok "$_name"; else
		not_ok "$_name" "exit $?: $*" "stderr: $(head -c 600 err)" "stdout: $(head -c 300 out)"
	fi
}
# absent PATH NAME / present PATH NAME
absent() { if [ -e "$1" ] || [ -L "$1" ]; then not_ok "$2" "$1 exists"; else ok "$2"; fi; }
present() { if [ -e "$1" ]; then ok "$2"; else not_ok "$2" "$1 does not exist"; fi; }
# no_temps DIR NAME: no temp file (*.tmp-*) and no extract staging dir (.dossier-extract-*) in DIR
no_temps() {
	_left=$(find "$1" -maxdepth 1 \( -name '*.tmp-*' -o -name '.dossier-extract-*' \) 2>/dev/null | head -5)
	if [ -z "$_left" ]; then ok "$2"; else not_ok "$2" "left behind: $_left"; fi
}
# empty_or_absent DIR NAME: DIR does not exist or holds nothing at all (also no dot files)
empty_or_absent() {
	if [ ! -e "$1" ] || [ -z "$(ls -A "$1")" ]; then ok "$2"; else not_ok "$2" "$1 holds: $(ls -A "$1" | head -5 | tr '\n' ' ')"; fi
}
# unpack ARCHIVE DIR: unpack with the stock tools into a fresh DIR
unpack() {
	rm -rf "$2" && mkdir -p "$2" || return 1
	case $1 in *.zip) unzip -q "$1" -d "$2" ;; *) tar xf "$1" -C "$2" ;; esac
}
# repack DIR OUT: re-create OUT from DIR/$NAME with the stock tools (compression from OUT's name)
repack() {
	_out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	rm -f "$_out"
	case $2 in
	*.zip) (cd "$1" && zip -qrX "$_out" "$NAME") ;;
	*) tar caf "$_out" -C "$1" "$NAME" ;;
	esac
}
# magic FILE: the archive type its first bytes show: tar, gzip, zstd, zip or unknown
magic() {
	_m=$(od -An -tx1 -N4 "$1" | tr -d ' \n')
	case $_m in
	1f8b*) echo gzip ;;
	28b52ffd) echo zstd ;;
	504b0304) echo zip ;;
	*) if [ "$(dd if="$1" bs=1 skip=257 count=5 2>/dev/null)" = ustar ]; then echo tar; else echo unknown; fi ;;
	esac
}
# forge_sign DIR KEYNAME: sign bag directory DIR's tag manifest with KEYNAME.key using stock
# minisign (which, unlike dossier sign, signs a damaged bag), as signatures/<KEYID>.minisig
forge_sign() {
	mkdir -p "$1/signatures" &&
	minisign -S -s "$2.key" -m "$1/tagmanifest-sha256.txt" -x "$1/signatures/$(keyid "$2.pub").minisig" </dev/null >/dev/null 2>&1
}
# start_tsa: the test TSA (tests/cli/helpers/tsa.py) on 127.0.0.1, its PKI made in $T/pki;
# sets URL and SERVER, and stops the server at exit. Returns 1 if the PKI cannot be made.
start_tsa() {
	$PYTHON "$TOP/tests/cli/helpers/tsa.py" pki pki || return 1
	$PYTHON "$TOP/tests/cli/helpers/tsa.py" serve "$T/pki" port 2>tsa.log &
	SERVER=$!
	trap 'kill $SERVER 2>/dev/null; rm -rf "$T" "$TEST_HOME"' EXIT
	for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
	URL=http://127.0.0.1:$(cat port)
}
# use_fault_shim WHAT: the fault-injection library (tests/faults/fault.c) in $shim, and
# faulty CMD... to run CMD under it; without it the scenario ends here, WHAT skipped.
use_fault_shim() {
	shim="$(dirname "${DOSSIER_REAL:-$DOSSIER}")/tests/libfault.so"
	if [ ! -f "$shim" ]; then
		skip "$1" "no $shim (make check-build builds it)"
		exit 0
	fi
	# an ASan build tolerates a preloaded library only when told to
	[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"
	return 0
}
faulty() { env LD_PRELOAD="$shim" "$@"; }
# no_temp NAME: no temp file (*.tmp-*) in the current directory
no_temp() { if ls -a | grep -q '\.tmp-'; then not_ok "$1" "$(ls -a)"; else ok "$1"; fi; }
