# test_tamper.sh - a change to any one file of the signed sample makes verify exit 1 and name it,
# in the archive (re-created in the form pack writes) and in the extracted bag directory; an
# archive re-created with the stock tools is refused for its form.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
K=$(keyid alice.pub)
L=data/letter/letter-2020-10-16.txt

# tamper LABEL FILE PATTERN -- CMD...: unpack s.tar into t/, run CMD (in t/$NAME) to change FILE,
# re-create the archive as pack lays it out (bagtool pack); verify of the archive and of t/$NAME
# must exit 1 with PATTERN on stderr.
tamper() {
	label=$1 file=$2 pat=$3; shift 4
	unpack s.tar t || not_ok "$label: unpack"
	cp "t/$NAME/$file" before
	(cd "t/$NAME" && "$@") || not_ok "$label: change $file"
	differ before "t/$NAME/$file" "$label: $file really changed"
	bagtool pack "t/$NAME" m.tar || not_ok "$label: repack"
	expect 1 "$label: verify of the archive exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
	has err "$pat" "$label: stderr names $file"
	has out "verdict +INVALID" "$label: report says INVALID"
	expect 1 "$label: verify of the bag directory exits 1" -- "$DOSSIER" verify "t/$NAME" -p alice.pub
	has err "$pat" "$label: stderr names $file (directory)"
}

# Sanity: the untouched round trip through stock tar and bagtool pack gives the same bytes and
# still verifies, so the failures below are caused by the change and nothing else.
unpack s.tar t && bagtool pack "t/$NAME" m.tar
same s.tar m.tar "unpacked with GNU tar and re-created in pack's form, untouched: the same bytes"
expect 0 "... still VALID" -- "$DOSSIER" verify m.tar -p alice.pub
expect 0 "the untouched bag directory is VALID" -- "$DOSSIER" verify "t/$NAME" -p alice.pub
# The same files archived by the stock tools: another form, which other readers may read
# otherwise, so refused before anything is read (FORMAT.md 2.1).
for ext in tar tar.gz zip; do
	repack t "g.$ext" || not_ok "$ext: re-create with the stock tools"
	expect 1 "untouched, re-created by the stock tools as $ext: refused" -- \
		"$DOSSIER" verify "g.$ext" -p alice.pub
	form="g.$ext: not in the canonical form pack writes"
	case $ext in
	zip) has err "$form: entry without the time and owner fields" "... the zip for its missing extra fields" ;;
	*) has err "$form: not a POSIX ustar header \(header of '[^']*' at offset 0\)" "... the $ext for its GNU headers" ;;
	esac
done

tamper "payload letter" "$L" "^dossier: $L: sha256 mismatch" -- \
	sed -i 's/Kazakhstan/Kazakhstam/' "$L"
tamper "payload annex" data/annex/cases.csv "^dossier: data/annex/cases.csv: sha256 mismatch" -- \
	sed -i '2s/^./#/' data/annex/cases.csv
# A well-formed manifest line with another digest: the tag manifest no longer matches it.
tamper "manifest-sha256.txt" manifest-sha256.txt "^dossier: manifest-sha256.txt: sha256 mismatch" -- \
	sed -i '1{/^0/!s/^./0/;t;s/^./1/;}' manifest-sha256.txt
# Upper-case hex still names the same digests: only the signed bytes differ.
tamper "tagmanifest-sha256.txt" tagmanifest-sha256.txt \
	"^dossier: signatures/$K.minisig: .*does not match the signed bytes" -- \
	sed -i '1y/abcdef/ABCDEF/' tagmanifest-sha256.txt
tamper "dossier.json" dossier.json "^dossier: dossier.json: sha256 mismatch" -- \
	sed -i 's/"Brussels"/"Bruxelles"/' dossier.json
tamper "bag-info.txt" bag-info.txt "^dossier: bag-info.txt: sha256 mismatch" -- \
	sed -i 's/^Bagging-Date: .*/Bagging-Date: 2021-01-01/' bag-info.txt
# BagIt 0.97 is a declaration verify accepts, so only the tag manifest catches it.
tamper "bagit.txt" bagit.txt "^dossier: bagit.txt: sha256 mismatch" -- \
	sed -i 's/1\.0/0.97/' bagit.txt
tamper "VERIFY.txt" VERIFY.txt "^dossier: VERIFY.txt: sha256 mismatch" -- \
	sh -c 'echo "5. Trust us." >>VERIFY.txt'
tamper "signature" "signatures/$K.minisig" "^dossier: signatures/$K.minisig: .*does not match the signed bytes" -- \
	"$PYTHON" "$BAGTOOL" sigflip "signatures/$K.minisig"
expect 1 "forged signature: --json exits 1" -- "$DOSSIER" verify m.tar -p alice.pub --json
"$PYTHON" - <<'EOF' >j.txt 2>&1
import json
d = json.load(open("out"))
print(" ".join(f["code"] + "@" + f["entry"] for f in d["findings"]))
print("sig " + " ".join(s["status"] for s in d["signatures"]))
EOF
has j.txt "sig-forged@signatures/$K.minisig" "forged signature: JSON finding sig-forged names signatures/$K.minisig"
tamper "trusted comment" "signatures/$K.minisig" "^dossier: signatures/$K.minisig: .*trusted comment.*altered" -- \
	sed -i '3s/time:/time:1/' "signatures/$K.minisig"

# The same in the compressed archive types (changed payload, re-created in pack's form).
for ext in tar.gz tar.zst zip; do
	unpack s.tar t && sed -i '2s/^./#/' "t/$NAME/data/annex/cases.csv" && bagtool pack "t/$NAME" "m.$ext" ||
		not_ok "$ext: tamper"
	expect 1 "$ext: changed annex exits 1" -- "$DOSSIER" verify "m.$ext" -p alice.pub
	has err "^dossier: data/annex/cases.csv: sha256 mismatch" "$ext: stderr names data/annex/cases.csv"
done
# ... and with the archive edited in place by python (member content replaced, order kept).
bagtool tar s.tar p.tar --set "$NAME/$L=not the letter" || not_ok "python tamper"
expect 1 "python-edited tar: changed letter exits 1" -- "$DOSSIER" verify p.tar -p alice.pub
has err "^dossier: $L: sha256 mismatch" "python-edited tar: stderr names the letter"
"$DOSSIER" pack "$SPEC" -o z.zip -p alice.pub -p bob.pub 2>/dev/null && "$DOSSIER" sign z.zip -k alice.key 2>/dev/null
bagtool zip z.zip pz.zip --set "$NAME/data/annex/cases.csv=x" || not_ok "python zip tamper"
expect 1 "python-edited zip: changed annex exits 1" -- "$DOSSIER" verify pz.zip -p alice.pub
has err "^dossier: data/annex/cases.csv: sha256 mismatch" "python-edited zip: stderr names data/annex/cases.csv"
