# test_attach.sh - attach adds a signature made elsewhere without changing any signed byte, in
# every archive type and in a bag directory; it refuses what cannot be a valid signature.
# (Signatures made by stock minisign: test_minisign_interop.sh.)
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o alice --name "Helmut Scholz" >/dev/null
"$DOSSIER" keygen -W -o bob --name "Brando Benifei" >/dev/null
KA=$(keyid alice.pub) KB=$(keyid bob.pub)

# Co-signing one by one: bob signs his copy, sends back his .minisig, alice attaches it.
for ext in tar tar.gz tar.zst zip; do
	"$DOSSIER" pack "$SPEC" -o "a.$ext" -p alice.pub -p bob.pub 2>/dev/null
	"$DOSSIER" sign "a.$ext" -k alice.key 2>/dev/null
	"$DOSSIER" pack "$SPEC" -o "b.$ext" -p alice.pub -p bob.pub 2>/dev/null
	"$DOSSIER" sign "b.$ext" -k bob.key 2>/dev/null
	unpack "b.$ext" "ub-$ext"
	"$DOSSIER" manifest "a.$ext" >before.txt
	fmt=$(magic "a.$ext")
	expect 0 "$ext: attach bob's signature from his copy" -- "$DOSSIER" attach "a.$ext" "ub-$ext/$NAME/signatures/$KB.minisig" -p bob.pub
	[ "$(magic "a.$ext")" = "$fmt" ] && ok "$ext: still $fmt" || not_ok "$ext: still $fmt" "$(magic "a.$ext")"
	"$DOSSIER" manifest "a.$ext" >after.txt
	same before.txt after.txt "$ext: the signed bytes are unchanged"
	expect 0 "$ext: both signatures verify" -- "$DOSSIER" verify "a.$ext" -p alice.pub -p bob.pub
	has out "2 of 2 signature\(s\) valid" "$ext: 2 of 2 valid"
	no_temps . "$ext: no temp file"
done

# A bag directory.
"$DOSSIER" pack "$SPEC" -o u.tar -p alice.pub -p bob.pub 2>/dev/null
"$DOSSIER" extract u.tar -d x --allow-untrusted 2>/dev/null
"$DOSSIER" manifest u.tar >tm.txt
cp ub-tar/$NAME/signatures/$KB.minisig bob.minisig
expect 0 "attach to a bag directory" -- "$DOSSIER" attach "x/$NAME" bob.minisig -p bob.pub
present "x/$NAME/signatures/$KB.minisig" "... writes signatures/$KB.minisig"
expect 0 "... and it verifies" -- "$DOSSIER" verify "x/$NAME" -p bob.pub
# The signature read from stdin.
cp u.tar s.tar
expect 0 "attach - reads the signature from stdin" -- sh -c '"$DOSSIER" attach s.tar - -p bob.pub <bob.minisig'
expect 0 "... and it verifies" -- "$DOSSIER" verify s.tar -p bob.pub

# Refusals leave the bundle byte-identical.
refuse() {
	label=$1 code=$2 pat=$3; shift 4
	cp u.tar r.tar
	expect "$code" "$label: exit $code" -- "$@"
	has err "$pat" "$label: the message says why"
	same u.tar r.tar "$label: the bundle is byte-identical"
	no_temps . "$label: no temp file"
}
refuse "missing signature file" 66 "nope.minisig" -- "$DOSSIER" attach r.tar nope.minisig
head -c 20000 /dev/zero | tr '\0' 'A' >big.minisig
refuse "a 20 kB file" 1 "big.minisig: too large" -- "$DOSSIER" attach r.tar big.minisig
: >empty.minisig
refuse "an empty file" 1 "signature" -- "$DOSSIER" attach r.tar empty.minisig
refuse "a public key as signature" 1 "signature" -- "$DOSSIER" attach r.tar alice.pub
sed '4s/^./A/' bob.minisig >bad.minisig
cmp -s bob.minisig bad.minisig && sed '4s/^./B/' bob.minisig >bad.minisig
refuse "altered trusted-comment signature, with -p" 1 "trusted comment" -- "$DOSSIER" attach r.tar bad.minisig -p bob.pub
unpack u.tar t && sed -i 's/Brussels/Bruxelles/' "t/$NAME/dossier.json" && bagtool pack "t/$NAME" dam.tar
cp dam.tar dam0.tar
expect 1 "attach to a damaged bundle: exit 1" -- "$DOSSIER" attach dam.tar bob.minisig
has err "refusing to sign a damaged bundle: dossier.json|dossier.json" "... naming dossier.json"
same dam0.tar dam.tar "... the bundle is byte-identical"
expect 66 "attach to a missing bundle: exit 66" -- "$DOSSIER" attach nope.tar bob.minisig
expect 64 "attach to a bundle on stdin: exit 64" -- sh -c '"$DOSSIER" attach - bob.minisig <u.tar'
