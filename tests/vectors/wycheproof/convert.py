#!/usr/bin/env python3
"""convert.py - Wycheproof Ed25519 verification vectors to the TSV tests/unit/test_wycheproof.c reads.

Usage (see README for the exact source commits):

    convert.py ed25519_test.json [eddsa_test.json] > ed25519.tsv

ed25519_test.json is Wycheproof's testvectors_v1 file (the vectors). Its groups carry
only the public key. The older, since-removed testvectors/eddsa_test.json carried the
private key of each group as well; given as the optional second argument, its seeds
are matched to the v1 groups by public key and written to the seed column, so the
test can make the minisign global signature with the vector's own key.

One line per vector, tab-separated, lines starting with '#' are comments:

    tcId  result  pk-hex  msg-hex  sig-hex  comment  seed-hex-or-'-'

result is valid, invalid or acceptable, as in the source. Nothing is dropped or
edited: signatures of the wrong length stay as they are (the test expects the
minisign parser to refuse them).
"""
import json
import sys


def clean(text):
    if "\t" in text or "\n" in text or "\r" in text:
        raise SystemExit("a comment holds a tab or line break: %r" % text)
    return text


def main(argv):
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        v1 = json.load(f)
    seeds = {}
    if len(argv) == 3:
        with open(argv[2], encoding="utf-8") as f:
            old = json.load(f)
        for group in old["testGroups"]:
            key = group["key"]
            seeds[key["pk"].lower()] = key["sk"].lower()
    if v1.get("algorithm") != "EDDSA":
        raise SystemExit("not an EdDSA vector file")
    out = sys.stdout
    out.write("# Wycheproof %s, converted by tests/vectors/wycheproof/convert.py (see README)\n"
              % v1.get("schema", "?"))
    out.write("# tcId\tresult\tpk\tmsg\tsig\tcomment\tseed\n")
    count = 0
    for group in v1["testGroups"]:
        if group.get("type") != "EddsaVerify":
            continue
        pub = group["publicKey"]
        if pub.get("curve") != "edwards25519":
            continue
        pk = pub["pk"].lower()
        if len(pk) != 64:
            raise SystemExit("public key of %d hex digits" % len(pk))
        seed = seeds.get(pk, "-")
        for t in group["tests"]:
            if t["result"] not in ("valid", "invalid", "acceptable"):
                raise SystemExit("tcId %d: unknown result %r" % (t["tcId"], t["result"]))
            comment = clean(t.get("comment", "")) or "-"
            out.write("%d\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
                t["tcId"], t["result"], pk, t["msg"].lower() or "-", t["sig"].lower() or "-",
                comment, seed))
            count += 1
    if count != v1.get("numberOfTests", count):
        raise SystemExit("wrote %d vectors, the file says %d" % (count, v1["numberOfTests"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
