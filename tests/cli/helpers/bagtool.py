#!/usr/bin/env python3
"""bagtool.py - craft hostile or altered bundles for the CLI scenarios (stdlib only).

  bagtool.py tar IN OUT [OP]...   copy tar IN (plain or compressed) to OUT, applying OPs in order
  bagtool.py zip IN OUT [OP]...   the same for zip archives (IN may be '-' for an empty zip)
  bagtool.py pack DIR OUT         DIR (a bag directory) as a bundle OUT, as pack lays one out
  bagtool.py sigflip FILE         flip one bit of the Ed25519 signature in a .minisig (in place)
  bagtool.py keyid PUB            print a minisign public key's key id (16 uppercase hex digits)
  bagtool.py pubcheck PUB         exit 0 if PUB is a minisign public key: 2 lines, base64 of 42 bytes "Ed"...
  bagtool.py json FILE KEY        print the top-level KEY of the JSON object in FILE
  bagtool.py rebag DIR            re-derive manifests and Payload-Oxum of an edited bag directory
                                  and drop its signatures (what a forger with a signing key does)
  bagtool.py seal KEY OUT PASSFILE encrypt an unencrypted minisign secret key with cheap scrypt limits
  bagtool.py retag DIR            re-derive only tagmanifest-sha256.txt (over every tag file) and
                                  drop signatures/

OPs (NAME is the full member name, e.g. open-letter-2020-10-16/data/x; TEXT is literal text):
  --add NAME=TEXT        append a regular file
  --add-first NAME=TEXT  insert a regular file before every other member
  --dup NAME             append a second member with NAME and the same content
  --drop NAME            leave the member out
  --set NAME=TEXT        replace the member's content (keeps its place)
  --symlink NAME=TARGET  append a symbolic link
  --hardlink NAME=TARGET append a hard link (tar only)
  --fifo NAME            append a fifo (tar only)
  --rename OLD=NEW       rename every member whose name starts with OLD (prefix replace)
OUT is written in the canonical form `dossier pack` writes (FORMAT.md 2.1, the writers of
tests/hostile/gen.py), so that a bundle is refused for what an OP did, not for its form; links
and fifos are the exception (no canonical bundle holds one). Members keep their mtime and
order. OUT's name picks the type as pack's does: .zip, .tar.gz/.tgz, .tar.zst/.tzst, or tar.
"""
import base64
import calendar
import json
import os
import struct
import subprocess
import sys
import tarfile
import zipfile

# The archive writers of the hostile corpus: the canonical form `dossier pack` writes
# (FORMAT.md 2.1), and the non-canonical kinds (links, fifos) for the cases about them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "hostile"))
import gen  # noqa: E402  (tests/hostile/gen.py)

KINDS = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "dir",
         tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink", tarfile.FIFOTYPE: "fifo",
         tarfile.CHRTYPE: "chr", tarfile.BLKTYPE: "blk"}


def split(arg):
    name, _, value = arg.partition("=")
    return name, value


def raw(name):
    return name.encode("utf-8", "surrogateescape")


def parse_ops(args):
    ops = []
    i = 0
    while i < len(args):
        op = args[i]
        if not op.startswith("--") or i + 1 >= len(args):
            sys.exit("bagtool: bad operation %r" % op)
        ops.append((op[2:], args[i + 1]))
        i += 2
    return ops


def tar_members(path):
    """The members of tar path (plain or compressed) as gen.Member, in order."""
    out = []
    with tarfile.open(path, "r:*") as t:
        for ti in t.getmembers():
            kind = KINDS.get(ti.type)
            if kind is None:
                sys.exit("bagtool: %s: member %s of an unexpected type" % (path, ti.name))
            data = t.extractfile(ti).read() if kind == "file" else b""
            name = raw(ti.name) + (b"/" if kind == "dir" else b"")
            out.append(gen.Member(name, kind, data, link=raw(ti.linkname),
                                  dev=(ti.devmajor, ti.devminor), mtime=int(ti.mtime)))
    return out


def zip_mtime(zi):
    """The modification time the "UT" extra field gives, else the DOS time read as UTC."""
    x = zi.extra
    while len(x) >= 4:
        tag, n = struct.unpack("<HH", x[:4])
        if tag == 0x5455 and n >= 5 and x[4] & 1:
            return struct.unpack("<i", x[5:9])[0]
        x = x[4 + n:]
    return calendar.timegm(zi.date_time + (0, 0, -1))


def zip_members(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for zi in z.infolist():
            name = zi.filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437")
            mode = zi.external_attr >> 16
            if (mode & 0o170000) == 0o120000:
                out.append(gen.Member(name, "symlink", link=z.read(zi), mtime=zip_mtime(zi)))
            else:
                kind = "dir" if name.endswith(b"/") else "file"
                out.append(gen.Member(name, kind, z.read(zi), mtime=zip_mtime(zi)))
    return out


def named(members, name):
    hit = [m for m in members if m.name.rstrip(b"/") == raw(name).rstrip(b"/")]
    if not hit:
        sys.exit("bagtool: no member %s" % name)
    return hit[0]


def apply_ops(members, ops):
    """members (gen.Member) after the operations; a new entry gets the first member's mtime."""
    mtime = members[0].mtime if members else gen.MTIME
    for op, arg in ops:
        name, value = split(arg)
        if op in ("add", "add-first"):
            m = gen.Member(raw(name), "file", raw(value), mtime=mtime)
            members.insert(0 if op == "add-first" else len(members), m)
        elif op == "dup":
            members.append(named(members, arg).copy())
        elif op == "drop":
            named(members, arg)
            members[:] = [m for m in members if m.name.rstrip(b"/") != raw(arg).rstrip(b"/")]
        elif op == "set":
            m = named(members, name)
            m.data, m.size = raw(value), None
        elif op in ("symlink", "hardlink"):
            members.append(gen.Member(raw(name), op, link=raw(value), mtime=mtime))
        elif op == "fifo":
            members.append(gen.Member(raw(arg), "fifo", mtime=mtime))
        elif op == "rename":
            for m in members:
                if m.name.startswith(raw(name)):
                    m.name = raw(value) + m.name[len(raw(name)):]
        else:
            sys.exit("bagtool: unknown operation --%s" % op)
    return members


def write_archive(path, members):
    """members to path in the canonical form pack writes; the type from path's end, as pack
    picks it (a zip cannot hold hard links or fifos)."""
    bag = gen.Bag(members, b"")
    if path.endswith(".zip"):
        body = gen.zip_bytes(bag)
    else:
        body = gen.tar_bytes(bag)
        if path.endswith((".tar.gz", ".tgz", ".gz")):
            body = gen.gz(body)
        elif path.endswith((".tar.zst", ".tzst")):  # zstd -3 without a checksum, as pack does
            body = subprocess.run(["zstd", "-q", "-3", "--no-check", "-c"], input=body,
                                  stdout=subprocess.PIPE, check=True).stdout
    with open(path, "wb") as f:
        f.write(body)


def cmd_tar(args):
    write_archive(args[1], apply_ops(tar_members(args[0]), parse_ops(args[2:])))


def cmd_zip(args):
    members = zip_members(args[0]) if args[0] != "-" else []
    write_archive(args[1], apply_ops(members, parse_ops(args[2:])))


def cmd_pack(args):
    """DIR OUT: the bag directory DIR as pack lays a bundle out (FORMAT.md 2.2): DIR's name as
    the top directory, files in byte order of their paths, each directory just before its
    first file, empty directories last; each file keeps its mtime."""
    root = args[0].rstrip("/")
    top = os.path.basename(root)
    files, dirs = [], []
    for dirpath, dnames, fnames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        pre = b"" if rel == "." else raw(rel) + b"/"
        dirs += [pre + raw(d) + b"/" for d in dnames]
        files += [pre + raw(f) for f in fnames]
    members, done = [gen.Member(raw(top) + b"/", "dir", mtime=int(os.stat(root).st_mtime))], set()

    def add_dir(d):
        if d not in done:
            done.add(d)
            st = os.stat(os.path.join(root, os.fsdecode(d)))
            members.append(gen.Member(raw(top) + b"/" + d, "dir", mtime=int(st.st_mtime)))

    for f in sorted(files):
        parts = f.split(b"/")[:-1]
        for i in range(len(parts)):
            add_dir(b"/".join(parts[:i + 1]) + b"/")
        path = os.path.join(root, os.fsdecode(f))
        if os.path.islink(path) or not os.path.isfile(path):
            sys.exit("bagtool: %s: not a regular file" % path)
        with open(path, "rb") as fh:
            members.append(gen.Member(raw(top) + b"/" + f, "file", fh.read(),
                                      mtime=int(os.stat(path).st_mtime)))
    for d in sorted(dirs):
        add_dir(d)
    write_archive(args[1], members)


def cmd_sigflip(args):
    path = args[0]
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    blob = bytearray(base64.b64decode(lines[1]))
    if len(blob) != 74:
        sys.exit("bagtool: %s: second line is not a minisign signature" % path)
    blob[40] ^= 0x01  # inside the 64-byte Ed25519 signature (bytes 10..73)
    lines[1] = base64.b64encode(bytes(blob))
    with open(path, "wb") as f:
        f.write(b"\n".join(lines))


def pub_blob(path):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    return lines, base64.b64decode(lines[1], validate=True)


def cmd_keyid(args):
    _, blob = pub_blob(args[0])
    print(blob[2:10][::-1].hex().upper())


def cmd_pubcheck(args):
    lines, blob = pub_blob(args[0])
    body = [l for l in lines if l]
    ok = (len(body) == 2 and lines[-1] == b"" and body[0].startswith(b"untrusted comment: ")
          and len(blob) == 42 and blob[:2] == b"Ed")
    sys.exit(0 if ok else 1)


def cmd_json(args):
    with open(args[0]) as f:
        doc = json.load(f)
    v = doc[args[1]]
    print(v if not isinstance(v, (dict, list)) else json.dumps(v))


def manifest_path(p):
    return p.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def bag_files(root, top):
    out = []
    for dirpath, _, names in os.walk(os.path.join(root, top)):
        for n in names:
            out.append(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def file_digest(root, rel):
    import hashlib
    with open(os.path.join(root, rel), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def cmd_retag(args):
    """Re-derive tagmanifest-sha256.txt of bag directory DIR over every tag file it holds
    (not signatures/, timestamps/, redactions.json) and remove signatures/."""
    import shutil
    root = args[0].rstrip("/")
    shutil.rmtree(os.path.join(root, "signatures"), ignore_errors=True)
    tags = [p for p in bag_files(root, "")
            if not (p.startswith("data/") or p.startswith("signatures/") or p.startswith("timestamps/")
                    or p in ("tagmanifest-sha256.txt", "redactions.json"))]
    with open(os.path.join(root, "tagmanifest-sha256.txt"), "wb") as f:
        for p in sorted(tags, key=lambda p: p.encode()):
            f.write(("%s  %s\n" % (file_digest(root, p), manifest_path(p))).encode())


def cmd_rebag(args):
    """Make bag directory DIR, edited by hand, consistent again as a forger holding a signing
    key would: manifest-sha256.txt from data/, Payload-Oxum, then retag."""
    root = args[0].rstrip("/")
    payload = sorted(bag_files(root, "data"), key=lambda p: p.encode())
    with open(os.path.join(root, "manifest-sha256.txt"), "wb") as f:
        for p in payload:
            f.write(("%s  %s\n" % (file_digest(root, p), manifest_path(p))).encode())
    octets = sum(os.path.getsize(os.path.join(root, p)) for p in payload)
    info = os.path.join(root, "bag-info.txt")
    with open(info, "rb") as f:
        lines = f.read().decode().splitlines()
    lines = ["Payload-Oxum: %d.%d" % (octets, len(payload)) if l.startswith("Payload-Oxum:") else l
             for l in lines]
    with open(info, "wb") as f:
        f.write(("\n".join(lines) + "\n").encode())
    cmd_retag([root])


def cmd_seal(args):
    """Encrypt an unencrypted minisign secret key (dossier keygen -W or minisign -G -W) the way
    minisign does, but with cheap scrypt limits (opslimit 32768, memlimit 16 MiB: N=2^10, r=8,
    p=1 in libsodium's scryptsalsa208sha256), so tests can use a passphrase in milliseconds."""
    import hashlib
    src, dst, passfile = args
    with open(src, "rb") as f:
        lines = f.read().split(b"\n")
    blob = bytearray(base64.b64decode(lines[1], validate=True))
    if len(blob) != 158 or blob[0:2] != b"Ed" or blob[2:4] != b"\0\0":
        sys.exit("bagtool: %s: not an unencrypted minisign secret key" % src)
    with open(passfile, "rb") as f:
        passphrase = f.read().split(b"\n")[0]
    salt = os.urandom(32)
    opslimit, memlimit = 32768, 16 << 20
    stream = hashlib.scrypt(passphrase, salt=salt, n=1 << 10, r=8, p=1, dklen=104)
    blob[2:4] = b"Sc"
    blob[6:38] = salt
    blob[38:46] = opslimit.to_bytes(8, "little")
    blob[46:54] = memlimit.to_bytes(8, "little")
    for i in range(104):  # keynum[8] sk[64] chk[32]
        blob[54 + i] ^= stream[i]
    comment = b"untrusted comment: minisign encrypted secret key (cheap scrypt, tests only)"
    with open(dst, "wb") as f:
        f.write(comment + b"\n" + base64.b64encode(bytes(blob)) + b"\n")
    os.chmod(dst, 0o600)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmds = {"tar": cmd_tar, "zip": cmd_zip, "pack": cmd_pack, "sigflip": cmd_sigflip,
            "keyid": cmd_keyid,
            "pubcheck": cmd_pubcheck, "json": cmd_json, "rebag": cmd_rebag,
            "retag": cmd_retag, "seal": cmd_seal}
    fn = cmds.get(sys.argv[1])
    if fn is None:
        sys.exit(__doc__)
    fn(sys.argv[2:])


if __name__ == "__main__":
    main()
