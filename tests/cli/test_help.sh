# test_help.sh - help from one source: every command's --help, `dossier help TOPIC`, man pages
# that groff renders without a warning, the bash completion; colour only on a terminal
# and never with NO_COLOR.
. "$(dirname "$0")/lib.sh"

expect 0 "help --commands lists the commands" -- "$DOSSIER" help --commands
cp out commands
has commands "^verify$" "... verify among them"
has commands "^init$" "... and init"
for c in $(cat commands); do
	expect 0 "$c --help exits 0" -- "$DOSSIER" "$c" --help
	has out "^usage: dossier $c " "$c --help starts with its usage line"
	has out "^options:" "$c --help lists its options"
	has out "^  -h, --help " "$c --help documents -h"
	cp out "$c.help"
	expect 0 "dossier help $c prints the same" -- "$DOSSIER" help "$c"
	same out "$c.help" "dossier help $c and $c --help agree"
	expect 0 "a man page for $c" -- "$DOSSIER" help --man "$c"
	cp out "dossier-$c.1"
done
expect 0 "the overview man page" -- "$DOSSIER" help --man dossier
cp out dossier.1
if command -v groff >/dev/null 2>&1; then
	for page in dossier.1 dossier-*.1; do
		groff -ww -z -man "$page" >groff.out 2>&1
		if [ -s groff.out ]; then not_ok "$page: groff -ww renders it without warnings" "$(head -5 groff.out)"
		else ok "$page: groff -ww renders it without warnings"; fi
	done
	if command -v man >/dev/null 2>&1; then
		MANWIDTH=80 man --warnings -l dossier-verify.1 >man.out 2>man.err
		if [ -s man.err ]; then not_ok "man --warnings -l dossier-verify.1: no warnings" "$(head -5 man.err)"
		else ok "man --warnings -l dossier-verify.1: no warnings"; fi
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
			has man.out "^$s" "dossier-verify(1) has $s"
		done
		has man.out "SOURCE_DATE_EPOCH" "... which lists SOURCE_DATE_EPOCH"
		has man.out "XDG_CONFIG_HOME" "... XDG_CONFIG_HOME"
		has man.out "NO_COLOR" "... NO_COLOR"
		has man.out "dossier/keyring" "... and the keyring's place"
		has man.out "^ +--json +print the report|^ +--json$" "... and the --json option from its help text"
		MANWIDTH=80 man -l dossier.1 >man1.out 2>&1
		has man1.out "dossier-init\(1\)" "dossier(1) lists the commands"
		has man1.out "^ +policy$" "dossier(1) carries the help topics"
	fi
else
	skip "groff renders the man pages" "no groff"
fi
# the man page says what --help says
grep -q "trust this signer's public key too (repeatable)" dossier-verify.1 && grep -q "trust this signer's public key too (repeatable)" verify.help \
	&& ok "man page and --help share their option text" || not_ok "man page and --help share their option text"

for t in exit-codes environment files trust policy spec formats; do
	expect 0 "help $t" -- "$DOSSIER" help "$t"
	if [ -s out ]; then ok "help $t prints text"; else not_ok "help $t prints text"; fi
done
expect 0 "help files" -- "$DOSSIER" help files
has out "dossier/keyring" "help files says where the keyring is"
expect 0 "help exit-codes" -- "$DOSSIER" help exit-codes
has out "^   65  bad data" "help exit-codes lists 65"
has out "^   73  an output exists already" "... and 73"
expect 0 "help" -- "$DOSSIER" help
has out "^help topics" "dossier help lists the topics"
has out "^  init " "... and the commands"
expect 64 "help on an unknown topic" -- "$DOSSIER" help nosuch
has err "^dossier: no command or help topic 'nosuch'; run 'dossier help' for the list$" "... says what to run"
expect 64 "an unknown command" -- "$DOSSIER" nosuch
has err "^dossier: unknown command 'nosuch'; run 'dossier help' for the list$" "... names it and the next step"
expect 64 "help --man for an unknown command" -- "$DOSSIER" help --man nosuch
expect 0 "--version" -- "$DOSSIER" --version
has out "^dossier [0-9]+\.[0-9]+\.[0-9]+ \(bundle format 1\)$" "--version prints version and format"

# ---- bash completion ----
expect 0 "help --completion" -- "$DOSSIER" help --completion
cp out completion.bash
if command -v bash >/dev/null 2>&1; then
	mkdir cdir && touch a.pub b.key c.json
	cat >complete.sh <<'SH'
. ./completion.bash
complete -p dossier
c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _dossier; echo "$*: ${COMPREPLY[*]}"; }
c dossier ve
c dossier ke
c dossier verify --js
c dossier verify -p ''
c dossier sign b.tar -k ''
c dossier extract x.tar -d ''
c dossier keyring ''
c dossier help pol
c dossier init letter.txt --fo
SH
	bash complete.sh >comp.out 2>&1
	has comp.out "^complete -F _dossier dossier$" "the completion registers for dossier"
	has comp.out "^dossier ve: verify$" "dossier ve<TAB> completes to verify"
	has comp.out "^dossier ke: keygen keyring$" "dossier ke<TAB> offers keygen and keyring"
	has comp.out "^dossier verify --js: --json$" "verify options complete"
	has comp.out "^dossier verify -p : a.pub cdir$" "-p offers .pub files (and directories)"
	has comp.out "^dossier sign b.tar -k : b.key cdir$" "-k offers .key files"
	has comp.out "^dossier extract x.tar -d : cdir$" "-d offers directories"
	has comp.out "^dossier keyring : add list remove$" "keyring offers its subcommands"
	has comp.out "^dossier help pol: policy$" "help completes topics"
	has comp.out "^dossier init letter.txt --fo: --force$" "init options complete"
else
	skip "bash completion" "no bash"
fi

# ---- colour: the verdict word only on a terminal, never with NO_COLOR ----
make_sample
expect 0 "verify without a terminal" -- env -u NO_COLOR "$DOSSIER" verify sample.tar -p alice.pub -p bob.pub
lacks out "$(printf '\033')" "no escape codes at all when stdout is not a terminal"
if command -v script >/dev/null 2>&1; then
	env -u NO_COLOR script -qec "$DOSSIER verify sample.tar -p alice.pub -p bob.pub" /dev/null >tty.log 2>&1
	has tty.log "$(printf '\033')\[1;32mVALID" "on a terminal the verdict is coloured"
	NO_COLOR=1 script -qec "$DOSSIER verify sample.tar -p alice.pub -p bob.pub" /dev/null >tty-nc.log 2>&1
	has tty-nc.log "verdict +VALID" "with NO_COLOR on a terminal: the verdict"
	# (the progress line's erase code may appear on a slow run: only colour codes count)
	lacks tty-nc.log "$(printf '\033')\[[0-9;]*m" "... without colour"
else
	skip "colour on a terminal" "no script (bsdutils)"
fi

# ---- errors name what failed and the next step ----
expect 66 "verify with a missing -p key" -- "$DOSSIER" verify sample.tar -p missing.pub
has err "^dossier: missing.pub: No such file or directory; check the key file given with -p$" "... names it and says to check -p"
expect 66 "verify with a missing -K keyring" -- "$DOSSIER" verify sample.tar -K nokeyring
has err "^dossier: keyring nokeyring: No such file or directory; check -K, or make the keyring with 'dossier keyring add -K DIR KEY.pub'$" \
	"... says how to make a keyring"
expect 66 "sign with a missing secret key" -- "$DOSSIER" sign sample.tar -k nokey.key
has err "^dossier: nokey.key: No such file or directory; check -k, or make a key pair with 'dossier keygen -o NAME'$" \
	"... says how to make a key pair"
expect 2 "verify with an unknown signer" -- "$DOSSIER" verify sample.tar
has err "signed by unknown key [0-9A-F]{16} claimed by Helmut Scholz; pass its public key with -p, add it with 'dossier keyring add KEY.pub', or ask the signer for a key card$" \
	"... says how to trust the signer"
printf '{"spec_version": 1, "name": "m", "title": "t", "kind": "letter", "from": [{"name": "A B"}], "to": [{"name": "C"}], "files": [{"source": "nofile.txt", "role": "letter"}]}' >nodate.json
expect 1 "pack a spec without a date" -- "$DOSSIER" pack nodate.json -o b.tar
has err "^dossier: nodate.json: missing required field \"date\"; see 'dossier help spec'$" "... points to dossier help spec"
sed 's/"kind": "letter",/"kind": "letter", "date": "2020-01-01",/' nodate.json >nofile.json
expect 66 "pack a spec whose source is missing" -- "$DOSSIER" pack nofile.json -o b.tar
has err "nofile.txt: No such file or directory; a file's \"source\" is relative to the spec's directory$" "... says where sources are looked for"

# ---- -q silences the result lines of every command that prints one ----
"$DOSSIER" manifest sample.tar >tm.txt
"$DOSSIER" keygen -W -o carol --name "Carol Q" >/dev/null
if command -v minisign >/dev/null 2>&1; then
	minisign -S -s carol.key -m tm.txt -x tm.minisig >/dev/null 2>&1 </dev/null
	expect 0 "attach -q" -- "$DOSSIER" attach sample.tar tm.minisig -p carol.pub -q
	if [ -s err ]; then not_ok "attach -q prints nothing" "$(cat err)"; else ok "attach -q prints nothing"; fi
fi
expect 0 "keyring add -q" -- "$DOSSIER" keyring add -K kr carol.pub -q
if [ -s err ] || [ -s out ]; then not_ok "keyring add -q prints nothing" "$(cat err)"; else ok "keyring add -q prints nothing"; fi
expect 0 "keyring add without -q" -- "$DOSSIER" keyring add -K kr alice.pub
has err "^added alice.pub as " "... says what it added"
"$DOSSIER" keygen -W -o auth --name "Authority" >/dev/null
expect 0 "certify -q" -- "$DOSSIER" certify carol.pub -k auth.key --name "Carol Q" --affiliation X --valid-until 2099-01-01 -q
if [ -s err ]; then not_ok "certify -q prints nothing" "$(cat err)"; else ok "certify -q prints nothing"; fi
expect 0 "revoke -q" -- "$DOSSIER" revoke carol.pub -k auth.key -o rev.json -q
if [ -s err ]; then not_ok "revoke -q prints nothing" "$(cat err)"; else ok "revoke -q prints nothing"; fi
expect 0 "reissue -q" -- "$DOSSIER" reissue sample.tar -o v2.tar -q
if [ -s err ]; then not_ok "reissue -q prints nothing" "$(cat err)"; else ok "reissue -q prints nothing"; fi
