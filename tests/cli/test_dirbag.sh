# test_dirbag.sh - dossier pack DIR bags a plain directory (kind "bag"): unsigned it is
# untrusted (2), signed and trusted it is valid (0); symlinks and special files are refused.
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o alice --name "Helmut Scholz" >/dev/null
K=$(keyid alice.pub)
mkdir -p evidence/photos evidence/notes
printf 'a photo\n' >evidence/photos/p1.png
printf 'notes\n' >evidence/notes/n1.txt
printf 'top\n' >evidence/readme.md

expect 0 "pack DIR" -- "$DOSSIER" pack evidence -o b.tar
tar tf b.tar | sed 's|/$||' >list.txt
has list.txt "^evidence/data/photos/p1.png$" "the bag is named after the directory; files go under data/"
has list.txt "^evidence/data/readme.md$" "... top-level files too"
lacks list.txt "^evidence/[^/]*\.(png|md)$" "... none outside data/"
unpack b.tar u
"$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["kind"], d["title"], len(d["files"]), sorted(f["role"] for f in d["files"])[0], [f["media_type"] for f in d["files"] if f["path"].endswith(".png")][0])' \
	u/evidence/dossier.json >meta.txt 2>&1
has meta.txt "^bag evidence 3 attachment image/png$" "dossier.json: kind bag, title the directory name, 3 attachments, media types guessed"
check "sha256sum -c manifest-sha256.txt" -- sh -c 'cd u/evidence && sha256sum -c --strict manifest-sha256.txt'
expect 2 "verify of the unsigned bag exits 2" -- "$DOSSIER" verify b.tar
has err "not signed" "... because it is not signed"
expect 0 "sign it" -- "$DOSSIER" sign b.tar -k alice.key
expect 0 "verify with -p exits 0" -- "$DOSSIER" verify b.tar -p alice.pub
has out "valid +$K" "... the signature is valid"
expect 2 "verify without -p exits 2" -- "$DOSSIER" verify b.tar

# Same inputs, same bytes; the directory's own name also when given as "." or with a slash.
"$DOSSIER" pack evidence -o c1.zip 2>/dev/null && "$DOSSIER" pack evidence/ -o c2.zip 2>/dev/null
same c1.zip c2.zip "pack DIR and pack DIR/ give identical bundles"
(cd evidence && "$DOSSIER" pack . -o ../c3.zip 2>/dev/null)
same c1.zip c3.zip "pack . inside DIR gives the identical bundle"

# Refusals, with no output and no temp file left.
ln -s readme.md evidence/link.md
expect 1 "a symlink inside DIR is refused: exit 1" -- "$DOSSIER" pack evidence -o s.tar
has err "^dossier: evidence/link.md: is a symlink" "... naming evidence/link.md"
absent s.tar "... no output file"
no_temps . "... no temp file"
rm evidence/link.md
ln -s ../notes evidence/photos/dirlink
expect 1 "a symlink to a directory inside DIR is refused: exit 1" -- "$DOSSIER" pack evidence -o s.tar
has err "evidence/photos/dirlink: is a symlink" "... naming it"
absent s.tar "... no output file"
rm evidence/photos/dirlink
mkfifo evidence/pipe
expect 1 "a fifo inside DIR is refused: exit 1" -- "$DOSSIER" pack evidence -o s.tar
has err "evidence/pipe: is a special file|evidence/pipe: is a fifo" "... naming evidence/pipe"
absent s.tar "... no output file"
no_temps . "... no temp file"
rm evidence/pipe
expect 66 "a missing DIR exits 66" -- "$DOSSIER" pack nodir -o s.tar
absent s.tar "... no output file"

# An extracted bundle is a bag directory: verify and sign it in place.
"$DOSSIER" pack evidence -o d.tar 2>/dev/null
expect 0 "extract an unsigned bag with --allow-untrusted" -- "$DOSSIER" extract d.tar -d x --allow-untrusted
expect 2 "verify of the unsigned bag directory exits 2" -- "$DOSSIER" verify x/evidence
expect 0 "sign the bag directory in place" -- "$DOSSIER" sign x/evidence -k alice.key
present "x/evidence/signatures/$K.minisig" "... which writes signatures/$K.minisig"
expect 0 "... and then it verifies" -- "$DOSSIER" verify x/evidence -p alice.pub
ln -s ../bagit.txt x/evidence/data/link.txt
expect 1 "a symlink inside a bag directory: verify exits 1" -- "$DOSSIER" verify x/evidence -p alice.pub
has err "data/link.txt: symlink" "... naming data/link.txt"

# Without SOURCE_DATE_EPOCH there is no spec date; packing the same directory twice must still
# give the same bytes (DESIGN.md section 3: "Packing the same inputs twice gives byte-identical
# archives"), e.g. by taking the newest file's mtime, not the clock.
touch -d @1602806400 evidence/readme.md evidence/photos/p1.png evidence/notes/n1.txt
env -u SOURCE_DATE_EPOCH "$DOSSIER" pack evidence -o t1.tar 2>/dev/null
sleep 1
env -u SOURCE_DATE_EPOCH "$DOSSIER" pack evidence -o t2.tar 2>/dev/null
same t1.tar t2.tar "no SOURCE_DATE_EPOCH: the same directory packed a second later is byte-identical"

# A large directory has its names stat'ed by two threads (statahead.c): the walk still
# refuses the symlink or fifo among them by name, whichever thread stat'ed it, and packs
# every file with its own size when there is none.
mkdir -p wide/d
"$PYTHON" -c 'import sys
for i in range(300): open("wide/d/f%03d.txt" % i, "w").write("x" * i)'
ln -s f001.txt wide/d/f250-link.txt
expect 1 "a symlink in the second half of a directory of 300 names is refused: exit 1" -- "$DOSSIER" pack wide -o w.tar
has err "^dossier: wide/d/f250-link.txt: is a symlink" "... naming it"
absent w.tar "... no output file"
rm wide/d/f250-link.txt
mkfifo wide/d/f010-pipe
expect 1 "a fifo in the first half is refused: exit 1" -- "$DOSSIER" pack wide -o w.tar
has err "wide/d/f010-pipe: is a special file" "... naming it"
rm wide/d/f010-pipe
expect 0 "the directory of 300 files packs" -- "$DOSSIER" pack wide -o w.tar
unpack w.tar w
check "... every file with its own bytes (sha256sum -c)" -- sh -c 'cd w/wide && sha256sum -c --strict --quiet manifest-sha256.txt'
check "... and its own size (Payload-Oxum is the sum of 0..299 over 300 files)" -- grep -q "^Payload-Oxum: 44850.300$" w/wide/bag-info.txt
