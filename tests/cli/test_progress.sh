# test_progress.sh - the progress line of pack, verify and extract: on a terminal only, never with -q,
# never in a pipe or a log (this suite runs without a terminal).
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o k >/dev/null
# 64 MiB: large enough that the line shows at once rather than after half a second
mkdir big
head -c 67108864 /dev/zero >big/zeros.bin

"$DOSSIER" pack big -o b.tar 2>pack.err
cp b.tar unsigned.tar
"$DOSSIER" sign b.tar -k k.key -q
"$DOSSIER" verify b.tar -p k.pub >/dev/null 2>verify.err
"$DOSSIER" extract b.tar -d out -p k.pub 2>extract.err
for f in pack verify extract; do
	if grep -q "$f: .*B/s" $f.err || grep -q "$(printf '\r')" $f.err; then
		not_ok "$f draws no progress line when stderr is not a terminal" "$(cat $f.err)"
	else
		ok "$f draws no progress line when stderr is not a terminal"
	fi
done
has pack.err "^packed b.tar$" "... and pack still says what it wrote"

if ! command -v script >/dev/null 2>&1; then
	skip "progress on a terminal" "script(1) not installed"
	exit 0
fi
# script(1) gives the command a terminal for its stderr
script -qec "$DOSSIER pack big -o t.tar" /dev/null >tty-pack.log 2>&1
has tty-pack.log "pack: [0-9.]+ [KMG]iB of 64.0 MiB \([0-9]+%\), [0-9.]+ [KMG]?i?B/s, [0-9]+:[0-9]{2} left" "pack shows bytes, rate and time left on a terminal"
same unsigned.tar t.tar "... and writes the same bytes as without one"
script -qec "$DOSSIER verify b.tar -p k.pub" /dev/null >tty-verify.log 2>&1
has tty-verify.log "verify: [0-9.]+ [KMG]iB of [0-9.]+ MiB" "verify shows it too"
script -qec "$DOSSIER verify -q b.tar -p k.pub" /dev/null >tty-quiet.log 2>&1
if grep -q "verify: " tty-quiet.log; then not_ok "verify -q draws no progress line" "$(cat tty-quiet.log)"
else ok "verify -q draws no progress line"; fi
script -qec "$DOSSIER pack -q big -o q.tar" /dev/null >tty-pq.log 2>&1
if [ -s tty-pq.log ]; then not_ok "pack -q prints nothing at all" "$(cat tty-pq.log)"
else ok "pack -q prints nothing at all"; fi
