# test_extract.sh - extract verifies first, writes only under DIR, refuses hostile entries,
# refuses to overwrite, and needs a trusted signer unless --allow-untrusted.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
K=$(keyid alice.pub)
"$DOSSIER" pack "$SPEC" -o z.zip -p alice.pub -p bob.pub 2>/dev/null && "$DOSSIER" sign z.zip -k alice.key 2>/dev/null
mkdir jail # every hostile extract goes to jail/dest; the sentinels would land in jail/ or $T

# hostile LABEL ARCHIVE PATTERN: extract exits 1 naming the entry (or, for an entry of a type
# pack never writes, the archive and why its form is refused), nothing is written.
hostile() {
	rm -rf jail/dest
	expect 1 "$1: extract exits 1" -- "$DOSSIER" extract "$2" -d jail/dest -p alice.pub
	has err "$3" "$1: stderr names the entry"
	absent jail/sentinel "$1: nothing written beside DIR"
	absent "$T/sentinel" "$1: nothing written further up"
	absent /tmp/dossier-test-sentinel "$1: nothing written at the absolute path"
	empty_or_absent jail/dest "$1: nothing left in DIR (no bag, no .dossier-extract-* staging dir)"
}
rm -f /tmp/dossier-test-sentinel
bagtool tar s.tar h.tar --add "$NAME/../../sentinel=pwned"
hostile "'..' inside the top dir" h.tar "$NAME/\.\./\.\./sentinel: '\.' or '\.\.' in path"
bagtool tar s.tar h.tar --add "../sentinel=pwned"
hostile "'../' entry" h.tar "\.\./sentinel: entry outside"
bagtool tar s.tar h.tar --add-first "../sentinel=pwned"
hostile "'../' entry first" h.tar "sentinel|\.\."
bagtool tar s.tar h.tar --add "/tmp/dossier-test-sentinel=pwned"
hostile "absolute path" h.tar "/tmp/dossier-test-sentinel: entry outside"
bagtool tar s.tar h.tar --add "$NAME//tmp/dossier-test-sentinel=pwned"
hostile "absolute path inside the top dir" h.tar "dossier-test-sentinel"
typeform="h.tar: not in the canonical form pack writes: entry type other than file, directory or pax header"
bagtool tar s.tar h.tar --symlink "$NAME/data/up=../.." --add "$NAME/data/up/sentinel=pwned"
hostile "symlink, then a file through it" h.tar "$typeform"
bagtool tar s.tar h.tar --symlink "$NAME/data/abs=$T/jail"
hostile "symlink to an absolute path" h.tar "$typeform"
echo "secret" >secret.txt
bagtool tar s.tar h.tar --hardlink "$NAME/data/hl=$T/secret.txt"
hostile "hardlink" h.tar "$typeform"
bagtool tar s.tar h.tar --fifo "$NAME/data/ff"
hostile "fifo" h.tar "$typeform"
bagtool tar s.tar h.tar --dup "$NAME/data/annex/cases.csv"
hostile "duplicate entry" h.tar "data/annex/cases.csv: entry appears twice"
bagtool tar s.tar h.tar --add "$NAME/data/annex/Cases.csv=x"
hostile "case-colliding names" h.tar "data/annex/Cases.csv: collides"
bagtool zip z.zip h.zip --add "$NAME/../sentinel=pwned"
hostile "zip: '..'" h.zip "$NAME/\.\./sentinel"
bagtool zip z.zip h.zip --add "/tmp/dossier-test-sentinel=pwned"
hostile "zip: absolute path" h.zip "/tmp/dossier-test-sentinel"
bagtool zip z.zip h.zip --symlink "$NAME/data/up=../.."
hostile "zip: symlink" h.zip "h.zip: not in the canonical form pack writes: file without Unix mode"
unpack s.tar c && sed -i '2s/^./#/' "c/$NAME/data/annex/cases.csv" && bagtool pack "c/$NAME" h.tar # same size
hostile "changed payload" h.tar "data/annex/cases.csv: sha256 mismatch"
# A changed payload of another size also trips Payload-Oxum; the one line extract prints must
# still name the changed file, as verify does.
bagtool tar s.tar h.tar --set "$NAME/data/annex/cases.csv=changed"
hostile "changed payload (other size)" h.tar "data/annex/cases.csv"
rm -f /tmp/dossier-test-sentinel

# Names that collide on macOS (NFD) or on a case-insensitive disk with Unicode case folding
# (DESIGN.md section 7: "duplicate or case/Unicode-colliding names"), in a correctly signed bag.
collide() {
	unpack s.tar c && printf one >"c/$NAME/data/$2" && printf two >"c/$NAME/data/$3"
	bagtool rebag "c/$NAME" && forge_sign "c/$NAME" alice && bagtool pack "c/$NAME" h.tar ||
		not_ok "$1: craft"
	hostile "$1" h.tar "data/($2|$3)"
}
collide "NFC and NFD spellings of one name" "$(printf 'caf\303\251.txt')" "$(printf 'cafe\314\201.txt')"
collide "non-ASCII names differing only in case" "$(printf '\303\211t\303\251.txt')" "$(printf '\303\251t\303\251.txt')"

# Untrusted bundles.
"$DOSSIER" pack "$SPEC" -o u.tar 2>/dev/null
expect 2 "unsigned bundle: extract exits 2" -- "$DOSSIER" extract u.tar -d dest1
has err "not signed" "... saying it is not signed"
empty_or_absent dest1 "... and writes nothing"
expect 2 "signed, but no trusted key: extract exits 2" -- "$DOSSIER" extract s.tar -d dest1 -p bob.pub
has err "unknown key $K" "... naming the unknown key"
empty_or_absent dest1 "... and writes nothing"
expect 0 "unsigned bundle with --allow-untrusted: exit 0" -- "$DOSSIER" extract u.tar -d dest1 --allow-untrusted
has err "not trusted" "... saying the signer is not trusted"
present "dest1/$NAME/bagit.txt" "... and the bag is there"
bagtool tar s.tar h.tar --set "$NAME/data/annex/cases.csv=changed"
rm -rf dest2
expect 1 "--allow-untrusted does not allow a changed bundle: exit 1" -- "$DOSSIER" extract h.tar -d dest2 --allow-untrusted
empty_or_absent dest2 "... and writes nothing"

# Trusted: the bag lands at DIR/<name> and nowhere else.
mkdir dest3 && echo keep >dest3/other.txt
expect 0 "extract into an existing DIR" -- "$DOSSIER" extract s.tar -d dest3 -p alice.pub
has err "extracted dest3/$NAME \(verified\)" "... says where and that it verified"
ls -A dest3 >ls.txt && printf '%s\n' "$NAME" other.txt >want-ls.txt
same want-ls.txt ls.txt "... DIR holds the bag and what was there before, nothing else"
check "... the extracted bag verifies" -- "$DOSSIER" verify "dest3/$NAME" -p alice.pub
same "dest3/$NAME/data/annex/cases.csv" "$EXAMPLES/cases.csv" "... the annex is the source file"

# Refusing to overwrite.
echo "mine" >"dest3/$NAME/data/annex/cases.csv"
expect 73 "extract over an existing DIR/<name> exits 73" -- "$DOSSIER" extract s.tar -d dest3 -p alice.pub
has err "dest3/$NAME: already exists" "... naming it"
has "dest3/$NAME/data/annex/cases.csv" "^mine$" "... and leaves it alone"
no_temps dest3 "... no staging dir left behind"
mkdir -p dest4/$NAME
expect 73 "extract over an existing empty DIR/<name> exits 73" -- "$DOSSIER" extract s.tar -d dest4 -p alice.pub
empty_or_absent "dest4/$NAME" "... which stays empty"
no_temps dest4 "... no staging dir left behind"
touch dest5
expect 73 "DIR is a file: exit 73" -- "$DOSSIER" extract s.tar -d dest5 -p alice.pub
has err "dest5" "... naming it"

expect 0 "extract from stdin" -- sh -c '"$DOSSIER" extract - -d dest6 -p alice.pub <s.tar'
check "... the extracted bag verifies" -- "$DOSSIER" verify "dest6/$NAME" -p alice.pub
expect 66 "extract of a nonexistent bundle exits 66" -- "$DOSSIER" extract nope.tar -d dest7
has err "nope.tar" "... naming it"
expect 64 "extract without -d exits 64" -- "$DOSSIER" extract s.tar
