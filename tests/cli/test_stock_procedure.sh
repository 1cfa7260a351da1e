# test_stock_procedure.sh - the procedure VERIFY.txt gives, run as written (its commands
# taken from the VERIFY.txt inside each bundle, not copied here), step by step, with stock
# tools only: every step passes on a good bundle, and the right step fails on a bad one.
. "$(dirname "$0")/lib.sh"
for tool in minisign openssl sed find diff; do
	command -v $tool >/dev/null || { skip "the stock procedure" "$tool is not installed"; echo "1..$n"; exit 0; }
done

D=$DOSSIER
start_tsa || { not_ok "make the test PKI"; echo "1..$n"; exit 1; }

# ---- a good bundle: two signers with key cards by an authority, two timestamps ----
"$D" keygen -W -o ep --name "EP IT office" >/dev/null
"$D" keygen -W -o other --name "Another office" >/dev/null
"$D" keygen -W -o alice --name "Helmut Scholz" >/dev/null
"$D" keygen -W -o bob --name "Brando Benifei" >/dev/null
KA=$(keyid alice.pub) KB=$(keyid bob.pub)
"$D" certify alice.pub -k ep.key -o alice.card.json --name "Helmut Scholz" --affiliation EP \
	--valid-from 2020-01-01 --valid-until 2099-12-31 2>/dev/null || not_ok "certify alice"
"$D" certify bob.pub -k ep.key -o bob.card.json --name "Brando Benifei" --affiliation EP \
	--valid-from 2020-01-01 --valid-until 2099-12-31 2>/dev/null || not_ok "certify bob"
mkdir -p kr/tsa keys cardkeys tmp && cp pki/ca.pem kr/tsa/ && cp alice.pub "keys/$KA.pub" && cp bob.pub "keys/$KB.pub"
"$D" pack "$SPEC" -o good.tar --card alice.card.json --card bob.card.json 2>/dev/null &&
	"$D" sign good.tar -k alice.key -q && "$D" sign good.tar -k bob.key -q || not_ok "build the good bundle"
# one token over the tag manifest alone (--token), one over a .txt that lists the signatures too
"$D" manifest good.tar >tm.txt
openssl ts -query -data tm.txt -sha256 -cert -out q.tsq 2>/dev/null
curl -s --data-binary @q.tsq -H 'Content-Type: application/timestamp-query' "$URL/good" -o tm.tsr
"$D" timestamp good.tar --token tm.tsr -K kr 2>/dev/null && "$D" timestamp good.tar --tsa "$URL/second" -K kr 2>/dev/null ||
	not_ok "timestamp the good bundle"

export KEYS="$T/keys" AUTHORITY="$T/ep.pub" TSA_CA="$T/pki/ca.pem" TMPDIR="$T/tmp"

# commands DIR N: step N's commands in DIR/VERIFY.txt, as files cmd.1, cmd.2, ... in $T.
# A command is a line "    $ ..." and the lines after it while a line ends in "\".
commands() {
	rm -f "$T"/cmd.*
	awk -v want="$2" -v out="$T/cmd." '
		/^[0-9]+\. / { step = $1 + 0 }
		step == want && /^    \$ / { sub(/^    \$ /, ""); k++; cmd = 1 }
		cmd { print > (out k); if ($0 !~ /\\$/) { close(out k); cmd = 0 } }
	' "$1/VERIFY.txt"
}
# step DIR N: runs step N in DIR with sh, command after command; 0 if every one succeeds.
# Their output is in $T/step.out.
step() {
	commands "$1" "$2"
	: >"$T/step.out"
	[ -e "$T/cmd.1" ] || { echo "VERIFY.txt has no step $2" >"$T/step.out"; return 99; }
	for _c in "$T"/cmd.*; do
		(cd "$1" && ${STEP_SHELL:-sh} "$_c") >>"$T/step.out" 2>&1 || return 1
	done
}
# passes DIR N NAME / fails DIR N NAME
passes() { if step "$1" "$2"; then ok "$3"; else not_ok "$3" "$(tail -c 600 "$T/step.out")"; fi; }
fails() {
	step "$1" "$2"; _rc=$?
	if [ $_rc = 1 ]; then ok "$3"; else not_ok "$3" "exit $_rc" "$(tail -c 600 "$T/step.out")"; fi
}
# bag NAME [ARCHIVE]: ARCHIVE (good.tar) unpacked with stock tar into NAME; prints the bag's path
bag() { rm -rf "$1" && mkdir "$1" && tar -xf "${2:-good.tar}" -C "$1" && echo "$T/$1/$NAME"; }

G=$(bag good)
# docs/FORMAT.md section 4.6 shows the text as pack writes it
awk '/^### 4.6 VERIFY.txt/ { s = 1 } s && /^```$/ { if (in_block) exit; in_block = 1; next } in_block' "$TOP/docs/FORMAT.md" |
	sed "s/letter-2024-05-02/$NAME/g" >format-verify.txt
same format-verify.txt "$G/VERIFY.txt" "docs/FORMAT.md 4.6 gives VERIFY.txt as pack writes it"
for s in 1 2 3 4 5 7; do passes "$G" $s "good bundle: step $s passes"; done
has "$T/step.out" 'Verification: OK' "good bundle: step 7 runs openssl ts -verify"
[ "$(grep -c 'Verification: OK' "$T/step.out")" = 2 ] && ok "good bundle: step 7 checks both tokens" ||
	not_ok "good bundle: step 7 checks both tokens" "$(cat "$T/step.out")"
if command -v bash >/dev/null; then
	for s in 1 4 7; do STEP_SHELL=bash passes "$G" $s "good bundle: step $s passes in bash too"; done
	STEP_SHELL=bash KEYS="$T/cardkeys" passes "$G" 6 "good bundle: step 6 passes in bash too"
fi
rm -f cardkeys/*
KEYS="$T/cardkeys" passes "$G" 6 "good bundle: step 6 (keys from the authority's cards) passes"
present "cardkeys/$KA.pub" "step 6 writes the key read from the card"
has "$T/step.out" '2 signature\(s\) verified' "step 6 then verifies both signatures with those keys"
# the commands leave nothing in the bag (step 5 would see it)
lacks "$T/step.out" 'tags' "the steps write nothing into the bag"
if [ -z "$(find "$G" -newer good.tar -type f)" ]; then ok "the steps write no file into the bag"; else
	not_ok "the steps write no file into the bag" "$(find "$G" -newer good.tar -type f)"; fi

# ---- bad bundles: the right step fails ----
B=$(bag changed)
printf 'X' | dd of="$B/data/letter/letter-2020-10-16.txt" bs=1 seek=3 conv=notrunc 2>/dev/null
passes "$B" 1 "changed payload byte: step 1 still passes (the signed bytes are intact)"
passes "$B" 2 "changed payload byte: step 2 still passes"
fails "$B" 3 "changed payload byte: step 3 fails"
has "$T/step.out" 'data/letter/letter-2020-10-16.txt: FAILED' "... naming the file"

B=$(bag extra)
echo "added later" >"$B/data/annex/extra.txt"
for s in 1 2 3 5; do passes "$B" $s "extra payload file: step $s passes (it cannot see it)"; done
fails "$B" 4 "extra payload file: step 4 fails"
has "$T/step.out" '^> data/annex/extra.txt$' "... naming the file added"

B=$(bag pct)
echo "100 percent" >"$B/data/annex/100%.txt"
fails "$B" 4 "extra payload file with % in its name: step 4 fails"
has "$T/step.out" '^> data/annex/100%25.txt$' "... naming it as a manifest would"

B=$(bag link)
ln -s ../letter/letter-2020-10-16.txt "$B/data/annex/link.txt"
fails "$B" 4 "a symbolic link added under data/: step 4 fails"

B=$(bag removed)
rm "$B/data/annex/cases.csv"
fails "$B" 3 "removed payload file: step 3 fails"
fails "$B" 4 "removed payload file: step 4 fails"
has "$T/step.out" '^< data/annex/cases.csv$' "... naming the file missing"

B=$(bag tag)
echo "not signed" >"$B/NOTES.txt"
fails "$B" 5 "extra tag file: step 5 fails"
has "$T/step.out" '^> NOTES.txt$' "... naming it"

B=$(bag dossierjson)
sed -i 's/Brussels/Bruxelles/' "$B/dossier.json"
fails "$B" 2 "changed dossier.json: step 2 fails"

B=$(bag forged)
"$D" keygen -W -o mallory >/dev/null
minisign -S -s mallory.key -m "$B/tagmanifest-sha256.txt" -x forged.minisig </dev/null >/dev/null 2>&1
# mallory's signature under alice's key id: the key id check or the signature fails
"$PYTHON" - forged.minisig "$KA" "$B/signatures/$KA.minisig" <<'PY'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
blob = bytearray(base64.b64decode(lines[1]))
blob[2:10] = int(sys.argv[2], 16).to_bytes(8, "little")
lines[1] = base64.b64encode(bytes(blob)).decode()
open(sys.argv[3], "w").write("\n".join(lines))
PY
fails "$B" 1 "forged signature: step 1 fails"
passes "$B" 2 "forged signature: step 2 passes (only the signature is wrong)"

B=$(bag unsigned)
rm -f "$B"/signatures/*.minisig
fails "$B" 1 "no signature at all: step 1 fails"

B=$(bag wrongauth)
AUTHORITY="$T/other.pub" KEYS="$T/tmp" fails "$B" 6 "card route with another authority's key: step 6 fails"
has "$T/step.out" "keys/[0-9A-F]{16}.card.json: no card for [0-9A-F]{16} signed by this authority" "... saying which card"

B=$(bag swapped)
cp "$B/keys/$KB.card.json" "$B/keys/$KA.card.json" && cp "$B/keys/$KB.card.json.minisig" "$B/keys/$KA.card.json.minisig"
rm -rf cardkeys2 && mkdir cardkeys2
KEYS="$T/cardkeys2" fails "$B" 6 "card route with another signer's card in its place: step 6 fails"

B=$(bag wrongca)
TSA_CA="$T/pki/ca2.pem" fails "$B" 7 "timestamps with another CA's certificate: step 7 fails"
B=$(bag tsmoved)
cp "$G/timestamps/1.tsr" "$B/timestamps/2.tsr"
fails "$B" 7 "a token over other bytes in place of another: step 7 fails"

# ---- the HTML report's "how to check this yourself", run as written ----
# html_block HTML N: the Nth <pre> of the report, unescaped, each line a command that stops
# the script when it fails
html_block() {
	awk -v want="$2" 'index($0, "<pre>") { if (++k == want) { p = 1; sub(/.*<pre>/, "") } }
		p { e = index($0, "</pre>"); if (e) { $0 = substr($0, 1, e - 1); p = 0 } if (length($0)) print; if (!p) exit }' "$1" |
		sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g; s/$/ || exit 1/'
}
# html_run DIR SCRIPT NAME / html_fails DIR SCRIPT NAME: SCRIPT run with sh in DIR
html_run() { if (cd "$1" && sh "$T/$2") >"$T/step.out" 2>&1; then ok "$3"; else not_ok "$3" "$(tail -c 600 "$T/step.out")"; fi; }
html_fails() { if (cd "$1" && sh "$T/$2") >"$T/step.out" 2>&1; then not_ok "$3" "it passed"; else ok "$3"; fi; }
mkdir -p kr/authorities && cp ep.pub kr/authorities/ && echo "$RELAXED_POLICY" >kr/policy.json
"$D" verify good.tar -K kr --html good.html >/dev/null 2>&1 || not_ok "verify --html of the good bundle"
html_block good.html 1 >h1.sh && html_block good.html 2 >h2.sh && html_block good.html 3 >h3.sh
grep '^minisign -Vm tagmanifest' h1.sh >h1sigs.sh
has h1.sh '^tar -xf good.tar \|\| exit 1$' "html: the commands start by unpacking the file"
has h2.sh '^minisign -Vm keys/[0-9A-F]{16}.card.json -p "\$AUTHORITY"' "html: the card route has commands"
has h3.sh '^openssl ts -verify -digest' "html: a token over the tag manifest has its command"
has h3.sh '^openssl ts -verify -data timestamps/2.txt' "html: a token over a .txt has its command"
rm -rf hgood && mkdir hgood && cp good.tar hgood/
html_run hgood h1.sh "html: the signature and content commands pass on the good bundle"
rm -rf hextra && mkdir hextra && bag hx >/dev/null && echo "added" >"hx/$NAME/data/annex/extra.txt" && tar -cf hextra/good.tar -C hx "$NAME"
html_fails hextra h1.sh "html: they fail on a copy with an extra payload file"
has "$T/step.out" '^> data/annex/extra.txt$' "... at the comparison of the names"
rm -rf hk && mkdir hk
KEYS="$T/hk" html_run "$G" h2.sh "html: the card route's commands pass with the authority's key"
KEYS="$T/hk" html_run "$G" h1sigs.sh "... and then the signatures verify with the keys from the cards"
AUTHORITY="$T/other.pub" KEYS="$T/tmp" html_fails "$G" h2.sh "html: the card route fails with another authority's key"
html_run "$G" h3.sh "html: the timestamp commands pass"
TSA_CA="$T/pki/ca2.pem" html_fails "$G" h3.sh "html: the timestamp commands fail with another CA"

# ---- a redacted copy: step 3 fails by design, step 8 checks what is left ----
mkdir red && printf 'The letter.\n' >red/letter.txt && printf '{"case": 1}\n' >red/001.json && printf '{"case": 2}\n' >red/002.json
cat >red.json <<EOF
{"spec_version": 1, "name": "red", "title": "Redaction test", "kind": "open-letter", "date": "2020-10-16",
 "from": [{"name": "Helmut Scholz"}], "to": [{"name": "Receiver"}],
 "files": [{"source": "red/letter.txt", "role": "letter"},
  {"source": "red/001.json", "role": "annex", "path": "annex/001.json", "redactable": true},
  {"source": "red/002.json", "role": "annex", "path": "annex/002.json", "redactable": true}]}
EOF
"$D" pack red.json -o full.tar -p alice.pub 2>/dev/null && "$D" sign full.tar -k alice.key -q &&
	"$D" redact full.tar -o public.tar --withhold data/annex/001.json --reason "a witness" 2>/dev/null ||
	not_ok "build the redacted copy"
NAME=red
R=$(bag redacted public.tar)
for s in 1 2 5; do passes "$R" $s "redacted copy: step $s passes"; done
fails "$R" 3 "redacted copy: step 3 fails, by design"
has "$T/step.out" 'data/annex/001.json.salted: FAILED open or read' "... on the withheld file"
passes "$R" 8 "redacted copy: step 8 passes"
has "$T/step.out" 'data/annex/001.json.salted: withheld' "... naming the file withheld"
"$D" verify public.tar -p alice.pub --html red.html >/dev/null 2>&1
html_block red.html 1 >r1.sh
rm -rf hred && mkdir hred && cp public.tar hred/
html_run hred r1.sh "html of a redacted copy: its commands pass"
rm -rf hredx && mkdir hredx && bag hrx public.tar >/dev/null && echo "added" >"hrx/$NAME/data/annex/003.json" &&
	tar -cf hredx/public.tar -C hrx "$NAME"
html_fails hredx r1.sh "html of a redacted copy: its commands fail with a file added"
R=$(bag redextra public.tar)
echo "added" >"$R/data/annex/003.json"
fails "$R" 8 "redacted copy with a file added: step 8 fails"
R=$(bag redchanged public.tar)
printf 'X' | dd of="$R/data/annex/002.json.salted" bs=1 seek=70 conv=notrunc 2>/dev/null
fails "$R" 8 "redacted copy with a changed file: step 8 fails"
R=$(bag redgone public.tar)
rm "$R/data/letter/letter.txt"
fails "$R" 8 "redacted copy with a file missing that is not withheld: step 8 fails"
has "$T/step.out" "data/letter/letter.txt: missing, and not withheld" "... naming it"
R=$(bag redlie public.tar)
sed -i 's/"sha256":  "[0-9a-f]/"sha256":  "x/' "$R/redactions.json"
fails "$R" 8 "redacted copy whose redactions.json gives another digest: step 8 fails"

echo "1..$n"
