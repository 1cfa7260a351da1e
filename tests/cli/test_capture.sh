# test_capture.sh - dossier capture and pack --capture against web servers run here on
# 127.0.0.1 (tests/cli/helpers/webserver.py, HTTP and HTTPS under a test CA made now), every
# WARC written read back by an independent reader: webrecorder's warcio (npm, build/node/).
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
WEB="$PYTHON $TOP/tests/cli/helpers/webserver.py"
$WEB pki pki || { not_ok "make the test CA and server certificate"; echo "1..$n"; exit 1; }
$WEB serve "$T/pki" ports 2>web.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$T" "$TEST_HOME"' EXIT
for _ in $(seq 50); do [ -s ports ] && break; sleep 0.1; done
read -r HP SP <ports
H=http://127.0.0.1:$HP
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
HEX='[0-9a-f]{64}'

# summary URL: the line capture printed for URL (from out)
summary() { grep -F "$1 " out | head -1; }
# file_of: the WARC file named at the end of the first summary line
file_of() { head -1 out | awk '{print $NF}'; }
# records FILE: one line per record, "type status" (status only for responses)
records() {
	zcat "$1" | tr -d '\r' | awk '/^WARC-Type: /{t=$2} /^HTTP\/1.1 [0-9]+/{if (t=="response") {print t, $2; t=""}} /^WARC\/1.1$/{if (t!="") print t; t=""} END{if (t!="") print t}'
}

# ---- what is captured ----
expect 0 "an HTML page is captured: exit 0" -- "$D" capture "$H/page.html" -o w
has out "^$H/page.html 200 150 sha256:$HEX w/127.0.0.1-[0-9a-f]{12}\.warc\.gz\$" "... one summary line: URL, status, bytes, payload sha256, file"
PAGE=$(file_of)
want=$(curl -s "$H/page.html" | sha256sum | cut -c1-64)
has out "sha256:$want " "... the sha256 is the page's own bytes"
check "... the file is WARC/1.1 records in gzip: warcinfo, request, response" -- sh -c \
	"[ \"\$(zcat $PAGE | tr -d '\r' | grep '^WARC-Type: ' | tr '\n' ' ')\" = 'WARC-Type: warcinfo WARC-Type: request WARC-Type: response ' ]"
zcat "$PAGE" | tr -d '\r' >page.txt
has page.txt "^WARC-Date: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\$" "... WARC-Date is RFC 3339 UTC"
has page.txt "^WARC-Record-ID: <urn:uuid:[0-9a-f-]{36}>\$" "... record ids are urn:uuid"
has page.txt "^WARC-IP-Address: 127\.0\.0\.1\$" "... WARC-IP-Address names the server's address"
has page.txt "^WARC-Payload-Digest: sha256:$want\$" "... WARC-Payload-Digest is sha256: and hex"
has page.txt "^Content-Type: application/http;msgtype=request\$" "... the request is application/http;msgtype=request"
has page.txt "^User-Agent: Mozilla/5\.0 \(compatible; dossier/[0-9.]+; \+evidence capture\)\$" "... the User-Agent sent names dossier and its version"
check "... request and response point at each other (WARC-Concurrent-To)" -- "$PYTHON" -c '
import re; t=open("page.txt").read(); recs=t.split("WARC/1.1\n")[1:]
f=lambda r,k: re.search("^"+k+": (.*)$", r, re.M).group(1)
req,resp=recs[1],recs[2]
assert f(req,"WARC-Concurrent-To")==f(resp,"WARC-Record-ID") and f(resp,"WARC-Concurrent-To")==f(req,"WARC-Record-ID")'

expect 0 "a PDF is captured" -- "$D" capture "$H/doc.pdf" -o w
has out "^$H/doc.pdf 200 125 sha256:$HEX " "... with its status and size"
zcat "$(file_of)" | tr -d '\r' >pdf.txt
has pdf.txt "^Content-Type: application/pdf\$" "... the response keeps the server's Content-Type"
expect 0 "a PNG image is captured" -- "$D" capture "$H/image.png" -o w
has out "^$H/image.png 200 [0-9]+ sha256:$HEX " "... with its status"
check "... its payload is the PNG's bytes" -- sh -c "zcat $(file_of) | grep -aq 'IHDR'"

expect 0 "a redirect chain 301, 302 (relative Location), 200 is followed" -- "$D" capture "$H/r1" -o w
has out "^$H/r1 200 28 sha256:$HEX " "... the summary gives the last hop's status and body"
records "$(file_of)" | tr '\n' ' ' >chain.txt
has chain.txt "^warcinfo request response 301 request response 302 request response 200 \$" "... every hop's request and response is recorded in order"
zcat "$(file_of)" | tr -d '\r' | grep '^WARC-Target-URI' | uniq >uris.txt
check "... with each hop's URL, the relative Location resolved" -- sh -c \
	"[ \"\$(cat uris.txt | cut -d' ' -f2 | tr '\n' ' ')\" = '$H/r1 $H/r2 $H/final ' ]"

expect 0 "a 404 is still a capture: exit 0" -- "$D" capture "$H/missing" -o w
has out "^$H/missing 404 19 sha256:$HEX " "... the summary shows status 404"

expect 0 "a chunked response is captured" -- "$D" capture "$H/chunked" -o w
zcat "$(file_of)" | tr -d '\r' >chunked.txt
has chunked.txt "^Transfer-Encoding: chunked\$" "... kept as received: the Transfer-Encoding field stays"
has chunked.txt "^d\$" "... and so does the chunk framing"
expect 0 "a gzip Content-Encoding response is captured" -- "$D" capture "$H/gzip" -o w
zcat "$(file_of)" | tr -d '\r' >gz.txt
has gz.txt "^Content-Encoding: gzip\$" "... the body stays the server's compressed bytes"
lacks gz.txt "^Accept-Encoding" "... since the request asked for no encoding itself"

# ---- HTTPS with a real-looking name, mapped to 127.0.0.1 ----
OH="https://www.ohchr.org:$SP/page.html"
expect 0 "https://www.ohchr.org via --resolve and --cacert is captured" -- \
	"$D" capture "$OH" -o w --resolve "www.ohchr.org:$SP:127.0.0.1" --cacert pki/ca.pem
has out "^$OH 200 150 sha256:$HEX w/www\.ohchr\.org-[0-9a-f]{12}\.warc\.gz\$" "... the file is named after the host"
TLSF=$(file_of)
zcat "$TLSF" | tr -d '\r' >tls.txt
has tls.txt "^tls-version: TLSv1\.[23]\$" "... a metadata record gives the TLS version"
has tls.txt "^tls-cipher: [A-Z0-9_-]+\$" "... and the cipher"
has tls.txt "^Content-Type: application/pem-certificate-chain\$" "... another holds the certificate chain"
sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' tls.txt >chain.pem
check "... the PEM chain is the server's: leaf then the test CA" -- sh -c \
	"[ \$(grep -c 'BEGIN CERTIFICATE' chain.pem) = 2 ] && openssl x509 -in chain.pem -noout -subject | grep -q 'dossier test server' && openssl verify -CAfile pki/ca.pem chain.pem >/dev/null"
check "... the metadata records are concurrent to the response" -- "$PYTHON" -c '
import re; recs=open("tls.txt").read().split("WARC/1.1\n")[1:]
f=lambda r,k: re.search("^"+k+": (.*)$", r, re.M).group(1)
resp=[r for r in recs if f(r,"WARC-Type")=="response"][0]
meta=[r for r in recs if f(r,"WARC-Type")=="metadata"]
assert len(meta)==2 and all(f(m,"WARC-Concurrent-To")==f(resp,"WARC-Record-ID") for m in meta)'

# ---- failures: one line naming the URL and the reason, exit 74, no file ----
mkdir f
expect 74 "a server that does not answer in --timeout: exit 74" -- "$D" capture --timeout 1 "$H/slow" -o f
has err "^dossier: $H/slow: timed out after 1 s \(--timeout\)\$" "... saying it timed out"
expect 74 "a body over --max-size (Content-Length): exit 74" -- "$D" capture --max-size 1M "$H/large" -o f
has err "^dossier: $H/large: the response is larger than 1048576 bytes \(--max-size\)\$" "... saying it is too large"
expect 74 "a chunked body over --max-size: exit 74" -- "$D" capture --max-size 1M "$H/large-chunked" -o f
has err "larger than 1048576 bytes" "... also stopped"
"$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' >closed
expect 74 "connection refused (a closed port): exit 74" -- "$D" capture "http://127.0.0.1:$(cat closed)/x" -o f
has err "^dossier: http://127\.0\.0\.1:$(cat closed)/x: .*[Cc]onnect" "... naming the URL and the refusal"
expect 74 "a certificate from a CA not trusted (no --cacert): exit 74" -- \
	"$D" capture "$OH" -o f --resolve "www.ohchr.org:$SP:127.0.0.1"
has err "^dossier: $OH: SSL certificate problem" "... saying why"
expect 74 "a redirect loop: exit 74" -- "$D" capture "$H/loop" -o f
has err "^dossier: $H/loop: too many redirects \(more than 10\)\$" "... saying there were too many redirects"
empty_or_absent f "no file, partial or temporary, is left by any failure"
expect 64 "an ftp:// URL: exit 64" -- "$D" capture "ftp://127.0.0.1/x" -o f
has err "ftp://127.0.0.1/x: not an http:// or https:// URL" "... saying what is wrong"
expect 64 "--timeout 0: exit 64" -- "$D" capture --timeout 0 "$H/page.html" -o f
has err "^dossier: --timeout: '0' is not a number of seconds" "... naming the option"

expect 74 "several URLs, one failing: every URL is tried, exit 74" -- "$D" capture "$H/page.html" "http://127.0.0.1:$(cat closed)/x" "$H/doc.pdf" -o m
cp out many.out
has err "127\.0\.0\.1:$(cat closed)/x" "... the failure names its URL"
check "... the two good ones are written and summarised" -- sh -c "[ \$(ls m | wc -l) = 2 ] && [ \$(wc -l <many.out) = 2 ]"

# ---- existing files ----
cp "$PAGE" before.warc.gz
expect 73 "capturing into an existing file without --force: exit 73" -- "$D" capture "$H/page.html" -o w
has err "already exists; refusing to overwrite \(use --force\)" "... saying so"
same "$PAGE" before.warc.gz "... the file is untouched"
expect 0 "--force replaces it" -- "$D" capture --force "$H/page.html" -o w
differ "$PAGE" before.warc.gz "... with a new capture"

# ---- every file, read by warcio ----
count_members() {
	"$PYTHON" -c '
import sys, zlib
for p in sys.argv[1:]:
    data = open(p, "rb").read(); members = 0; records = 0
    while data:
        d = zlib.decompressobj(31); out = d.decompress(data); out += d.flush()
        members += 1; records += out.count(b"WARC/1.1\r\n", 0, 10); data = d.unused_data
    if members != records: sys.exit("%s: %d gzip members for %d records" % (p, members, records))' "$@"
}
check "each record is its own gzip member" -- count_members w/*.warc.gz m/*.warc.gz
WARCIO=$TOP/build/node/node_modules/warcio
[ -f "$WARCIO/package.json" ] || "$TOP/scripts/ensure-deps" warcio >/dev/null 2>&1
if [ -f "$WARCIO/package.json" ] && command -v node >/dev/null 2>&1; then
	check "warcio reads every file and each record's block and payload digests check" -- \
		env WARCIO="$WARCIO" node "$TOP/tests/cli/helpers/warccheck.mjs" w/*.warc.gz m/*.warc.gz
	cp out warcio.txt
	has warcio.txt "response $H/chunked 200 35 digests ok" "... warcio decodes the chunked body (35 bytes)"
	has warcio.txt "response $H/gzip 200 150 digests ok" "... and the gzip body (150 bytes)"
	check "warcio's own CLI indexes the redirect chain's records" -- sh -c \
		"node $WARCIO/dist/cli.js index w/127.0.0.1-*.warc.gz | grep -c '\"warc-type\":\"response\"' | grep -qx 9"
else
	for what in "warcio reads every file and each record's digests check" "... warcio decodes the chunked body" \
		"... and the gzip body" "warcio's own CLI indexes the records"; do
		skip "$what" "warcio (npm) is not installed in build/node and npm could not install it"
	done
fi

# ---- pack --capture ----
"$D" keygen -W -o alice --name "Helmut Scholz" >/dev/null
echo "the letter" >letter.txt
cat >spec.json <<JSON
{ "spec_version": 1, "name": "captured", "title": "Capture test", "kind": "open-letter", "date": "2020-10-16",
  "from": [ { "name": "Helmut Scholz" } ], "to": [ { "name": "UN" } ],
  "files": [ { "source": "letter.txt", "role": "letter" },
             { "source": "before.warc.gz", "role": "snapshot", "url": "$H/page.html", "captured_at": "2020-10-15T10:00:00Z", "footnote": 3 } ],
  "references": [ { "footnote": 1, "url": "$OH" }, { "footnote": 2, "url": "$H/doc.pdf" }, { "footnote": 3, "url": "$H/page.html" } ] }
JSON
mkdir tmp
expect 0 "pack --capture captures the references that have no snapshot" -- \
	env TMPDIR="$T/tmp" "$D" pack spec.json -o cap.tar -p alice.pub --capture --resolve "www.ohchr.org:$SP:127.0.0.1" --cacert pki/ca.pem
tar -tf cap.tar | grep 'data/snapshots/' | grep -v '/$' | sort >snaps.txt
check "... footnotes 1 and 2 are captured, 3 keeps its own snapshot" -- sh -c \
	"grep -q 'data/snapshots/fn1-www.ohchr.org-[0-9a-f]*.warc.gz' snaps.txt && grep -q 'data/snapshots/fn2-127.0.0.1-' snaps.txt && grep -q 'data/snapshots/before.warc.gz' snaps.txt && [ \$(wc -l <snaps.txt) = 3 ]"
tar -xOf cap.tar captured/dossier.json >cap.json
check "... dossier.json lists them: snapshot, application/warc, url, captured_at, footnote, tool" -- "$PYTHON" -c '
import json; d=json.load(open("cap.json"))
s=[f for f in d["files"] if f["path"].startswith("data/snapshots/fn")]
assert len(s)==2, s
for f in s:
    assert f["role"]=="snapshot" and f["media_type"]=="application/warc" and f["tool"].startswith("dossier ")
    assert f["captured_at"].endswith("Z") and f["footnote"] in (1,2) and f["url"].startswith(("https://www.ohchr.org","http://127.0.0.1"))'
"$D" sign cap.tar -k alice.key 2>/dev/null
expect 0 "... and the signed bundle verifies" -- "$D" verify cap.tar -p alice.pub
has out "ok +snapshot .*data/snapshots/fn1-www\.ohchr\.org" "... listing the captured snapshot"
unpack cap.tar cx
if [ -f "$WARCIO/package.json" ] && command -v node >/dev/null 2>&1; then
	check "... warcio reads the packed snapshots" -- env WARCIO="$WARCIO" node "$TOP/tests/cli/helpers/warccheck.mjs" cx/captured/data/snapshots/fn*.warc.gz
else
	skip "... warcio reads the packed snapshots" "warcio (npm) is not installed"
fi
empty_or_absent tmp "... pack's private capture directory is gone"
sed "s|$H/doc.pdf|$H/slow|" spec.json >slow.json
expect 74 "pack --capture with a reference that times out: exit 74" -- \
	env TMPDIR="$T/tmp" "$D" pack slow.json -o slow.tar --capture --timeout 1 --resolve "www.ohchr.org:$SP:127.0.0.1" --cacert pki/ca.pem
has err "^dossier: references: footnote 2: $H/slow: timed out after 1 s" "... naming the footnote, URL and reason"
absent slow.tar "... and writing no bundle"
empty_or_absent tmp "... nor leaving its captures behind"
expect 64 "pack --timeout without --capture: exit 64" -- "$D" pack spec.json -o x.tar --timeout 5
has err "go with --capture" "... saying so"

# ---- the sample letter's own sources, reached here through --connect-to ----
# The URLs stay the letter's (port 443 and all); only the connection goes to the local
# server, whose test certificate names these hosts.
"$PYTHON" - "$TOP/manifests/open-letter-2020-10-16.json" >sample.json <<'PY'
import json, os, sys
spec = json.load(open(sys.argv[1]))
base = os.path.dirname(os.path.abspath(sys.argv[1]))
for f in spec["files"]:
    f["source"] = os.path.normpath(os.path.join(base, f["source"]))
for r in spec["references"]:
    if r["footnote"] in (1, 2, 6, 7, 10):
        del r["not_captured"]  # captured below; the other four keep the spec's reason
print(json.dumps(spec))
PY
set --
for h in www.akorda.kz twitter.com www.ohchr.org en.odfoundation.eu uprdoc.ohchr.org; do
	set -- "$@" --connect-to "$h:443:127.0.0.1:$SP"
done
expect 0 "pack --capture of the sample letter captures its real URLs through --connect-to" -- \
	env TMPDIR="$T/tmp" "$D" pack sample.json -o sample.tar --capture "$@" --cacert pki/ca.pem
expect 0 "... and show lists the sources" -- "$D" show sample.tar
has out "9 references: 5 captured, 4 not captured" "... with the citation coverage"
has out "^  \[1\] https://www\.akorda\.kz/en/addresses/" "... footnote 1 under its real URL"
has out "captured .*, HTTP 200, " "... a source the server had (HTTP 200)"
has out "captured .*, HTTP 404, " "... and one it did not (HTTP 404), captured all the same"
has out "the demonstration bundle is packed offline" "... and the reason for each one not captured"
expect 2 "verify --html of the unsigned sample bundle: exit 2 (not signed)" -- "$D" verify sample.tar --html sample.html -q
has sample.html "9 reference\(s\): 5 captured in the bundle, 4 not captured" "... the HTML report gives the coverage"
has sample.html "https://www.akorda.kz/en/addresses/" "... with each reference's URL"
has sample.html "data/snapshots/fn1-www.akorda.kz-" "... and the snapshot that covers it"
unpack sample.tar sx
check "... each WARC names the letter's URL, not the local server" -- sh -c \
	"zcat sx/*/data/snapshots/fn1-*.warc.gz | grep -a -q '^WARC-Target-URI: https://www.akorda.kz/en/addresses/' &&
	 ! zcat sx/*/data/snapshots/*.warc.gz | grep -a '^WARC-Target-URI:' | grep -q '127.0.0.1'"
expect 64 "--connect-to that is not HOST:PORT:CHOST:CPORT: exit 64" -- "$D" capture "$OH" -o w2 --connect-to "www.ohchr.org:443"
has err "connect-to: 'www.ohchr.org:443' is not HOST:PORT:CONNECT-HOST:CONNECT-PORT" "... saying what it wants"

echo "1..$n"
