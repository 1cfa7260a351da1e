# test_oneread.sh - one archive, one reading (issue 15, issue 23 point 1): a signed bundle
# whose container any common reader would read differently, or that is not in the canonical
# layout pack writes, is refused by verify (exit 1, naming the bundle), extract writes
# nothing, and a co-signer's sign refuses it and leaves the file as it was (15.2). Every good
# bundle (tar, tar.gz, tar.zst, zip; non-ASCII names, a name over 100 bytes, an empty file)
# extracts to the same tree with dossier extract, GNU tar, bsdtar (from a file and from a
# pipe), Python's tarfile, unzip and Python's zipfile.
. "$(dirname "$0")/lib.sh"
READERS="$TOP/tests/cli/helpers/readers.py"
CRAFTED="$TOP/tests/cli/helpers/crafted.py"
LETTER=$NAME/data/letter/letter-2020-10-16.txt
# Under valgrind (DOSSIER_TEST_SKIP_SLOW) fewer MiB of zeros, and the co-signer's sign only
# for the findings, not for every layout that is merely not canonical.
quick=${DOSSIER_TEST_SKIP_SLOW:+1}
zeros=64
[ -z "$quick" ] || zeros=4
for tool in bsdtar unzip zstd; do
	command -v $tool >/dev/null || { skip "one reading" "$tool is not installed (scripts/ensure-deps test)"; exit 0; }
done

# The signed sample in each kind, alice's signature; bob is the co-signer.
make_sample s.tar || not_ok "make the sample"
for ext in tar.gz tar.zst zip; do
	"$DOSSIER" pack "$SPEC" -o "s.$ext" -p alice.pub -p bob.pub 2>/dev/null &&
		"$DOSSIER" sign "s.$ext" -k alice.key 2>/dev/null || not_ok "make s.$ext"
done

# The good bag: non-ASCII names (a file and a directory), a name longer than 100 bytes, an
# empty file.
U1=$(printf '\320\277\320\270\321\201\321\214\320\274\320\276.txt')  # письмо.txt
UD=$(printf '\321\226\321\201')                                      # іс
LONGDIR=$(printf 'd%.0s' $(seq 1 60))
LONGNAME=$(printf 'n%.0s' $(seq 1 120)).txt
mkdir -p "good/$UD" "good/$LONGDIR"
echo "letter" >"good/$U1"
echo "case" >"good/$UD/case.txt"
echo "long" >"good/$LONGDIR/$LONGNAME"
: >good/empty.txt
for ext in tar tar.gz tar.zst zip; do
	"$DOSSIER" pack good -o "g.$ext" 2>/dev/null && "$DOSSIER" sign "g.$ext" -k alice.key 2>/dev/null ||
		not_ok "make g.$ext"
done

"$PYTHON" "$CRAFTED" cr --tar s.tar --gz s.tar.gz --zst s.tar.zst --zip s.zip --utf8 g.tar \
	--zeros $zeros || not_ok "craft the variants"

# xread READER BUNDLE DIR: extract BUNDLE with a stock READER into a fresh DIR
xread() { "$PYTHON" "$READERS" extract "$@" 2>>xread.err; }

# ---- hostile and non-canonical layouts ----
# verify is bounded by a timeout: a sparse bomb must not keep it busy (15.6).
tab=$(printf '\t')
while IFS=$tab read -r f finding shows desc <&3; do
	B=cr/$f
	label="$f ($finding: $desc)"
	# The craft is what it claims: the stock reader named shows another letter than the
	# signed one (a forged one, or none).
	if [ "$shows" != - ]; then
		xread "$shows" "$B" rd
		if [ -f "rd/$LETTER" ] && cmp -s "rd/$LETTER" "$EXAMPLES/letter-2020-10-16.txt"; then
			not_ok "$f: the craft works: $shows extracts another letter" "$shows gives the signed letter"
		else ok "$f: the craft works: $shows extracts another letter"; fi
	fi
	timeout 10 "$DOSSIER" verify "$B" -p alice.pub </dev/null >out 2>err
	got=$?
	if [ "$got" = 1 ] && grep -Fq "$f" err; then ok "verify refuses $label"
	else not_ok "verify refuses $label" "exit $got, wanted 1 with a message naming $f" "stderr: $(head -c 300 err)"; fi

	# extract: exit 1 and nothing written, neither DIR nor a staging directory
	rm -rf xd
	timeout 10 "$DOSSIER" extract "$B" -d xd -p alice.pub </dev/null >/dev/null 2>err
	got=$?
	if [ "$got" = 1 ] && [ ! -e xd ]; then ok "... extract $f writes nothing"
	else not_ok "... extract $f writes nothing" "exit $got, wanted 1" "xd: $(ls xd 2>&1 | head -3)"; fi
	no_temps . "... no staging directory left"
	rm -rf xd .dossier-extract-*

	# 15.2: a co-signer's sign refuses it and leaves the file as it was
	case $finding in "not canonical") [ -z "$quick" ] || continue ;; esac
	cp "$B" "cosign.$f"
	timeout 10 "$DOSSIER" sign "cosign.$f" -k bob.key </dev/null >/dev/null 2>err
	got=$?
	if [ "$got" = 1 ] && cmp -s "$B" "cosign.$f"; then ok "... bob's sign refuses $f, file unchanged"
	else not_ok "... bob's sign refuses $f, file unchanged" "exit $got, wanted 1" \
		"$(cmp -s "$B" "cosign.$f" && echo unchanged || echo CHANGED)" "stderr: $(head -c 200 err)"; fi
	rm -f "cosign.$f" "cosign.$f".tmp-*
done 3<cr/cases.tsv

# 15.7 and 15.6: a limit stops the work. The zero blocks after the end marker count against
# --max-bytes: verify --max-bytes 1M refuses each bomb (exit 1), well within the timeout.
for f in zeros-after-end.tar zst-zeros-frame.tar.zst zst-zeros-oneframe.tar.zst sparse.tar; do
	start=$(date +%s)
	timeout 10 "$DOSSIER" verify "cr/$f" -p alice.pub --max-bytes 1M </dev/null >/dev/null 2>err
	got=$? took=$(($(date +%s) - start))
	if [ "$got" = 1 ]; then ok "verify --max-bytes 1M refuses $f (${took}s)"
	else not_ok "verify --max-bytes 1M refuses $f" "exit $got after ${took}s, wanted 1" "stderr: $(head -c 200 err)"; fi
done

# ---- good bundles: every reader gives the same tree ----
for ext in tar tar.gz tar.zst zip; do
	B=g.$ext
	expect 0 "$B verifies" -- "$DOSSIER" verify "$B" -p alice.pub
	rm -rf gx && expect 0 "... dossier extract" -- "$DOSSIER" extract "$B" -d gx -p alice.pub
	(cd gx && find . | LC_ALL=C sort) >list.dossier
	case $ext in
	zip) readers="unzip zipfile bsdtar bsdpipe" ;;
	*) readers="gtar bsdtar bsdpipe tarfile" ;;
	esac
	for r in $readers; do
		if ! xread "$r" "$B" "rx"; then not_ok "... $r extracts $B" "$(tail -n 3 xread.err)"; continue; fi
		(cd rx && find . | LC_ALL=C sort) >"list.$r"
		if cmp -s list.dossier "list.$r" && diff -r gx rx >d.txt 2>&1; then
			ok "... $r extracts the same tree from $B"
		else
			not_ok "... $r extracts the same tree from $B" "$(diff list.dossier "list.$r" | head -5)" "$(head -c 300 d.txt)"
		fi
	done
done
# the trees hold what makes them interesting, so the comparison above is not vacuous
present "gx/good/data/$U1" "the good bag holds a non-ASCII name"
present "gx/good/data/$LONGDIR/$LONGNAME" "... a name over 100 bytes"
if [ -f gx/good/data/empty.txt ] && [ ! -s gx/good/data/empty.txt ]; then ok "... and an empty file"
else not_ok "... and an empty file" "gx/good/data/empty.txt missing or not empty"; fi
echo "1..$n"
