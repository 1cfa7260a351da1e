# test_regressions.sh - one scenario per fixed bug of the review rounds, so each stays fixed.
. "$(dirname "$0")/lib.sh"
make_sample s.tar >/dev/null 2>&1 || not_ok "make the sample"
N=open-letter-2020-10-16

# A path that is a file and also another file's directory: pack refuses, verify and
# extract refuse with 1 naming the entry (extract used to fail late with 73).
mkdir -p in
echo x >in/x
cat >conflict.json <<J
{"spec_version": 1, "name": "c", "title": "t", "kind": "open-letter", "date": "2020-01-01",
 "from": [{"name": "A"}], "to": [{"name": "B"}],
 "files": [{"source": "in/x", "role": "letter", "path": "a"},
           {"source": "in/x", "role": "annex", "path": "a-x"},
           {"source": "in/x", "role": "annex", "path": "a/b"}]}
J
expect 1 "pack refuses a path that is a file and a directory (not adjacent when sorted)" -- "$DOSSIER" pack conflict.json -o c.tar
has err "'data/a' is a file and also the directory of 'data/a/b'" "... naming both"
absent c.tar "... and writes nothing"
mkdir -p d/a
echo 1 >d/a/b
echo 2 >d/A
expect 1 "pack refuses a file whose name differs only in case from a directory" -- "$DOSSIER" pack d -o d.tar
has err "'data/A' is a file and also the directory of 'data/a/b'" "... naming both"
# (bagtool writes no directory entries: the file comes first, its "directory" after)
bagtool tar s.tar pc.tar --add-first "$N/data/x=x" --add "$N/data/x-y=y" --add "$N/data/x/z=z"
expect 1 "verify refuses a file that is also a directory" -- "$DOSSIER" verify pc.tar -p alice.pub
has err "data/x/z: 'data/x' is a file, so it cannot also be its directory" "... naming the entry"
expect 1 "extract refuses it with exit 1, not 73" -- "$DOSSIER" extract pc.tar -d xdir -p alice.pub
absent xdir "... and leaves no DIR behind"
bagtool tar s.tar pd.tar --add "$N/data/letter=x"
expect 1 "a file spelled like an existing directory entry is refused" -- "$DOSSIER" verify pd.tar -p alice.pub
has err "data/letter: entry appears twice in the archive" "... naming it"

# Terminal escapes in entry names never reach the terminal raw, on stdout or stderr.
bagtool tar s.tar esc.tar --add "$N/data/x$(printf '\033')[2Jevil=x"
"$DOSSIER" verify esc.tar -p alice.pub >out.txt 2>err.txt
if grep -q "$(printf '\033')" out.txt err.txt; then not_ok "no ESC byte reaches the terminal"; else ok "no ESC byte reaches the terminal"; fi
has err.txt "data/x\?\[2Jevil" "... it is shown as '?'"

# A passphrase file that cannot be read exits 66 (a directory opens, then fails to read).
mkdir passdir
expect 66 "keygen with an unreadable --passphrase-file exits 66" -- "$DOSSIER" keygen -o k --passphrase-file passdir
absent k.key "... and writes no key"

# A trusted comment that is not UTF-8 is refused (JSON reports must stay valid UTF-8).
if command -v minisign >/dev/null 2>&1; then
	minisign -G -W -p m.pub -s m.key >/dev/null 2>&1
	"$DOSSIER" manifest s.tar >tm.txt
	minisign -S -s m.key -m tm.txt -x bad.minisig -t "$(printf 'stray \377 byte')" >/dev/null 2>&1
	if [ -s bad.minisig ]; then
		cp s.tar s0.tar
		expect 1 "attach refuses a trusted comment that is not UTF-8" -- "$DOSSIER" attach s.tar bad.minisig -p m.pub
		has err "not UTF-8" "... saying why"
		same s0.tar s.tar "... and leaves the bundle unchanged"
	else
		skip "attach refuses a trusted comment that is not UTF-8" "minisign would not write it"
	fi
else
	skip "attach refuses a trusted comment that is not UTF-8" "minisign not installed"
fi

# Six co-signers at once: the flock lets every signature land.
for i in 1 2 3 4 5 6; do "$DOSSIER" keygen -W -o "c$i" >/dev/null; done
cp s.tar par.tar
for i in 1 2 3 4 5 6; do "$DOSSIER" sign par.tar -k "c$i.key" -q & done
wait
n_sigs=$(tar tf par.tar | grep -c 'signatures/.*\.minisig$')
if [ "$n_sigs" = 7 ]; then ok "six parallel signers and the first: 7 signatures"; else not_ok "six parallel signers and the first: 7 signatures" "got $n_sigs"; fi

# --json stays valid UTF-8 when an entry name is not (the report sanitizes every string).
# An archive cannot carry such a name any more (a tar refuses raw non-ASCII header names and
# libarchive a pax path that is not UTF-8; a zip needs UTF-8 names): a bag directory can.
bagtool tar s.tar bin.tar --add "$N/data/bad=x" && "$PYTHON" - bin.tar <<'PY'
import sys
dst = sys.argv[1]
# the name's bytes in the ustar header, same length, an invalid UTF-8 sequence
raw = open(dst, "rb").read()
raw = raw.replace(b"open-letter-2020-10-16/data/bad\0", b"open-letter-2020-10-16/data/\xff\xfe\xfd\0", 1)
i = raw.find(b"open-letter-2020-10-16/data/\xff\xfe\xfd\0")
hdr = bytearray(raw[i:i + 512]); hdr[148:156] = b" " * 8
hdr[148:156] = b"%06o\0 " % sum(hdr)
open(dst, "wb").write(raw[:i] + bytes(hdr) + raw[i + 512:])
PY
expect 1 "a raw non-ASCII name in a tar header is refused" -- "$DOSSIER" verify bin.tar -p alice.pub
has err "not in the canonical form pack writes: a name that is not ASCII without the pax path" "... as pack never writes one"
unpack s.tar bindir && "$PYTHON" -c 'import sys; open(sys.argv[1].encode() + b"/data/\xff\xfe\xfd", "w").write("x")' "bindir/$N"
"$DOSSIER" verify "bindir/$N" -p alice.pub --json >bin.json 2>/dev/null
if "$PYTHON" -c 'import json,sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' bin.json 2>/dev/null; then
	ok "--json is valid UTF-8 JSON although an entry name is not UTF-8"
else
	not_ok "--json is valid UTF-8 JSON although an entry name is not UTF-8" "$(head -c 300 bin.json)"
fi
has bin.json '"verdict": +"invalid"' "... and says invalid"

# dossier.json must be UTF-8 (cJSON would pass other bytes through to reports).
mkdir u && tar xf s.tar -C u
printf '{"title": "\377"}' >u/$N/dossier.json
expect 1 "dossier.json that is not UTF-8 is refused" -- "$DOSSIER" verify u/$N -p alice.pub
has err "dossier.json: not valid UTF-8" "... saying why"

# A directory first, then a file of the same name: extract says 1 and names it (was 73).
bagtool tar s.tar rev.tar --add "$N/data/q/r=x" --add "$N/data/q=y"
expect 1 "extract of a directory then a file of one name exits 1" -- "$DOSSIER" extract rev.tar -d rdir -p alice.pub
has err "data/q" "... naming the entry"
absent rdir "... and leaves nothing"

# A title that quotes "Payload-Oxum:" lands in bag-info.txt before the real field; verify
# must read the field, not the words (found by fuzz_spec).
mkdir ox && cp "$TOP/examples/open-letter-2020-10-16/letter-2020-10-16.txt" ox/
cat >ox/s.json <<J
{"spec_version": 1, "name": "ox", "title": "see Payload-Oxum: 1.1 below", "kind": "open-letter",
 "date": "2021-01-02", "from": [{"name": "A"}], "to": [{"name": "B"}],
 "files": [{"source": "letter-2020-10-16.txt", "role": "letter"}]}
J
"$DOSSIER" pack ox/s.json -o ox.tar 2>/dev/null
expect 2 "a title quoting Payload-Oxum does not break verification (unsigned: 2)" -- "$DOSSIER" verify ox.tar
mkdir oxd && tar xf ox.tar -C oxd
printf 'Payload-Oxum: 99999999999999999999.1\n' >>oxd/ox/bag-info.txt
expect 1 "a second or overflowing Payload-Oxum is refused" -- "$DOSSIER" verify oxd/ox
has err "bag-info.txt: Payload-Oxum appears twice" "... saying why"

# A zip whose central directory alone renames an entry: unzip extracts by the central name,
# a streaming reader by the local one, so verify and extract refuse it (dossier used to
# compare local names with local names). The rename keeps the name's length, so only those
# bytes in the central directory change.
"$DOSSIER" pack "$SPEC" -o z.zip -p alice.pub -p bob.pub 2>/dev/null && "$DOSSIER" sign z.zip -k alice.key 2>/dev/null
expect 0 "a zip packed and signed by dossier verifies (its central and local names agree)" -- "$DOSSIER" verify z.zip -p alice.pub
expect 0 "... also from stdin" -- "$DOSSIER" verify - -p alice.pub <z.zip
"$PYTHON" - "$N/data/letter/letter-2020-10-16" <<'PY' || not_ok "rename an entry in the central directory"
import sys
name = sys.argv[1].encode()
data = open("z.zip", "rb").read()
if data.count(name + b".txt") != 2:
    sys.exit("expected the letter's name in one local header and one central entry")
at = data.rindex(name + b".txt") + len(name)  # the central directory comes last
open("zc.zip", "wb").write(data[:at] + b".exe" + data[at + 4:])
PY
expect 1 "verify refuses a zip whose central directory alone renames an entry" -- "$DOSSIER" verify zc.zip -p alice.pub
has err "^dossier: zc\.zip: not in the canonical form pack writes: local header does not match its central directory entry \(zip offset [0-9]+\)$" "... saying the local header differs from its central entry"
expect 1 "... also from stdin" -- "$DOSSIER" verify - -p alice.pub <zc.zip
if unzip -l zc.zip 2>/dev/null | grep -q "$N/data/letter/letter-2020-10-16.exe"; then ok "... where unzip lists the central name"
else not_ok "... where unzip lists the central name" "$(unzip -l zc.zip 2>&1 | head -c 600)"; fi
expect 1 "extract refuses it" -- "$DOSSIER" extract zc.zip -d zdir -p alice.pub
absent zdir "... and leaves nothing"

# An end record whose comment runs past the end of the file (libarchive reads the central
# directory anyway, libzip did not): refused with 1 and a reason, never a crash.
"$PYTHON" - <<'PY' || not_ok "lengthen the zip comment"
data = bytearray(open("z.zip", "rb").read())
end = data.rindex(b"PK\x05\x06")
data[end + 20:end + 22] = (5).to_bytes(2, "little")
open("zm.zip", "wb").write(bytes(data))
PY
expect 1 "verify refuses a zip whose end record's comment runs past the file" -- "$DOSSIER" verify zm.zip -p alice.pub
has err "^dossier: zm\.zip: not in the canonical form pack writes: the file does not end with one end record and no comment \(zip offset [0-9]+\)$" "... saying so"

# A second central directory entry for the letter's local header, under another name:
# unzip extracts the letter's bytes twice, once as letter-2020-10-16.exe, which
# libarchive (one entry per local header) never showed. Refused: the second central entry
# points back at a local header already read.
"$PYTHON" - "$N/data/letter/letter-2020-10-16.txt" <<'PY' || not_ok "add a central entry"
import struct, sys
name = sys.argv[1].encode()
data = open("z.zip", "rb").read()
end = data.rindex(b"PK\x05\x06")
count, size, offset = struct.unpack_from("<HII", data, end + 10)
central, at = data[offset:offset + size], 0
while at < len(central):  # find the letter's central entry
    nlen, xlen, clen = struct.unpack_from("<HHH", central, at + 28)
    entry = central[at:at + 46 + nlen + xlen + clen]
    if entry[46:46 + nlen] == name:
        break
    at += len(entry)
else:
    sys.exit("no central entry for the letter")
extra = entry.replace(name, name[:-4] + b".exe", 1)
central += extra
data = data[:offset] + central + data[offset + size:end] + struct.pack(
    "<IHHHHIIH", 0x06054B50, 0, 0, count + 1, count + 1, len(central), offset, 0)
open("zd.zip", "wb").write(data)
PY
expect 1 "verify refuses a zip with two central entries for one local header" -- "$DOSSIER" verify zd.zip -p alice.pub
has err "^dossier: zd\.zip: not in the canonical form pack writes: local entries are not back to back in central directory order \(zip offset [0-9]+\)$" "... saying the entries are not back to back"
if unzip -l zd.zip 2>/dev/null | grep -q "$N/data/letter/letter-2020-10-16.exe"; then ok "... where unzip lists the second name"
else not_ok "... where unzip lists the second name" "$(unzip -l zd.zip 2>&1 | head -c 600)"; fi

# Regression: a bagged directory of thousands of files packed into a bundle whose
# dossier.json outgrew the 1 MiB readers accept, so sign and verify refused it.
mkdir -p many/evidence && "$PYTHON" -c '
import os
for i in range(8000):
    d = "many/evidence/d%02d" % (i % 50); os.makedirs(d, exist_ok=True)
    open("%s/f%05d.txt" % (d, i), "w").write("x" * (i % 100))'
"$DOSSIER" keygen -W -o many-k >/dev/null
expect 0 "8000 files bagged: pack" -- "$DOSSIER" pack many/evidence -o many.tar
expect 0 "... sign" -- "$DOSSIER" sign many.tar -k many-k.key
expect 0 "... and verify" -- "$DOSSIER" verify many.tar -p many-k.pub -q
check "... dossier.json leaves the files to the manifest" -- sh -c "tar -xOf many.tar evidence/dossier.json | grep -q '\"files\":  \[\]'"
"$PYTHON" - "$SPEC" many/spec.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["files"] = [{"source": "evidence/d%02d/f%05d.txt" % (i % 50, i), "role": "attachment"} for i in range(8000)]
json.dump(s, open(sys.argv[2], "w"), separators=(",", ":"))
PY
expect 64 "a spec listing 8000 files is refused at pack time, not packed unverifiable" -- "$DOSSIER" pack many/spec.json -o never.tar
has err "dossier.json would be [0-9]+ bytes, more than the 1048576 a reader accepts" "... saying why"
absent never.tar "... and nothing is written"

# Enough small files for pack to read them ahead on a second thread, half of them
# redactable: each salted file's digest covers its salt line, whichever thread hashed it.
mkdir -p ahead
"$PYTHON" - "$SPEC" ahead/spec.json <<'PY'
import json, os, sys
s = json.load(open(sys.argv[1]))
base = os.path.dirname(os.path.abspath(sys.argv[1]))
for f in s["files"]:
    f["source"] = os.path.normpath(os.path.join(base, f["source"]))
for i in range(120):
    open("ahead/c%03d.json" % i, "w").write('{"case": %d}\n' % i)
    s["files"].append({"source": os.path.abspath("ahead/c%03d.json" % i), "role": "annex",
                       "path": "annex/cases/c%03d.json" % i, "redactable": i % 2 == 0})
json.dump(s, open(sys.argv[2], "w"))
PY
"$DOSSIER" keygen -W -o ahead-k >/dev/null
expect 0 "120 small files, half redactable: pack" -- "$DOSSIER" pack ahead/spec.json -o ahead.tar
expect 0 "... sign" -- "$DOSSIER" sign ahead.tar -k ahead-k.key
expect 0 "... and every digest verifies" -- "$DOSSIER" verify ahead.tar -p ahead-k.pub -q
unpack ahead.tar ahead-x
check "... a salted file is its salt line and then the file's own bytes" -- sh -c \
	"f=\$(find ahead-x -name c004.json.salted); head -c 65 \"\$f\" | grep -Eq '^[0-9a-f]{64}\$' && tail -c +66 \"\$f\" | cmp -s - ahead/c004.json"
check "... stock sha256sum -c agrees" -- sh -c "cd ahead-x/* && sha256sum -c --quiet manifest-sha256.txt"

# Every spec the project ships packs (make demo packs them): a rule added to specs must
# come with the shipped specs updated (the redactable sample once lacked its
# references' not_captured reasons, and make demo stopped there).
for spec in "$TOP"/manifests/*.json; do
	expect 0 "shipped spec $(basename "$spec") packs" -- "$DOSSIER" pack "$spec" -o shipped.tar --force
done
