# test_noreplace.sh - no-overwrite is enforced by the kernel, not by an earlier check: a file
# that appears at the output path while a command works (the fault shim's FAULT_PLANT makes
# it just before the commit, the worst moment) is never replaced without --force, with
# renameat2 and with the link(2) fallback of a system without it.
. "$(dirname "$0")/lib.sh"
use_fault_shim "no-overwrite races"
planted() {
	if [ "$(cat "$1" 2>/dev/null)" = planted ]; then ok "$2"; else not_ok "$2" "$1: $(head -c 100 "$1" 2>&1)"; fi
}

"$DOSSIER" keygen -W -o k >/dev/null
for how in renameat2 link; do
	case $how in link) fb=FAULT_NO_RENAMEAT2=1 ;; *) fb=FAULT_NONE=1 ;; esac
	rm -f out.tar n.key n.pub
	expect 73 "pack: a file made at -o while packing is kept ($how): exit 73" -- \
		faulty "$fb" FAULT_PLANT=out.tar "$DOSSIER" pack "$SPEC" -o out.tar
	planted out.tar "... byte for byte"
	has err "^dossier: out.tar: appeared while this was being written; refusing to overwrite \(use --force\)$" "... saying so"
	no_temp "... and no temp file"

	expect 73 "keygen: a secret key file made meanwhile is kept ($how): exit 73" -- \
		faulty "$fb" FAULT_PLANT=n.key "$DOSSIER" keygen -W -o n
	planted n.key "... byte for byte"
	absent n.pub "... and no public key is written"
	rm -f n.key
	expect 73 "keygen: a public key file made meanwhile is kept ($how): exit 73" -- \
		faulty "$fb" FAULT_PLANT=n.pub "$DOSSIER" keygen -W -o n
	planted n.pub "... byte for byte"
	absent n.key "... and the secret key of the half pair is removed"
	no_temp "... and no temp file"
	rm -f n.pub

	"$DOSSIER" pack "$SPEC" -o p.tar 2>/dev/null && "$DOSSIER" sign p.tar -k k.key -q
	rm -rf dest && mkdir dest
	expect 73 "extract: a file made at the bag's path meanwhile is kept ($how): exit 73" -- \
		faulty "$fb" FAULT_PLANT="dest/$NAME" "$DOSSIER" extract p.tar -d dest -p k.pub
	planted "dest/$NAME" "... byte for byte"
	has err "appeared while extracting; refusing to overwrite" "... saying so"
done

rm -f w.tar
expect 0 "without renameat2, pack still writes a new file (link fallback)" -- \
	faulty FAULT_NO_RENAMEAT2=1 "$DOSSIER" pack "$SPEC" -o w.tar
no_temp "... and leaves no temp file"
expect 0 "pack --force replaces a file made meanwhile" -- \
	faulty FAULT_PLANT=f.tar "$DOSSIER" pack "$SPEC" -o f.tar --force
same w.tar f.tar "... with the bundle"
expect 0 "keygen --force replaces files made meanwhile" -- \
	faulty FAULT_PLANT=n.pub "$DOSSIER" keygen -W -o n --force
expect 0 "... and the pair works" -- "$DOSSIER" sign f.tar -k n.key -q
expect 0 "... with its public key" -- "$DOSSIER" verify -q f.tar -p n.pub
