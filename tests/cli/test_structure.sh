# test_structure.sh - what pack writes: a BagIt bag under one top directory, fixed metadata,
# manifests that stock sha256sum accepts, dossier.json as DESIGN.md section 3 lists it.
. "$(dirname "$0")/lib.sh"
make_sample b.tar || not_ok "make the sample"
"$DOSSIER" pack "$SPEC" -o u.tar -p alice.pub -p bob.pub 2>/dev/null || not_ok "pack unsigned"
KA=$(keyid alice.pub) KB=$(keyid bob.pub)

# Archive metadata, read with python's tarfile (independent of libarchive).
"$PYTHON" - u.tar "$NAME" >meta.txt 2>&1 <<'EOF'
import sys, tarfile
path, top = sys.argv[1], sys.argv[2]
with tarfile.open(path) as t:
    ms = t.getmembers()
names = [m.name.rstrip("/") for m in ms]
bad = []
for m in ms:
    if not (m.name == top or m.name.startswith(top + "/")):
        bad.append("outside top: " + m.name)
    if m.mtime != 1602806400: bad.append("mtime %s: %d" % (m.name, m.mtime))
    if m.uid or m.gid: bad.append("uid/gid %s" % m.name)
    if m.uname or m.gname: bad.append("user name %s: %r/%r" % (m.name, m.uname, m.gname))
    if m.isdir() and m.mode != 0o755: bad.append("dir mode %s: %o" % (m.name, m.mode))
    if m.isfile() and m.mode != 0o644: bad.append("file mode %s: %o" % (m.name, m.mode))
    if not (m.isdir() or m.isfile()): bad.append("type %s" % m.name)
files = [n for m, n in zip(ms, names) if m.isfile()]
if files != sorted(files, key=lambda s: s.encode()): bad.append("files not in byte order: %s" % files)
if len(set(names)) != len(names): bad.append("duplicate names")
print("\n".join(bad) if bad else "clean")
EOF
has meta.txt "^clean$" "entries: one top dir, sorted, mtime SOURCE_DATE_EPOCH, uid/gid 0, no user names, 0644/0755"

unpack u.tar u || not_ok "unpack"
B=u/$NAME
for f in bagit.txt bag-info.txt manifest-sha256.txt tagmanifest-sha256.txt dossier.json VERIFY.txt \
	data/letter/letter-2020-10-16.txt data/annex/cases.csv; do
	present "$B/$f" "the bag has $f"
done
absent "$B/signatures" "an unsigned bag has no signatures/"
absent "$B/fetch.txt" "no fetch.txt"

printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >want-bagit.txt
same want-bagit.txt "$B/bagit.txt" "bagit.txt is exactly the RFC 8493 declaration"

octets=$(cat "$B"/data/letter/letter-2020-10-16.txt "$B"/data/annex/cases.csv | wc -c | tr -d ' ')
has "$B/bag-info.txt" "^Payload-Oxum: $octets\.2$" "Payload-Oxum counts the payload ($octets bytes, 2 files)"
has "$B/bag-info.txt" "^Bagging-Date: 2020-10-16$" "Bagging-Date is the pack date"
id=$(bagtool json "$B/dossier.json" id)
has "$B/bag-info.txt" "^External-Identifier: urn:uuid:$id$" "External-Identifier is dossier.json's id"
has "$B/bag-info.txt" "^Bag-Size: " "bag-info.txt has Bag-Size"

# Manifests: two spaces, sorted, what sha256sum -c accepts.
(cd "$B" && sha256sum data/annex/cases.csv data/letter/letter-2020-10-16.txt) >want-manifest.txt
same want-manifest.txt "$B/manifest-sha256.txt" "manifest-sha256.txt is sha256sum's output, sorted by path"
(cd "$B" && sha256sum VERIFY.txt bag-info.txt bagit.txt dossier.json manifest-sha256.txt) >want-tag.txt
same want-tag.txt "$B/tagmanifest-sha256.txt" "tagmanifest covers exactly the tag files, sorted (not signatures/)"
check "sha256sum -c manifest-sha256.txt" -- sh -c "cd '$B' && sha256sum -c --strict manifest-sha256.txt"
check "sha256sum -c tagmanifest-sha256.txt" -- sh -c "cd '$B' && sha256sum -c --strict tagmanifest-sha256.txt"
"$DOSSIER" manifest b.tar >tm.txt
same tm.txt "$B/tagmanifest-sha256.txt" "dossier manifest prints tagmanifest-sha256.txt byte for byte"

# dossier.json
"$PYTHON" - "$B/dossier.json" "$B/manifest-sha256.txt" "$KA" "$KB" >json.txt 2>&1 <<'EOF'
import json, re, sys
doc = json.load(open(sys.argv[1]))
man = dict((l[66:].rstrip("\n"), l[:64]) for l in open(sys.argv[2]))
bad = []
for k in ("dossier_version", "id", "title", "kind", "date", "place", "language", "from", "to", "cc",
          "files", "references", "created"):
    if k not in doc: bad.append("missing " + k)
if doc.get("dossier_version") != 1: bad.append("dossier_version")
if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", doc.get("id", "")): bad.append("id not a UUID")
if doc.get("kind") != "open-letter" or doc.get("date") != "2020-10-16": bad.append("kind/date")
if not doc.get("created", "").startswith("2020-10-16T00:00:00"): bad.append("created %r" % doc.get("created"))
who = dict((p["name"], p.get("keyid")) for p in doc.get("from", []))
if len(who) != 16: bad.append("from has %d signatories" % len(who))
if who.get("Helmut Scholz") != sys.argv[3]: bad.append("alice's key id not bound: %r" % who.get("Helmut Scholz"))
if who.get("Brando Benifei") != sys.argv[4]: bad.append("bob's key id not bound")
if who.get("Niklas Nienaß", "x") is not None: bad.append("keyid for a signatory without -p")
paths = {}
for f in doc.get("files", []):
    paths[f["path"]] = f
    if f.get("sha256") != man.get(f["path"]): bad.append("sha256 of %s differs from the manifest" % f["path"])
if set(paths) != set(man): bad.append("files %s vs manifest %s" % (sorted(paths), sorted(man)))
if paths.get("data/letter/letter-2020-10-16.txt", {}).get("role") != "letter": bad.append("letter role")
if paths.get("data/annex/cases.csv", {}).get("role") != "annex": bad.append("annex role")
if paths.get("data/annex/cases.csv", {}).get("media_type") != "text/csv; charset=utf-8": bad.append("media type")
if len(doc.get("references", [])) != 9: bad.append("references")
print("\n".join(bad) if bad else "clean")
EOF
has json.txt "^clean$" "dossier.json: version, UUID id, metadata, bound key ids, files agree with the manifest"
has "$B/VERIFY.txt" 'minisign -Vm tagmanifest-sha256.txt -x "\$s" -p "\$KEYS/' "VERIFY.txt shows the minisign step"
has "$B/VERIFY.txt" "sha256sum --strict -c\$" "VERIFY.txt shows the sha256sum step"

# The signed bundle: the signature is the only addition, under signatures/<KEYID>.minisig.
tar tf b.tar | sed 's|/$||' | sort >signed.lst
{ tar tf u.tar | sed 's|/$||'; echo "$NAME/signatures"; echo "$NAME/signatures/$KA.minisig"; } | sort >want.lst
same want.lst signed.lst "signing adds signatures/$KA.minisig and nothing else"
