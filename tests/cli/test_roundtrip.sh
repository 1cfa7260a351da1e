# test_roundtrip.sh - the sample in every archive type: pack, sign, verify, show, extract.
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o alice --name "Helmut Scholz" >/dev/null &&
"$DOSSIER" keygen -W -o bob --name "Brando Benifei" >/dev/null || not_ok "make keys"
K=$(keyid alice.pub)

for ext in tar tar.gz tgz tar.zst zip; do
	case $ext in tar) fmt=tar ;; tar.gz | tgz) fmt=gzip ;; tar.zst) fmt=zstd ;; zip) fmt=zip ;; esac
	b=b.$ext
	expect 0 "$ext: pack the sample" -- "$DOSSIER" pack "$SPEC" -o "$b" -p alice.pub -p bob.pub
	has err "packed $b" "$ext: pack says what it wrote"
	[ "$(magic "$b")" = $fmt ] && ok "$ext: output is $fmt" || not_ok "$ext: output is $fmt" "got $(magic "$b")"
	no_temps . "$ext: pack leaves no temp file"
	expect 2 "$ext: unsigned bundle verifies as untrusted" -- "$DOSSIER" verify "$b" -p alice.pub
	has err "not signed" "$ext: ... because it is not signed"
	expect 0 "$ext: sign" -- "$DOSSIER" sign "$b" -k alice.key
	has err "signed $b with key $K" "$ext: sign names the key id"
	[ "$(magic "$b")" = $fmt ] && ok "$ext: still $fmt after signing" || not_ok "$ext: still $fmt after signing" "got $(magic "$b")"
	no_temps . "$ext: sign leaves no temp file"
	expect 0 "$ext: verify with the signer's key" -- "$DOSSIER" verify "$b" -p alice.pub
	has out "verdict +VALID" "$ext: report says VALID"
	has out "valid +$K +Helmut Scholz" "$ext: report names the signer"
	has out "ok +letter .*data/letter/letter-2020-10-16.txt" "$ext: report lists the letter"
	has out "ok +annex .*data/annex/cases.csv" "$ext: report lists the annex"
	expect 0 "$ext: show" -- "$DOSSIER" show "$b"
	has out "^bundle +$NAME" "$ext: show names the bundle"
	has out "present +$K" "$ext: show lists the signature"
	has out "integrity ok" "$ext: show says the integrity is ok"
	expect 0 "$ext: manifest" -- "$DOSSIER" manifest "$b"
	has out "^[0-9a-f]{64}  dossier.json$" "$ext: manifest prints the tag manifest"
	expect 0 "$ext: extract" -- "$DOSSIER" extract "$b" -d "x-$ext" -p alice.pub
	same "x-$ext/$NAME/data/letter/letter-2020-10-16.txt" "$EXAMPLES/letter-2020-10-16.txt" "$ext: extracted letter is the source"
	same "x-$ext/$NAME/data/annex/cases.csv" "$EXAMPLES/cases.csv" "$ext: extracted annex is the source"
	present "x-$ext/$NAME/signatures/$K.minisig" "$ext: extracted bag keeps the signature"
	no_temps "x-$ext" "$ext: extract leaves no staging dir"
	expect 0 "$ext: the extracted bag verifies" -- "$DOSSIER" verify "x-$ext/$NAME" -p alice.pub
	# the stock tools read what dossier wrote
	case $ext in
	zip) check "$ext: unzip -t accepts it" -- unzip -tq "$b" ;;
	*) check "$ext: tar -t accepts it" -- tar tf "$b"; has out "^$NAME/dossier.json$" "$ext: tar lists dossier.json" ;;
	esac
done

# A second signer adds to the same bundle; both verify.
expect 0 "second signer signs the .tar.zst" -- "$DOSSIER" sign b.tar.zst -k bob.key
expect 0 "both signatures verify" -- "$DOSSIER" verify b.tar.zst -p alice.pub -p bob.pub
has out "2 of 2 signature\(s\) valid" "report counts two valid signatures"
has out "valid +$(keyid bob.pub) +Brando Benifei" "report names the second signer"
