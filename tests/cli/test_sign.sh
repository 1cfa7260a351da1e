# test_sign.sh - sign is atomic: it refuses damaged bundles and bad keys without touching the
# file; signing twice with one key is a notice, not a change.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
KA=$(keyid alice.pub) KB=$(keyid bob.pub)
"$DOSSIER" pack "$SPEC" -o u.tar -p alice.pub -p bob.pub 2>/dev/null

# refuse LABEL CODE PATTERN BUNDLE -- CMD...: CMD exits CODE naming PATTERN; BUNDLE is unchanged.
refuse() {
	label=$1 code=$2 pat=$3 bundle=$4; shift 5
	cp "$bundle" before.bin
	expect "$code" "$label: exit $code" -- "$@"
	has err "$pat" "$label: the message says why"
	same before.bin "$bundle" "$label: the bundle is byte-identical"
	no_temps . "$label: no temp file"
}

bagtool tar s.tar dam.tar --set "$NAME/data/annex/cases.csv=changed"
refuse "damaged bundle" 1 "refusing to sign a damaged bundle: .*(data/annex/cases.csv|bag-info.txt)" dam.tar -- \
	"$DOSSIER" sign dam.tar -k bob.key
unpack s.tar t && sed -i '2s/^./#/' "t/$NAME/data/annex/cases.csv" && bagtool pack "t/$NAME" dam2.tar
refuse "damaged bundle (same size)" 1 "refusing to sign a damaged bundle: data/annex/cases.csv" dam2.tar -- \
	"$DOSSIER" sign dam2.tar -k bob.key
bagtool tar s.tar dup.tar --dup "$NAME/data/annex/cases.csv"
refuse "duplicate entry" 1 "data/annex/cases.csv: entry appears twice" dup.tar -- "$DOSSIER" sign dup.tar -k bob.key
bagtool tar s.tar sym.tar --symlink "$NAME/data/link=/etc/passwd"
refuse "symlink entry" 1 "sym.tar: not in the canonical form pack writes: entry type other than file, directory or pax header" sym.tar -- \
	"$DOSSIER" sign sym.tar -k bob.key
head -c $(($(wc -c <u.tar) / 2)) u.tar >trunc.tar
refuse "truncated bundle" 1 "trunc.tar" trunc.tar -- "$DOSSIER" sign trunc.tar -k alice.key
refuse "key file is a public key" 65 "alice.pub: this is a public key; pass the secret key" u.tar -- "$DOSSIER" sign u.tar -k alice.pub
refuse "key file missing" 66 "nope.key" u.tar -- "$DOSSIER" sign u.tar -k nope.key
# base64 characters 100..110 hold bytes 75..82 of the blob: the Ed25519 secret key
sed '2s/^\(.\{104\}\)./\1A/' alice.key >damaged.key
cmp -s alice.key damaged.key && sed '2s/^\(.\{104\}\)./\1B/' alice.key >damaged.key
chmod 600 damaged.key
refuse "damaged secret key (checksum)" 1 "damaged.key|checksum" u.tar -- "$DOSSIER" sign u.tar -k damaged.key

# Twice with one key: a notice, exit 0, nothing rewritten.
cp s.tar again.tar
expect 0 "signing again with the same key: exit 0" -- "$DOSSIER" sign again.tar -k alice.key
has err "already signed by key $KA" "... with a notice naming the key"
same s.tar again.tar "... and the bundle is byte-identical"
no_temps . "... no temp file"

# A second key adds exactly one entry and changes no signed byte.
cp s.tar two.tar
expect 0 "a second signer signs" -- "$DOSSIER" sign two.tar -k bob.key
"$DOSSIER" manifest s.tar >m1.txt && "$DOSSIER" manifest two.tar >m2.txt
same m1.txt m2.txt "... the signed bytes are unchanged"
tar tf two.tar | grep -c minisig >n.txt
has n.txt "^2$" "... two signatures in the bundle"
expect 0 "... both verify" -- "$DOSSIER" verify two.tar -p alice.pub -p bob.pub

# The bundle keeps its file mode.
cp u.tar mode.tar && chmod 600 mode.tar
"$DOSSIER" sign mode.tar -k alice.key 2>/dev/null
[ "$(stat -c %a mode.tar)" = 600 ] && ok "sign keeps the bundle's mode 0600" || not_ok "sign keeps the bundle's mode 0600" "$(stat -c %a mode.tar)"
