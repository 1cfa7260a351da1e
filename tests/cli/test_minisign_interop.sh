# test_minisign_interop.sh - keys and signatures are minisign's, both ways: dossier keys sign with
# stock minisign, minisign keys sign bundles, minisign signatures attach (ED and legacy Ed).
# (A passphrase-protected dossier key used by stock minisign: see test_keygen.sh, which has one.)
. "$(dirname "$0")/lib.sh"
command -v minisign >/dev/null || { skip "minisign interop" "minisign is not installed"; exit 0; }
"$DOSSIER" keygen -W -o alice --name "Helmut Scholz" >/dev/null || not_ok "keygen"
minisign -G -W -p x.pub -s x.key >/dev/null 2>&1 || not_ok "minisign -G"
KA=$(keyid alice.pub) KX=$(keyid x.pub)
"$DOSSIER" pack "$SPEC" -o u.tar 2>/dev/null || not_ok "pack"

# Key ids: the same number minisign writes in its own key file (minisign prints it with %PRIX64,
# without leading zeros; dossier always writes 16 digits).
has x.pub "^untrusted comment: minisign public key 0*$(echo "$KX" | sed 's/^0*//')$" "key id as computed from the bytes matches minisign's"

# (a) a dossier key with stock minisign
echo "some bytes" >msg.txt
check "dossier -W key signs with minisign -S" -- minisign -S -s alice.key -m msg.txt -x msg.minisig
check "... and minisign -V verifies it with the dossier public key" -- minisign -Vm msg.txt -x msg.minisig -p alice.pub
echo "other bytes" >msg.txt
expect 1 "... and minisign -V fails once the bytes change" -- minisign -Vm msg.txt -x msg.minisig -p alice.pub
cp u.tar a.tar && "$DOSSIER" sign a.tar -k alice.key 2>/dev/null
unpack a.tar t
check "a signature made by dossier sign verifies with minisign -V" -- \
	minisign -Vm "t/$NAME/tagmanifest-sha256.txt" -x "t/$NAME/signatures/$KA.minisig" -p alice.pub
has out "dossier-v1 bundle:" "... minisign shows dossier's trusted comment"

# (b) a minisign key with dossier sign
cp u.tar b.tar
expect 0 "dossier sign -k <minisign -G -W key>" -- "$DOSSIER" sign b.tar -k x.key
has err "with key $KX" "... under minisign's key id"
expect 0 "dossier verify -p <minisign public key>" -- "$DOSSIER" verify b.tar -p x.pub
has out "valid +$KX" "... the signature is valid"

# (c) manifest -> minisign -S -> attach
cp u.tar c.tar
"$DOSSIER" manifest c.tar >tm.txt
minisign -S -s x.key -m tm.txt -x sig.minisig >/dev/null 2>&1 || not_ok "minisign -S over the manifest"
expect 0 "attach a stock minisign signature with -p" -- "$DOSSIER" attach c.tar sig.minisig -p x.pub
has err "attached signature by key $KX \(verified\)" "... attach says it verified it"
no_temps . "... no temp file left"
expect 0 "the bundle with the attached signature verifies" -- "$DOSSIER" verify c.tar -p x.pub
has out "valid +$KX" "... the signature is valid"
tc=$(sed -n 's/^trusted comment: //p' sig.minisig)
has out "timestamp:[0-9]+.file:tm\.txt.hashed" "... the report shows minisign's trusted comment"
"$DOSSIER" verify c.tar -p x.pub --json >j.json 2>/dev/null
"$PYTHON" -c 'import json,sys; s = json.load(open("j.json"))["signatures"][0]; print(s["trusted_comment"] == sys.argv[1], s["algorithm"])' "$tc" >tc.txt 2>&1
has tc.txt "^True ED$" "... --json gives the trusted comment verbatim, algorithm ED"
cp c.tar c0.tar
expect 0 "attaching the very same signature again is a no-op" -- "$DOSSIER" attach c.tar sig.minisig -p x.pub
has err "already carries this signature by key $KX; nothing to do" "... saying so"
same c0.tar c.tar "... and leaves the bundle unchanged"
minisign -S -s x.key -m tm.txt -x sig2.minisig -t "a second opinion" >/dev/null 2>&1
expect 73 "attaching another signature by the same key fails" -- "$DOSSIER" attach c.tar sig2.minisig -p x.pub
has err "already has another signature by key $KX" "... saying the key already signed"
same c0.tar c.tar "... and leaves the bundle unchanged"

echo "not the manifest" >other.txt
minisign -S -s x.key -m other.txt -x other.minisig >/dev/null 2>&1
cp u.tar d.tar
expect 1 "attach -p of a signature over other bytes exits 1" -- "$DOSSIER" attach d.tar other.minisig -p x.pub
has err "does not match the signed bytes" "... saying the signature does not match"
same u.tar d.tar "... and leaves the bundle unchanged"
no_temps . "... no temp file left"
echo "garbage" >g.minisig
expect 1 "attach (no -p) of a garbage file exits 1" -- "$DOSSIER" attach d.tar g.minisig
has err "signature: " "... saying what is wrong with it"
same u.tar d.tar "... and leaves the bundle unchanged"
"$DOSSIER" keygen -W -o other >/dev/null
expect 1 "attach -p with another key than the signer's exits 1" -- "$DOSSIER" attach d.tar sig.minisig -p other.pub
has err "$KX" "... naming the signature's key id"
same u.tar d.tar "... and leaves the bundle unchanged"
# Without -p attach cannot check; verify then catches the bad signature.
expect 0 "attach without -p takes a signature over other bytes (not verified)" -- "$DOSSIER" attach d.tar other.minisig
has err "not verified" "... and says it did not verify it"
expect 1 "... which verify rejects (exit 1)" -- "$DOSSIER" verify d.tar -p x.pub
has err "^dossier: signatures/$KX.minisig: .*does not match the signed bytes" "... naming signatures/$KX.minisig"

# Legacy (non-prehashed) Ed signatures by minisign -l.
cp u.tar e.tar
minisign -S -l -s x.key -m tm.txt -x legacy.minisig >/dev/null 2>&1 || not_ok "minisign -S -l"
expect 0 "attach a legacy Ed signature" -- "$DOSSIER" attach e.tar legacy.minisig -p x.pub
expect 0 "a legacy Ed signature verifies" -- "$DOSSIER" verify e.tar -p x.pub
has out "legacy Ed" "... reported as legacy"
"$DOSSIER" verify e.tar -p x.pub --json >j.json 2>/dev/null
"$PYTHON" -c 'import json; print(json.load(open("j.json"))["signatures"][0]["algorithm"])' >alg.txt 2>&1
has alg.txt "^Ed$" "... JSON algorithm Ed"

# A dossier-v1 trusted comment must name this bundle and this signer.
id=$("$DOSSIER" show u.tar --json 2>/dev/null | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["id"])')
cp u.tar f.tar
minisign -S -s x.key -m tm.txt -x wrongb.minisig \
	-t "dossier-v1 bundle:00000000-0000-8000-8000-000000000000 signer:$KX time:2020-10-16T00:00:00Z" >/dev/null 2>&1
"$DOSSIER" attach f.tar wrongb.minisig 2>/dev/null
expect 1 "trusted comment naming another bundle: exit 1" -- "$DOSSIER" verify f.tar -p x.pub
has err "^dossier: signatures/$KX.minisig: trusted comment names another bundle" "... naming the signature"
cp u.tar g.tar
minisign -S -s x.key -m tm.txt -x wrongs.minisig \
	-t "dossier-v1 bundle:$id signer:$KA time:2020-10-16T00:00:00Z" >/dev/null 2>&1
"$DOSSIER" attach g.tar wrongs.minisig 2>/dev/null
expect 1 "trusted comment naming another signer: exit 1" -- "$DOSSIER" verify g.tar -p x.pub
has err "^dossier: signatures/$KX.minisig: trusted comment names another signer" "... naming the signature"
cp u.tar h.tar
minisign -S -s x.key -m tm.txt -x right.minisig -t "dossier-v1 bundle:$id signer:$KX time:2020-10-16T00:00:00Z" >/dev/null 2>&1
"$DOSSIER" attach h.tar right.minisig 2>/dev/null
expect 0 "a correct dossier-v1 comment made by minisign verifies" -- "$DOSSIER" verify h.tar -p x.pub
