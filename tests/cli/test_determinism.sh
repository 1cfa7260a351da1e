# test_determinism.sh - packing the same inputs twice gives byte-identical archives;
# signing is deterministic apart from the time in the trusted comment.
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o alice --name "Helmut Scholz" >/dev/null || not_ok "make keys"
K=$(keyid alice.pub)

for ext in tar tar.gz tgz tar.zst zip; do
	"$DOSSIER" pack "$SPEC" -o "a.$ext" -p alice.pub 2>/dev/null
	"$DOSSIER" pack "$SPEC" -o "b.$ext" -p alice.pub 2>/dev/null
	[ -s "a.$ext" ] && ok "$ext: packed" || not_ok "$ext: packed"
	same "a.$ext" "b.$ext" "$ext: same SOURCE_DATE_EPOCH, byte-identical"
	# Without SOURCE_DATE_EPOCH the spec's date (2020-10-16, = 1602806400) is the time.
	env -u SOURCE_DATE_EPOCH "$DOSSIER" pack "$SPEC" -o "c.$ext" -p alice.pub 2>/dev/null
	env -u SOURCE_DATE_EPOCH "$DOSSIER" pack "$SPEC" -o "d.$ext" -p alice.pub 2>/dev/null
	same "c.$ext" "d.$ext" "$ext: no SOURCE_DATE_EPOCH, byte-identical"
	same "a.$ext" "c.$ext" "$ext: the spec's date gives the same bytes as its SOURCE_DATE_EPOCH"
	# ... and the comparison can fail: another epoch gives another archive.
	SOURCE_DATE_EPOCH=1700000000 "$DOSSIER" pack "$SPEC" -o "e.$ext" -p alice.pub 2>/dev/null
	differ "a.$ext" "e.$ext" "$ext: another SOURCE_DATE_EPOCH gives other bytes"
	# The time zone and the working directory do not matter either.
	(cd / && TZ=Pacific/Kiritimati "$DOSSIER" pack "$SPEC" -o "$T/f.$ext" -p "$T/alice.pub" 2>/dev/null)
	same "a.$ext" "f.$ext" "$ext: another time zone and working directory, byte-identical"
done

"$DOSSIER" pack "$SPEC" -o - -p alice.pub >g.tar 2>/dev/null
same a.tar g.tar "pack -o - writes the same tar to stdout"

# Signing: the same bundle signed twice with one key differs only in the trusted comment's time.
cp a.tar s1.tar && cp a.tar s2.tar
"$DOSSIER" manifest a.tar >tm0.txt
expect 0 "sign copy 1" -- "$DOSSIER" sign s1.tar -k alice.key
expect 0 "sign copy 2" -- "$DOSSIER" sign s2.tar -k alice.key
"$DOSSIER" manifest s1.tar >tm1.txt
has tm0.txt "^[0-9a-f]{64}  dossier.json$" "dossier manifest prints the tag manifest"
same tm0.txt tm1.txt "signing does not change the signed bytes (tagmanifest-sha256.txt)"
unpack s1.tar u1 && unpack s2.tar u2 && unpack a.tar u0 || not_ok "unpack"
sig1=u1/$NAME/signatures/$K.minisig sig2=u2/$NAME/signatures/$K.minisig
present "$sig1" "the signature is signatures/$K.minisig"
sed -n 2p "$sig1" >l1 && sed -n 2p "$sig2" >l2
same l1 l2 "the Ed25519 signature line is identical in both copies"
sed -n 3p "$sig1" >c1
id=$(bagtool json "u0/$NAME/dossier.json" id)
has c1 "^trusted comment: dossier-v1 bundle:$id signer:$K time:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" \
	"trusted comment names bundle, signer and time"
rm -r "u1/$NAME/signatures" "u2/$NAME/signatures"
if diff -r u0 u1 >diff.txt && diff -r u1 u2 >>diff.txt; then ok "every other entry is unchanged by signing"; else
	not_ok "every other entry is unchanged by signing" "$(head -c 600 diff.txt)"
fi
# Entries besides the signature keep their place and metadata: the two signed archives list alike.
tar tvf s1.tar | grep -v "signatures/" >v1
tar tvf a.tar >v0
has v0 " $NAME/dossier.json$" "tar lists the unsigned bundle"
same v0 v1 "the signed tar lists the unsigned tar's entries with the same metadata"
