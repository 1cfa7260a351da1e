# test_stock_tools.sh - an extracted bundle checks with minisign and sha256sum alone, as
# VERIFY.txt and DESIGN.md section 3 say; and the stock chain does catch a change.
. "$(dirname "$0")/lib.sh"
command -v minisign >/dev/null || { skip "stock tool chain" "minisign is not installed"; exit 0; }
make_sample b.tar && "$DOSSIER" sign b.tar -k bob.key 2>/dev/null || not_ok "make the sample"
KA=$(keyid alice.pub) KB=$(keyid bob.pub)

expect 0 "dossier extract" -- "$DOSSIER" extract b.tar -d dest -p alice.pub -p bob.pub
B=dest/$NAME
present "$B/VERIFY.txt" "VERIFY.txt is there"
for k in alice bob; do
	id=$(keyid $k.pub)
	check "minisign -Vm tagmanifest-sha256.txt -x signatures/$id.minisig -p $k.pub" -- \
		sh -c "cd '$B' && minisign -Vm tagmanifest-sha256.txt -x signatures/$id.minisig -p '$T/$k.pub'"
done
check "sha256sum -c tagmanifest-sha256.txt" -- sh -c "cd '$B' && sha256sum -c --strict tagmanifest-sha256.txt"
check "sha256sum -c manifest-sha256.txt" -- sh -c "cd '$B' && sha256sum -c --strict manifest-sha256.txt"
(cd "$B" && find data -type f | LC_ALL=C sort) >found.txt
(cd "$B" && cut -c67- manifest-sha256.txt | LC_ALL=C sort) >listed.txt
same found.txt listed.txt "VERIFY.txt step 4: every file under data/ is listed"

# Stock tar unpacks the same bag as dossier extract.
unpack b.tar plain
if diff -r "plain/$NAME" "$B" >d.txt; then ok "tar xf gives the same tree as dossier extract"; else
	not_ok "tar xf gives the same tree as dossier extract" "$(head -c 400 d.txt)"
fi

# The chain is not vacuous: each step fails on the change it is there to catch.
cp -R "$B" chg
echo "tampered" >>chg/data/letter/letter-2020-10-16.txt
expect 1 "sha256sum -c manifest-sha256.txt catches a changed payload" -- sh -c "cd chg && sha256sum -c --quiet manifest-sha256.txt"
has out "data/letter/letter-2020-10-16.txt: FAILED" "... naming it"
cp -R "$B" chg2
sed -i 's/Brussels/Bruxelles/' chg2/dossier.json
expect 1 "sha256sum -c tagmanifest-sha256.txt catches a changed dossier.json" -- sh -c "cd chg2 && sha256sum -c --quiet tagmanifest-sha256.txt"
has out "dossier.json: FAILED" "... naming it"
cp -R "$B" chg3
sed -i '1y/abcdef/ABCDEF/' chg3/tagmanifest-sha256.txt
expect 1 "minisign -V catches a changed tagmanifest-sha256.txt" -- \
	sh -c "cd chg3 && minisign -Vm tagmanifest-sha256.txt -x signatures/$KA.minisig -p '$T/alice.pub'"
expect 1 "minisign -V with the other signer's key fails" -- \
	sh -c "cd '$B' && minisign -Vm tagmanifest-sha256.txt -x signatures/$KA.minisig -p '$T/bob.pub'"
