# test_smoke.sh - the sample packs, signs and verifies; unknown signer exits 2.
. "$(dirname "$0")/lib.sh"
make_sample sample.tar && ok "pack and sign the sample" || not_ok "pack and sign the sample"
expect 0 "verify with the signer's key" -- "$DOSSIER" verify sample.tar -p alice.pub
has out "verdict +VALID" "report says VALID"
expect 2 "verify without keys is untrusted" -- "$DOSSIER" verify sample.tar
expect 66 "nonexistent bundle" -- "$DOSSIER" verify nope.tar
expect 64 "verify without arguments" -- "$DOSSIER" verify
