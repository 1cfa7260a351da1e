# test_snapshots.sh - WARC snapshots are read record by record at pack and verify: every
# stored digest must hold and the snapshot's url must be captured; each reference says which
# snapshots cover it, or why none does; verify and show report the sources and the coverage.
. "$(dirname "$0")/lib.sh"
MKWARC="$TOP/tests/cli/helpers/mkwarc.py"
mkwarc() { "$PYTHON" "$MKWARC" "$@"; }
U=https://example.org/page
mkdir w && cd w || exit 1
echo "the letter" >letter.txt
printf '%%PDF-1.4\n%% a snapshot printed to PDF\n%%%%EOF\n' >page.pdf
printf '<!doctype html><p>saved page</p>\n' >page.html

# The captures: one per way a WARC may be written.
mkwarc plain.warc "$U/1"
mkwarc member.warc.gz "$U/2" --gzip member --digest sha256-b32
mkwarc single.warc.gz "$U/3" --gzip single --digest sha1
mkwarc chunked.warc "$U/4" --chunked
mkwarc resource.warc "$U/5" --resource
mkwarc redirect.warc.gz "$U/6" --gzip member --redirect-to "$U/6/final"
mkwarc gone.warc "$U/7" --status 404

# snap FILE FOOTNOTE URL: a snapshot's spec entry
snap() { printf '{"source": "%s", "role": "snapshot", "url": "%s", "captured_at": "2020-10-15T08:00:00Z", "footnote": %s}' "$1" "$3" "$2"; }
# spec OUT FILES REFS: a small spec around the given files and references
spec() {
	cat >"$1" <<EOT
{"spec_version": 1, "name": "cites", "title": "A letter with sources", "kind": "open-letter",
 "date": "2020-10-16", "from": [{"name": "Ann Example"}], "to": [{"name": "Bo Example"}],
 "files": [{"source": "letter.txt", "role": "letter"}, $2],
 "references": [$3]}
EOT
}
ref() { printf '{"footnote": %s, "url": "%s/%s"}' "$1" "$U" "$1"; }
nc() { printf '{"footnote": %s, "url": "%s/%s", "not_captured": "%s"}' "$1" "$U" "$1" "$2"; }

FILES="$(snap plain.warc 1 "$U/1"), $(snap member.warc.gz 2 "$U/2"), $(snap single.warc.gz 3 "$U/3"),
 $(snap chunked.warc 4 "$U/4"), $(snap resource.warc 5 "$U/5"), $(snap redirect.warc.gz 6 "$U/6"),
 $(snap gone.warc 7 "$U/7"), $(snap page.pdf 8 "$U/8"), $(snap page.html 9 "$U/9")"
REFS="$(ref 1), $(ref 2), $(ref 3), $(ref 4), $(ref 5), $(ref 6), $(ref 7), $(ref 8), $(ref 9),
 $(nc 10 'the page was removed before the letter was sent'), $(nc 11 'behind a login')"
spec good.json "$FILES" "$REFS"

# ---- pack ----
expect 0 "pack accepts plain, gzip (per record and one member), sha256 hex/base32, sha1, chunked, resource, redirect and 404 captures" \
	-- "$DOSSIER" pack good.json -o good.tar
tar xf good.tar cites/dossier.json
"$PYTHON" - cites/dossier.json >cov.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["references"]:
    print(r["footnote"], ",".join(r.get("snapshots", [])) or "-", r.get("not_captured", "-"))
PY
has cov.txt "^1 data/snapshots/plain.warc -$" "dossier.json: reference 1 lists its snapshot"
has cov.txt "^2 data/snapshots/member.warc.gz -$" "dossier.json: reference 2 lists its snapshot"
has cov.txt "^10 - the page was removed before the letter was sent$" "dossier.json: reference 10 keeps its not_captured reason"
[ "$(grep -c ' - ' cov.txt)" -eq 2 ] && ok "dossier.json: exactly 2 references not captured" || not_ok "dossier.json: 2 not captured" "$(cat cov.txt)"

# refused LABEL PATTERN SPEC: pack exits 1, one line on stderr matching PATTERN, no output
refused() {
	rm -f b.tar
	expect 1 "pack refuses $1" -- "$DOSSIER" pack "$3" -o b.tar
	has err "^dossier: .*$2" "$1: the message names the file and the reason"
	absent b.tar "$1: no output file"
}
one() { # one LABEL PATTERN WARC-FILE [URL]: a spec with just that snapshot
	spec one.json "$(snap "$3" 1 "${4:-$U/1}")" "$(ref 1)"
	refused "$1" "$2" one.json
}
mkwarc bad-block.warc "$U/1" --bad block
one "a wrong block digest" "bad-block.warc: record 3 <urn:uuid:00000000-0000-4000-8000-000000000003>: WARC-Block-Digest mismatch" bad-block.warc
mkwarc bad-payload.warc.gz "$U/1" --gzip member --bad payload
one "a wrong payload digest" "bad-payload.warc.gz: record 3 .*WARC-Payload-Digest mismatch \(sha256 expected" bad-payload.warc.gz
mkwarc bad-sha1.warc.gz "$U/1" --gzip single --digest sha1 --bad block
one "a wrong sha1 base32 digest" "record 3 .*WARC-Block-Digest mismatch \(sha1 expected" bad-sha1.warc.gz
mkwarc cut.warc.gz "$U/1" --gzip single --truncate 12
one "a truncated gzip member" "cut.warc.gz: .*truncated gzip member" cut.warc.gz
mkwarc cut.warc "$U/1" --truncate 30
one "a truncated record" "cut.warc: record 3 .*the file ends inside the record" cut.warc
one "a capture of another url" "plain.warc: the snapshot's url 'https://example.org/elsewhere' is not the WARC-Target-URI" plain.warc https://example.org/elsewhere
mkwarc version.warc "$U/1" --bad version
one "a bad version line" "version.warc: record 3: expected a WARC/1.0 or WARC/1.1 version line, found 'WARC/2.0'" version.warc
mkwarc nolen.warc "$U/1" --bad length
one "a record without Content-Length" "nolen.warc: record 3 <urn:uuid:[0-9a-f-]+>: no Content-Length" nolen.warc
mkwarc long.warc "$U/1" --bad long-header
one "a 70 KiB header block" "long.warc: record 3: header block larger than 65536 bytes" long.warc
mkwarc trailer.warc "$U/1" --bad trailer
one "a last record without its CRLF CRLF" "trailer.warc: record 3 .*the file ends inside the record" trailer.warc
mkwarc short.warc "$U/1" --bad shortlen
one "a Content-Length one byte short" "short.warc: record 3 .*block not followed by CRLF CRLF \(Content-Length wrong\?\)" short.warc
echo "not a warc at all" >text.warc
one "a file that is not WARC" "text.warc: record 1: expected a WARC/1.0" text.warc
cp plain.warc plain.bin
spec mt.json "$(snap plain.bin 1 "$U/1" | sed 's/}$/, "media_type": "application\/warc"}/')" "$(ref 1)"
refused "application/warc under another name" "plain.bin: a WARC snapshot needs both a name ending in .warc" mt.json
spec neither.json "$(snap plain.warc 1 "$U/1")" "$(ref 1), $(ref 2)"
refused "a reference with no snapshot and no reason" "footnote 2 \(https://example.org/page/2\) has no snapshot: pack with --capture, add a file .*not_captured" neither.json
spec both.json "$(snap plain.warc 1 "$U/1")" "$(nc 1 'gone')"
refused "a reference with a snapshot and not_captured" "footnote 1 has a snapshot and says \"not_captured\"" both.json

mkwarc dechunked.warc "$U/1" --chunked --dechunked-digest
spec one.json "$(snap dechunked.warc 1 "$U/1")" "$(ref 1)"
expect 0 "pack accepts a chunked response whose payload digest is over the body without the chunking" -- "$DOSSIER" pack one.json -o b.tar
mkwarc badchunk.warc "$U/1" --chunked --dechunked-digest --bad payload
one "a chunked response whose payload digest holds neither way" "badchunk.warc: record 3 .*WARC-Payload-Digest mismatch" badchunk.warc

# ---- verify and show ----
expect 2 "verify: the good bundle is intact (unsigned)" -- "$DOSSIER" verify good.tar
has out "^  11 references: 9 captured, 2 not captured$" "verify reports coverage"
has out "\[10\] NOT CAPTURED https://example.org/page/10" "verify names the footnote not captured"
has out "why: the page was removed before the letter was sent" "... and its reason"
"$DOSSIER" verify --json good.tar >r.json 2>/dev/null
"$PYTHON" - r.json >fields.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["path"]: x for x in d["snapshots"]}
bad = []
keys = ["path", "url", "footnote", "captured_at", "media_type", "http_status", "size", "records", "ok", "reason"]
if any(sorted(x) != sorted(keys) for x in d["snapshots"]): bad.append("snapshot keys")
if len(s) != 9: bad.append("9 snapshots")
p = s.get("data/snapshots/plain.warc", {})
if (p.get("http_status"), p.get("records"), p.get("ok"), p.get("reason"), p.get("footnote")) != (200, 3, True, None, 1): bad.append("plain %r" % p)
if s["data/snapshots/gone.warc"]["http_status"] != 404: bad.append("404")
if s["data/snapshots/redirect.warc.gz"]["http_status"] != 200: bad.append("redirect followed")
if s["data/snapshots/resource.warc"]["http_status"] is not None: bad.append("resource status null")
if (s["data/snapshots/page.pdf"]["records"], s["data/snapshots/page.pdf"]["http_status"]) != (None, None): bad.append("pdf")
if s["data/snapshots/page.pdf"]["media_type"] != "application/pdf": bad.append("pdf media type")
r = {x["footnote"]: x for x in d["references"]}
if any(sorted(x) != ["footnote", "reason", "snapshots", "status", "url"] for x in d["references"]): bad.append("reference keys")
if r[1] != {"footnote": 1, "url": "https://example.org/page/1", "status": "captured", "snapshots": ["data/snapshots/plain.warc"], "reason": None}: bad.append("ref 1 %r" % r[1])
if (r[11]["status"], r[11]["snapshots"], r[11]["reason"]) != ("not_captured", [], "behind a login"): bad.append("ref 11")
if d["coverage"] != {"references": 11, "captured": 9, "not_captured": 2}: bad.append("coverage %r" % d["coverage"])
print("\n".join(bad) if bad else "clean")
PY
has fields.txt "^clean$" "verify --json: snapshots, references and coverage as docs/verify-report.schema.json says"

expect 0 "show lists the sources" -- "$DOSSIER" show good.tar
has out "^  \[1\] https://example.org/page/1$" "show: footnote and URL"
has out "captured 2020-10-15T08:00:00Z, HTTP 200, [0-9]+ B, application/warc \(text/html; charset=utf-8\), 3 WARC records" "show: capture time, HTTP status, size, media type"
has out "captured 2020-10-15T08:00:00Z, HTTP 404," "show: the 404 of a page that was gone"
has out "^  \[9\] captured     https://example.org/page/9$" "show: the references with their coverage"

# Every archive kind feeds the WARC reader from the same read that hashes.
for k in tar.gz tar.zst zip; do
	"$DOSSIER" pack good.json -o "good.$k" 2>/dev/null
	expect 2 "verify .$k: the WARC records are read too" -- "$DOSSIER" verify "good.$k"
	has out "11 references: 9 captured" "verify .$k: coverage reported"
done

# tamper BUNDLE OUT PYTHON-EDIT [ARG]...: extract, edit the bag, then make every manifest, dossier.json
# digest and the tag manifest agree again, as a forger with no signing key would (unsigned).
tamper() {
	rm -rf x && mkdir x && tar xf "$1" -C x
	(cd x/cites && "$PYTHON" -c "$3" "${4-}" "${5-}") # $4, $5: arguments for the edit
	"$PYTHON" - x/cites <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
p = os.path.join(root, "dossier.json")
d = json.load(open(p))
for f in d["files"]:
    data = open(os.path.join(root, f["path"]), "rb").read()
    f["sha256"] = hashlib.sha256(data).hexdigest(); f["size"] = len(data)
open(p, "w").write(json.dumps(d, indent=2, ensure_ascii=False) + "\n")
PY
	bagtool rebag x/cites
	bagtool pack x/cites "$2"
}
EDIT='p="data/snapshots/plain.warc"; b=open(p,"rb").read(); open(p,"wb").write(b.replace(b"The page as it was.", b"The page as it WAS."))'
tamper good.tar forged.tar "$EDIT"
expect 1 "verify: a WARC changed with every manifest made to agree is caught by its record digest" -- "$DOSSIER" verify forged.tar
has out "data/snapshots/plain.warc: record 3 <urn:uuid:00000000-0000-4000-8000-000000000003>: WARC-Block-Digest mismatch" "... naming the file and the record"
lacks out "payload-mismatch|sha256 mismatch" "... and nothing else caught it"
"$DOSSIER" verify --json forged.tar >f.json 2>/dev/null
has f.json '"code": +"snapshot-digest"' "verify --json: finding code snapshot-digest"
expect 1 "verify: the bag directory is read the same way" -- "$DOSSIER" verify x/cites
has out "plain.warc: record 3 .*WARC-Block-Digest mismatch" "... naming the record"
expect 1 "extract refuses the forged WARC" -- "$DOSSIER" extract forged.tar -d xo
has err "plain.warc: record 3 .*WARC-Block-Digest mismatch" "... naming the record"
"$DOSSIER" keygen -W -o ann --name "Ann Example" >/dev/null 2>&1
expect 1 "sign refuses to vouch for the forged WARC" -- "$DOSSIER" sign forged.tar -k ann.key
has err "refusing to sign a damaged bundle" "... saying why"
# the simple case: the file changed, the manifests not
bagtool tar good.tar simple.tar --set "cites/data/snapshots/plain.warc=WARC/1.1" 2>/dev/null
expect 1 "verify: a WARC replaced by a stub fails" -- "$DOSSIER" verify simple.tar
has out "data/snapshots/plain.warc: sha256 mismatch" "... the manifest catches it"
has out "plain.warc: record 1: the file ends inside the record" "... and the WARC reader names the record"
tamper good.tar url.tar 'import json; d=json.load(open("dossier.json")); [f.update(url="https://example.org/other") for f in d["files"] if f["path"].endswith("plain.warc")]; open("dossier.json","w").write(json.dumps(d))'
expect 1 "verify: a snapshot whose url is not in its WARC" -- "$DOSSIER" verify url.tar
has out "plain.warc: the snapshot's url 'https://example.org/other' is not the WARC-Target-URI" "... is named"
tamper good.tar claim.tar 'import json; d=json.load(open("dossier.json")); d["references"][0]["snapshots"]=["data/snapshots/page.pdf"]; open("dossier.json","w").write(json.dumps(d))'
expect 1 "verify: a coverage claim that does not match the files" -- "$DOSSIER" verify claim.tar
has out "footnote 1 lists snapshot 'data/snapshots/page.pdf', which \"files\" has no snapshot for footnote 1" "... is named"
tamper good.tar nc.tar 'import json; d=json.load(open("dossier.json")); r=d["references"][1]; del r["snapshots"]; r["not_captured"]="x"; open("dossier.json","w").write(json.dumps(d))'
expect 1 "verify: not_captured for a footnote that has a snapshot" -- "$DOSSIER" verify nc.tar
has out "footnote 2 says \"not_captured\", but 'data/snapshots/member.warc.gz' is a snapshot for it" "... is named"

# A field WARC 1.1 allows once, given twice in the response record (issue 23.4): a reader
# that keeps the last value would check the good digest and match the good URL, and leave
# the first value unchecked. INSERT puts a line before the response's first FIELD line.
INSERT='import sys; p="data/snapshots/plain.warc"; b=open(p,"rb").read(); f=sys.argv[1].encode(); i=b.index(f, b.index(b"WARC-Type: response")); open(p,"wb").write(b[:i]+sys.argv[2].encode()+b"\r\n"+b[i:])'
tamper good.tar dupdigest.tar "$INSERT" "WARC-Payload-Digest" "warc-payload-digest: sha256:$(printf '%064d' 0)"
expect 1 "verify: a response record with two WARC-Payload-Digest fields is refused" -- "$DOSSIER" verify dupdigest.tar
has out "plain.warc: record 3 <urn:uuid:[0-9a-f-]+>: WARC-Payload-Digest appears more than once" "... naming the record and the field"
tamper good.tar duptarget.tar "$INSERT" "WARC-Target-URI" "WARC-Target-URI: https://example.org/forged"
expect 1 "verify: a response record with two WARC-Target-URI fields is refused" -- "$DOSSIER" verify duptarget.tar
has out "plain.warc: record 3 <urn:uuid:[0-9a-f-]+>: WARC-Target-URI appears more than once" "... naming the record and the field"

# A WARC larger than the second reader's threshold in a stored tar is still read here.
mkwarc big.warc "$U/1" --pad 6000000
spec big.json "$(snap big.warc 1 "$U/1")" "$(ref 1)"
expect 0 "pack: a 6 MB WARC" -- "$DOSSIER" pack big.json -o big.tar
expect 2 "verify: a 6 MB WARC in a stored tar is intact" -- "$DOSSIER" verify big.tar
tamper big.tar bigforged.tar 'p="data/snapshots/big.warc"; b=bytearray(open(p,"rb").read()); b[-100]=ord("y"); open(p,"wb").write(bytes(b))'
expect 1 "verify: a changed byte deep in a 6 MB WARC is caught" -- "$DOSSIER" verify bigforged.tar
has out "big.warc: record 3 .*WARC-Block-Digest mismatch" "... naming the record"

# The report and dossier.json against their published schemas.
"$PYTHON" - "$TOP/docs/verify-report.schema.json" r.json "$TOP/manifests/schema/dossier.schema.json" cites/dossier.json \
	"$TOP/manifests/schema/spec.schema.json" good.json >schema.txt 2>&1 <<'PY'
import json, sys
from jsonschema import Draft202012Validator
for schema, doc in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4]), (sys.argv[5], sys.argv[6])):
    v = Draft202012Validator(json.load(open(schema)))
    for e in v.iter_errors(json.load(open(doc))):
        print(doc, list(e.path), e.message[:200])
print("checked")
PY
has schema.txt "^checked$" "the schemas load"
lacks schema.txt "json" "verify --json, dossier.json and the spec meet docs/verify-report.schema.json, dossier.schema.json and spec.schema.json"
