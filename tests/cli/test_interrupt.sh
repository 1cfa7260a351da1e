# test_interrupt.sh - an extract stopped by SIGINT, SIGTERM or SIGHUP leaves nothing: not its
# staging directory with the entries read so far (unverified), not DIR if it made DIR. Each
# signal at three points, made deterministic: blocked before the first byte of a FIFO, half
# way through a large bundle fed through a FIFO, and at the final rename (the fault shim
# pauses there), every entry written and verified.
. "$(dirname "$0")/lib.sh"
shim="$(dirname "${DOSSIER_REAL:-$DOSSIER}")/tests/libfault.so"
# an ASan build tolerates a preloaded library only when told to
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"

make_sample sample.tar
# a bag with a 6 MiB payload file (unsigned: it is stopped long before the verdict)
unpack sample.tar b && head -c 6291456 /dev/zero >"b/$NAME/data/big.bin" && bagtool rebag "b/$NAME" &&
	bagtool pack "b/$NAME" big.tar || echo "Bail out! cannot make big.tar"
cut=3670016 # 3.5 MiB: the reader has taken them (head returns) and waits for more

# until CMD...: polls for CMD to succeed, up to 60 s (slow under valgrind)
until_true() {
	_i=0
	while ! "$@"; do
		_i=$((_i + 1))
		[ $_i -gt 1200 ] && return 1
		sleep 0.05
	done
}
staged() { ls -d "$1"/.dossier-extract-* >/dev/null 2>&1; }

# stopped SIG POINT DIR: the extract started in the background is at POINT; SIG ends it
stopped() {
	_sig=$1 _point=$2 _dir=$3
	kill -s "$_sig" "$pid"
	wait "$pid" 2>/dev/null
	_st=$?
	exec 3>&-
	case $_sig in INT) _want=130 ;; TERM) _want=143 ;; HUP) _want=129 ;; esac
	if [ "$_st" = "$_want" ]; then ok "SIG$_sig $_point: exit $_want"; else not_ok "SIG$_sig $_point: exit $_want" "got $_st"; fi
}

for sig in INT TERM HUP; do
	# 1. waiting for the first byte: DIR and the empty staging directory exist
	rm -f in.tar && mkfifo in.tar
	env --default-signal=INT,TERM,HUP "$DOSSIER" extract -q in.tar -d "out-$sig" 2>err &
	pid=$!
	if until_true staged "out-$sig"; then ok "SIG$sig before reading: staged"; else not_ok "SIG$sig before reading: staged"; fi
	stopped "$sig" "before reading" "out-$sig"
	absent "out-$sig" "... DIR, which extract made, is removed"

	# 2. half way through a large entry, into a DIR that was there before: only it stays
	mkdir -p "keep-$sig"
	env --default-signal=INT,TERM,HUP "$DOSSIER" extract -q in.tar -d "keep-$sig" 2>err &
	pid=$!
	exec 3>in.tar
	head -c $cut big.tar >&3
	# the whole archive is checked before any entry is written (FORMAT.md 2.1): the reader
	# holds 3.5 MiB of it, unverified, and waits for the rest
	if until_true staged "keep-$sig"; then ok "SIG$sig half way through the stream: staged"; else not_ok "SIG$sig half way through the stream: staged" "$(ls -laR "keep-$sig" | head -20)"; fi
	stopped "$sig" "half way through the stream" "keep-$sig"
	empty_or_absent "keep-$sig" "... the staging directory and every entry in it are removed"
	present "keep-$sig" "... DIR, which was there before, stays"

	# 3. every entry written and verified, at the rename that would put the bag in place
	if [ ! -f "$shim" ]; then
		skip "SIG$sig at the final rename" "no $shim (make check-build builds it)"
		continue
	fi
	rm -f paused
	env --default-signal=INT,TERM,HUP LD_PRELOAD="$shim" FAULT_PAUSE_RENAME="$PWD/paused" \
		"$DOSSIER" extract -q sample.tar -d "late-$sig" -p alice.pub 2>err &
	pid=$!
	if until_true test -f paused; then ok "SIG$sig at the final rename: paused there"; else not_ok "SIG$sig at the final rename: paused there"; fi
	stopped "$sig" "at the final rename" "late-$sig"
	absent "late-$sig" "... nothing is left, the verified bag included"
done

# A signal the caller ignores stays ignored (nohup): the extract goes on to the end.
rm -f in.tar && mkfifo in.tar
env --default-signal=INT,TERM --ignore-signal=HUP "$DOSSIER" extract -q in.tar -d nohup -p alice.pub 2>err &
pid=$!
exec 3>in.tar
until_true staged nohup && kill -s HUP "$pid"
cat sample.tar >&3
exec 3>&-
wait "$pid"
st=$?
if [ "$st" = 0 ]; then ok "an ignored SIGHUP does not stop the extract"; else not_ok "an ignored SIGHUP does not stop the extract" "exit $st: $(cat err)"; fi
present "nohup/$NAME/data/letter" "... which extracts the bag"
no_temps nohup "... and leaves no staging directory"

echo "1..$n"
