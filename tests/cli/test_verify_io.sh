# test_verify_io.sh - verify --json (one JSON object, verdict and exit_code agree with the exit
# code) and verify of a bundle on stdin (the same verdict as the file).
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
K=$(keyid alice.pub)
"$DOSSIER" pack "$SPEC" -o u.tar -p alice.pub -p bob.pub 2>/dev/null
bagtool tar s.tar bad.tar --set "$NAME/data/annex/cases.csv=changed"

# json_is VERDICT CODE LABEL: out holds exactly one JSON object with this verdict and exit_code.
json_is() {
	if "$PYTHON" -m json.tool out >/dev/null 2>jerr; then ok "$3: json.tool accepts the output"; else
		not_ok "$3: json.tool accepts the output" "$(head -c 300 jerr)" "$(head -c 300 out)"
	fi
	"$PYTHON" - "$1" "$2" >jv.txt 2>&1 <<'EOF'
import json, sys
text = open("out").read()
doc, end = json.JSONDecoder().raw_decode(text)
rest = text[end:].strip()
print("verdict=%s exit_code=%s rest=%d" % (doc.get("verdict"), doc.get("exit_code"), len(rest)))
EOF
	has jv.txt "^verdict=$1 exit_code=$2 rest=0$" "$3: one object, verdict $1, exit_code $2"
}

expect 0 "--json valid: exit 0" -- "$DOSSIER" verify s.tar -p alice.pub --json
json_is valid 0 "valid"
"$PYTHON" -c 'import json; d = json.load(open("out")); s = d["signatures"][0]; print(s["keyid"], s["status"], s["algorithm"], len(d["files"]), d["bundle"])' >js.txt 2>&1
has js.txt "^$K valid ED 2 $NAME$" "valid: JSON lists the signature (key id, status, ED) and both files"
expect 2 "--json untrusted: exit 2" -- "$DOSSIER" verify s.tar --json
json_is untrusted 2 "untrusted"
expect 2 "--json unsigned: exit 2" -- "$DOSSIER" verify u.tar --json
json_is untrusted 2 "unsigned"
expect 1 "--json invalid: exit 1" -- "$DOSSIER" verify bad.tar -p alice.pub --json
json_is invalid 1 "invalid"
"$PYTHON" -c 'import json; d = json.load(open("out")); print(" ".join(f["severity"] + ":" + f["code"] + "@" + f["entry"] for f in d["findings"]))' >jf.txt 2>&1
has jf.txt "invalid:payload-mismatch@data/annex/cases.csv" "invalid: JSON finding names data/annex/cases.csv"
has err "data/annex/cases.csv: sha256 mismatch" "invalid: --json still explains on stderr"
unpack s.tar t
expect 0 "--json on a bag directory: exit 0" -- "$DOSSIER" verify "t/$NAME" -p alice.pub --json
json_is valid 0 "bag directory"
expect 0 "show --json: exit 0" -- "$DOSSIER" show s.tar --json
cp out show.json
check "show --json prints JSON" -- "$PYTHON" -m json.tool show.json

# Quiet: no report, the exit code and stderr still say it.
expect 1 "-q invalid: exit 1" -- "$DOSSIER" verify -q bad.tar -p alice.pub
[ ! -s out ] && ok "-q prints no report" || not_ok "-q prints no report" "$(head -c 200 out)"
has err "data/annex/cases.csv" "-q still names the entry on stderr"

# stdin: the same verdict as the file.
expect 0 "stdin, valid: exit 0" -- sh -c '"$DOSSIER" verify - -p alice.pub <s.tar'
has out "verdict +VALID" "stdin, valid: report says VALID"
expect 2 "stdin, untrusted: exit 2" -- sh -c '"$DOSSIER" verify - <s.tar'
has err "signatures/$K.minisig: signed by unknown key" "stdin, untrusted: names the signature"
expect 1 "stdin, invalid: exit 1" -- sh -c '"$DOSSIER" verify - -p alice.pub <bad.tar'
has err "data/annex/cases.csv: sha256 mismatch" "stdin, invalid: names data/annex/cases.csv"
expect 65 "stdin, not an archive: exit 65" -- sh -c "\"\$DOSSIER\" verify - <'$SPEC'"
has err "not a bundle \(a JSON document\)" "stdin, not an archive: says what it is"
for ext in tar.gz tar.zst zip; do
	"$DOSSIER" pack "$SPEC" -o "c.$ext" -p alice.pub -p bob.pub 2>/dev/null && "$DOSSIER" sign "c.$ext" -k alice.key 2>/dev/null
	expect 0 "stdin, $ext: exit 0" -- sh -c "\"\$DOSSIER\" verify - -p alice.pub <c.$ext"
	"$DOSSIER" verify "c.$ext" -p alice.pub >file.txt 2>/dev/null
	# but for the name of the file it was read from: "-"; the same size and digest
	sed 's/^  file      c\.'"$ext"', /  file      -, /' file.txt >file-as-stdin.txt
	same file-as-stdin.txt out "stdin, $ext: the same report as the file"
done
expect 0 "stdin, --json: exit 0" -- sh -c '"$DOSSIER" verify - -p alice.pub --json <s.tar'
json_is valid 0 "stdin"
expect 64 "sign refuses a bundle on stdin with a usage error" -- sh -c '"$DOSSIER" sign - -k alice.key <u.tar'
has err "stdin" "... saying why"
