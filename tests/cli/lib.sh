# lib.sh - sourced by every CLI scenario: a fresh temp dir, TAP output, small assertions.
# Each scenario runs from its own temp dir (removed at exit) with $DOSSIER and $TOP set.
set -u
: "${DOSSIER:?run through tests/run}" "${TOP:?run through tests/run}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export NO_COLOR=1 SOURCE_DATE_EPOCH=1602806400
unset XDG_CONFIG_HOME
export HOME="$T/home"
n=0

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
