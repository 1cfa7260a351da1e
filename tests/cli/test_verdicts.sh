# test_verdicts.sh - verdicts a receiver can rely on: every named signatory accounted
# for, one key and one person counted once, the verification time (--at), signing times
# from the future, and every file under signatures/ checked or refused.
. "$(dirname "$0")/lib.sh"

D=$DOSSIER
make_sample s.tar || { not_ok "make the sample"; exit 1; }
"$D" sign s.tar -k bob.key 2>/dev/null
KA=$(keyid alice.pub) KB=$(keyid bob.pub)
# a keyring with both signers and no policy: the default policy applies
"$D" keyring add -q -K both --name "Helmut Scholz" alice.pub && "$D" keyring add -q -K both --name "Brando Benifei" bob.pub

# ---- every named signatory (the sample names 16; alice and bob signed) ----
expect 2 "default policy: 14 of the 16 named signatories did not sign: exit 2" -- "$D" verify s.tar -K both
has err "policy not met: every signatory named in the bundle must sign: 14 of 16 named signatories did not sign: Niklas Nienaß, Dietmar Köster, " "... naming who did not sign"
has out "^  signed      Helmut Scholz \(GUE/NGL\)$" "text report: a line per person, signed"
has out "trust: key $KA -> directly trusted \(both/signers/alice.pub\)" "... with the key and its trust chain"
has out "^  NOT SIGNED  Niklas Nienaß" "... or not signed"
has out "2 of 16 named signatories signed" "... and how many signed"
expect 2 "--json" -- "$D" verify s.tar -K both --json
cp out r.json
check "JSON: signatories, each signed with key and chain or not" -- "$PYTHON" -c '
import json,sys; r=json.load(open("r.json")); p=r["signatories"]
assert len(p)==16 and p[0]["name"]=="Helmut Scholz" and p[0]["signed"] and p[0]["signed_by"]==sys.argv[1], p[0]
assert "directly trusted" in p[0]["chain"], p[0]
assert not p[2]["signed"] and p[2]["reason"] and p[2]["signed_by"]=="", p[2]' "$KA"
expect 2 "--html" -- "$D" verify s.tar -K both --html r.html
has r.html "<h2>Named signatories</h2>" "HTML: a section of named signatories"
has r.html "&#10008; NOT SIGNED" "... with those who did not sign"

# a signature removed in transit: bob, trusted, named, no longer accounted for
unpack s.tar t && rm "t/$NAME/signatures/$KB.minisig" && bagtool pack "t/$NAME" cut.tar
printf '{"dossier_policy":1,"all_signatories":true}\n' >all.json
expect 2 "a trusted signatory's signature removed in transit: exit 2" -- "$D" verify cut.tar -K both --policy all.json
has err "15 of 16 named signatories did not sign: Brando Benifei, " "... naming the one whose signature is gone"

# a receiver's policy relaxes the rule with a count or a list of people
printf '{"dossier_policy":1,"min_signers":2}\n' >count.json
expect 0 "a policy with a count instead: exit 0" -- "$D" verify s.tar -K both --policy count.json
printf '{"dossier_policy":1,"required":["Helmut Scholz","Brando Benifei"]}\n' >list.json
expect 0 "a policy with a list of required people instead: exit 0" -- "$D" verify s.tar -K both --policy list.json
expect 2 "... which the cut copy does not meet: exit 2" -- "$D" verify cut.tar -K both --policy list.json

# ---- one key under two key ids counts once ----
# alice2: alice's Ed25519 key pair filed under another key id, without her name (as the
# issue reproduced it: two public key files, both trusted)
"$PYTHON" - alice.key alice2 <<'PY'
import base64, hashlib, sys
lines = open(sys.argv[1]).read().splitlines()
raw = bytearray(base64.b64decode(lines[1]))
keynum = bytes(b ^ 0x5A for b in raw[54:62])
raw[54:62] = keynum
raw[126:158] = hashlib.blake2b(bytes(raw[0:2]) + keynum + bytes(raw[62:126]), digest_size=32).digest()
kid = keynum[::-1].hex().upper()
open(sys.argv[2] + ".key", "w").write("untrusted comment: minisign secret key\n" + base64.b64encode(raw).decode() + "\n")
pub = b"Ed" + keynum + bytes(raw[94:126])
open(sys.argv[2] + ".pub", "w").write("untrusted comment: minisign public key %s\n%s\n" % (kid, base64.b64encode(pub).decode()))
PY
chmod 600 alice2.key && K2=$(keyid alice2.pub)
"$D" pack "$SPEC" -o one.tar -p alice.pub -p bob.pub 2>/dev/null && "$D" sign one.tar -k alice.key 2>/dev/null
cp one.tar twice.tar && "$D" sign twice.tar -k alice2.key 2>/dev/null
mkdir dup && cp alice.pub alice2.pub dup/
printf '{"dossier_policy":1,"min_signers":2}\n' >two.json
expect 2 "one key under two key ids, min_signers 2: exit 2" -- "$D" verify twice.tar -K dup --policy two.json
has err "at least 2 trusted signatories named in the bundle: 1 counted" "... counted once"
has out "signatures/($K2|$KA).minisig: the same public key as signatures/($KA|$K2).minisig under another key id" "... and said"
expect 2 "--json" -- "$D" verify twice.tar -K dup --policy two.json --json
cp out r2.json
check "JSON: same_key_as names the other key id, public_key the same" -- "$PYTHON" -c '
import json,sys; r=json.load(open("r2.json")); s={x["keyid"]:x for x in r["signatures"]}
a,b=s[sys.argv[1]],s[sys.argv[2]]
assert {a["same_key_as"],b["same_key_as"]}=={"",min(sys.argv[1:3])} and a["public_key"]==b["public_key"]!="", s' "$KA" "$K2"

# ---- the verification time ----
expect 2 "--at a date before the signatures were made: exit 2" -- "$D" verify s.tar -K both --policy count.json --at 2020-01-01
has err "later than the verification time 2020-01-01T00:00:00Z" "... they claim a time after it"
expect 0 "--at a later date-time: exit 0" -- "$D" verify s.tar -K both --policy count.json --at 2090-06-01T12:00:00Z
expect 0 "--at with --json says when" -- "$D" verify s.tar -K both --policy count.json --at 2090-06-01 --json
has out '"verified_at": +"2090-06-01T00:00:00Z"' "... as verified_at"
expect 64 "--at that is not a date: exit 64" -- "$D" verify s.tar -K both --at tomorrow
has err "--at: not a date" "... saying so"

# ---- a signing time from the future ----
ID=$(bagtool json "t/$NAME/dossier.json" id)
"$D" manifest s.tar >tm.txt
minisign -S -s alice.key -m tm.txt -x future.minisig -t "dossier-v1 bundle:$ID signer:$KA time:2099-01-01T00:00:00Z" >/dev/null 2>&1
"$D" pack "$SPEC" -o f.tar -p alice.pub -p bob.pub 2>/dev/null && "$D" attach f.tar future.minisig 2>/dev/null
mkdir ka && cp alice.pub ka/
printf '{"dossier_policy":1,"min_signers":1}\n' >one.json
expect 2 "a signature claiming to be made in 2099: exit 2" -- "$D" verify f.tar -K ka --policy one.json
has err "signatures/$KA.minisig: the signature says it was made at 2099-01-01T00:00:00Z, later than the verification time" "... saying so"
printf '{"dossier_policy":1,"min_signers":1,"max_age_days":30}\n' >fresh.json
expect 2 "... and it does not pass max_age_days: exit 2" -- "$D" verify f.tar -K ka --policy fresh.json

# ---- every file under signatures/ is checked or refused ----
"$D" keygen -W -o ep --name "EP IT office" >/dev/null
"$D" certify alice.pub -k ep.key --name "Helmut Scholz" --affiliation EP --valid-until 2099-12-31 -o alice.card.json 2>/dev/null
"$D" certify bob.pub -k ep.key --name "Brando Benifei" --affiliation EP --valid-until 2099-12-31 -o bob.card.json 2>/dev/null
unpack one.tar u
cp bob.card.json.minisig "u/$NAME/signatures/$KB.card.json.minisig" && bagtool pack "u/$NAME" lone.tar
expect 1 "a lone <KEYID>.card.json.minisig: exit 1" -- "$D" verify lone.tar -p alice.pub
has err "signatures/$KB.card.json.minisig: a card signature without its card" "... refused as malformed"
cp bob.card.json "u/$NAME/signatures/$KB.card.json" && bagtool pack "u/$NAME" unused.tar
expect 1 "a card in signatures/ for a key that did not sign: exit 1" -- "$D" verify unused.tar -p alice.pub
has err "signatures/$KB.card.json: a key card for $KB, who has not signed" "... refused as malformed"
rm "u/$NAME/signatures/$KB.card.json"*
echo '{"not":"a card"}' >"u/$NAME/signatures/$KA.card.json" && cp alice.card.json.minisig "u/$NAME/signatures/$KA.card.json.minisig" && bagtool pack "u/$NAME" junk.tar
expect 1 "a malformed card beside a directly trusted signer's signature: exit 1" -- "$D" verify junk.tar -p alice.pub
has err "signatures/$KA.card.json: " "... parsed and refused"
cp bob.card.json "u/$NAME/signatures/$KA.card.json" && cp bob.card.json.minisig "u/$NAME/signatures/$KA.card.json.minisig" && bagtool pack "u/$NAME" other.tar
expect 1 "another key's card beside a directly trusted signer's signature: exit 1" -- "$D" verify other.tar -p alice.pub
has err "signatures/$KA.card.json: the card is for key $KB, not $KA" "... refused"
cp alice.card.json "u/$NAME/signatures/$KA.card.json" && cp alice.card.json.minisig "u/$NAME/signatures/$KA.card.json.minisig" && bagtool pack "u/$NAME" good.tar
expect 0 "a well-formed card beside its signature: exit 0" -- "$D" verify good.tar -p alice.pub

