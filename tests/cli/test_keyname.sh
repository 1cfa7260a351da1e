# test_keyname.sh - names come from trusted places: a directly trusted key is named only by
# what the receiver chose at `keyring add --name` (or by an authority's card), never by the
# untrusted comment of its .pub file; a comment naming another key id is refused wherever
# a .pub is read (keyring add, verify -p, keyring loading).
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o ana --name "Ana Lopez" >/dev/null
"$DOSSIER" keygen -W -o mallory --name "Mallory" >/dev/null
KA=$(keyid ana.pub) KM=$(keyid mallory.pub)
mkdir -p letter && echo "the letter" >letter/letter.txt
"$DOSSIER" pack letter -o m.tar 2>/dev/null && cp m.tar a.tar
"$DOSSIER" sign m.tar -k mallory.key -q && "$DOSSIER" sign a.tar -k ana.key -q
printf '{"dossier_policy": 1, "required": ["Ana Lopez"]}\n' >ana-policy.json
# Mallory's key, handed over as Ana's: her name and key id in the comment
{ echo "untrusted comment: dossier public key $KA Ana Lopez"; sed -n 2p mallory.pub; } >forged.pub
# ... or her name beside Mallory's own key id
{ echo "untrusted comment: dossier public key $KM Ana Lopez"; sed -n 2p mallory.pub; } >lying.pub

# ---- a comment whose key id is not the key's is refused where a .pub is read ----
expect 1 "keyring add: a comment naming another key id is refused" -- "$DOSSIER" keyring add -K kr1 forged.pub
has err "forged.pub: public key $KM: its comment names key id $KA; the file was edited or mixed up" "... saying whose id it claims"
absent kr1/signers/forged.pub "... and nothing is added"
expect 1 "verify -p: the same key is refused" -- "$DOSSIER" verify m.tar -p forged.pub --policy ana-policy.json
has err "forged.pub: public key $KM: its comment names key id $KA" "... saying so"
mkdir -p kr1/signers && cp forged.pub kr1/signers/
expect 2 "keyring loading: the same key copied into signers/ is not trusted" -- \
	"$DOSSIER" verify m.tar -K kr1 --policy ana-policy.json
has err "kr1/signers/forged.pub: public key $KM: its comment names key id $KA" "... and the keyring problem is named"

# ---- a name in a comment names nobody ----
expect 0 "keyring add of a key whose comment says Ana Lopez" -- "$DOSSIER" keyring add -K kr2 lying.pub
has err "^added lying.pub as kr2/signers/lying.pub: key $KM, with no name" "... shows the key id it trusts, and no name"
has err "comment says \"Ana Lopez\", which anyone could have written" "... and that the comment's name is not used"
absent kr2/signers/lying.name.json "... and keeps no name"
expect 2 "... it does not satisfy a policy requiring Ana Lopez" -- "$DOSSIER" verify m.tar -K kr2 --policy ana-policy.json
has err "policy not met" "... the policy is unmet"
expect 2 "the same key with -p does not satisfy it either" -- "$DOSSIER" verify m.tar -p lying.pub --policy ana-policy.json
"$DOSSIER" verify m.tar -p lying.pub --json >r.json
has r.json "\"identity\": +\"\"" "... the key is shown by its key id only (no identity)"
mkdir kr3 && cp lying.pub kr3/
expect 2 "nor a key copied to the keyring's top level" -- "$DOSSIER" verify m.tar -K kr3 --policy ana-policy.json
expect 2 "even Ana's own key, with its comment, is not named without the receiver's choice" -- \
	"$DOSSIER" verify a.tar -p ana.pub --policy ana-policy.json

# ---- the receiver's choice names a key ----
expect 0 "keyring add --name" -- "$DOSSIER" keyring add -K kr4 --name "Ana Lopez" ana.pub
has err "^added ana.pub as kr4/signers/ana.pub: key $KA, trusted as \"Ana Lopez\"$" "... printing the key id and the name it trusts"
present kr4/signers/ana.name.json "... kept beside the key"
check "... as JSON bound to the key id" -- "$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d == {"dossier_key_name": 1, "keyid": sys.argv[2], "name": "Ana Lopez"}, d' kr4/signers/ana.name.json "$KA"
expect 0 "... it satisfies the policy" -- "$DOSSIER" verify a.tar -K kr4 --policy ana-policy.json
has out "counted: Ana Lopez \($KA\)" "... counting Ana Lopez"
expect 0 "keyring list shows the name" -- "$DOSSIER" keyring list -K kr4
has out "$KA  Ana Lopez  kr4/signers/ana.pub" "... beside the key id"
expect 0 "adding it again: exit 0" -- "$DOSSIER" keyring add -K kr4 ana.pub
has err "already in the keyring: ana.pub as kr4/signers/ana.pub: key $KA, trusted as \"Ana Lopez\"" "... the name stays"
expect 73 "another name needs --force" -- "$DOSSIER" keyring add -K kr4 --name "A. Lopez" ana.pub
has err "kr4/signers/ana.pub: already trusted as \"Ana Lopez\"; use --force to change its name" "... saying so"
expect 0 "... and with --force the name changes" -- "$DOSSIER" keyring add -K kr4 --name "A. Lopez" --force ana.pub
expect 2 "... so the policy naming Ana Lopez is no longer met" -- "$DOSSIER" verify a.tar -K kr4 --policy ana-policy.json
"$DOSSIER" keyring add -K kr4 --name "Ana Lopez" --force ana.pub 2>/dev/null

# a name file for another key (the key beside it replaced by hand) names nobody
cp -r kr4 kr5 && cp mallory.pub kr5/signers/ana.pub
expect 2 "a name file beside another key: the keyring cannot be relied on" -- \
	"$DOSSIER" verify m.tar -K kr5 --policy ana-policy.json
has err "kr5/signers/ana.name.json: names key $KA, but the key beside it is $KM; neither is used" "... saying why"
cp -r kr4 kr6 && rm kr6/signers/ana.pub
expect 0 "a name file beside no key is a notice" -- "$DOSSIER" keyring list -K kr6
has err "kr6/signers/ana.name.json: a name for a key that is not there" "... naming it"

# usage
expect 64 "--name for a policy: exit 64" -- "$DOSSIER" keyring add -K kr4 --name X ana-policy.json
expect 64 "--name for two keys: exit 64" -- "$DOSSIER" keyring add -K kr4 --name X ana.pub mallory.pub
expect 64 "--name of two lines: exit 64" -- "$DOSSIER" keyring add -K kr4 --name "$(printf 'A\nB')" mallory.pub
expect 64 "--name with remove: exit 64" -- "$DOSSIER" keyring remove -K kr4 --name X "$KA"
expect 0 "keyring remove by key id" -- "$DOSSIER" keyring remove -K kr4 "$KA"
absent kr4/signers/ana.pub "... removes the key"
absent kr4/signers/ana.name.json "... and its name"
