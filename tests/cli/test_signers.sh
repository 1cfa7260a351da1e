# test_signers.sh - trust: which keys verify says are trusted, unknown and wrong keys, renamed,
# garbage and misplaced signature files, keyrings.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
"$DOSSIER" keygen -W -o mallory --name "Mallory" >/dev/null
KA=$(keyid alice.pub) KB=$(keyid bob.pub)

expect 0 "signer's key given: exit 0" -- "$DOSSIER" verify s.tar -p alice.pub
expect 2 "no key given: unknown signer exits 2" -- "$DOSSIER" verify s.tar
has err "^dossier: signatures/$KA.minisig: signed by unknown key $KA" "... naming the signature and key id"
has out "verdict +UNTRUSTED" "... report says UNTRUSTED"
expect 2 "another signatory's key (-p bob.pub): exit 2" -- "$DOSSIER" verify s.tar -p bob.pub
has err "signatures/$KA.minisig: signed by unknown key $KA" "... naming alice's signature"
expect 2 "an unrelated key (-p mallory.pub): exit 2" -- "$DOSSIER" verify s.tar -p mallory.pub
has err "signatures/$KA.minisig: signed by unknown key $KA" "... naming alice's signature"

"$DOSSIER" pack "$SPEC" -o u.tar -p alice.pub -p bob.pub 2>/dev/null
expect 2 "no signature at all: exit 2" -- "$DOSSIER" verify u.tar -p alice.pub -p bob.pub
has err "not signed" "... saying it is not signed"

# Two signers: a signature by a key you do not trust is still reported (exit 2).
cp s.tar two.tar && "$DOSSIER" sign two.tar -k bob.key 2>/dev/null
expect 0 "two signatures, both keys trusted: exit 0" -- "$DOSSIER" verify two.tar -p alice.pub -p bob.pub
has out "2 of 2 signature\(s\) valid and trusted" "... 2 of 2 valid"
expect 2 "two signatures, one key trusted: exit 2" -- "$DOSSIER" verify two.tar -p alice.pub
has err "signatures/$KB.minisig: signed by unknown key $KB" "... naming bob's signature"

# Keyrings: -K DIR and the default one under $HOME.
mkdir ring && cp alice.pub ring/ && echo "$RELAXED_POLICY" >ring/policy.json
expect 0 "-K keyring holding the signer's key: exit 0" -- "$DOSSIER" verify s.tar -K ring
mkdir -p "$HOME/.config/dossier/keyring" && cp alice.pub "$HOME/.config/dossier/keyring/"
expect 0 "default keyring \$HOME/.config/dossier/keyring: exit 0" -- "$DOSSIER" verify s.tar
mkdir empty-ring
expect 2 "-K with another keyring replaces the default: exit 2" -- "$DOSSIER" verify s.tar -K empty-ring -p bob.pub
rm -r "$HOME/.config/dossier/keyring"

# Signature files that lie.
unpack s.tar t && B=t/$NAME
mv "$B/signatures/$KA.minisig" "$B/signatures/$KB.minisig" && bagtool pack "t/$NAME" m.tar
expect 1 "alice's signature renamed to bob's key id: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub -p bob.pub
has err "^dossier: signatures/$KB.minisig: file is named for key $KB but the signature is by $KA" "... naming the file and both ids"
unpack s.tar t
printf 'untrusted comment: x\nnot base64 at all\n' >"$B/signatures/$KB.minisig" && bagtool pack "t/$NAME" m.tar
expect 1 "garbage signature file beside a valid one: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub -p bob.pub
has err "^dossier: signatures/$KB.minisig: " "... naming signatures/$KB.minisig"
unpack s.tar t
echo "hello" >"$B/signatures/README.txt" && bagtool pack "t/$NAME" m.tar
expect 1 "unexpected file in signatures/: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: signatures/README.txt: unexpected file in signatures/" "... naming signatures/README.txt"
unpack s.tar t
sed -n 1,4p "$B/signatures/$KA.minisig" >x && { cat x; echo "extra line"; } >"$B/signatures/$KA.minisig" && bagtool pack "t/$NAME" m.tar
expect 1 "trailing data after a signature: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub
has err "^dossier: signatures/$KA.minisig: " "... naming signatures/$KA.minisig"
# A signature by bob over alice's bytes moved in place of alice's, with alice's key trusted.
cp s.tar two2.tar && "$DOSSIER" sign two2.tar -k bob.key 2>/dev/null && unpack two2.tar t
mv "$B/signatures/$KB.minisig" "$B/signatures/$KA.minisig" && bagtool pack "t/$NAME" m.tar
expect 1 "bob's signature under alice's name: exit 1" -- "$DOSSIER" verify m.tar -p alice.pub -p bob.pub
has err "^dossier: signatures/$KA.minisig: file is named for key $KA but the signature is by $KB" "... naming the file"

# Key files that are not public keys.
expect 65 "-p with a secret key file: exit 65 (the wrong kind of file)" -- "$DOSSIER" verify s.tar -p alice.key
has err "alice.key" "... naming alice.key"
expect 66 "-p with a missing file: exit 66" -- "$DOSSIER" verify s.tar -p nope.pub
has err "nope.pub" "... naming nope.pub"
