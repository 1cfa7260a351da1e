# test_mutations.sh - a generator test for one archive, one reading (issue 15): thousands of
# deterministic mutations of a small signed bundle, tar and zip (helpers/mutate.py). Whenever
# dossier verify calls a mutant VALID, dossier extract, GNU tar, bsdtar (from a file and from
# a pipe) and tarfile, or unzip, zipfile and bsdtar, all extract the tree the unmutated
# bundle gives. A mutant they disagree on is named and kept under build/mutants-failed/.
# Under valgrind (DOSSIER_TEST_SKIP_SLOW) only the first 25 mutants of each kind.
. "$(dirname "$0")/lib.sh"
for tool in bsdtar unzip; do
	command -v $tool >/dev/null || { skip "mutations" "$tool is not installed (scripts/ensure-deps test)"; exit 0; }
done
MUTATE="$TOP/tests/cli/helpers/mutate.py"
KEEP=${DOSSIER_MUTANTS_KEEP:-$TOP/build/mutants-failed}
"$DOSSIER" keygen -W -o alice --name "Ann Example" >/dev/null
mkdir -p small/annex
echo "a short letter" >small/letter.txt
echo "an annex" >small/annex/one.txt
for ext in tar zip; do
	"$DOSSIER" pack small -o "small.$ext" 2>/dev/null && "$DOSSIER" sign "small.$ext" -k alice.key 2>/dev/null ||
		not_ok "make small.$ext"
done

# mutations KIND COUNT: run mutate.py over small.KIND and report it as TAP
mutations() {
	rm -rf "${KEEP:?}/$1"
	"$PYTHON" "$MUTATE" --dossier "$DOSSIER" --pub alice.pub --bundle "small.$1" --count "$2" \
		--seed 15 --work "work.$1" --keep "$KEEP/$1" >"mut.$1" 2>&1
	rc=$?
	summary=$(tail -n 1 "mut.$1")
	case $summary in
	"mutants "*) ;;
	*) not_ok "$1 mutants: the generator runs" "exit $rc" "$(tail -n 5 "mut.$1")"; return ;;
	esac
	set -- "$1" $summary  # KIND mutants N valid V refused R failed F
	if [ "$rc" = 0 ]; then ok "$3 $1 mutants ($5 verified VALID, $7 refused): every reader agrees"
	else
		not_ok "$3 $1 mutants ($5 verified VALID, $7 refused): every reader agrees" \
			"$9 disagreement(s), kept in $KEEP/$1; the first:"
		grep '^FAIL' "mut.$1" | head -n 25 | cut -c1-400 | sed 's/^/#     /'
	fi
	# the mutations are not vacuous: verify refuses many of them
	if [ "$7" -ge $(($3 / 4)) ]; then ok "... verify refuses $7 of them"
	else not_ok "... verify refuses $7 of them" "wanted at least a quarter"; fi
}

if [ -n "${DOSSIER_TEST_SKIP_SLOW:-}" ]; then
	mutations tar 25
	mutations zip 25
	skip "the full run of 1200 tar and 800 zip mutants" "DOSSIER_TEST_SKIP_SLOW"
else
	mutations tar 1200
	mutations zip 800
fi
echo "1..$n"
