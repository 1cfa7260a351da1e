# test_bagrules.sh - bag rules beyond changed bytes: every payload file listed exactly once and
# present, no duplicate entries, every tag file covered, no fetch.txt, one top directory.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
K=$(keyid alice.pub)
A=$NAME/data/annex/cases.csv

bagtool tar s.tar c.tar || not_ok "copy"
expect 0 "a python-made copy of the bundle verifies (the helper changes nothing by itself)" -- \
	"$DOSSIER" verify c.tar -p alice.pub

bagtool tar s.tar m.tar --drop "$A"
expect 1 "missing payload file exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: data/annex/cases.csv: listed in manifest-sha256.txt but missing" "... naming data/annex/cases.csv"

bagtool tar s.tar m.tar --add "$NAME/data/annex/extra.csv=smuggled"
expect 1 "extra unlisted payload file exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: data/annex/extra.csv: payload file not listed in manifest-sha256.txt" "... naming data/annex/extra.csv"

bagtool tar s.tar m.tar --dup "$A"
expect 1 "payload entry twice in the tar exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: data/annex/cases.csv: entry appears twice" "... naming data/annex/cases.csv"
bagtool tar s.tar m.tar --dup "$NAME/dossier.json"
expect 1 "tag file twice in the tar exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: dossier.json: entry appears twice" "... naming dossier.json"
"$DOSSIER" pack "$SPEC" -o z.zip -p alice.pub -p bob.pub 2>/dev/null && "$DOSSIER" sign z.zip -k alice.key 2>/dev/null
bagtool zip z.zip m.zip --dup "$A"
expect 1 "payload entry twice in a zip exits 1" -- "$DOSSIER" verify m.zip -p alice.pub
has err "data/annex/cases.csv: entry appears twice" "... naming data/annex/cases.csv"
bagtool tar s.tar m.tar --add "$NAME/data/annex/CASES.csv=x"
expect 1 "names that collide on a case-insensitive disk exit 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "data/annex/CASES.csv: collides with 'data/annex/cases.csv'" "... naming both"

# A manifest line for a file that is not there. The forger re-signs the tag manifest, so the
# absent file is the only thing wrong.
unpack s.tar t && B=t/$NAME
printf '%s  data/annex/ghost.csv\n' "$(sha256sum <"$B/data/annex/cases.csv" | cut -c1-64)" >>"$B/manifest-sha256.txt"
sort -k2 "$B/manifest-sha256.txt" -o "$B/manifest-sha256.txt"
bagtool retag "$B" && forge_sign "$B" alice || not_ok "re-sign"
bagtool pack "t/$NAME" m.tar
expect 1 "manifest line for an absent file exits 1 (re-signed bag)" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: data/annex/ghost.csv: listed in manifest-sha256.txt but missing" "... naming data/annex/ghost.csv"
lacks err "signatures/|sha256 mismatch" "... and nothing else (the signature holds)"
expect 1 "... also in the bag directory" -- "$DOSSIER" verify "$B" -p alice.pub
has err "data/annex/ghost.csv: listed in manifest-sha256.txt but missing" "... naming data/annex/ghost.csv (directory)"

# A payload line listed twice.
unpack s.tar t
sed -n 1p "$B/manifest-sha256.txt" >>"$B/manifest-sha256.txt" && sort "$B/manifest-sha256.txt" -o "$B/manifest-sha256.txt"
bagtool retag "$B" && forge_sign "$B" alice || not_ok "re-sign"
expect 1 "a manifest listing one file twice exits 1 (re-signed bag)" -- "$DOSSIER" verify "$B" -p alice.pub
has err "manifest-sha256.txt.*data/annex/cases.csv|data/annex/cases.csv.*(twice|more than once|duplicate)" \
	"... naming data/annex/cases.csv"

# Tag files.
bagtool tar s.tar m.tar --add "$NAME/notes.txt=not signed"
expect 1 "extra unlisted tag file exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: notes.txt: tag file not covered by tagmanifest-sha256.txt" "... naming notes.txt"
bagtool tar s.tar m.tar --add "$NAME/keys/extra.card.json={}"
expect 1 "extra unlisted file under keys/ exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: keys/extra.card.json: tag file not covered" "... naming keys/extra.card.json"
bagtool tar s.tar m.tar --add "$NAME/fetch.txt=https://example.org/x 1 data/x"
expect 1 "fetch.txt exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: fetch.txt: .*fetch.txt is refused" "... naming fetch.txt"
# Even when a signer covered it.
unpack s.tar t && echo "https://example.org/x 1 data/x" >"$B/fetch.txt"
bagtool retag "$B" && forge_sign "$B" alice || not_ok "re-sign"
expect 1 "fetch.txt covered by the tag manifest and signed still exits 1" -- "$DOSSIER" verify "$B" -p alice.pub
has err "^dossier: fetch.txt: .*refused" "... naming fetch.txt"
for f in bagit.txt bag-info.txt manifest-sha256.txt tagmanifest-sha256.txt dossier.json; do
	bagtool tar s.tar m.tar --drop "$NAME/$f"
	expect 1 "$f missing exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
	has err "^dossier: $f: (missing from the bundle|listed in tagmanifest-sha256.txt but missing)" "... naming $f"
done
bagtool tar s.tar m.tar --set "$NAME/tagmanifest-sha256.txt=this is not a manifest"
expect 1 "malformed tagmanifest-sha256.txt exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "tagmanifest-sha256.txt" "... naming tagmanifest-sha256.txt"

# Entries outside the one top directory.
bagtool tar s.tar m.tar --add "other/readme.txt=hello"
expect 1 "a second top directory exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: other/readme.txt: entry outside the bundle's top directory" "... naming other/readme.txt"
bagtool tar s.tar m.tar --add "loose.txt=hello"
expect 1 "a file beside the top directory exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: loose.txt: entry outside" "... naming loose.txt"
for top in .. . ; do
	bagtool tar s.tar m.tar --rename "$NAME=$top"
	expect 1 "top directory '$top' exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
	has err "'\\$top'|$top/" "... naming '$top'"
done

# Special entries: types pack never writes, so the archive's form is refused before any entry
# is read.
special="^dossier: m.tar: not in the canonical form pack writes: entry type other than file, directory or pax header"
bagtool tar s.tar m.tar --symlink "$NAME/data/annex/link.csv=cases.csv"
expect 1 "symlink entry exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "$special" "... refused for its entry type"
bagtool tar s.tar m.tar --hardlink "$NAME/data/annex/hard.csv=$A"
expect 1 "hardlink entry exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "$special" "... refused for its entry type"
bagtool tar s.tar m.tar --fifo "$NAME/data/annex/pipe"
expect 1 "fifo entry exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "$special" "... refused for its entry type"

# Damaged archives.
size=$(wc -c <s.tar)
head -c $((size / 2 + 100)) s.tar >m.tar
expect 1 "truncated tar (mid-entry) exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "m.tar: .*(truncated|Truncated)" "... saying it is truncated"
# a block boundary inside the data of VERIFY.txt (the first file, about 8 KiB), not
# between two entries
head -c 5120 s.tar >m.tar
expect 1 "tar cut at a block boundary exits 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "m.tar" "... naming the archive"
for ext in tar.gz tar.zst zip; do
	"$DOSSIER" pack "$SPEC" -o "f.$ext" 2>/dev/null
	head -c $(($(wc -c <"f.$ext") / 2)) "f.$ext" >"m.$ext"
	expect 1 "truncated $ext exits 1" -- "$DOSSIER" verify "m.$ext"
	has err "m.$ext" "... naming the archive"
done
cp "$SPEC" m.tar
expect 65 "a JSON file named .tar is the wrong kind of file: exit 65" -- "$DOSSIER" verify m.tar
has err "m.tar: not a bundle \(a JSON document\)" "... saying what it is"
: >m.tar
expect 65 "an empty file exits 65" -- "$DOSSIER" verify m.tar
has err "m.tar: not a bundle \(an empty file\)" "... naming it"
expect 66 "a nonexistent path exits 66" -- "$DOSSIER" verify nope.tar
has err "nope.tar: No such file" "... naming it"

# Signed but malformed: a signer (here stock minisign with alice's key) vouched for tag files
# that break the rules, so only the rule itself can catch them.
# signed_bad LABEL PATTERN -- CMD...: run CMD in a fresh copy of the bag, re-derive the tag
# manifest, sign it; verify must exit 1 with PATTERN on stderr.
signed_bad() {
	label=$1 pat=$2; shift 3
	unpack s.tar t && (cd "t/$NAME" && "$@") && bagtool retag "t/$NAME" && forge_sign "t/$NAME" alice ||
		not_ok "$label: craft"
	bagtool pack "t/$NAME" m.tar
	expect 1 "signed, $label: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub
	has err "$pat" "signed, $label: stderr names it"
}
signed_bad "Payload-Oxum wrong" "^dossier: bag-info.txt: Payload-Oxum says 1 bytes in 2 files" -- \
	sed -i 's/^Payload-Oxum: .*/Payload-Oxum: 1.2/' bag-info.txt
signed_bad "Payload-Oxum missing" "^dossier: bag-info.txt: no Payload-Oxum" -- \
	sed -i '/^Payload-Oxum: /d' bag-info.txt
signed_bad "BagIt-Version 2.0" "^dossier: bagit.txt: must declare BagIt-Version" -- \
	sed -i 's/1\.0/2.0/' bagit.txt
signed_bad "dossier.json with an unknown field" "^dossier: dossier.json: .*\"smuggled\"" -- \
	sed -i 's/^{/{"smuggled": 1,/' dossier.json
signed_bad "dossier.json that is not JSON" "^dossier: dossier.json: " -- \
	sh -c 'echo "{" >dossier.json'
signed_bad "dossier.json with a bad date" "^dossier: dossier.json: .*date" -- \
	sed -i 's/"date": *"2020-10-16"/"date": "2020-02-30"/' dossier.json
signed_bad "dossier.json disagreeing with the manifest" "^dossier: dossier.json: sha256 of 'data/annex/cases.csv' differs" -- \
	"$PYTHON" -c '
import json
d = json.load(open("dossier.json"))
for f in d["files"]:
    if f["path"] == "data/annex/cases.csv":
        f["sha256"] = ("1" if f["sha256"][0] == "0" else "0") + f["sha256"][1:]
json.dump(d, open("dossier.json", "w"), ensure_ascii=False, indent=2)'
signed_bad "manifest line outside data/" "manifest-sha256.txt: lists 'bagit.txt'" -- \
	sh -c 'sha256sum bagit.txt >>manifest-sha256.txt'

# Bytes after the end of the archive: a second tar appended is invisible to the bag reader but
# extracted by 'tar -i' and other tools; the file is no longer what was signed.
echo "hidden" >hidden.txt && tar cf tail.tar hidden.txt && cat s.tar tail.tar >m.tar
expect 1 "a tar appended after the end-of-archive marker: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "m.tar: data after the end-of-archive marker \\(offset $(wc -c <s.tar)\\)" "... saying where the appended bytes start"
