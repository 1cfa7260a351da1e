# test_reissue.sh - versions that carry their history: dossier reissue, verify walking the
# chain (links, tampering, changes, old signers), and a new timestamp protecting the old ones.
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
"$D" keygen -W -o helmut --name "Helmut Scholz" >/dev/null
"$D" keygen -W -o brando --name "Brando Benifei" >/dev/null
KH=$(keyid helmut.pub) KB=$(keyid brando.pub)
mkdir kr && cp helmut.pub brando.pub kr/ && echo "$RELAXED_POLICY" >kr/policy.json
"$D" pack "$SPEC" -o v1.tar -p helmut.pub -p brando.pub 2>/dev/null
"$D" sign v1.tar -k helmut.key 2>/dev/null
"$D" sign v1.tar -k brando.key 2>/dev/null
ID1=$(tar -xOf v1.tar $NAME/dossier.json | sed -n 's/.*"id":  "\(.*\)".*/\1/p')
TM1=$(tar -xOf v1.tar $NAME/tagmanifest-sha256.txt | sha256sum | cut -c1-64)

# a second spec that adds an annex file (the sample's own files, copied beside it)
mkdir spec2 && cp "$EXAMPLES/letter-2020-10-16.txt" "$EXAMPLES/cases.csv" spec2/
printf 'case,status\n32,added after the letter was sent\n' >spec2/addendum.csv
"$PYTHON" - "$SPEC" spec2/spec.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for f in s["files"]:
    f["source"] = f["source"].rsplit("/", 1)[1]
s["files"].append({"source": "addendum.csv", "role": "annex", "media_type": "text/csv; charset=utf-8",
                   "description": "A case reported after the letter"})
json.dump(s, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
PY

# ---- reissue ----
expect 0 "reissue with a new spec that adds an annex file" -- "$D" reissue v1.tar -o v2.tar --spec spec2/spec.json -p helmut.pub -p brando.pub --reason "case 32 added"
has err "re-issued v1.tar as v2.tar .*unsigned" "... saying the new version is unsigned"
check "... history/1/ holds the old tag files, signatures and tag manifest" -- sh -c "
	tar -tf v2.tar | grep -q '^$NAME/history/1/tagmanifest-sha256.txt\$' &&
	tar -tf v2.tar | grep -q '^$NAME/history/1/signatures/$KH.minisig\$' &&
	tar -tf v2.tar | grep -q '^$NAME/history/1/dossier.json\$' &&
	tar -tf v2.tar | grep -q '^$NAME/data/annex/addendum.csv\$'"
check "... old signatures are not copied as new ones" -- sh -c "! tar -tf v2.tar | grep -q '^$NAME/signatures/'"
check "... dossier.json supersedes the old id and tag manifest, with the reason" -- "$PYTHON" -c "
import json, subprocess, sys
d = json.loads(subprocess.run(['tar', '-xOf', 'v2.tar', '$NAME/dossier.json'], capture_output=True).stdout)
s = d['supersedes']
assert s == {'id': '$ID1', 'tagmanifest_sha256': '$TM1', 'reason': 'case 32 added'}, s
assert d['id'] != '$ID1'"
check "... the tag manifest covers history/" -- sh -c "tar -xOf v2.tar $NAME/tagmanifest-sha256.txt | grep -q '  history/1/signatures/$KH.minisig\$'"
"$D" sign v2.tar -k helmut.key 2>/dev/null
expect 0 "verify walks the chain: exit 0" -- "$D" verify v2.tar -K kr
has out "^  1 +was +$ID1" "... version 1 listed with its id"
has out "signed by: .*Helmut Scholz \($KH\) valid" "... and who signed it: Helmut Scholz"
has out "signed by: .*Brando Benifei \($KB\) valid" "... and Brando Benifei"
has out "changes: added data/annex/addendum.csv" "... version 2's change: the added file"
has out "reason: case 32 added" "... and the reason"
expect 0 "verify --json lists the versions" -- "$D" verify v2.tar -K kr --json
cp out v2.json
check "... numbers, ids, changes" -- "$PYTHON" -c "
import json; v = json.load(open('v2.json'))['versions']
assert [x['number'] for x in v] == [1, 2] and v[0]['id'] == '$ID1' and v[1]['current'] is True, v
assert v[1]['changes'] == 'added data/annex/addendum.csv', v"

# ---- three versions; reissue without a spec keeps the payload ----
expect 0 "reissue without --spec keeps the old payload" -- "$D" reissue v2.tar -o v3.tar --reason "re-signed"
"$D" sign v3.tar -k brando.key 2>/dev/null
expect 0 "a three-version chain verifies: exit 0" -- "$D" verify v3.tar -K kr
has out "^  3 +this" "... version 3 is this one"
has out "changes: no payload changes" "... with no payload changes"
check "... history/1 and history/2 are both there" -- sh -c "
	tar -tf v3.tar | grep -q '^$NAME/history/1/tagmanifest-sha256.txt\$' && tar -tf v3.tar | grep -q '^$NAME/history/2/tagmanifest-sha256.txt\$'"
unpack v1.tar d && echo x >>"d/$NAME/data/annex/cases.csv" && bagtool pack "d/$NAME" dmg.tar
expect 1 "reissue of a damaged bundle: exit 1" -- "$D" reissue dmg.tar -o never.tar
has err "refusing to re-issue a damaged bundle: (data/annex/cases.csv|bag-info.txt)" "... naming what is damaged"
absent never.tar "... and no new bundle is written"
expect 73 "reissue onto an existing file without --force: exit 73" -- "$D" reissue v1.tar -o v2.tar
expect 64 "reissue without -o: exit 64" -- "$D" reissue v1.tar
expect 64 "a --reason with a control character: exit 64" -- "$D" reissue v1.tar -o tab.tar --reason "$(printf 'a\tb')"
has err "reason must be one line" "... saying what a reason may hold"
SOURCE_DATE_EPOCH=1700000000 "$D" reissue v1.tar -o same1.tar --reason one 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 "$D" reissue v1.tar -o same2.tar --reason two 2>/dev/null
check "two re-issues of one version for two reasons get two ids" -- sh -c "
	[ \"\$(tar -xOf same1.tar $NAME/dossier.json | grep '\"id\"' | head -1)\" != \"\$(tar -xOf same2.tar $NAME/dossier.json | grep '\"id\"' | head -1)\" ]"

# ---- broken links ----
# history entries changed, with the tag manifest and the signature re-made around them
# (the only way past the tag manifest): the history walk still finds the break
retag() { # DIR: recompute tagmanifest-sha256.txt over the tag files, drop the signatures
	"$PYTHON" - "$1/$NAME" <<'PY'
import hashlib, os, sys
root = sys.argv[1]
lines = []
for dp, dn, fn in os.walk(root):
    for f in fn:
        p = os.path.relpath(os.path.join(dp, f), root)
        if p.startswith(("data/", "signatures/", "timestamps/")) or p == "tagmanifest-sha256.txt":
            continue
        lines.append("%s  %s\n" % (hashlib.sha256(open(os.path.join(dp, f), "rb").read()).hexdigest(), p))
open(os.path.join(root, "tagmanifest-sha256.txt"), "w").write("".join(sorted(lines, key=lambda l: l[66:])))
PY
	rm -rf "$1/$NAME/signatures"
}
unpack v2.tar h && sed -i 's/^\([0-9a-f]\{8\}\)/00000000/' "h/$NAME/history/1/manifest-sha256.txt" && retag h && bagtool pack "h/$NAME" tampered.tar
"$D" sign tampered.tar -k helmut.key 2>/dev/null
expect 1 "a tampered history manifest (tag manifest re-made, re-signed): exit 1" -- "$D" verify tampered.tar -K kr
has err "history/1/manifest-sha256.txt: differs from what version 1's tag manifest lists" "... naming the altered history file"
unpack v2.tar s && sed -i 's/"tagmanifest_sha256":  "[0-9a-f]\{8\}/"tagmanifest_sha256":  "00000000/' "s/$NAME/dossier.json" && retag s && bagtool pack "s/$NAME" link.tar
"$D" sign link.tar -k helmut.key 2>/dev/null
expect 1 "supersedes with the wrong tag manifest digest: exit 1" -- "$D" verify link.tar -K kr
has err "dossier.json: the SHA-256 of history/1/tagmanifest-sha256.txt differs from the one it supersedes" "... saying the link is broken"
unpack v2.tar n && "$PYTHON" - "n/$NAME/dossier.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); del d["supersedes"]
json.dump(d, open(sys.argv[1], "w"), ensure_ascii=False, indent=2)
PY
retag n && bagtool pack "n/$NAME" nolink.tar && "$D" sign nolink.tar -k helmut.key 2>/dev/null
expect 1 "history/ without supersedes in dossier.json: exit 1" -- "$D" verify nolink.tar -K kr
has err "carries history/1/ but does not say it supersedes it" "... saying so"
unpack v2.tar x && rm -r "x/$NAME/history" && retag x && bagtool pack "x/$NAME" nohist.tar && "$D" sign nohist.tar -k helmut.key 2>/dev/null
expect 1 "supersedes without the history it names: exit 1" -- "$D" verify nohist.tar -K kr
has err "supersedes $ID1, but the bundle carries no history/" "... saying the history is missing"
unpack v2.tar f && "$PYTHON" -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-5]^=1; open(p,"wb").write(b)' "f/$NAME/history/1/signatures/$KB.minisig" && retag f && bagtool pack "f/$NAME" forged.tar
"$D" sign forged.tar -k helmut.key 2>/dev/null
expect 1 "an old signature altered inside history: exit 1" -- "$D" verify forged.tar -K kr
has err "history/1/signatures/$KB.minisig: " "... naming the old signature"
mkdir kh && cp helmut.pub kh/ && echo "$RELAXED_POLICY" >kh/policy.json
expect 0 "an old signer you do not trust is a notice, not a failure: exit 0" -- "$D" verify v2.tar -K kh
has out "notice +history/1/signatures/$KB.minisig: signed by unknown key $KB" "... noted with the version"

# ---- renewal: a new timestamp covers the history ----
if command -v faketime >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
	"$PYTHON" "$TOP/tests/cli/helpers/tsa.py" pki pki >/dev/null 2>&1
	"$PYTHON" "$TOP/tests/cli/helpers/tsa.py" serve "$T/pki" port 2>/dev/null &
	SERVER=$!
	trap 'kill $SERVER 2>/dev/null; rm -rf "$T" "$TEST_HOME"' EXIT
	for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
	URL=http://127.0.0.1:$(cat port)
	mkdir -p kr/tsa && cp pki/ca.pem kr/tsa/
	cp v1.tar r1.tar && "$D" timestamp r1.tar --tsa "$URL/good" -K kr 2>/dev/null
	"$D" reissue r1.tar -o r2.tar --reason renewal 2>/dev/null && "$D" sign r2.tar -k helmut.key 2>/dev/null
	expect 0 "renewal: timestamp the re-issued bundle" -- "$D" timestamp r2.tar --tsa "$URL/second" -K kr
	check "... the new token's manifest covers the tag manifest, which covers history/1/timestamps/1.tsr" -- sh -c "
		tar -xOf r2.tar $NAME/tagmanifest-sha256.txt | grep -q '  history/1/timestamps/1.tsr\$' &&
		tar -xOf r2.tar $NAME/timestamps/1.txt | grep -q '  tagmanifest-sha256.txt\$'"
	expect 0 "... and verify checks both tokens, old and new" -- "$D" verify r2.tar -K kr
	has out "timestamps: 1 \(1 trusted\)" "... the old version's token trusted"
	has out "trusted +timestamps/1.tsr" "... and the new one"
else
	skip "renewal: timestamp the re-issued bundle" "faketime or openssl missing"
fi

echo "1..$n"
