# test_timestamp.sh - RFC 3161: dossier timestamp against a TSA run here on 127.0.0.1
# (tests/cli/helpers/tsa.py: openssl ts -reply behind a small HTTP server), tokens from
# elsewhere, verify at genTime, and how a trusted time lets a revoked or expired signer count.
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
start_tsa || { not_ok "make the test PKI"; echo "1..$n"; exit 1; }

"$D" keygen -W -o ep --name "EP IT office" >/dev/null
"$D" keygen -W -o helmut --name "Helmut Scholz" >/dev/null
KH=$(keyid helmut.pub)
"$D" certify helmut.pub -k ep.key -o helmut.card.json --name "Helmut Scholz" --affiliation EP --valid-from 2020-01-01 --valid-until 2099-12-31 2>/dev/null
mkdir -p kr/authorities kr/tsa && cp ep.pub kr/authorities/ && cp pki/ca.pem kr/tsa/ && echo "$RELAXED_POLICY" >kr/policy.json
"$D" pack "$SPEC" -o u.tar --card helmut.card.json 2>/dev/null
cp u.tar s.tar && "$D" sign s.tar -k helmut.key 2>/dev/null
ID=$(tar -xOf u.tar $NAME/dossier.json | sed -n 's/.*"id":  "\(.*\)".*/\1/p')

# ---- a good token ----
cp s.tar t.tar
expect 0 "timestamp --tsa: a good token is added" -- "$D" timestamp t.tar --tsa "$URL/good" -K kr
has err "timestamps/1.tsr: genTime [0-9T:-]+Z by /CN=Test TSA 1" "... naming the entry, genTime and TSA"
expect 0 "verify: the token is trusted" -- "$D" verify t.tar -K kr
has out "trusted +timestamps/1.tsr" "... the report lists it as trusted"
has out "covers: tagmanifest-sha256.txt and 1 signature" "... covering the tag manifest and the signature"
expect 0 "verify --json lists the timestamp" -- "$D" verify t.tar -K kr --json
cp out t.json
check "... with entry, TSA, genTime and trusted" -- "$PYTHON" -c '
import json; r=json.load(open("t.json")); t=r["timestamps"][0]
assert t["entry"]=="timestamps/1.tsr" and t["tsa"]=="/CN=Test TSA 1" and t["trusted"] is True and t["gen_time"].endswith("Z"), t'
unpack t.tar x
check "stock tools: openssl ts -verify of timestamps/1.txt, then sha256sum -c it" -- sh -c \
	"cd x/$NAME && openssl ts -verify -data timestamps/1.txt -in timestamps/1.tsr -CAfile $T/pki/ca.pem && sha256sum -c timestamps/1.txt"
cp u.tar tu.tar
expect 0 "an unsigned bundle is stamped over the tag manifest itself" -- "$D" timestamp tu.tar --tsa "$URL/good" -K kr
unpack tu.tar xu
check "... no timestamps/1.txt, and openssl ts -verify -data tagmanifest-sha256.txt passes" -- sh -c \
	"cd xu/$NAME && [ ! -e timestamps/1.txt ] && openssl ts -verify -data tagmanifest-sha256.txt -in timestamps/1.tsr -CAfile $T/pki/ca.pem"

# ---- tokens that do not belong ----
cp t.tar t2.tar
expect 0 "a second token: the new timestamps/2.txt covers the first token" -- "$D" timestamp t2.tar --tsa "$URL/good" -K kr
check "... 2.txt lists timestamps/1.tsr" -- sh -c "tar -xOf t2.tar $NAME/timestamps/2.txt | grep -q '  timestamps/1.tsr\$'"
# another bundle: the same letter packed a day later
SOURCE_DATE_EPOCH=1602892800 "$D" pack "$SPEC" -o other.tar 2>/dev/null && "$D" sign other.tar -k helmut.key 2>/dev/null
unpack other.tar xo && mkdir -p "xo/$NAME/timestamps" && cp "x/$NAME/timestamps/1.tsr" "x/$NAME/timestamps/1.txt" "xo/$NAME/timestamps/" && bagtool pack "xo/$NAME" moved.tar
expect 1 "a token (with its .txt) moved from another bundle: exit 1" -- "$D" verify moved.tar -K kr
has err "timestamps/1.txt: names another tagmanifest-sha256.txt" "... saying it names another tag manifest"
expect 1 "timestamp --token with another bundle's token: exit 1" -- "$D" timestamp other.tar --token "xu/$NAME/timestamps/1.tsr" -K kr
has err "the token is over another imprint, not this bundle" "... saying the imprint differs"

# a token obtained elsewhere: openssl ts -query over the tag manifest, sent by other means
"$D" manifest s.tar >tm.txt
openssl ts -query -data tm.txt -sha256 -cert -out q.tsq 2>/dev/null
curl -s --data-binary @q.tsq -H 'Content-Type: application/timestamp-query' "$URL/second" -o elsewhere.tsr
cp s.tar e.tar
expect 0 "timestamp --token: a token from openssl ts -query, checked and added" -- "$D" timestamp e.tar --token elsewhere.tsr -K kr
expect 0 "... and verify trusts it" -- "$D" verify e.tar -K kr
has out "covers: tagmanifest-sha256.txt\$" "... covering the tag manifest only"

# ---- answers that are refused, and leave the bundle as it was ----
cp s.tar a.tar && cp s.tar a0.tar
"$D" timestamp a.tar --tsa "$URL/good" -K kr 2>/dev/null
tar -xOf a.tar "$NAME/timestamps/1.tsr" >pki/replay.tsr
cp a0.tar rp.tar
expect 1 "a replayed answer (same imprint, another nonce): exit 1" -- "$D" timestamp rp.tar --tsa "$URL/replay" -K kr
has err "nonce differs from the request's" "... saying the nonce differs"
same a0.tar rp.tar "... and the bundle is untouched"
cp s.tar ne.tar
expect 2 "a TSA certificate without the timeStamping EKU: exit 2" -- "$D" timestamp ne.tar --tsa "$URL/noeku" -K kr
has err "lacks the timeStamping extended key usage" "... saying what the certificate lacks"
same s.tar ne.tar "... and the bundle is untouched"
cp s.tar ut.tar
expect 2 "a TSA under a CA you do not trust: exit 2" -- "$D" timestamp ut.tar --tsa "$URL/untrusted" -K kr
has err "certificate verify error.*add its CA certificate" "... saying how to trust it"
expect 74 "a TSA that answers HTTP 500: exit 74" -- "$D" timestamp ut.tar --tsa "$URL/fail" -K kr
has err "the TSA answered HTTP 500" "... naming the status"
expect 1 "a TSA that answers garbage: exit 1" -- "$D" timestamp ut.tar --tsa "$URL/garbage" -K kr
has err "not an RFC 3161 timestamp response" "... saying so"
same s.tar ut.tar "... and the bundle is untouched after all three"
expect 64 "timestamp without --tsa or --token: exit 64" -- "$D" timestamp s.tar
expect 74 "a TSA nobody listens at: exit 74" -- "$D" timestamp ut.tar --tsa "http://127.0.0.1:1/" -K kr --timeout 5

# a token by a TSA the verifier does not trust: stamped with --tsa-ca, then verified without it
cp s.tar vu.tar && "$D" timestamp vu.tar --tsa "$URL/untrusted" -K kr --tsa-ca pki/ca2.pem 2>/dev/null
expect 0 "verify: a token from an untrusted TSA is a notice under the default policy: exit 0" -- "$D" verify vu.tar -K kr
has out "notice +timestamps/1.tsr: not counted: certificate verify error" "... not counted, with the reason"
printf '{"dossier_policy":1,"all_signatories":false,"require_timestamp":true}\n' >need-ts.json
expect 2 "... and with require_timestamp: exit 2" -- "$D" verify vu.tar -K kr --policy need-ts.json
has err "policy not met: trusted timestamps from at least 1 distinct TSA: 0 trusted TSAs" "... saying none counted"
expect 0 "require_timestamp met by a trusted token: exit 0" -- "$D" verify t.tar -K kr --policy need-ts.json
expect 2 "require_timestamp and no token at all: exit 2" -- "$D" verify s.tar -K kr --policy need-ts.json

# ---- trust anchors are roots only (issue 23.3): a TSA's own certificate or an intermediate
# alone in tsa/ trusts nothing; the root does, also through an intermediate ----
pinned() { # keyring dir, certificate file: a keyring whose tsa/ holds only that certificate
	mkdir -p "$1/authorities" "$1/tsa" && cp ep.pub "$1/authorities/" && cp "$2" "$1/tsa/"
}
pinned kpin pki/tsa1.pem
expect 2 "the TSA's own certificate alone in tsa/ is no trust anchor: exit 2" -- "$D" verify t.tar -K kpin --policy need-ts.json
has out "notice +timestamps/1.tsr: not counted" "... the token is not counted"
cp s.tar ti.tar
expect 0 "a token from a TSA under an intermediate CA, the root in tsa/" -- "$D" timestamp ti.tar --tsa "$URL/inter" -K kr
expect 0 "... is trusted through the intermediate it carries" -- "$D" verify ti.tar -K kr --policy need-ts.json
has out "trusted +timestamps/1.tsr" "... and listed as trusted"
pinned kica pki/ica.pem
expect 2 "the intermediate alone in tsa/ is no trust anchor: exit 2" -- "$D" verify ti.tar -K kica --policy need-ts.json
pinned kleaf pki/tsa3.pem
expect 2 "... nor the TSA's own certificate under it: exit 2" -- "$D" verify ti.tar -K kleaf --policy need-ts.json

# ---- two TSAs ----
cp s.tar two.tar
expect 0 "two TSAs in one run" -- "$D" timestamp two.tar --tsa "$URL/good" --tsa "$URL/second" -K kr
printf '{"dossier_policy":1,"all_signatories":false,"min_timestamps":2}\n' >two-tsa.json
expect 0 "min_timestamps 2 with tokens from two distinct TSAs: exit 0" -- "$D" verify two.tar -K kr --policy two-tsa.json
has out "2 trusted TSAs: /CN=Test TSA 1; /CN=Test TSA 2" "... naming both"
expect 2 "min_timestamps 2 with two tokens from one TSA: exit 2" -- "$D" verify t2.tar -K kr --policy two-tsa.json
has err "1 trusted TSA: /CN=Test TSA 1" "... counting the TSA once"

# ---- an expired TSA certificate, valid at genTime ----
cp s.tar old.tar
expect 0 "a TSA certificate expired today but valid at genTime (2020-06-01): accepted" -- "$D" timestamp old.tar --tsa "$URL/old" -K kr
expect 0 "... and verify trusts the token at its genTime" -- "$D" verify old.tar -K kr
has out "trusted +timestamps/1.tsr +2020-06-01T12:0[0-9]:[0-9][0-9]Z" "... showing the 2020 genTime"

# ---- revocation and expiry meet time ----
# a signature made 2020-05-01 (minisign with a dossier-v1 comment), stamped 2020-06-01
"$D" manifest u.tar >tmu.txt
minisign -S -s helmut.key -m tmu.txt -x h2020.minisig -t "dossier-v1 bundle:$ID signer:$KH time:2020-05-01T09:00:00Z" >/dev/null 2>&1
cp u.tar early.tar && "$D" attach early.tar h2020.minisig 2>/dev/null
cp early.tar early-ts.tar && "$D" timestamp early-ts.tar --tsa "$URL/old" -K kr 2>/dev/null
"$D" revoke "$KH" -k ep.key --reason "key stolen" --date 2021-01-01 -o revoked.json 2>/dev/null
cp -r kr krrev && mkdir -p krrev/revoked && cp revoked.json revoked.json.minisig krrev/revoked/
expect 0 "revoked in 2021, timestamped in 2020: the signature counts: exit 0" -- "$D" verify early-ts.tar -K krrev
expect 2 "revoked in 2021, no timestamp: the signature does not count: exit 2" -- "$D" verify early.tar -K krrev
has err "key $KH was revoked on 2021-01-01T00:00:00Z by authority .* \(key stolen\), and no trusted timestamp proves" "... saying what would have helped"
"$D" certify helmut.pub -k ep.key -o short.card.json --name "Helmut Scholz" --affiliation EP --valid-from 2020-01-01 --valid-until 2020-12-31 2>/dev/null
"$D" pack "$SPEC" -o su.tar --card short.card.json 2>/dev/null
"$D" manifest su.tar >tms.txt
IDS=$(tar -xOf su.tar $NAME/dossier.json | sed -n 's/.*"id":  "\(.*\)".*/\1/p')
minisign -S -s helmut.key -m tms.txt -x hs.minisig -t "dossier-v1 bundle:$IDS signer:$KH time:2020-05-01T09:00:00Z" >/dev/null 2>&1
cp su.tar exp.tar && "$D" attach exp.tar hs.minisig 2>/dev/null
cp exp.tar exp-ts.tar && "$D" timestamp exp-ts.tar --tsa "$URL/old" -K kr 2>/dev/null
expect 0 "a card expired in 2020, signature timestamped before that: exit 0" -- "$D" verify exp-ts.tar -K kr
expect 2 "the same without the timestamp: exit 2" -- "$D" verify exp.tar -K kr
has err "the key card expired on 2020-12-31T23:59:59Z, and no trusted timestamp proves" "... saying the card expired"

# ---- damaged tokens ----
unpack t.tar xd
"$PYTHON" -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-10]^=1; open(p,"wb").write(b)' "xd/$NAME/timestamps/1.tsr"
bagtool pack "xd/$NAME" flipped.tar
expect 1 "a token with one bit flipped: exit 1" -- "$D" verify flipped.tar -K kr
has err "timestamps/1.tsr" "... naming the token"
unpack t.tar xt && "$PYTHON" - "xt/$NAME/timestamps/1.tsr" <<'PY'
import re, sys
p = sys.argv[1]; b = open(p, "rb").read()
m = re.search(rb"(20\d\d)(\d{10}Z)", b)  # the genTime, GeneralizedTime YYYYMMDDhhmmssZ
open(p, "wb").write(b[:m.start()] + b"2018" + b[m.start() + 4:])
PY
bagtool pack "xt/$NAME" backdated.tar
expect 1 "a token whose genTime was moved back to 2018: forged, exit 1" -- "$D" verify backdated.tar -K kr
has err "timestamps/1.tsr: the token's signature does not verify \(forged or altered\)" "... not merely untrusted"
unpack t.tar xe && echo "0000000000000000000000000000000000000000000000000000000000000000  signatures/extra.minisig" >>"xe/$NAME/timestamps/1.txt" && bagtool pack "xe/$NAME" txtedit.tar
expect 1 "timestamps/1.txt edited after stamping: exit 1" -- "$D" verify txtedit.tar -K kr
has err "timestamps/1.tsr: the token is over other bytes than timestamps/1.txt" "... saying the token no longer matches"
unpack t.tar xs && cp h2020.minisig "xs/$NAME/signatures/$KH.minisig" && bagtool pack "xs/$NAME" resigned.tar
expect 1 "a signature replaced after it was timestamped: exit 1" -- "$D" verify resigned.tar -K kr
has err "timestamps/1.txt: signatures/$KH.minisig is changed since it was timestamped" "... naming the signature"
unpack t.tar xx && echo junk >"xx/$NAME/timestamps/notes.txt" && bagtool pack "xx/$NAME" junk.tar
expect 1 "an unexpected file in timestamps/: exit 1" -- "$D" verify junk.tar -K kr
has err "timestamps/notes.txt: unexpected file in timestamps/" "... naming it"
cp t.tar dmg.tar && unpack dmg.tar xg && echo "changed" >>"xg/$NAME/data/annex/cases.csv" && bagtool pack "xg/$NAME" dmg.tar
expect 1 "timestamp refuses a damaged bundle: exit 1" -- "$D" timestamp dmg.tar --tsa "$URL/good" -K kr
has err "refusing to sign a damaged bundle|damaged" "... saying it is damaged"

echo "1..$n"
