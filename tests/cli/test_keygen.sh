# test_keygen.sh - key files: minisign format, modes 0600/0644, no overwriting, passphrases.
# The passphrase-protected key costs a few seconds of scrypt per use, so it is made once here
# and also carries the minisign interop check for encrypted keys.
. "$(dirname "$0")/lib.sh"

# -W keys
expect 0 "keygen -W" -- sh -c 'umask 000; "$DOSSIER" keygen -W -o k --name "Ann Example"'
KID=$(keyid k.pub)
has out "^key $KID: secret key k.key .* public key k.pub$" "keygen prints the key id minisign would print"
[ "$(stat -c %a k.key)" = 600 ] && ok "k.key is 0600 (even with umask 000)" || not_ok "k.key is 0600" "$(stat -c %a k.key)"
[ "$(stat -c %a k.pub)" = 644 ] && ok "k.pub is 0644" || not_ok "k.pub is 0644" "$(stat -c %a k.pub)"
(umask 077 && "$DOSSIER" keygen -W -o k2 >/dev/null)
[ "$(stat -c %a k2.pub)" = 644 ] && ok "k2.pub is 0644 with umask 077" || not_ok "k2.pub is 0644 with umask 077" "$(stat -c %a k2.pub)"
check "k.pub: 2 lines, untrusted comment, base64 of 42 bytes starting with Ed" -- bagtool pubcheck k.pub
has k.pub "^untrusted comment: .*$KID" "k.pub's comment carries the key id"
# The secret key: "untrusted comment" + base64 of 158 bytes: Ed, kdf (none for -W), B2, ...
seckey_fields() {
	"$PYTHON" -c '
import base64, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
b = base64.b64decode(lines[1], validate=True)
print(len([l for l in lines if l]), lines[0][:18].decode(), len(b), b[0:2], b[2:4], b[4:6], b[54:62].hex() == sys.argv[2])
' "$1" "$(keyid "${1%.key}.pub" | "$PYTHON" -c 'import sys; print(bytes.fromhex(sys.stdin.read().strip())[::-1].hex())')"
}
seckey_fields k.key >sk.txt 2>&1
has sk.txt "^2 untrusted comment: 158 b'Ed' b'\\\\x00\\\\x00' b'B2' True$" "k.key: minisign layout, no KDF, B2 checksum, key id matches k.pub"

# No overwriting.
cp k.key k.key.before && cp k.pub k.pub.before
expect 73 "keygen refuses to overwrite existing keys" -- "$DOSSIER" keygen -W -o k
has err "k: key files already exist; refusing to overwrite" "... saying so"
same k.key.before k.key "... k.key unchanged"
same k.pub.before k.pub "... k.pub unchanged"
touch only.pub
expect 73 "keygen refuses when only NAME.pub exists" -- "$DOSSIER" keygen -W -o only
absent only.key "... and writes no NAME.key"
expect 0 "keygen --force overwrites" -- "$DOSSIER" keygen -W -o k --force
differ k.key.before k.key "... k.key replaced"
[ "$(stat -c %a k.key)" = 600 ] && ok "... still 0600" || not_ok "... still 0600"
no_temps . "no temp files left"

# Usage errors.
printf 'pw\n' >pass.txt
expect 64 "-W with --passphrase-file exits 64" -- "$DOSSIER" keygen -W -o c1 --passphrase-file pass.txt
absent c1.key "... no key written"
: >empty.txt
expect 64 "an empty passphrase exits 64" -- "$DOSSIER" keygen -o c2 --passphrase-file empty.txt
has err "empty passphrase" "... saying so"
absent c2.key "... no key written"
expect 64 "a two-line --name exits 64" -- "$DOSSIER" keygen -W -o c3 --name "$(printf 'a\nb')"
absent c3.key "... no key written"
expect 66 "a missing passphrase file exits 66" -- "$DOSSIER" keygen -o c4 --passphrase-file nope.txt
absent c4.key "... no key written"

# Passphrase-protected key made by keygen (scrypt at minisign's limits: seconds per use, so
# it is used just twice; test_passphrase_tty.sh also uses one with stock minisign).
printf 'correct horse battery staple\n' >pass.txt
expect 0 "keygen --passphrase-file" -- "$DOSSIER" keygen -o enc --name "Helmut Scholz" --passphrase-file pass.txt
EID=$(keyid enc.pub)
has out "^key $EID:" "keygen prints the public key's id"
[ "$(stat -c %a enc.key)" = 600 ] && ok "enc.key is 0600" || not_ok "enc.key is 0600"
check "enc.pub is a minisign public key" -- bagtool pubcheck enc.pub
"$PYTHON" -c '
import base64, sys
b = base64.b64decode(open(sys.argv[1], "rb").read().split(b"\n")[1])
print(len(b), b[0:2], b[2:4], b[4:6])' enc.key >esk.txt 2>&1
has esk.txt "^158 b'Ed' b'Sc' b'B2'$" "enc.key: minisign layout with scrypt (Sc)"
"$DOSSIER" pack "$SPEC" -o u.tar -p enc.pub 2>/dev/null || not_ok "pack"
cp u.tar e.tar
expect 0 "sign with the encrypted key and --passphrase-file" -- "$DOSSIER" sign e.tar -k enc.key --passphrase-file pass.txt
has err "signed e.tar with key $EID" "... under the key id of enc.pub"
expect 0 "... and it verifies with enc.pub" -- "$DOSSIER" verify e.tar -p enc.pub

# The same format with cheap scrypt limits, sealed by an independent implementation
# (tests/cli/helpers/bagtool.py seal): fast enough for the failure cases.
"$DOSSIER" keygen -W -o plain --name "Helmut Scholz" >/dev/null
bagtool seal plain.key cheap.key pass.txt || not_ok "seal"
"$DOSSIER" pack "$SPEC" -o u2.tar -p plain.pub 2>/dev/null
cp u2.tar c.tar
expect 0 "sign with a minisign-format encrypted key sealed elsewhere" -- "$DOSSIER" sign c.tar -k cheap.key --passphrase-file pass.txt
expect 0 "... verifies with the public key" -- "$DOSSIER" verify c.tar -p plain.pub
echo "bytes" >msg.txt
check "stock minisign signs with that key too (passphrase on stdin)" -- \
	sh -c 'minisign -S -s cheap.key -m msg.txt -x msg.minisig <pass.txt'
check "... and minisign -V verifies it" -- minisign -Vm msg.txt -x msg.minisig -p plain.pub
cp u2.tar w.tar
printf 'wrong\n' >wrong.txt
expect 1 "a wrong passphrase exits 1" -- "$DOSSIER" sign w.tar -k cheap.key --passphrase-file wrong.txt
has err "wrong passphrase" "... saying the passphrase is wrong"
same u2.tar w.tar "... and leaves the bundle unchanged"
expect 66 "a missing passphrase file exits 66" -- "$DOSSIER" sign w.tar -k cheap.key --passphrase-file nope.txt
has err "nope.txt" "... naming it"
same u2.tar w.tar "... and leaves the bundle unchanged"
# No terminal and no --passphrase-file: refuse at once instead of waiting for input.
if command -v setsid >/dev/null; then
	expect 64 "encrypted key, no terminal, no --passphrase-file: exit 64" -- setsid -w "$DOSSIER" sign w.tar -k cheap.key
	has err "passphrase" "... saying a passphrase is needed"
	same u2.tar w.tar "... and leaves the bundle unchanged"
else
	skip "encrypted key without a terminal" "setsid is not installed"
fi
no_temps . "no temp files left"
