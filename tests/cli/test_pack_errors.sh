# test_pack_errors.sh - pack refuses bad input with one line naming it, and leaves no output
# file and no temp file behind.
. "$(dirname "$0")/lib.sh"
mkdir w && cd w || exit 1
echo "the letter" >letter.txt
echo "id,name" >annex.csv

# spec FILE FILES-JSON [EXTRA-TOP-LEVEL-JSON]: a small valid spec around the given files array.
spec() {
	cat >"$1" <<EOF
{"spec_version": 1, "name": "mini", "title": "Mini letter", "kind": "open-letter",
 "date": "2020-10-16", "from": [{"name": "Ann Example"}], "to": [{"name": "Bo Example"}],
 ${3:-}"files": [$2]}
EOF
}
# refused LABEL CODE PATTERN -- CMD...: CMD exits CODE, stderr is one line matching PATTERN,
# b.tar is not created and no temp file is left.
refused() {
	label=$1 code=$2 pat=$3; shift 4
	rm -f b.tar
	expect "$code" "$label: exit $code" -- "$@"
	has err "^dossier: .*$pat" "$label: the message names the problem"
	[ "$(wc -l <err)" -eq 1 ] && ok "$label: one line on stderr" || not_ok "$label: one line on stderr" "$(cat err)"
	absent b.tar "$label: no output file"
	no_temps . "$label: no temp file"
}

spec ok.json '{"source": "letter.txt", "role": "letter"}, {"source": "annex.csv", "role": "annex"}'
expect 0 "the small spec packs" -- "$DOSSIER" pack ok.json -o ok.tar
expect 2 "... and verifies as intact but unsigned" -- "$DOSSIER" verify ok.tar

refused "missing spec" 66 "nope.json" -- "$DOSSIER" pack nope.json -o b.tar
spec miss.json '{"source": "gone.txt", "role": "letter"}'
refused "missing input file" 66 "gone.txt" -- "$DOSSIER" pack miss.json -o b.tar
mkdir sub
spec dir.json '{"source": "sub", "role": "letter"}'
refused "input is a directory" 66 "not a regular file" -- "$DOSSIER" pack dir.json -o b.tar
if [ "$(id -u)" = 0 ]; then
	skip "unreadable input file" "running as root, which can read a mode 000 file"
	skip "unreadable input file: no output" "running as root"
else
	cp letter.txt locked.txt && chmod 000 locked.txt
	spec lock.json '{"source": "locked.txt", "role": "letter"}'
	refused "unreadable input file" 66 "locked.txt" -- "$DOSSIER" pack lock.json -o b.tar
fi
spec two.json '{"source": "letter.txt", "role": "letter"}, {"source": "annex.csv", "role": "annex", "path": "letter/letter.txt"}'
refused "two inputs at one path" 1 "data/letter/letter.txt" -- "$DOSSIER" pack two.json -o b.tar
spec same.json '{"source": "letter.txt", "role": "letter"}, {"source": "letter.txt", "role": "letter"}'
refused "one input listed twice" 1 "data/letter/letter.txt" -- "$DOSSIER" pack same.json -o b.tar
spec fd.json '{"source": "letter.txt", "role": "letter", "path": "x"}, {"source": "annex.csv", "role": "annex", "path": "x/y.csv"}'
refused "a path that is both a file and a directory" 1 "data/x" -- "$DOSSIER" pack fd.json -o b.tar
spec esc.json '{"source": "letter.txt", "role": "letter", "path": "../x"}'
refused "path '../x' escapes the bag" 1 "\"path\".*'\.\.'" -- "$DOSSIER" pack esc.json -o b.tar
spec esc2.json '{"source": "letter.txt", "role": "letter", "path": "a/../../x"}'
refused "path 'a/../../x' escapes the bag" 1 "\"path\"" -- "$DOSSIER" pack esc2.json -o b.tar
spec abs.json '{"source": "letter.txt", "role": "letter", "path": "/etc/x"}'
refused "absolute path" 1 "\"path\".*absolute" -- "$DOSSIER" pack abs.json -o b.tar
spec unk.json '{"source": "letter.txt", "role": "letter"}' '"colour": "red", '
refused "unknown top-level field" 1 "unknown field \"colour\"" -- "$DOSSIER" pack unk.json -o b.tar
spec unkf.json '{"source": "letter.txt", "role": "letter", "sha1": "x"}'
refused "unknown field in a file" 1 "\"sha1\"" -- "$DOSSIER" pack unkf.json -o b.tar
spec role.json '{"source": "letter.txt", "role": "poem"}'
refused "unknown role" 1 "role" -- "$DOSSIER" pack role.json -o b.tar
sed 's/"title": "Mini letter", //' ok.json >notitle.json
refused "missing title" 1 "missing required field \"title\"" -- "$DOSSIER" pack notitle.json -o b.tar
sed 's/"files": \[[^]]*\]/"files": []/' ok.json >nofiles.json
refused "empty files array" 1 "files" -- "$DOSSIER" pack nofiles.json -o b.tar
for d in 2020-13-01 2020-02-30 16.10.2020 2020-10-16T00:00:00Z ""; do
	sed "s/\"date\": \"2020-10-16\"/\"date\": \"$d\"/" ok.json >date.json
	refused "bad date '$d'" 1 "\"date\"" -- "$DOSSIER" pack date.json -o b.tar
done
sed 's/"name": "mini"/"name": "../' ok.json >name.json
refused "bundle name '..'" 1 "name" -- "$DOSSIER" pack name.json -o b.tar
sed 's/"name": "mini"/"name": "a\/b"/' ok.json >name2.json
refused "bundle name with a slash" 1 "name" -- "$DOSSIER" pack name2.json -o b.tar
sed 's/"spec_version": 1/"spec_version": 2/' ok.json >ver.json
refused "spec_version 2" 1 "spec_version" -- "$DOSSIER" pack ver.json -o b.tar
printf '{"spec_version": 1,' >broken.json
refused "truncated JSON" 1 "broken.json" -- "$DOSSIER" pack broken.json -o b.tar
{ printf '{"spec_version": 1, "spec_version": 1, '; tail -c +2 ok.json; } >dupkey.json
refused "a key given twice" 1 "dupkey.json: duplicate key" -- "$DOSSIER" pack dupkey.json -o b.tar

# Keys: -p must name a signatory of the spec.
"$DOSSIER" keygen -W -o stranger --name "Someone Else" >/dev/null
refused "-p key of someone not in the spec" 64 "Someone Else" -- "$DOSSIER" pack ok.json -o b.tar -p stranger.pub
refused "-p file that is not a public key" 1 "letter.txt" -- "$DOSSIER" pack ok.json -o b.tar -p letter.txt

# The output.
echo "precious" >b.tar
expect 73 "an existing output is not overwritten: exit 73" -- "$DOSSIER" pack ok.json -o b.tar
has b.tar "^precious$" "... and keeps its content"
no_temps . "... no temp file"
expect 0 "--force overwrites it" -- "$DOSSIER" pack ok.json -o b.tar --force
check "... with a bundle" -- "$DOSSIER" show b.tar
rm -f b.tar
expect 73 "output in a missing directory: exit 73" -- "$DOSSIER" pack ok.json -o nodir/b.tar
absent nodir "... creates no directory"
rm -f b.tar
expect 64 "SOURCE_DATE_EPOCH that is not a number: exit 64" -- env SOURCE_DATE_EPOCH=yesterday "$DOSSIER" pack ok.json -o b.tar
absent b.tar "... no output file"
