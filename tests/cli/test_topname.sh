# test_topname.sh - the top directory's name is signed (issue 23.6): VERIFY.txt, a signed tag
# file, names the bundle; an archive whose top directory was renamed is refused, and the
# report and extract use the signed name. A bag directory may be renamed by its owner.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
expect 0 "the sample verifies" -- "$DOSSIER" verify s.tar -p alice.pub
has out "^bundle +$NAME$" "... named by its top directory, which VERIFY.txt signs"

# a man in the middle renames the top directory: every signed byte is unchanged
for k in tar zip; do
	if [ $k = zip ]; then "$DOSSIER" pack "$SPEC" -o s.zip -p alice.pub 2>/dev/null &&
		"$DOSSIER" sign s.zip -k alice.key -q --yes 2>/dev/null; fi
	bagtool $k s.$k r.$k --rename "$NAME=retracted-draft"
	expect 1 "$k: a renamed top directory is refused" -- "$DOSSIER" verify r.$k -p alice.pub
	has err "'retracted-draft': the top directory was renamed; the bundle is signed as '$NAME' \(VERIFY.txt\)" \
		"$k: ... naming both names"
	has out "^bundle +$NAME$" "$k: the report shows the signed name"
	lacks out "^bundle +retracted-draft" "$k: ... not the new one"
done
"$DOSSIER" verify --json r.tar -p alice.pub >r.json 2>/dev/null
has r.json "\"bundle\": +\"$NAME\"" "verify --json: bundle is the signed name"
has r.json "\"code\": +\"top-renamed\"" "verify --json: finding top-renamed"
expect 1 "extract refuses the renamed bundle" -- "$DOSSIER" extract r.tar -d xo -p alice.pub
[ ! -e xo ] && ok "... and leaves nothing" || not_ok "... and leaves nothing" "$(ls -R xo)"
expect 1 "show calls it damaged" -- "$DOSSIER" show r.tar
expect 1 "sign refuses to vouch for it" -- "$DOSSIER" sign r.tar -k bob.key --yes
has err "refusing to sign a damaged bundle: 'retracted-draft': the top directory was renamed" "... saying why"

# a GNU-tar-extracted tree its owner renamed is still the same bag
mkdir t && tar xf s.tar -C t && mv "t/$NAME" t/mine
expect 0 "a bag directory renamed by its owner verifies" -- "$DOSSIER" verify t/mine -p alice.pub
has out "^bundle +$NAME$" "... and is reported by its signed name"
expect 0 "extract of that directory" -- "$DOSSIER" extract t/mine -d out2 -p alice.pub
[ -f "out2/$NAME/VERIFY.txt" ] && [ ! -e out2/mine ] && ok "... writes DIR/<signed name>" ||
	not_ok "... writes DIR/<signed name>" "$(ls out2)"
expect 0 "extract of the archive writes DIR/<signed name>" -- "$DOSSIER" extract s.tar -d out3 -p alice.pub
[ -f "out3/$NAME/VERIFY.txt" ] && ok "... as before" || not_ok "... as before" "$(ls out3)"
echo "1..$n"
