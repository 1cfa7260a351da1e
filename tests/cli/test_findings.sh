# test_findings.sh - a bundle that makes a finding per entry or per manifest line cannot
# make verify print, keep or take without bound: the text lists the first 50 findings and
# counts the rest, the report keeps the first 1000 (and the first of each code) and counts
# the rest, a manifest line costs little memory. (Issue 15.9: 250,000 findings printed a
# byte per write took minutes; issue 23.2: 1,000,000 missing-file lines took 1.35 GB.)
. "$(dirname "$0")/lib.sh"
if [ "${DOSSIER_TEST_SKIP_SLOW:-0}" = 1 ]; then
	skip "bounded findings" "DOSSIER_TEST_SKIP_SLOW"
	echo "1..$n"
	exit 0
fi
make_sample sample.tar
now() { date +%s%N; }
# elapsed_under START SECONDS NAME
elapsed_under() {
	_ms=$((($(now) - $1) / 1000000))
	if [ $_ms -lt $(($2 * 1000)) ]; then ok "$3 (${_ms} ms)"; else not_ok "$3" "took ${_ms} ms"; fi
}

# 20,000 payload files with long paths that the manifest does not list: one finding each
unpack sample.tar u && "$PYTHON" - <<'EOF'
import os
d = "u/open-letter-2020-10-16/data/unlisted/" + "a" * 200 + "/" + "b" * 200
os.makedirs(d)
for i in range(20000):
    open(os.path.join(d, "%s-%06d" % ("c" * 200, i)), "w").close()
EOF
bagtool pack "u/$NAME" unlisted.tar.zst && rm -rf u
start=$(now)
expect 1 "20,000 unlisted entries: invalid" -- "$DOSSIER" verify unlisted.tar.zst -p alice.pub
elapsed_under "$start" 20 "... verified in well under the minute it took a byte per write"
lines=$(wc -l <err)
if [ "$lines" -eq 51 ]; then ok "... stderr has 50 findings and a count"; else not_ok "... stderr has 50 findings and a count" "$lines lines"; fi
has err '^dossier: \.\.\. and 19951 more findings \(see --json\)$' "... the last line counts the others"
if [ "$(wc -c <err)" -lt 65536 ]; then ok "... stderr stays small"; else not_ok "... stderr stays small" "$(wc -c <err) bytes"; fi
if [ "$(grep -c '^  invalid ' out)" -eq 50 ]; then ok "... the report lists 50 findings"; else not_ok "... the report lists 50 findings" "$(grep -c '^  invalid ' out)"; fi
has out '^  \.\.\. and 19951 more findings \(see --json\)$' "... and counts the others"
expect 1 "-v lists every finding the report keeps" -- "$DOSSIER" verify -v unlisted.tar.zst -p alice.pub
lines=$(wc -l <err)
if [ "$lines" -eq 1002 ]; then ok "... 1001 on stderr, then the count"; else not_ok "... 1001 on stderr, then the count" "$lines lines"; fi
expect 1 "--json" -- "$DOSSIER" verify --json unlisted.tar.zst -p alice.pub
mv out report.json
check "... keeps 1000 findings and the first of each code, and counts the rest by code" -- "$PYTHON" -c '
import json, sys
r = json.load(open("report.json"))
f, o = r["findings"], r["findings_omitted"]
extra = sum(1 for x in f if x["code"] == "payload-extra")
codes = {x["code"] for x in f}
assert len(f) == 1001 and o["kept"] == 1000, (len(f), o)
assert "oxum-mismatch" in codes, codes
assert o["count"] == 19000 and o["codes"] == [{"severity": "invalid", "code": "payload-extra", "history": False, "count": 19000}], o
assert extra + 19000 == 20000
failed = [c for c in r["checks"] if c["code"] == "payload"][0]
assert failed["verdict"] == "failed" and failed["detail"].endswith("(and 19999 more)"), failed
'

# 1,000,000 manifest lines naming files that are not there, in a small .tar.zst
unpack sample.tar m && "$PYTHON" - <<'EOF'
p = "m/open-letter-2020-10-16/manifest-sha256.txt"
lines = open(p).read().splitlines()
lines += ["%s  data/m/%07d" % ("0" * 64, i) for i in range(1000000)]
lines.sort(key=lambda l: l[66:].encode())
open(p, "w").write("\n".join(lines) + "\n")
EOF
bagtool retag "m/$NAME" && bagtool pack "m/$NAME" missing.tar.zst && rm -rf m
start=$(now)
expect 1 "1,000,000 missing-file lines: invalid" -- /usr/bin/time -f %M -o rss "$DOSSIER" verify --json missing.tar.zst
elapsed_under "$start" 20 "... in seconds"
mv out report.json
rss=$(tail -1 rss)
# a sanitizer's shadow memory is not the program's
if [ -n "${ASAN_OPTIONS:-}" ]; then skip "... peak RSS bounded" "ASan build"
elif [ "$rss" -lt 262144 ]; then ok "... peak RSS $rss KB < 256 MB (was 1.35 GB)"; else not_ok "... peak RSS < 256 MB" "$rss KB"; fi
check "... the report counts what it left out" -- "$PYTHON" -c '
import json
r = json.load(open("report.json"))
o = r["findings_omitted"]
assert len(r["findings"]) == 1001 and o["count"] == 999000, (len(r["findings"]), o)
'

echo "1..$n"
