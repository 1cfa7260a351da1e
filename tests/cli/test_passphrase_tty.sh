# test_passphrase_tty.sh - keygen and sign read the passphrase from the terminal, never argv;
# an encrypted dossier key is usable by stock minisign (regression: its key id was wrong).
. "$(dirname "$0")/lib.sh"
if ! command -v script >/dev/null 2>&1; then
	skip "passphrase from a terminal" "script(1) not installed"
	exit 0
fi
# script(1) gives the command a terminal; what we pipe in is typed at it, after a pause
# long enough for the prompt to be up (longer under valgrind: make valgrind).
p=1
[ -n "${DOSSIER_REAL:-}" ] && p=6
(sleep $p; printf 'correct horse\n'; sleep $p; printf 'correct horse\n') |
	script -qec "$DOSSIER keygen -o tty --name 'Jordi Solé'" /dev/null >typed.log 2>&1
if [ -f tty.key ] && [ "$(stat -c %a tty.key)" = 600 ]; then ok "keygen asks twice on the terminal and writes a 0600 key"
else not_ok "keygen asks twice on the terminal and writes a 0600 key" "$(cat typed.log)"; fi
has typed.log "Passphrase" "the prompt appears on the terminal"
has tty.key "^untrusted comment: dossier encrypted secret key [0-9A-F]{16} Jordi Solé" "key comment names the key id and the person"

(sleep $p; printf 'one\n'; sleep $p; printf 'two\n') |
	script -qec "$DOSSIER keygen -o mismatch" /dev/null >typed2.log 2>&1
if [ ! -e mismatch.key ] && [ ! -e mismatch.pub ]; then ok "mismatched passphrases write no key"
else not_ok "mismatched passphrases write no key"; fi
has typed2.log "passphrases do not match" "mismatch is explained"

"$DOSSIER" pack "$TOP/manifests/open-letter-2020-10-16.json" -o b.tar 2>/dev/null
(sleep $p; printf 'correct horse\n') | script -qec "$DOSSIER sign b.tar -k tty.key --yes" /dev/null >sign.log 2>&1
expect 0 "a key unlocked at the terminal signs; verify accepts it" -- "$DOSSIER" verify b.tar -p tty.pub

# The same encrypted key, used by stock minisign with the passphrase on stdin.
if command -v minisign >/dev/null 2>&1; then
	echo "signed elsewhere" >msg.txt
	printf 'correct horse\n' | minisign -S -s tty.key -m msg.txt -x msg.minisig >/dev/null 2>&1
	expect 0 "stock minisign signs with an encrypted dossier key, key id matches" -- minisign -Vm msg.txt -x msg.minisig -p tty.pub
	printf 'wrong horse\n' | minisign -S -s tty.key -m msg.txt -x bad.minisig >/dev/null 2>&1
	if [ ! -s bad.minisig ]; then ok "stock minisign refuses the wrong passphrase"; else not_ok "stock minisign refuses the wrong passphrase"; fi
else
	skip "stock minisign with an encrypted dossier key" "minisign not installed"
fi
