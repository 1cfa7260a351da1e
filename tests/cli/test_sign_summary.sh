# test_sign_summary.sh - what a co-signer sees (issue 15): sign prints what it signs (title,
# date, signatories, each payload file with size and SHA-256, the tag manifest's SHA-256),
# asks on a terminal unless --yes, signs without asking in a script; show prints the same lines.
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o ana --name "Helmut Scholz" >/dev/null 2>&1
"$DOSSIER" pack "$SPEC" -o u.tar 2>/dev/null
mkdir x && tar xf u.tar -C x
TM=$(sha256sum <"x/$NAME/tagmanifest-sha256.txt" | cut -c1-64)

# summary FILE OUT: the block from its heading to the tag manifest line
summary() { sed -n '/^what a signature covers$/,/^  tag manifest /p' "$1" >"$2"; }

# ---- not on a terminal: signs without asking, the summary on stderr ----
cp u.tar s.tar
expect 0 "sign without a terminal signs without asking" -- "$DOSSIER" sign s.tar -k ana.key </dev/null
lacks err "sign this\?" "... and asks nothing"
has err "^  title +Open letter of 16 Members of the European Parliament" "the summary has the title"
has err "^  date +2020-10-16$" "... the date"
has err "^  signatory +Helmut Scholz \(GUE/NGL\)$" "... the first signatory"
[ "$(grep -c '^  signatory ' err)" = 16 ] && ok "... all 16 signatories" || not_ok "... all 16 signatories" "$(cat err)"
for f in data/annex/cases.csv data/letter/letter-2020-10-16.txt; do
	d=$(sha256sum <"x/$NAME/$f" | cut -c1-64) z=$(wc -c <"x/$NAME/$f")
	has err "^  file +$d  $z bytes  $f$" "... $f with its SHA-256 and size"
done
has err "^  tag manifest $TM  tagmanifest-sha256.txt$" "... the tag manifest's SHA-256"
lacks out "." "... and nothing on stdout"
has err "^signed s.tar with key" "the result line follows"
summary err sign.txt

expect 0 "show prints the summary" -- "$DOSSIER" show u.tar
summary out show.txt
[ -s show.txt ] && same sign.txt show.txt "show and sign print identical summary lines" ||
	not_ok "show and sign print identical summary lines" "$(cat out)"

cp u.tar q.tar
expect 0 "sign -q without a terminal" -- "$DOSSIER" sign q.tar -k ana.key -q </dev/null
[ ! -s err ] && ok "... prints nothing" || not_ok "... prints nothing" "$(cat err)"

# ---- on a terminal: script(1) gives sign one; what we pipe in is typed at it ----
if ! command -v script >/dev/null 2>&1; then
	skip "sign on a terminal" "script(1) not installed"
	echo "1..$n"
	exit 0
fi
p=1
[ -n "${DOSSIER_REAL:-}" ] && p=6
# typed ANSWER BUNDLE LOG [OPTION]...: sign BUNDLE on a terminal, typing ANSWER; exit code
typed() {
	answer=$1 bundle=$2 log=$3; shift 3
	(sleep $p; printf '%s\n' "$answer") | script -qec "$DOSSIER sign $bundle -k ana.key $*" /dev/null >"$log" 2>&1
}
signed_by_ana() { "$DOSSIER" verify "$1" -p ana.pub >/dev/null 2>&1; }

cp u.tar y.tar
typed y y.tar y.log; rc=$?
[ "$rc" = 0 ] && signed_by_ana y.tar && ok "on a terminal, answered y: signed" || not_ok "answered y: signed" "exit $rc" "$(cat y.log)"
has y.log "sign this\? \[y/N\]" "... after asking"
has y.log "^  tag manifest $TM" "... below the summary"

cp u.tar n.tar
typed n n.tar n.log; rc=$?
[ "$rc" = 64 ] && ok "answered n: exit 64" || not_ok "answered n: exit 64" "exit $rc" "$(cat n.log)"
same u.tar n.tar "... and the bundle is byte-identical"
has n.log "n.tar: not signed: declined" "... saying it was not signed"

cp u.tar e.tar
typed "" e.tar e.log; rc=$?
[ "$rc" = 64 ] && same u.tar e.tar "just Enter is no: not signed" || not_ok "just Enter is no" "exit $rc"

cp u.tar yes.tar
typed "" yes.tar yes.log --yes; rc=$?
[ "$rc" = 0 ] && signed_by_ana yes.tar && ok "--yes signs on a terminal" || not_ok "--yes signs on a terminal" "exit $rc" "$(cat yes.log)"
lacks yes.log "sign this\?" "... without asking"
has yes.log "^  tag manifest $TM" "... still showing the summary"

cp u.tar tq.tar
typed y tq.tar tq.log -q; rc=$?
[ "$rc" = 0 ] && signed_by_ana tq.tar && ok "-q on a terminal: signed after y" || not_ok "-q on a terminal" "exit $rc" "$(cat tq.log)"
has tq.log "^  tag manifest $TM" "... a question is not asked blind: the summary is shown"

echo "1..$n"
