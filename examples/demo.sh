#!/bin/sh
# demo.sh DOSSIER - the sample letter from spec to verified bundle, with 16 demo keys
# generated now (never committed): keygen, pack, 16 signatures, verify, report.
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
pubs=""
while IFS= read -r name; do
	i=$((i + 1))
	k=$(printf 'keys/signer-%02d' "$i")
	"$dossier" keygen -W -o "$k" --name "$name" >/dev/null
	pubs="$pubs -p $k.pub"
	printf '   key %s  %s\n' "$(sed -n '1s/.*key \([0-9A-F]\{16\}\).*/\1/p' "$k.pub")" "$name"
done <signatories.txt

echo
echo "== 2. the sender packs the letter, its annex and metadata (keys bound to names)"
# shellcheck disable=SC2086
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1602806400} "$dossier" pack "$top/manifests/open-letter-2020-10-16.json" -o letter.tar $pubs
tar tf letter.tar | sed 's/^/   /'

echo
echo "== 3. each signatory signs the tag manifest"
for k in keys/signer-*.key; do
	"$dossier" sign letter.tar -k "$k" -q
done
echo "   $(tar tf letter.tar | grep -c 'signatures/.*\.minisig') signatures in letter.tar"

echo
echo "== 4. the receiver verifies with the signatories' public keys"
mkdir -p keyring
cp keys/*.pub keyring/
set +e
"$dossier" verify letter.tar -K keyring
rc=$?
set -e
echo
echo "exit code $rc (0 valid, 1 tampered or forged, 2 untrusted)"
echo "bundle: $work/letter.tar"
exit $rc
