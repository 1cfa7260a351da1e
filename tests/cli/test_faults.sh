# test_faults.sh - writes are atomic under faults: a full disk, short writes, a failing
# fsync or rename, SIGKILL. The final path never holds half a file, the old bundle survives.
. "$(dirname "$0")/lib.sh"
use_fault_shim "fault injection"
SPEC="$TOP/manifests/open-letter-2020-10-16.json"

"$DOSSIER" keygen -W -o k >/dev/null
"$DOSSIER" pack "$SPEC" -o good.tar 2>/dev/null

for f in "FAULT_WRITE_LIMIT=5000" "FAULT_FSYNC=1" "FAULT_RENAME=1"; do
	expect 74 "pack with $f exits 74" -- faulty "$f" "$DOSSIER" pack "$SPEC" -o b.tar
	absent b.tar "... and leaves no bundle"
	no_temp "... and no temp file"
done
expect 0 "pack survives short writes" -- faulty FAULT_SHORT_WRITES=1 "$DOSSIER" pack "$SPEC" -o short.tar
same good.tar short.tar "... writing the same bytes"

for f in "FAULT_WRITE_LIMIT=3000" "FAULT_FSYNC=1" "FAULT_RENAME=1"; do
	cp good.tar s.tar
	expect 74 "sign with $f exits 74" -- faulty "$f" "$DOSSIER" sign s.tar -k k.key
	same good.tar s.tar "... and leaves the old bundle byte for byte"
	no_temp "... and no temp file"
done
cp good.tar s.tar
expect 0 "sign survives short writes" -- faulty FAULT_SHORT_WRITES=1 "$DOSSIER" sign s.tar -k k.key
expect 0 "... and the result verifies" -- "$DOSSIER" verify s.tar -p k.pub

"$DOSSIER" manifest good.tar >tm.txt
if command -v minisign >/dev/null 2>&1; then
	minisign -G -W -p m.pub -s m.key >/dev/null 2>&1
	minisign -S -s m.key -m tm.txt -x m.minisig >/dev/null 2>&1
	cp good.tar a.tar
	expect 74 "attach on a full disk exits 74" -- faulty FAULT_WRITE_LIMIT=3000 "$DOSSIER" attach a.tar m.minisig -p m.pub
	same good.tar a.tar "... and leaves the old bundle byte for byte"
fi

expect 74 "keygen on a full disk exits 74" -- faulty FAULT_WRITE_LIMIT=100 "$DOSSIER" keygen -W -o nk
absent nk.key "... and leaves no secret key"
absent nk.pub "... and no public key"
no_temp "... and no temp file"

"$DOSSIER" sign good.tar -k k.key -q
mkdir dest
expect 74 "extract on a full disk exits 74" -- faulty FAULT_WRITE_LIMIT=4000 "$DOSSIER" extract good.tar -d dest -p k.pub
if [ -z "$(ls -A dest)" ]; then ok "... and leaves DIR empty (no bag, no staging dir)"; else not_ok "... and leaves DIR empty (no bag, no staging dir)" "$(ls -A dest)"; fi
expect 74 "extract whose final rename fails exits 74" -- faulty FAULT_RENAME=1 "$DOSSIER" extract good.tar -d dest -p k.pub
if [ -z "$(ls -A dest)" ]; then ok "... and leaves DIR empty"; else not_ok "... and leaves DIR empty" "$(ls -A dest)"; fi

# SIGKILL or SIGINT in the middle of signing a large bundle: whenever it lands, the path holds either
# the old bundle or the complete new one, never a mix.
mkdir big
head -c 48000000 /dev/urandom >big/video.bin
"$DOSSIER" pack big -o big.tar 2>/dev/null
cp big.tar big0.tar
for sig in KILL INT; do
	for delay in 0.05 0.2 0.5; do
		# a background job of a script starts with SIGINT ignored: give dossier the default back
		"$PYTHON" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$DOSSIER" sign big.tar -k k.key -q &
		pid=$!
		sleep "$delay"
		kill -s "$sig" "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if cmp -s big.tar big0.tar; then ok "SIG$sig after ${delay}s: the old bundle is intact"
		elif "$DOSSIER" verify -q big.tar -p k.pub 2>/dev/null; then ok "SIG$sig after ${delay}s: the new bundle is complete"
		else not_ok "SIG$sig after ${delay}s: the bundle is neither old nor new"; fi
		cp big0.tar big.tar
		rm -f big.tar.tmp-*
	done
done

# reissue: the new bundle appears whole or not at all, and its working directory goes
"$DOSSIER" sign good.tar -k k.key -q 2>/dev/null
for f in "FAULT_WRITE_LIMIT=20000" "FAULT_FSYNC=1" "FAULT_RENAME=1"; do
	expect 74 "reissue with $f exits 74" -- faulty "$f" "$DOSSIER" reissue good.tar -o r.tar
	absent r.tar "... and leaves no bundle"
	no_temp "... and no temp file"
	if ls -a | grep -q '\.dossier-reissue-'; then not_ok "... and no working directory" "$(ls -a)"; else ok "... and no working directory"; fi
done

# timestamp (a token made here with openssl ts -reply): the old bundle survives
if command -v openssl >/dev/null 2>&1 && command -v faketime >/dev/null 2>&1 &&
	"$PYTHON" "$TOP/tests/cli/helpers/tsa.py" pki pki >/dev/null 2>&1; then
	cp good.tar ts0.tar
	"$DOSSIER" manifest ts0.tar >tm0.txt
	openssl ts -query -data tm0.txt -sha256 -cert -out q.tsq 2>/dev/null
	openssl ts -reply -config pki/tsa.cnf -queryfile q.tsq -signer pki/tsa1.pem -inkey pki/tsa1.key \
		-chain pki/ca.pem -out tok.tsr 2>/dev/null
	for f in "FAULT_WRITE_LIMIT=3000" "FAULT_FSYNC=1" "FAULT_RENAME=1"; do
		cp ts0.tar ts.tar
		expect 74 "timestamp with $f exits 74" -- faulty "$f" "$DOSSIER" timestamp ts.tar --token tok.tsr --tsa-ca pki/ca.pem
		same ts0.tar ts.tar "... and leaves the old bundle byte for byte"
		no_temp "... and no temp file"
	done
else
	skip "timestamp under faults" "openssl or faketime missing"
fi

# Inputs that change or fail while pack reads them. A directory of many small files is
# read ahead by a second thread, a small one by pack itself: the same exit code and the
# same message either way, and no output.
mkdir -p many few
i=0; while [ $i -lt 100 ]; do printf 'case %d\n' $i >many/c$i.txt; i=$((i + 1)); done
printf 'one\n' >few/c7.txt; printf 'two\n' >few/c8.txt
for dir in many few; do
	rm -f r.tar
	expect 74 "pack ($dir files) of a file that grows exits 74" -- faulty FAULT_READ_GROW=/c7.txt "$DOSSIER" pack $dir -o r.tar
	has err "$dir/c7.txt: file grew while being packed" "... naming the file and the reason"
	absent r.tar "... and writes no bundle"
	expect 74 "pack ($dir files) of a file that shrinks exits 74" -- faulty FAULT_READ_SHRINK=/c7.txt "$DOSSIER" pack $dir -o r.tar
	has err "$dir/c7.txt: file shrank while being packed" "... naming the file and the reason"
	expect 74 "pack ($dir files) of a file that cannot be read exits 74" -- faulty FAULT_READ_EIO=/c7.txt "$DOSSIER" pack $dir -o r.tar
	has err "$dir/c7.txt: Input/output error" "... naming the file and the reason"
	expect 66 "pack ($dir files) of a file removed after the walk exits 66" -- faulty FAULT_OPEN=/c7.txt "$DOSSIER" pack $dir -o r.tar
	has err "$dir/c7.txt: No such file or directory" "... naming the file and the reason"
	no_temp "... and no temp file"
done
