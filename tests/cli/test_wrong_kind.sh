# test_wrong_kind.sh - an operator who passes the wrong kind of file (a secret key for a public
# one, a PDF for a bundle) gets exit 65 and a message naming the mistake, not exit 1 and a
# complaint about base64 lengths that reads like forgery. A damaged file stays exit 1.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || { not_ok "sample bundle"; exit 1; }
printf '%%PDF-1.4\n%%\342\343\n1 0 obj\n' >letter.pdf

expect 65 "verify -p with a secret key: exit 65" -- "$DOSSIER" verify s.tar -p alice.key
has err "^dossier: alice.key: this is a secret key; pass the .pub file \(the public key\)$" "... naming the mistake"
lacks err "base64" "... without talk of base64"
expect 65 "sign -k with a public key: exit 65" -- "$DOSSIER" sign s.tar -k bob.pub
has err "^dossier: bob.pub: this is a public key; pass the secret key \(the .key file\)$" "... naming the mistake"
expect 65 "verify of a PDF: exit 65" -- "$DOSSIER" verify letter.pdf -p alice.pub
has err "^dossier: letter.pdf: not a bundle \(a PDF document\)$" "... saying what it is"
expect 65 "verify of a PDF on stdin: exit 65" -- sh -c '"$DOSSIER" verify - -p alice.pub <letter.pdf'
expect 65 "verify of a key given as the bundle: exit 65" -- "$DOSSIER" verify alice.pub
has err "alice.pub: not a bundle \(a minisign public key\)" "... saying what it is"
expect 65 "verify -p with the bundle: exit 65" -- "$DOSSIER" verify s.tar -p s.tar
has err "^dossier: s.tar: not a public key \(a tar archive\)$" "... saying what it is"
expect 65 "sign -k with a PDF: exit 65" -- "$DOSSIER" sign s.tar -k letter.pdf
has err "letter.pdf: not a secret key \(a PDF document\)" "... saying what it is"
expect 65 "show of a PDF: exit 65" -- "$DOSSIER" show letter.pdf
expect 65 "extract of a PDF: exit 65" -- "$DOSSIER" extract letter.pdf -d dest -p alice.pub
absent dest "... making nothing"
expect 65 "certify with a secret key for the key to certify: exit 65" -- \
	"$DOSSIER" certify alice.key -k bob.key --name X --affiliation Y --valid-until 2099-01-01 -o x.card.json
K=$(keyid alice.pub)
unpack s.tar t && cp "t/$NAME/signatures/$K.minisig" a.minisig
expect 65 "verify -p with a signature: exit 65" -- "$DOSSIER" verify s.tar -p a.minisig
has err "a.minisig: not a public key \(a minisign signature\)" "... saying what it is"
expect 65 "keyring add of a secret key: exit 65" -- "$DOSSIER" keyring add -K kr alice.key
has err "alice.key: this is a secret key" "... naming the mistake"
absent kr/signers/alice.key "... and the keyring holds no secret"

# damage is still damage: exit 1
head -c 3000 s.tar >trunc.tar
expect 1 "a truncated bundle still exits 1" -- "$DOSSIER" verify trunc.tar -p alice.pub
head -c 3000 /dev/urandom >noise.tar
expect 1 "bytes nobody recognises (a bundle damaged at its start?) exit 1" -- "$DOSSIER" verify noise.tar -p alice.pub
printf 'untrusted comment: x\nnot base64\n' >broken.pub
expect 1 "a damaged public key still exits 1" -- "$DOSSIER" verify s.tar -p broken.pub
