#!/bin/sh
# demo.sh DOSSIER - the sample letter from spec to verified bundle, with 16 demo keys
# generated now (never committed): keygen, key cards from a demo authority, pack,
# 16 signatures, and a receiver who trusts only the authority verifies.
set -eu
dossier=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/examples/open-letter-2020-10-16/demo
rm -rf "$work"
mkdir -p "$work/keys"
cd "$work"

echo "== 1. sixteen signatories make their keys (demo keys, no passphrase: -W)"
python3 - "$top/manifests/open-letter-2020-10-16.json" >signatories.txt <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["from"]:
    print(p["name"])
PY
i=0
while IFS= read -r name; do
	i=$((i + 1))
	k=$(printf 'keys/signer-%02d' "$i")
	"$dossier" keygen -W -o "$k" --name "$name" >/dev/null
	printf '   key %s  %s\n' "$(sed -n '1s/.*key \([0-9A-F]\{16\}\).*/\1/p' "$k.pub")" "$name"
done <signatories.txt

echo
echo "== 2. an authority (here a demo stand-in for the Parliament's IT office) issues key cards"
"$dossier" keygen -W -o keys/authority --name "European Parliament IT office (demo)" >/dev/null
cards=""
i=0
while IFS= read -r name; do
	i=$((i + 1))
	k=$(printf 'keys/signer-%02d' "$i")
	"$dossier" certify "$k.pub" -k keys/authority.key --name "$name" --affiliation "European Parliament" \
		--valid-from 2020-01-01 --valid-until 2030-12-31 -o "$k.card.json" 2>/dev/null
	cards="$cards --card $k.card.json"
done <signatories.txt
echo "   $i cards, each signed by authority $(sed -n '1s/.*key \([0-9A-F]\{16\}\).*/\1/p' keys/authority.pub)"

echo
echo "== 3. the sender packs the letter, its annex, metadata and the cards (keys bound to names)"
# shellcheck disable=SC2086
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1602806400} "$dossier" pack "$top/manifests/open-letter-2020-10-16.json" -o letter.tar $cards
tar tf letter.tar | grep -v '/keys/.' | sed 's/^/   /'
echo "   ... and $(tar tf letter.tar | grep -c '/keys/.*\.card\.json$') key cards under keys/"

echo
echo "== 4. each signatory signs the tag manifest"
for k in keys/signer-*.key; do
	"$dossier" sign letter.tar -k "$k" -q --yes
done
echo "   $(tar tf letter.tar | grep -c 'signatures/.*\.minisig') signatures in letter.tar"

echo
echo "== 5. the receiver trusts only the authority's key, and verifies"
"$dossier" keyring add --authority --name "European Parliament IT office (demo)" keys/authority.pub -K keyring 2>/dev/null
# and asks that at least 10 of the 16 named signatories signed (each person counted once)
python3 - "$top/manifests/open-letter-2020-10-16.json" >policy.json <<'PY'
import json, sys
names = [p["name"] for p in json.load(open(sys.argv[1]))["from"]]
print(json.dumps({"dossier_policy": 1, "thresholds": [{"at_least": 10, "of": names}]}, ensure_ascii=False))
PY
"$dossier" keyring add policy.json -K keyring 2>/dev/null
set +e
"$dossier" verify letter.tar -K keyring --html report.html
rc=$?
set -e
echo
echo "exit code $rc (0 valid, 1 tampered or forged, 2 untrusted)"
echo "bundle: $work/letter.tar"
echo "printable report: $work/report.html"

echo
echo "== 6. redaction: the annex one case per file, each redactable; a public copy withholds case C004"
# shellcheck disable=SC2086
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1602806400} "$dossier" pack "$top/manifests/open-letter-2020-10-16-redactable.json" \
	-o cases.tar $cards -q
for k in keys/signer-*.key; do
	"$dossier" sign cases.tar -k "$k" -q
done
"$dossier" redact cases.tar -o public.tar --withhold data/annex/cases/C004.json --reason "protects a detainee's family"
set +e
"$dossier" verify public.tar -K keyring -q
prc=$?
set -e
echo "   public.tar: $(tar tf public.tar | grep -c '/data/annex/cases/.') of 31 case files, the 16 signatures unchanged; verify exit $prc"
tar -xOf cases.tar open-letter-2020-10-16-redactable/data/annex/cases/C004.json.salted >C004.json.salted
"$dossier" verify public.tar -K keyring -q --disclosed C004.json.salted && echo "   C004 handed over later: matches the withheld file"
[ "$prc" = 0 ] || rc=$prc
exit $rc
