# test_html.sh - verify --html (a self-contained printable report, rendered in headless
# Chromium), the per-check verdicts of --json, and verify of several bundles at once.
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
SCHEMA="$TOP/docs/verify-report.schema.json"

# ---- a signed sample with key cards from an authority the receiver trusts ----
"$D" keygen -W -o ep --name "EP IT office (test)" >/dev/null
"$D" keygen -W -o alice --name "Helmut Scholz" >/dev/null
"$D" keygen -W -o bob --name "Brando Benifei" >/dev/null
KA=$(keyid alice.pub) KB=$(keyid bob.pub)
"$D" certify alice.pub -k ep.key -o alice.card.json --name "Helmut Scholz" --affiliation "European Parliament" \
	--valid-from 2020-01-01 --valid-until 2099-12-31 2>/dev/null
"$D" certify bob.pub -k ep.key -o bob.card.json --name "Brando Benifei" --affiliation "European Parliament" \
	--valid-from 2020-01-01 --valid-until 2099-12-31 2>/dev/null
"$D" pack "$SPEC" -o s.tar --card alice.card.json --card bob.card.json 2>/dev/null &&
	"$D" sign s.tar -k alice.key -q && "$D" sign s.tar -k bob.key -q || not_ok "building the signed sample"
mkdir -p kr/authorities empty && cp ep.pub kr/authorities/ && echo "$RELAXED_POLICY" >kr/policy.json
"$D" pack "$SPEC" -o unsigned0.tar -p alice.pub -p bob.pub 2>/dev/null || not_ok "packing without cards"

expect 0 "--html of a valid bundle: exit 0" -- "$D" verify s.tar -K kr --html r.html
has out "^verdict   VALID" "--html: the text report still goes to stdout"
present r.html "--html: the report is written"
has r.html '<meta charset="utf-8">' "html: declares UTF-8"
has r.html '^<!DOCTYPE html>' "html: an HTML5 document"
has r.html 'class="banner valid"><div class="word">&#10004; VALID' "html: the VALID banner, in words"
has r.html 'Open letter of 16 Members of the European Parliament' "html: the letter's title"
has r.html '<dt>Place</dt><dd>Brussels</dd>' "html: the letter's place"
has r.html 'H.E. Kassym-Jomart Tokayev' "html: the addressee"
has r.html "Helmut Scholz<br><span class=\"small\">GUE/NGL</span>" "html: a signatory and group"
has r.html ">$KA<" "html: a signer's key id"
has r.html "Key card keys/$KB.card.json issued by authority" "html: the trust chain through a card"
has r.html '<td>signatures</td><td class="ok">&#10004; passed' "html: the checks table"
has r.html 'at least 1 trusted signatory' "html: the policy rules"
has r.html '<td class="hash">[0-9a-f]{64}</td>' "html: files with their SHA-256"
has r.html 'Note</th><th>URL' "html: the references"
has r.html '^tar -xf s.tar$' "html: how to check: unpack with tar"
has r.html "^minisign -Vm tagmanifest-sha256.txt -x signatures/$KA.minisig -p &quot;\\\$KEYS/$KA.pub&quot;\$" "html: how to check: minisign per signature"
has r.html '^sed &#39;s/%25/%/g&#39; manifest-sha256.txt \| sha256sum --strict -c$' "html: how to check: sha256sum"
has r.html '^cut -c67- manifest-sha256.txt \| LC_ALL=C sort \| diff - &quot;\$\{TMPDIR:-/tmp\}/present&quot;$' \
	"html: how to check: a command that fails on a file added (test_stock_procedure.sh runs them)"
has r.html 'Checked by dossier [0-9.]+ at 2020-10-16T00:00:00Z' "html: the time of the check from SOURCE_DATE_EPOCH"
has r.html 'keyring kr\. Policy: kr/policy\.json' "html: the verifier's keyring and policy"
has r.html '@page\{size:A4' "html: printed on A4"
has r.html 'thead\{display:table-header-group\}' "html: table heads repeat on every page"
has r.html 'word-break:break-all' "html: hashes break instead of overflowing"
lacks r.html '<script|src=|href=|url\(|@import|<link|<img|<iframe' "html: no script and no external resource"
# the report names the file it is about (issue 16.5): name, size, SHA-256, and the signed object's SHA-256
FILE_SHA=$(sha256sum s.tar | cut -c1-64) FILE_SIZE=$(wc -c <s.tar | tr -d ' ')
TAG_SHA=$(tar -xOf s.tar "$NAME/tagmanifest-sha256.txt" | sha256sum | cut -c1-64)
has r.html "<section class=\"identity\"><dl><dt>File</dt><dd class=\"mono\">s.tar</dd><dt>Size</dt><dd>$FILE_SIZE bytes</dd><dt>SHA-256</dt><dd class=\"hash\">$FILE_SHA</dd>" \
	"html: the file's name, size and SHA-256 at the top"
has r.html "<dt>Signed object</dt><dd><span class=\"hash\">$TAG_SHA</span>" "html: the tag manifest's SHA-256"
has out "^  file      s.tar, $FILE_SIZE bytes, sha256 $FILE_SHA\$" "text: the file's name, size and SHA-256 on one line"
"$D" verify s.tar -K kr --json >id.json 2>/dev/null
"$PYTHON" -c 'import json,sys; f=json.load(open(sys.argv[1]))["bundle_file"]; print(f["name"], f["kind"], f["size"], f["sha256"], f["tagmanifest_sha256"])' id.json >id.txt
has id.txt "^s.tar file $FILE_SIZE $FILE_SHA $TAG_SHA\$" "json: bundle_file has the name, kind, size and both digests"
"$D" verify - -K kr --json <s.tar >id.json 2>/dev/null
"$PYTHON" -c 'import json,sys; f=json.load(open(sys.argv[1]))["bundle_file"]; print(f["name"], f["kind"], f["size"], f["sha256"])' id.json >id.txt
has id.txt "^- stdin $FILE_SIZE $FILE_SHA\$" "json: a bundle on stdin has the digest of the bytes read"
"$D" pack "$SPEC" -o z.zip 2>/dev/null
"$D" verify z.zip --json >id.json 2>/dev/null
"$PYTHON" -c 'import json,sys; f=json.load(open(sys.argv[1]))["bundle_file"]; print(f["name"], f["sha256"])' id.json >id.txt
has id.txt "^z.zip $(sha256sum z.zip | cut -c1-64)\$" "json: a zip's digest (read by its central directory) is the file's too"
# large files, which a second reader hashes (aside.c) while the main one reads past them
mkdir big && yes abcdefgh | head -c 5000000 >big/a.bin && yes ijklmnop | head -c 6000000 >big/b.bin &&
	yes qrstuvwx | head -c 5500000 >big/c.bin && "$D" pack big -o big.tar 2>/dev/null
"$D" verify big.tar --json >id.json 2>/dev/null
"$PYTHON" -c 'import json,sys; f=json.load(open(sys.argv[1]))["bundle_file"]; print(f["size"], f["sha256"])' id.json >id.txt
has id.txt "^$(wc -c <big.tar | tr -d ' ') $(sha256sum big.tar | cut -c1-64)\$" "json: the digest of a tar whose large files a second reader hashes"
"$D" pack big -o big.tar.zst 2>/dev/null && "$D" verify big.tar.zst --json >id.json 2>/dev/null
"$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bundle_file"]["sha256"])' id.json >id.txt
has id.txt "^$(sha256sum big.tar.zst | cut -c1-64)\$" "json: the digest of a tar.zst"
mkdir dirbag && tar -xf s.tar -C dirbag
"$D" verify "dirbag/$NAME" -K kr --json --html d.html >dir.json 2>/dev/null
"$PYTHON" -c 'import json,sys; f=json.load(open(sys.argv[1]))["bundle_file"]; print(f["kind"], f["size"], f["sha256"], f["tagmanifest_sha256"])' dir.json >id.txt
has id.txt "^directory None None $TAG_SHA\$" "json: a bag directory has no file digest, but the tag manifest's"
has d.html 'a bag directory, not an archive file.*a directory has no file digest' "html: a bag directory says it has no file digest"
"$D" verify "dirbag/$NAME" -K kr >out 2>/dev/null
has out "^  file      $NAME \\(a bag directory: no file digest\\)\$" "text: a bag directory says it has no file digest"
"$D" verify s.tar -K kr --html r2.html >/dev/null 2>&1
same r.html r2.html "html: the same check gives the same bytes (SOURCE_DATE_EPOCH)"
no_temps . "html: no temp file left"

# The report renders and prints in a browser (headless Chromium; never under valgrind).
if command -v chromium >/dev/null 2>&1; then
	chrome() { timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$T/chr" "$@" >/dev/null 2>&1; }
	chrome --no-pdf-header-footer --print-to-pdf="$T/r.pdf" "file://$T/r.html"
	if [ -s r.pdf ] && [ "$(head -c 5 r.pdf)" = "%PDF-" ]; then ok "chromium: prints the report to PDF"; else not_ok "chromium: prints the report to PDF" "no PDF"; fi
	chrome --screenshot="$T/r.png" --window-size=900,1400 "file://$T/r.html"
	if [ -s r.png ] && [ "$(od -An -tx1 -N4 r.png | tr -d ' \n')" = 89504e47 ]; then ok "chromium: renders a screenshot"; else not_ok "chromium: renders a screenshot" "no PNG"; fi
	if command -v pdftotext >/dev/null 2>&1; then
		pdftotext -layout r.pdf r.txt 2>/dev/null
		has r.txt 'VALID' "pdf: the verdict is in the printed text"
		has r.txt 'How to check this yourself' "pdf: the stock-tool steps are printed"
		has r.txt "$KA" "pdf: the key ids are printed"
		pages=$(pdfinfo r.pdf 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1x\2/p')
		case $pages in 59[45]*x84[12]*) ok "pdf: A4 pages" ;; *) not_ok "pdf: A4 pages" "page size $pages" ;; esac
	else
		skip "pdf: the printed text" "pdftotext (poppler-utils) not installed"
	fi
else
	skip "chromium: renders and prints the report" "chromium not installed (scripts/ensure-deps test installs it)"
fi

# ---- bundle text is text: markup in a title, names and descriptions is escaped ----
EVIL='<script>alert(1)</script> "Q" & '"'"'A'"'"
EVIL="$EVIL" "$PYTHON" - "$SPEC" evil.json <<'PY'
import json, os, sys
spec = json.load(open(sys.argv[1]))
evil = os.environ["EVIL"]
spec["title"] = evil + " title"
spec["from"] = [{"name": evil + " signer", "group": evil + " group"}]
for f in spec["files"]:
    f["source"] = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), f["source"])
    f["description"] = evil + " description"
json.dump(spec, open(sys.argv[2], "w"))
PY
"$D" keygen -W -o evil --name "$EVIL signer" >/dev/null &&
	"$D" pack evil.json -o evil.tar -p evil.pub 2>/dev/null && "$D" sign evil.tar -k evil.key -q || not_ok "building the hostile bundle"
expect 0 "html: a bundle with markup in its text verifies" -- "$D" verify evil.tar -p evil.pub --html e.html
lacks e.html '<script' "html: no raw <script from the bundle"
has e.html '&lt;script&gt;alert\(1\)&lt;/script&gt; &quot;Q&quot; &amp; &#39;A&#39; title' "html: the title escaped"
has e.html '&lt;script&gt;alert\(1\)&lt;/script&gt; &quot;Q&quot; &amp; &#39;A&#39; signer' "html: the signer's name escaped"
has e.html '&lt;script&gt;alert\(1\)&lt;/script&gt; &quot;Q&quot; &amp; &#39;A&#39; description' "html: a file's description escaped"
has e.html '<title>valid — verification of ' "html: the page title"

# a name to paste into a shell is quoted: the bundle's file name here
cp s.tar "it's \$(x).tar"
expect 0 "html: a bundle file name with a quote" -- "$D" verify "it's \$(x).tar" -K kr --html q.html
has q.html '^tar -xf &#39;it&#39;\\&#39;&#39;s \$\(x\)\.tar&#39;$' "html: a file name is quoted for the shell"

# ---- the report is written whole or not at all ----
expect 73 "--html into a missing directory: exit 73" -- "$D" verify s.tar -K kr --html nodir/r.html
has err "nodir/r.html" "--html into a missing directory: the message names the file"
absent nodir "--html into a missing directory: nothing created"
mkdir adir
expect 73 "--html onto a directory: exit 73" -- "$D" verify s.tar -K kr --html adir
has err "adir: is a directory" "--html onto a directory: the reason"
empty_or_absent adir "--html onto a directory: nothing written into it"
no_temps . "--html failures: no temp file left"
expect 64 "--html without a file name: exit 64" -- "$D" verify s.tar --html

# ---- an invalid and an untrusted bundle ----
# the same number of bytes, one changed: the payload check fails, the bag's layout holds
annex=$(tar -xOf s.tar "$NAME/data/annex/cases.csv" | "$PYTHON" -c 'import sys; d = sys.stdin.read(); sys.stdout.write("X" + d[1:] + "|")')
bagtool tar s.tar t.tar --set "$NAME/data/annex/cases.csv=${annex%|}" || not_ok "tampering"
expect 1 "--html of a tampered bundle: exit 1" -- "$D" verify t.tar -K kr --html t.html
has t.html 'class="banner invalid"><div class="word">&#10008; INVALID' "html: the INVALID banner"
has t.html 'The file “data/annex/cases.csv” was changed after the bundle was made' "html: the reason in plain words"
has t.html 'data/annex/cases.csv: sha256 mismatch' "html: and the technical message"
# under INVALID no signature row and no signature or trust check is green (issue 16.6)
lacks t.html '&#10004; valid' "html INVALID: no signature shows a green valid"
lacks t.html '<td>(signatures|trust)</td><td class="ok">' "html INVALID: the signatures and trust checks do not show passed"
has t.html '<td class="warn">&#9888; matches, but not this copy<br><span class="small">the signature matches a tag manifest that no longer matches the files' \
	"html INVALID: a matching signature says what it means"
has t.html '<td>signatures</td><td class="warn">&#9888; not for this copy</td><td>2 signature\(s\) verify over tagmanifest-sha256.txt; but the signature matches a tag manifest' \
	"html INVALID: the signatures check says what it means"
has t.html 'they vouch for the bundle as it was signed, not for this copy' "html INVALID: the count of signatures says so too"
lacks t.html '&#10004; signed' "html INVALID: no named signatory shows a green signed"
has t.html '<td class="warn">&#9888; signed, but not this copy</td>' "html INVALID: a signatory who signed says what it means"
has t.html 'signature, over the bundle as it was signed, not over this copy' "... and so does their count"
expect 2 "--html of an untrusted bundle: exit 2" -- "$D" verify s.tar -K empty --html u.html
has u.html 'class="banner untrusted"><div class="word">&#9888; UNTRUSTED' "html: the UNTRUSTED banner"
has u.html 'is correct, but its key is not trusted' "html: the untrusted reason in plain words"
EP=$(keyid ep.pub)
has u.html "is correct, but its key is not trusted\\. Why: keys/$KA\\.card\\.json: authority $EP is not trusted \\(its key is not in the keyring&#39;s authorities/\\)\\." \
	"html UNTRUSTED: the actual reason per signer, from the library"
lacks u.html 'for example a revoked key' "html UNTRUSTED: no generic example instead of the reason"
cp unsigned0.tar k.tar && "$D" sign k.tar -k alice.key -q || not_ok "signing without a card"
expect 2 "--html of a bundle signed by an unknown key: exit 2" -- "$D" verify k.tar -K empty --html k.html
has k.html 'is by a key this verifier does not know' "html: an unknown key in plain words"
has k.html 'Unknown key: not in this verifier' "html: an unknown key's trust chain"

# ---- --json: one verdict per check ----
# checks FILE: "code=verdict ..." of the report's checks, in order
checks() { "$PYTHON" -c 'import json,sys; print(" ".join(c["code"]+"="+c["verdict"] for c in json.load(open(sys.argv[1]))["checks"]))' "$1"; }
# checks_are FILE WANT NAME
checks_are() { _got=$(checks "$1"); if [ "$_got" = "$2" ]; then ok "$3"; else not_ok "$3" "got $_got" "want $2"; fi; }
# valid_report FILE NAME: the report meets docs/verify-report.schema.json
valid_report() {
	if "$PYTHON" -c 'import jsonschema' 2>/dev/null; then
		if "$PYTHON" -c 'import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' "$SCHEMA" "$1" 2>schema.err
		then ok "$2"; else not_ok "$2" "$(tail -c 600 schema.err)"; fi
	else
		skip "$2" "python3-jsonschema not installed"
	fi
}
# json_checks NAME BUNDLE KEYRING WANT: verify --json of BUNDLE (to NAME.json) has the checks
# WANT and meets the schema
json_checks() {
	"$D" verify "$2" -K "$3" --json >"$1.json" 2>/dev/null
	checks_are "$1.json" "$4" "json checks: $1"
	valid_report "$1.json" "json: the report of $1 meets the schema"
}
P=structure=passed\ payload=passed\ tags=passed\ metadata=passed
valid_report dir.json "json: the report of a bag directory meets the schema"
json_checks valid s.tar kr "$P signatures=passed trust=passed policy=passed timestamps=indeterminate history=indeterminate"
json_checks tampered t.tar kr "structure=passed payload=failed tags=passed metadata=passed signatures=passed trust=passed policy=indeterminate timestamps=indeterminate history=indeterminate"
has tampered.json '"detail":[[:space:]]*"data/annex/cases.csv: sha256 mismatch' "json checks: a failed check says why"
json_checks untrusted-authority s.tar empty "$P signatures=passed trust=failed policy=failed timestamps=indeterminate history=indeterminate"
json_checks unknown-key k.tar empty "$P signatures=indeterminate trust=failed policy=failed timestamps=indeterminate history=indeterminate"
"$D" pack "$SPEC" -o unsigned.tar 2>/dev/null
json_checks unsigned unsigned.tar kr "$P signatures=indeterminate trust=indeterminate policy=failed timestamps=indeterminate history=indeterminate"
"$D" reissue s.tar -o v2.tar --reason "re-signed" 2>/dev/null && "$D" sign v2.tar -k alice.key -q || not_ok "re-issuing"
"$D" verify v2.tar -K kr --json --html v2.html >v2.json 2>/dev/null
checks_are v2.json "structure=passed payload=passed tags=passed metadata=passed signatures=passed trust=passed policy=passed timestamps=indeterminate history=passed" \
	"json checks: a re-issued bundle"
has v2.html '<h2>History of versions</h2>' "html: the versions of a re-issued bundle"
has v2.html 're-signed' "html: why it was re-issued"
expect 0 "--json and --html together: exit 0" -- "$D" verify s.tar -K kr --json --html j.html
has out '"checks"' "--json and --html together: JSON on stdout"
same r.html j.html "--json and --html together: the same HTML"

# ---- several bundles at once ----
expect 1 "several bundles: the worst verdict (invalid) is the exit status" -- "$D" verify s.tar t.tar unsigned.tar -K kr
has out '^s.tar: VALID — 2 of 2 signatures trusted, policy met$' "several bundles: a valid one's line"
has out '^t.tar: INVALID — data/annex/cases.csv: sha256 mismatch' "several bundles: an invalid one's line and reason"
has out '^unsigned.tar: UNTRUSTED — bundle is not signed' "several bundles: an untrusted one's line"
if [ "$(wc -l <out)" = 3 ]; then ok "several bundles: one line each"; else not_ok "several bundles: one line each" "$(cat out)"; fi
has err '^dossier: t.tar: data/annex/cases.csv: sha256 mismatch' "several bundles: stderr names the bundle"
expect 2 "several bundles: untrusted beats valid" -- "$D" verify s.tar unsigned.tar -K kr
expect 0 "several bundles: all valid, exit 0" -- "$D" verify s.tar s.tar -K kr
expect 66 "several bundles: one that cannot be opened outranks every verdict" -- "$D" verify t.tar missing.tar s.tar -K kr
has out '^missing.tar: NOT CHECKED' "several bundles: the missing one's line"
has out '^s.tar: VALID' "several bundles: the ones after it are still checked"
expect 0 "several bundles with -v: exit 0" -- "$D" verify s.tar s.tar -K kr -v
has out '^verdict   VALID' "several bundles with -v: the full reports"
expect 1 "several bundles with -q: exit 1" -- "$D" verify s.tar t.tar -K kr -q
if [ ! -s out ]; then ok "several bundles with -q: nothing on stdout"; else not_ok "several bundles with -q: nothing on stdout" "$(cat out)"; fi
expect 64 "several bundles with --json: exit 64" -- "$D" verify s.tar t.tar --json
has err "one bundle" "several bundles with --json: why"
expect 64 "several bundles with --html: exit 64" -- "$D" verify s.tar t.tar --html x.html
absent x.html "several bundles with --html: nothing written"
