# test_limits.sh - a hostile bundle meets a limit and gets a clean error, in constant memory:
# total uncompressed bytes (compression bombs), entry count, manifest line length.
. "$(dirname "$0")/lib.sh"
"$DOSSIER" keygen -W -o k >/dev/null

# A zstd bomb: 300 MB of zeros that compress to a few kB.
mkdir bomb
head -c 300000000 /dev/zero >bomb/zeros.bin
"$DOSSIER" pack bomb -o bomb.tar.zst 2>/dev/null
rm -rf bomb
size=$(wc -c <bomb.tar.zst)
if [ "$size" -lt 200000 ]; then ok "the bomb is small on disk ($size bytes)"; else not_ok "the bomb is small on disk" "$size bytes"; fi
expect 1 "verify stops at --max-bytes" -- "$DOSSIER" verify bomb.tar.zst --max-bytes 100M
has err "more than 104857600 bytes uncompressed \(raise the limit with --max-bytes\)" "... naming the limit and the flag"
expect 1 "extract stops at --max-bytes too" -- "$DOSSIER" extract bomb.tar.zst -d target --max-bytes 100M --allow-untrusted
absent target "... leaving nothing behind"
expect 2 "with the limit raised it reads to the end (unsigned: 2)" -- "$DOSSIER" verify bomb.tar.zst --max-bytes 1G
if command -v /usr/bin/time >/dev/null 2>&1; then
	# the binary itself, also when make valgrind wraps it (valgrind has its own footprint)
	/usr/bin/time -f %M "${DOSSIER_REAL:-$DOSSIER}" verify -q bomb.tar.zst --max-bytes 100M 2>rss.txt >/dev/null
	rss=$(tail -1 rss.txt)
	if [ "$rss" -lt 65536 ]; then ok "peak memory stays under 64 MiB ($rss KiB)"; else not_ok "peak memory stays under 64 MiB" "$rss KiB"; fi
else
	skip "peak memory of the bomb" "/usr/bin/time not installed"
fi

# Many entries.
mkdir many
i=0
while [ $i -lt 300 ]; do echo $i >many/f$i; i=$((i + 1)); done
"$DOSSIER" pack many -o many.tar 2>/dev/null
expect 1 "verify stops at --max-entries" -- "$DOSSIER" verify many.tar --max-entries 100
has err "more than 100 entries \(raise the limit with --max-entries\)" "... naming the limit and the flag"
expect 2 "300 entries pass the default limit" -- "$DOSSIER" verify many.tar
expect 64 "a malformed --max-bytes is a usage error" -- "$DOSSIER" verify many.tar --max-bytes 12X
has err "--max-bytes: '12X' is not a positive size" "... saying why"
expect 64 "a zero --max-entries is a usage error" -- "$DOSSIER" show many.tar --max-entries 0

# A manifest line longer than 4096 bytes is refused, not buffered without end.
make_sample s.tar >/dev/null 2>&1
mkdir x && tar xf s.tar -C x
long=$(head -c 5000 /dev/zero | tr '\0' a)
printf '%064d  data/%s\n' 0 "$long" >>x/open-letter-2020-10-16/manifest-sha256.txt
expect 1 "a manifest line over 4096 bytes is refused" -- "$DOSSIER" verify x/open-letter-2020-10-16 -p alice.pub
has err "manifest-sha256.txt: line 3: longer than 4096 bytes" "... naming the file and the line"
