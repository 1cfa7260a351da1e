# test_redact.sh - redactable files (salted), dossier redact, and how verify treats a
# redacted copy: withheld files accounted for, lies refused, disclosure, policy, stock tools.
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
NAME=red # the top directory of the bundles made here (unpacked and packed again by name)
mkdir cases
printf 'The letter.\n' >letter.txt
for i in 1 2 3; do printf '{"case": %d, "name": "Person %d"}\n' "$i" "$i" >cases/00$i.json; done
spec() { # spec FILE REDACTABLE: the letter and three cases, the cases redactable or not
	cat >"$1" <<EOF
{"spec_version": 1, "name": "$NAME", "title": "Redaction test", "kind": "open-letter", "date": "2020-10-16",
 "from": [{"name": "Helmut Scholz"}, {"name": "Brando Benifei"}], "to": [{"name": "Receiver"}],
 "files": [{"source": "letter.txt", "role": "letter"},
  {"source": "cases/001.json", "role": "annex", "path": "annex/cases/001.json", "redactable": $2},
  {"source": "cases/002.json", "role": "annex", "path": "annex/cases/002.json", "redactable": $2},
  {"source": "cases/003.json", "role": "annex", "path": "annex/cases/003.json", "redactable": $2}]}
EOF
}
spec spec.json true
"$D" keygen -W -o alice --name "Helmut Scholz" >/dev/null
"$D" keygen -W -o bob --name "Brando Benifei" >/dev/null
"$D" pack spec.json -o full.tar -p alice.pub -p bob.pub 2>/dev/null
"$D" sign full.tar -k alice.key 2>/dev/null && "$D" sign full.tar -k bob.key 2>/dev/null
C1=data/annex/cases/001.json.salted
KEYS="-p alice.pub -p bob.pub"

# ---- the packed form ----
unpack full.tar f
check "a redactable file is stored as name.salted: 64 hex digits and a newline, then its bytes" -- sh -c \
	"head -n1 f/$NAME/$C1 | grep -Eqx '[0-9a-f]{64}' && tail -c +66 f/$NAME/$C1 | cmp -s - cases/001.json"
has "f/$NAME/dossier.json" '"redactable": +true' "dossier.json marks it redactable"

# ---- redact one case: signatures still verify ----
expect 0 "redact one case file" -- "$D" redact full.tar -o pub.tar --withhold "$C1" --reason "protects a witness"
has err "wrote pub.tar: 1 more file withheld" "... saying what it wrote"
check "... the case is gone, redactions.json is there" -- sh -c \
	"! tar tf pub.tar | grep -q '001.json' && tar tf pub.tar | grep -q '^$NAME/redactions.json\$'"
expect 0 "verify of the redacted copy: exit 0 with both signatures valid" -- "$D" verify pub.tar $KEYS
has out "2 of 2 signature\(s\) valid and trusted" "... both signatures valid"
has out "^1 file withheld:" "... saying 1 file withheld"
has out "withheld .*$C1 \(protects a witness\)" "... with its path and reason"
unpack pub.tar p
for e in tagmanifest-sha256.txt manifest-sha256.txt dossier.json bag-info.txt signatures/$(keyid alice.pub).minisig; do
	same "f/$NAME/$e" "p/$NAME/$e" "$e is byte-identical in the redacted copy"
done
expect 0 "verify --html of the redacted copy" -- "$D" verify pub.tar $KEYS --html pub.html -q
has pub.html "<h2>Files withheld from this copy</h2>" "... the HTML report has a section for withheld files"
has pub.html "$C1" "... naming the withheld file"
has pub.html "protects a witness" "... and the reason"
expect 0 "verify --json lists the withheld file" -- "$D" verify pub.tar $KEYS --json
cp out pub.json
check "... withheld: path, sha256, size, reason, disclosed null" -- "$PYTHON" -c "
import json; r=json.load(open('pub.json')); w=r['withheld']
assert len(w)==1 and w[0]['path']=='$C1' and len(w[0]['sha256'])==64 and w[0]['size']==$(wc -c <"f/$NAME/$C1"), w
assert w[0]['reason']=='protects a witness' and w[0]['disclosed'] is None, w
assert any(c['rule'].startswith('files may be withheld') and c['met'] for c in r['policy']['checks']), r['policy']"

# ---- stock tools on the redacted bag ----
if command -v minisign >/dev/null; then
	check "minisign -Vm tagmanifest-sha256.txt still passes on the redacted bag" -- sh -c \
		"cd p/$NAME && minisign -Vm tagmanifest-sha256.txt -x signatures/$(keyid alice.pub).minisig -p '$T/alice.pub'"
else
	skip "minisign -Vm on the redacted bag" "minisign is not installed"
fi
(cd "p/$NAME" && sha256sum -c manifest-sha256.txt >"$T/sums" 2>&1)
check "sha256sum -c manifest-sha256.txt fails only on the withheld line" -- sh -c \
	"[ \"\$(grep -v ': OK\$' sums | grep -v '^sha256sum: ')\" = '$C1: FAILED open or read' ] && [ \$(grep -c ': OK\$' sums) = 3 ]"
check "sha256sum -c tagmanifest-sha256.txt passes" -- sh -c "cd p/$NAME && sha256sum -c --quiet tagmanifest-sha256.txt"

# ---- disclosure ----
cp "f/$NAME/$C1" 001.json.salted
expect 0 "verify --disclosed: the right file matches" -- "$D" verify pub.tar $KEYS --disclosed 001.json.salted
has out "001.json.salted: matches withheld $C1" "... saying which withheld file it is"
printf '{"case": 1, "name": "Someone else"}\n' | cat "f/$NAME/$C1" - | head -c 65 >changed.tmp
printf '{"case": 1, "name": "Someone else"}\n' >>changed.tmp
mkdir -p chg && mv changed.tmp chg/001.json.salted
expect 1 "verify --disclosed: a changed file does not match (exit 1)" -- "$D" verify pub.tar $KEYS --disclosed chg/001.json.salted
has err "chg/001.json.salted: does not match withheld $C1" "... saying so"
expect 1 "verify --disclosed: the original without its salt line does not match" -- "$D" verify pub.tar $KEYS --disclosed cases/001.json
expect 1 "verify --json --disclosed marks it differs" -- "$D" verify pub.tar $KEYS --json --disclosed chg/001.json.salted
cp out chg.json
check "... disclosed: differs" -- "$PYTHON" -c "
import json; assert json.load(open('chg.json'))['withheld'][0]['disclosed']=='differs'"

# ---- policy ----
printf '{"dossier_policy": 1, "allow_redaction": false}\n' >nored.json
expect 2 "policy allow_redaction false: a redacted copy exits 2" -- "$D" verify pub.tar $KEYS --policy nored.json
has err "policy not met: no file may be withheld" "... naming the rule"
expect 0 "... the full bundle still passes that policy" -- "$D" verify full.tar $KEYS --policy nored.json
printf '{"dossier_policy": 1, "allow_redaction": "no"}\n' >badpol.json
expect 64 "a policy whose allow_redaction is not a boolean is refused" -- "$D" verify pub.tar $KEYS --policy badpol.json

# ---- more redaction, refusals ----
expect 0 "redact all redactable files" -- "$D" redact full.tar -o all.tar --withhold data/annex/cases/001.json \
	data/annex/cases/002.json data/annex/cases/003.json --reason "all cases"
expect 0 "... verifies, 3 files withheld" -- "$D" verify all.tar $KEYS
has out "^3 files withheld:" "... saying 3 files withheld"
expect 0 "redacting the redacted copy further merges redactions.json" -- "$D" redact pub.tar -o pub2.tar \
	--withhold data/annex/cases/002.json.salted --reason "second"
check "... both listed, each with its reason" -- sh -c "tar -xOf pub2.tar $NAME/redactions.json | tr -d ' \n' |
	grep -q '001.json.salted.*protectsawitness.*002.json.salted.*second'"
expect 0 "... and verifies" -- "$D" verify pub2.tar $KEYS
expect 64 "redact the letter: refused (not redactable)" -- "$D" redact full.tar -o x.tar --withhold data/letter/letter.txt
has err "data/letter/letter.txt: not marked redactable in dossier.json" "... saying why"
expect 64 "redact a tag file: refused" -- "$D" redact full.tar -o x.tar --withhold dossier.json
has err "dossier.json: a tag file; only payload files under data/ can be withheld" "... saying why"
expect 64 "redact a path not in the bundle: refused" -- "$D" redact full.tar -o x.tar --withhold data/annex/nope.json
has err "data/annex/nope.json: not in the bundle" "... saying why"
absent x.tar "no output is left after a refusal"
no_temps . "... and no temp file"
unpack full.tar dm && printf 'changed' >"dm/$NAME/data/letter/letter.txt" && bagtool pack "dm/$NAME" dmg.tar
expect 1 "redact a bundle that is not intact: refused" -- "$D" redact dmg.tar -o x.tar --withhold "$C1"
has err "refusing to redact a damaged bundle" "... saying why"
expect 73 "redact onto an existing output without --force: refused" -- "$D" redact full.tar -o pub.tar --withhold "$C1"
expect 64 "redact without --withhold: usage" -- "$D" redact full.tar -o x.tar

# ---- copies that lie ----
bad() { # bad NAME CODE PATTERN -- edit commands run in the bag dir (a copy of the redacted one)
	_n=$1 _c=$2 _p=$3; shift 4
	rm -rf e && cp -r p e && (cd "e/$NAME" && eval "$*") && bagtool pack "e/$NAME" e.tar
	expect "$_c" "$_n" -- "$D" verify e.tar $KEYS
	has err "$_p" "... $_n: message"
}
bad "a file removed without being listed: exit 1" 1 "data/annex/cases/002.json.salted: listed in manifest-sha256.txt but missing" -- \
	rm data/annex/cases/002.json.salted
bad "redactions.json with a wrong digest: exit 1" 1 "$C1: redactions.json gives sha256" -- \
	"sed -i -E 's/(\"sha256\": *\")0/\\11/; t; s/(\"sha256\": *\")./\\10/' redactions.json" # a digit that differs, whatever the salt made it
bad "redactions.json naming a present file: exit 1" 1 "$C1: redactions.json says it is withheld, but it is in this copy" -- \
	"cp '$T/f/$NAME/$C1' '$C1'"
bad "redactions.json with a wrong size: exit 1" 1 "$C1: redactions.json gives 1 bytes" -- \
	"sed -i 's/\"size\": *[0-9]*/\"size\": 1/' redactions.json"
bad "redactions.json that is not JSON: exit 1" 1 "redactions.json" -- "printf '{' >redactions.json"
bad "redactions.json with an unknown field: exit 1" 1 "redactions.json" -- \
	"sed -i 's/\"reason\"/\"why\"/' redactions.json"
L=$(sed -n 's/^\([0-9a-f]*\)  data\/letter\/letter.txt$/\1/p' "p/$NAME/manifest-sha256.txt")
bad "redactions.json withholding a file not marked redactable: exit 1" 1 "data/letter/letter.txt: withheld, but dossier.json does not mark it redactable" -- \
	"rm data/letter/letter.txt && printf '{\"dossier_redactions\": 1, \"withheld\": [{\"path\": \"data/letter/letter.txt\", \"sha256\": \"$L\", \"size\": 12}]}' >redactions.json"

# ---- salts and reproducibility ----
"$D" pack spec.json -o again.tar 2>/dev/null && "$D" pack spec.json -o again2.tar 2>/dev/null
differ again.tar again2.tar "two packs of redactable files differ: fresh salts each time"
unpack again.tar a1 && unpack again2.tar a2
check "... in the salt lines only: the files' own bytes are the same" -- sh -c \
	"! cmp -s a1/$NAME/$C1 a2/$NAME/$C1 && tail -c +66 a1/$NAME/$C1 >o1 && tail -c +66 a2/$NAME/$C1 >o2 && cmp -s o1 o2"
spec plain.json false
"$D" pack plain.json -o plain1.tar 2>/dev/null && "$D" pack plain.json -o plain2.tar 2>/dev/null
same plain1.tar plain2.tar "without redactable files SOURCE_DATE_EPOCH packs are byte-identical"

# ---- extract ----
expect 0 "extract of the redacted copy" -- "$D" extract pub.tar -d ex $KEYS
check "... the withheld file is absent, the others unwrap with tail -c +66" -- sh -c \
	"[ ! -e ex/$NAME/$C1 ] && tail -c +66 ex/$NAME/data/annex/cases/002.json.salted | cmp -s - cases/002.json"
expect 0 "... and the extracted bag verifies" -- "$D" verify "ex/$NAME" $KEYS

# ---- re-issue ----
expect 64 "reissue of a redacted copy without --spec: refused" -- "$D" reissue pub.tar -o re.tar
has err "pub.tar: a redacted copy withholds files; re-issue the full bundle, or give --spec" "... saying why"
absent re.tar "... writing nothing"
"$D" reissue full.tar -o re.tar 2>/dev/null && "$D" sign re.tar -k alice.key 2>/dev/null && "$D" sign re.tar -k bob.key 2>/dev/null
expect 0 "a re-issued full bundle keeps its files redactable: redact it" -- "$D" redact re.tar -o repub.tar --withhold "$C1"
expect 0 "... and the redacted new version verifies, history and all" -- "$D" verify repub.tar $KEYS
has out "^1 file withheld:" "... 1 file withheld"

# ---- timestamps survive redaction ----
TSA="$PYTHON $TOP/tests/cli/helpers/tsa.py"
if $TSA pki pki >/dev/null 2>&1; then
	$TSA serve "$T/pki" port 2>tsa.log &
	SERVER=$!
	trap 'kill $SERVER 2>/dev/null; rm -rf "$T" "$TEST_HOME"' EXIT
	for _ in $(seq 50); do [ -s port ] && break; sleep 0.1; done
	mkdir -p kr/tsa && cp pki/ca.pem kr/tsa/ && cp alice.pub bob.pub kr/
	cp full.tar ts.tar
	"$D" timestamp ts.tar --tsa "http://127.0.0.1:$(cat port)/good" -K kr 2>/dev/null
	expect 0 "redact a timestamped bundle" -- "$D" redact ts.tar -o tspub.tar --withhold "$C1"
	expect 0 "... the timestamp still verifies as trusted" -- "$D" verify tspub.tar -K kr
	has out "trusted +timestamps/1.tsr" "... listed as trusted"
	kill $SERVER 2>/dev/null
else
	skip "timestamps survive redaction" "the test PKI could not be made"
fi

echo "1..$n"
