# test_names.sh - file names beyond ASCII letters: spaces and non-ASCII UTF-8 (a Kazakh or
# Russian letter's file name) pack, sign, verify and extract; names that collide on another
# file system are refused (DESIGN.md section 7).
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o alice --name "Ann Example" >/dev/null
K=$(keyid alice.pub)
U1=$(printf '\320\277\320\270\321\201\321\214\320\274\320\276.txt')   # письмо.txt
U2=$(printf '\321\226\321\201.csv')                                   # іс.csv (Kazakh/Ukrainian і)

# Spaces: plain ASCII, but sha256sum -c must still read the manifest.
mkdir -p sp/"two words"
echo "a" >"sp/two words/file name.txt"
expect 0 "pack a directory with spaces in names" -- "$DOSSIER" pack sp -o sp.tar
expect 0 "... sign" -- "$DOSSIER" sign sp.tar -k alice.key
expect 0 "... verify" -- "$DOSSIER" verify sp.tar -p alice.pub
expect 0 "... extract" -- "$DOSSIER" extract sp.tar -d xs -p alice.pub
check "... sha256sum -c manifest-sha256.txt" -- sh -c 'cd xs/sp && sha256sum -c --strict manifest-sha256.txt'

# Non-ASCII names, from a directory.
mkdir -p nd
echo "letter" >"nd/$U1"
echo "case" >"nd/$U2"
expect 0 "pack a directory with non-ASCII file names" -- "$DOSSIER" pack nd -o nd.tar
no_temps . "... no temp file left"
expect 0 "... sign it" -- "$DOSSIER" sign nd.tar -k alice.key
expect 0 "... verify it" -- "$DOSSIER" verify nd.tar -p alice.pub
has out "data/$U1" "... the report shows the name"
expect 0 "... extract it" -- "$DOSSIER" extract nd.tar -d xn -p alice.pub
same "nd/$U1" "xn/nd/data/$U1" "... the extracted file has its name and content"
for ext in zip tar.zst; do
	expect 0 "$ext: pack non-ASCII names" -- "$DOSSIER" pack nd -o "nd.$ext"
	expect 2 "$ext: ... verify (unsigned)" -- "$DOSSIER" verify "nd.$ext"
done

# Non-ASCII names, from a spec.
mkdir sp2 && echo "letter" >"sp2/$U1"
cat >sp2/spec.json <<EOF
{"spec_version": 1, "name": "kz", "title": "Letter", "kind": "open-letter", "date": "2020-10-16",
 "from": [{"name": "Ann Example"}], "to": [{"name": "Bo Example"}],
 "files": [{"source": "$U1", "role": "letter"}, {"source": "$U1", "role": "annex", "path": "annex/$U2"}]}
EOF
expect 0 "pack a spec with non-ASCII source and path" -- "$DOSSIER" pack sp2/spec.json -o kz.tar -p alice.pub
expect 0 "... sign it" -- "$DOSSIER" sign kz.tar -k alice.key
expect 0 "... verify it" -- "$DOSSIER" verify kz.tar -p alice.pub
has out "data/letter/$U1" "... data/letter/ holds it under its own name"

# Sign a bundle with a non-ASCII payload name that pack did not write (the rewrite path): as
# GNU tar writes it, refused for its form and left alone; as pack lays it out, signed.
"$DOSSIER" pack sp -o base.tar 2>/dev/null && unpack base.tar r
echo "x" >"r/sp/data/$U1"
bagtool rebag r/sp && tar cf gnu.tar -C r sp && cp gnu.tar gnu0.tar
expect 1 "a GNU tar bag with a non-ASCII name: refused" -- "$DOSSIER" verify gnu.tar
has err "gnu.tar: not in the canonical form pack writes: not a POSIX ustar header" "... for its GNU headers"
expect 1 "... dossier sign refuses it too" -- "$DOSSIER" sign gnu.tar -k alice.key
same gnu0.tar gnu.tar "... and leaves it as it was"
bagtool pack r/sp ext.tar
expect 2 "the same bag in pack's form verifies as intact, unsigned" -- "$DOSSIER" verify ext.tar
expect 0 "dossier sign rewrites it" -- "$DOSSIER" sign ext.tar -k alice.key
no_temps . "... no temp file left"
expect 0 "... and it verifies" -- "$DOSSIER" verify ext.tar -p alice.pub

# Collisions: verify refuses what extract could not write faithfully on another disk.
# collide LABEL NAME1 NAME2: a correctly signed bag holding both names; verify exits 1.
collide() {
	unpack base.tar c && printf one >"c/sp/data/$2" && printf two >"c/sp/data/$3"
	bagtool rebag c/sp && forge_sign c/sp alice && bagtool pack c/sp col.tar || not_ok "$1: craft"
	expect 1 "$1: verify exits 1" -- "$DOSSIER" verify col.tar -p alice.pub
	has err "data/($2|$3)" "$1: stderr names the entry"
}
collide "ASCII names differing only in case" "Readme.txt" "README.txt"
collide "NFC and NFD spellings of one name" "$(printf 'caf\303\251.txt')" "$(printf 'cafe\314\201.txt')"
collide "non-ASCII names differing only in case" "$(printf '\320\237.txt')" "$(printf '\320\277.txt')"
