# test_trust.sh - key cards, authorities, revocation lists, the keyring and the signing
# policy: every case asserts the exit code and the reason verify gives.
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
"$D" keygen -W -o ep --name "EP IT office" >/dev/null
"$D" keygen -W -o other --name "Someone Else" >/dev/null
"$D" keygen -W -o helmut --name "Helmut Scholz" >/dev/null
"$D" keygen -W -o helmut2 --name "Helmut Scholz" >/dev/null
"$D" keygen -W -o brando --name "Brando Benifei" >/dev/null
"$D" keygen -W -o mallory --name "Mallory" >/dev/null
KE=$(keyid ep.pub) KO=$(keyid other.pub) KH=$(keyid helmut.pub) KH2=$(keyid helmut2.pub) KB=$(keyid brando.pub) KM=$(keyid mallory.pub)

# certify NAME KEY [options]: a card for KEY.pub by the EP authority, in NAME.card.json
certify() {
	_out=$1 _key=$2; shift 2
	"$D" certify "$_key.pub" -k ep.key -o "$_out.card.json" "$@" 2>/dev/null
}
certify helmut helmut --name "Helmut Scholz" --affiliation "European Parliament, GUE/NGL" --valid-from 2020-01-01 --valid-until 2099-12-31
certify helmut2 helmut2 --name "Helmut Scholz" --affiliation "European Parliament, GUE/NGL" --valid-from 2020-01-01 --valid-until 2099-12-31
certify brando brando --name "Brando Benifei" --affiliation "European Parliament, S&D" --valid-from 2020-01-01 --valid-until 2099-12-31

mkdir -p kr/authorities && cp ep.pub kr/authorities/ && echo "$RELAXED_POLICY" >kr/policy.json
mkdir -p kother/authorities && cp other.pub kother/authorities/

# ---- a valid chain: pack with the card, sign, trust only the authority ----
"$D" pack "$SPEC" -o c.tar --card helmut.card.json 2>/dev/null
cp c.tar c0.tar
"$D" sign c.tar -k helmut.key 2>/dev/null
expect 0 "valid chain: key -> card -> trusted authority: exit 0" -- "$D" verify c.tar -K kr
has out "trust: key $KH -> card keys/$KH.card.json \(Helmut Scholz, European Parliament, GUE/NGL, signatory, valid 2020-01-01T00:00:00Z to 2099-12-31T23:59:59Z\) -> authority $KE \(kr/authorities/ep.pub\)" "... the report shows the whole chain"
expect 0 "... --json" -- "$D" verify c.tar -K kr --json
cp out report.json
check "... JSON: trust card, card name and authority, listed" -- "$PYTHON" -c '
import json,sys; r=json.load(open("report.json")); s=r["signatures"][0]
assert s["trust"]=="card" and s["card"]["name"]=="Helmut Scholz" and s["card"]["authority"]==sys.argv[1], s
assert s["listed"] is True and s["status"]=="valid" and s["identity"]=="Helmut Scholz", s
assert r["policy"]["source"]=="kr/policy.json" and all(c["met"] for c in r["policy"]["checks"]), r["policy"]' "$KE"
check "pack --card bound the card's key id to the signatory in dossier.json" -- sh -c \
	"tar -xOf c.tar $NAME/dossier.json | grep -q '\"keyid\":  \"$KH\"'"
check "the card is a signed tag file: tagmanifest-sha256.txt covers keys/" -- sh -c \
	"tar -xOf c.tar $NAME/tagmanifest-sha256.txt | grep -q '  keys/$KH.card.json.minisig\$'"
check "stock minisign verifies the card with the authority's key" -- minisign -Vm helmut.card.json -p ep.pub
expect 2 "no keyring, no key: the card alone proves nothing: exit 2" -- "$D" verify c.tar
has err "authority $KE is not trusted" "... because its authority is not trusted"

# ---- an authority you do not trust ----
expect 2 "card by an authority not in the keyring: exit 2" -- "$D" verify c.tar -K kother
has err "signatures/$KH.minisig: keys/$KH.card.json: authority $KE is not trusted" "... naming the card and its authority"

# ---- cards added at signing time (not covered by the tag manifest) ----
cp c0.tar s1.tar
expect 0 "sign --card adds the card beside the signature" -- "$D" sign s1.tar -k brando.key --card brando.card.json
check "... as signatures/<KEYID>.card.json and its .minisig" -- sh -c \
	"tar -tf s1.tar | grep -q 'signatures/$KB.card.json\$' && tar -tf s1.tar | grep -q 'signatures/$KB.card.json.minisig\$'"
expect 0 "... and it verifies through the authority: exit 0" -- "$D" verify s1.tar -K kr
has out "card signatures/$KB.card.json \(Brando Benifei" "... with the card found under signatures/"
expect 64 "sign --card with another person's card: exit 64" -- "$D" sign s1.tar -k helmut.key --card brando.card.json
has err "the card is for key $KB, but the signature is by key $KH" "... saying whose card it is"

# ---- a forged card: the name changed after the authority signed ----
sed 's/Brando Benifei/Helmut Scholz/' brando.card.json >forged.card.json
cp brando.card.json.minisig forged.card.json.minisig
cp c0.tar f.tar && "$D" sign f.tar -k brando.key --card forged.card.json 2>/dev/null
expect 2 "forged card (name changed after signing): exit 2" -- "$D" verify f.tar -K kr
has err "signatures/$KB.minisig: signatures/$KB.card.json: signature by authority $KE does not verify \(forged or altered\)" "... saying the card is forged"

# ---- a card for another key, filed under this key's id ----
# (keys/ is covered by the tag manifest, so the misfiled card goes under signatures/)
"$D" pack "$SPEC" -o nc.tar 2>/dev/null && unpack nc.tar t2
mkdir -p "t2/$NAME/signatures"
cp brando.card.json "t2/$NAME/signatures/$KH.card.json" && cp brando.card.json.minisig "t2/$NAME/signatures/$KH.card.json.minisig"
"$D" manifest nc.tar >tm2.txt
ID2=$(tar -xOf nc.tar $NAME/dossier.json | sed -n 's/.*"id":  "\(.*\)".*/\1/p')
minisign -S -s helmut.key -m tm2.txt -x "t2/$NAME/signatures/$KH.minisig" -t "dossier-v1 bundle:$ID2 signer:$KH time:2026-01-01T00:00:00Z" >/dev/null 2>&1
bagtool pack "t2/$NAME" other-card.tar
expect 1 "a card for another key filed under the signer's id is malformed: exit 1" -- "$D" verify other-card.tar -K kr
has err "signatures/$KH.card.json: the card is for key $KB, not $KH" "... saying the card is for another key"

# ---- validity dates ----
certify old helmut --name "Helmut Scholz" --affiliation EP --valid-from 2019-01-01 --valid-until 2020-12-31
cp nc.tar old.tar && "$D" sign old.tar -k helmut.key --card old.card.json 2>/dev/null
expect 2 "expired card (valid until 2020-12-31, signed now): exit 2" -- "$D" verify old.tar -K kr
has err "after the key card expired on 2020-12-31T23:59:59Z" "... saying the card had expired when it signed"
certify early helmut --name "Helmut Scholz" --affiliation EP --valid-from 2090-01-01 --valid-until 2091-01-01
cp nc.tar early.tar && "$D" sign early.tar -k helmut.key --card early.card.json 2>/dev/null
expect 2 "not-yet-valid card (valid from 2090): exit 2" -- "$D" verify early.tar -K kr
has err "the key card is valid from 2090-01-01T00:00:00Z, but the signature says it was made at" "... saying when it becomes valid"
expect 64 "certify: --valid-until before --valid-from: exit 64" -- "$D" certify helmut.pub -k ep.key --name X --affiliation Y --valid-from 2030-01-01 --valid-until 2029-01-01 -o bad.card.json
absent bad.card.json "... and no card is written"
expect 64 "certify: a malformed date: exit 64" -- "$D" certify helmut.pub -k ep.key --name X --affiliation Y --valid-until 31.12.2030
expect 73 "certify refuses to overwrite a card without --force: exit 73" -- "$D" certify helmut.pub -k ep.key --name X --affiliation Y --valid-until 2030-01-01 -o helmut.card.json

# ---- revocation ----
cp -r kr krrev
expect 0 "revoke writes a signed revocation list" -- "$D" revoke "$KH" -k ep.key --reason "key lost" --date 2021-01-01 -o ep-revoked.json
check "... which stock minisign verifies" -- minisign -Vm ep-revoked.json -p ep.pub
expect 0 "keyring add takes the list, signed by a trusted authority" -- "$D" keyring add ep-revoked.json -K krrev
expect 2 "revoked key (revoked 2021, signed now): exit 2" -- "$D" verify c.tar -K krrev
has err "key $KH was revoked on 2021-01-01T00:00:00Z by authority $KE \(key lost\)" "... naming the revocation, its date and reason"
mkdir -p krdirect/signers && cp helmut.pub krdirect/signers/ && mkdir krdirect/revoked && cp ep-revoked.json* krdirect/revoked/ && mkdir krdirect/authorities && cp ep.pub krdirect/authorities/
expect 2 "a revoked key is untrusted also when trusted directly: exit 2" -- "$D" verify c.tar -K krdirect
has err "key $KH was revoked" "... saying it was revoked"
"$D" revoke "$KH" -k ep.key --date 2099-01-01 -o later.json 2>/dev/null
cp -r kr krlater && cp later.json later.json.minisig krlater/ && mkdir -p krlater/revoked && mv krlater/later.json* krlater/revoked/
expect 0 "a revocation dated in the future does not apply yet: exit 0" -- "$D" verify c.tar -K krlater
mkdir -p older && cp ep-revoked.json ep-revoked.json.minisig older/
sleep 1 # the update must be issued at a later second than the list it replaces
expect 0 "revoke again adds a key and keeps the first one's date" -- "$D" revoke "$KH" brando.pub -k ep.key --date 2022-06-01 -o ep-revoked.json
check "... both keys listed, the first date kept" -- sh -c "grep -q '\"keyid\":\"$KB\",\"revoked_at\":\"2022-06-01T00:00:00Z\"' ep-revoked.json && grep -q '\"keyid\":\"$KH\",\"reason\":\"key lost\",\"revoked_at\":\"2021-01-01T00:00:00Z\"' ep-revoked.json"
expect 0 "keyring add: the authority's newer list replaces its older one without --force" -- "$D" keyring add ep-revoked.json -K krrev
check "... the keyring now holds the newer list" -- cmp ep-revoked.json krrev/revoked/ep-revoked.json
expect 73 "keyring add: an older list does not replace a newer one" -- "$D" keyring add older/ep-revoked.json -K krrev
has err "is newer than this one" "... saying which is newer"
"$D" revoke "$KH" -k other.key -o other-revoked.json 2>/dev/null
expect 2 "keyring add refuses a list signed by a key that is not a trusted authority: exit 2" -- "$D" keyring add other-revoked.json -K kr
has err "authority $KO is not trusted" "... naming the untrusted signer"
cp -r kr krbadrev && mkdir -p krbadrev/revoked && cp other-revoked.json other-revoked.json.minisig krbadrev/revoked/
expect 2 "a revocation list signed by an untrusted key in the keyring: exit 2" -- "$D" verify c.tar -K krbadrev
has err "keyring: krbadrev/revoked/other-revoked.json: revocation list not used: authority $KO is not trusted" "... reported as a keyring problem"
cp -r krrev krtamper && sed -i 's/key lost/key found/' krtamper/revoked/ep-revoked.json
expect 2 "a tampered revocation list: exit 2" -- "$D" verify c.tar -K krtamper
has err "revoked/ep-revoked.json: revocation list not used: signature by authority $KE does not verify" "... saying its signature fails"
mkdir -p krauth/authorities && cp ep.pub other.pub krauth/authorities/
"$D" revoke "$KE" -k other.key --reason "authority retired" --date 2021-01-01 -o auth-revoked.json 2>/dev/null
mkdir -p krauth/revoked && cp auth-revoked.json auth-revoked.json.minisig krauth/revoked/
expect 2 "a card whose authority was revoked: exit 2" -- "$D" verify c.tar -K krauth
has err "the card's authority $KE was revoked on 2021-01-01T00:00:00Z" "... naming the revoked authority"

# ---- the signing policy ----
cp c0.tar p.tar
"$D" sign p.tar -k helmut.key 2>/dev/null
"$D" sign p.tar -k brando.key --card brando.card.json 2>/dev/null
printf '{"dossier_policy":1,"thresholds":[{"at_least":2,"of":["Helmut Scholz","Brando Benifei","Niklas Nienaß"]}]}\n' >two-of-three.json
expect 0 "threshold met exactly (2 of 3, two signed): exit 0" -- "$D" verify p.tar -K kr --policy two-of-three.json
has out "met +at least 2 of 3: Helmut Scholz, Brando Benifei, Niklas Nienaß" "... the report shows the rule met"
printf '{"dossier_policy":1,"thresholds":[{"at_least":3,"of":["Helmut Scholz","Brando Benifei","Niklas Nienaß"]}]}\n' >three.json
expect 2 "threshold missed by one (3 of 3, two signed): exit 2" -- "$D" verify p.tar -K kr --policy three.json
has err "policy not met: at least 3 of 3: Helmut Scholz, Brando Benifei, Niklas Nienaß: 2 distinct signers counted" "... saying which rule and how many counted"
printf '{"dossier_policy":1,"required":["Brando Benifei","%s"]}\n' "$KH" >required.json
expect 0 "required signers by name and by key id, both signed: exit 0" -- "$D" verify p.tar -K kr --policy required.json
expect 2 "a required signer who did not sign: exit 2" -- "$D" verify c.tar -K kr --policy required.json
has err "policy not met: required signer: Brando Benifei: no valid signature by a trusted key of Brando Benifei" "... naming the missing signer"
cp -r kr krpol && cp required.json krpol/policy.json
expect 2 "policy.json in the keyring applies without --policy: exit 2" -- "$D" verify c.tar -K krpol
has out "policy \(krpol/policy.json\)" "... and the report names it"
printf '{"dossier_policy":1,"required":["%s"]}\n' "$KH" >helmut-only.json
expect 0 "--policy replaces the keyring's policy: exit 0" -- "$D" verify c.tar -K krpol --policy helmut-only.json

# two keys of one person count once; one key listed twice counts once
cp c0.tar hh.tar
"$D" sign hh.tar -k helmut.key 2>/dev/null
"$D" sign hh.tar -k helmut2.key --card helmut2.card.json 2>/dev/null
printf '{"dossier_policy":1,"thresholds":[{"at_least":2,"of":["Helmut Scholz","Brando Benifei"]}]}\n' >hb.json
expect 2 "two keys of one person (two cards named Helmut Scholz) count once: exit 2" -- "$D" verify hh.tar -K kr --policy hb.json
has err "1 distinct signer counted: Helmut Scholz" "... one signer counted"
printf '{"dossier_policy":1,"thresholds":[{"at_least":2,"of":["Helmut Scholz","%s","Brando Benifei"]}]}\n' "$KH" >twice.json
expect 2 "one key listed twice (by name and by key id) counts once: exit 2" -- "$D" verify c.tar -K kr --policy twice.json
has err "at least 2 of 3: .*: 1 distinct signer counted" "... one signer counted"
printf '{"dossier_policy":1,"thresholds":[{"at_least":2,"of":["%s","%s"]}]}\n' "$KH" "$KH" >never.json
expect 64 "a threshold that can never be met (the same key id twice): exit 64" -- "$D" verify c.tar -K kr --policy never.json
has err "asks for 2 of a set of 1 distinct signers; it can never be met" "... saying why"

# the same key signing twice under two file names
unpack c.tar t3 && cp "t3/$NAME/signatures/$KH.minisig" "t3/$NAME/signatures/$KB.minisig" && bagtool pack "t3/$NAME" dup.tar
expect 1 "the same key's signature under two file names: exit 1" -- "$D" verify dup.tar -K kr -p brando.pub
has err "signatures/$KB.minisig: file is named for key $KB but the signature is by $KH" "... naming the misfiled copy"

# a key in the keyring that is not among the bundle's signatories
"$D" keyring add -q -K krm --name "Mallory" mallory.pub && echo "$RELAXED_POLICY" >krm/policy.json # the receiver knows this key as Mallory's
cp c0.tar m.tar && "$D" sign m.tar -k mallory.key 2>/dev/null
expect 2 "signed only by a trusted key that is not a signatory of the bundle: exit 2" -- "$D" verify m.tar -K krm
has err "policy not met: at least 1 trusted signatory named in the bundle: 0 counted; Mallory signed with a trusted key but is not a signatory of this bundle" "... saying the signer is not a signatory"
cp -r krm krmh && mkdir -p krmh/authorities && cp ep.pub krmh/authorities/
"$D" sign m.tar -k helmut.key 2>/dev/null
expect 0 "... and with a signatory's signature too: exit 0" -- "$D" verify m.tar -K krmh
has out "note: not a signatory named in dossier.json; not counted" "... the outsider is reported, not counted"
printf '{"dossier_policy":1,"required":["Brando Benifei"]}\n' >need-brando.json
expect 2 "a name in the policy is matched against trusted names only, never the bundle's text: exit 2" -- "$D" verify m.tar -K krmh --policy need-brando.json

# all_signatures_trusted false: an unknown signer is a notice when the policy is met
printf '{"dossier_policy":1,"all_signatures_trusted":false,"all_signatories":false}\n' >lenient.json
cp c.tar u.tar && "$D" sign u.tar -k other.key 2>/dev/null
expect 2 "default policy: a second signature by an unknown key: exit 2" -- "$D" verify u.tar -K kr
expect 0 "all_signatures_trusted false: the unknown signature is a notice: exit 0" -- "$D" verify u.tar -K kr --policy lenient.json
has out "notice +signatures/$KO.minisig: signed by unknown key $KO" "... still reported"

# require_timestamp and max_age_days
printf '{"dossier_policy":1,"require_timestamp":true}\n' >ts.json
expect 2 "require_timestamp with no trusted timestamp: exit 2" -- "$D" verify c.tar -K kr --policy ts.json
has err "policy not met: trusted timestamps from at least 1 distinct TSA" "... naming the rule"
ID0=$(tar -xOf c0.tar $NAME/dossier.json | sed -n 's/.*"id":  "\(.*\)".*/\1/p')
"$D" manifest c0.tar >tm0.txt
minisign -S -s helmut.key -m tm0.txt -x aged.minisig -t "dossier-v1 bundle:$ID0 signer:$KH time:2021-03-01T10:00:00Z" >/dev/null 2>&1
cp c0.tar aged.tar && "$D" attach aged.tar aged.minisig 2>/dev/null
printf '{"dossier_policy":1,"max_age_days":30,"all_signatories":false}\n' >fresh.json
expect 2 "max_age_days 30, signed in 2021: exit 2" -- "$D" verify aged.tar -K kr --policy fresh.json
has err "made at 2021-03-01T10:00:00Z, more than the policy's 30 days ago" "... saying when it was made"
expect 0 "... the same signature without an age limit: exit 0" -- "$D" verify aged.tar -K kr
minisign -S -s helmut.key -m tm0.txt -x stock.minisig >/dev/null 2>&1
cp c0.tar stock.tar && "$D" attach stock.tar stock.minisig 2>/dev/null
expect 0 "max_age_days reads the timestamp: of a stock minisign comment: exit 0" -- "$D" verify stock.tar -K kr --policy fresh.json

# ---- malformed keyrings are reported, never skipped ----
cp -r kr kbad && mkdir -p kbad/signers && echo "not a key" >kbad/signers/broken.pub
expect 2 "a malformed public key in signers/: exit 2" -- "$D" verify c.tar -K kbad
has err "keyring: kbad/signers/broken.pub" "... naming the file"
expect 1 "keyring list reports it and exits 1" -- "$D" keyring list -K kbad
has err "kbad/signers/broken.pub" "... on stderr"
cp -r kr kbadpol && echo '{"dossier_policy":1,"min_signers":"two"}' >kbadpol/policy.json
expect 2 "a malformed policy.json in the keyring: exit 2, not the default policy" -- "$D" verify c.tar -K kbadpol
has err "keyring: kbadpol/policy.json: \"min_signers\" must be an integer" "... naming the field"
cp -r kr kbadtsa && mkdir kbadtsa/tsa && echo "garbage" >kbadtsa/tsa/x.pem
expect 2 "a TSA file that is no certificate: exit 2" -- "$D" verify c.tar -K kbadtsa
has err "keyring: kbadtsa/tsa/x.pem: not a PEM certificate" "... naming the file"
cp -r kr knote && echo "notes" >knote/README
expect 0 "an unexpected file in the keyring is a notice only: exit 0" -- "$D" verify c.tar -K knote
has out "notice +keyring: knote/README: not part of a keyring; ignored" "... reported as a notice"
echo '{"dossier_policy":2}' >badpol.json
expect 64 "a malformed --policy file: exit 64" -- "$D" verify c.tar -K kr --policy badpol.json
has err "badpol.json: unsupported version" "... saying what is wrong"
expect 66 "a missing --policy file: exit 66" -- "$D" verify c.tar -K kr --policy nope.json

# ---- keyring add, list, remove ----
expect 0 "keyring add --authority" -- "$D" keyring add --authority --name "EP IT office" ep.pub -K ring
present ring/authorities/ep.pub "... into authorities/"
check "... the keyring directory is private (0700)" -- sh -c '[ "$(stat -c %a ring)" = 700 ]'
expect 0 "keyring add a signer key" -- "$D" keyring add mallory.pub -K ring
present ring/signers/mallory.pub "... into signers/"
expect 0 "adding the very same file again: exit 0" -- "$D" keyring add mallory.pub -K ring
has err "already in the keyring" "... with a note"
mkdir -p x && cp helmut.pub x/mallory.pub
expect 73 "a different file under the same name: exit 73" -- "$D" keyring add x/mallory.pub -K ring
expect 64 "a key card is not a keyring file: exit 64" -- "$D" keyring add helmut.card.json -K ring
has err "add the authority's key with --authority" "... saying what to do instead"
expect 0 "keyring add a policy" -- "$D" keyring add two-of-three.json -K ring
present ring/policy.json "... as policy.json"
expect 0 "keyring list" -- "$D" keyring list -K ring
has out "$KE .*EP IT office" "... shows the authority"
has out "at least 2 of 3: Helmut Scholz" "... and the policy"
expect 0 "keyring remove by key id" -- "$D" keyring remove "$KM" -K ring
absent ring/signers/mallory.pub "... removes the key file"
expect 66 "keyring remove of something absent: exit 66" -- "$D" keyring remove "$KM" -K ring
expect 64 "keyring remove ../x: exit 64" -- "$D" keyring remove ../x -K ring

# ---- secret keys ----
printf 'correct horse\n' >pass.txt && printf 'wrong\n' >wrong.txt
"$D" keygen -o sealed --name "Sealed Authority" --passphrase-file pass.txt >/dev/null
expect 1 "certify with a wrong passphrase: exit 1" -- "$D" certify helmut.pub -k sealed.key --passphrase-file wrong.txt --name X --affiliation Y --valid-until 2030-01-01 -o w.card.json
has err "wrong passphrase" "... saying so"
absent w.card.json "... and writes nothing"
expect 0 "certify with the right passphrase" -- "$D" certify helmut.pub -k sealed.key --passphrase-file pass.txt --name X --affiliation Y --valid-until 2030-01-01 -o s.card.json
chmod 644 ep.key
expect 66 "an authority key file readable by others (0644): exit 66" -- "$D" certify helmut.pub -k ep.key --name X --affiliation Y --valid-until 2030-01-01 -o m.card.json
has err "ep.key: secret key is accessible by group or others \(mode 0644\); run 'chmod 600 ep.key'" "... with the fix"
chmod 644 helmut.key && cp c0.tar mode.tar
expect 66 "sign with a key file readable by others: exit 66" -- "$D" sign mode.tar -k helmut.key
same c0.tar mode.tar "... and the bundle is untouched"
chmod 600 ep.key helmut.key

echo "1..$n"
