# test_usage.sh - usage errors exit 64 with the command's usage line, for every subcommand;
# a path that cannot be opened exits 66; --help exits 0.
. "$(dirname "$0")/lib.sh"
make_sample s.tar || not_ok "make the sample"
cp s.tar s0.tar

# usage LABEL CMD ARGS...: exit 64 and "usage: dossier CMD" on stderr, nothing on stdout.
usage() {
	label=$1 cmd=$2; shift 2
	expect 64 "$cmd $label: exit 64" -- "$DOSSIER" "$cmd" "$@"
	has err "^usage: dossier $cmd " "$cmd $label: prints its usage line"
	[ ! -s out ] && ok "$cmd $label: nothing on stdout" || not_ok "$cmd $label: nothing on stdout" "$(head -c 200 out)"
}
usage "without arguments" keygen
usage "without -o" keygen --name x -W
usage "with an extra argument" keygen -W -o k extra
usage "with an unknown option" keygen -W -o k --bogus
usage "without arguments" pack
usage "without -o" pack "$SPEC"
usage "without input" pack -o b.tar
usage "with two inputs" pack "$SPEC" "$SPEC" -o b.tar
usage "with an unknown option" pack "$SPEC" -o b.tar --bogus
usage "without arguments" sign
usage "without -k" sign s.tar
usage "without bundle" sign -k alice.key
usage "with an unknown option" sign s.tar -k alice.key --bogus
usage "without arguments" manifest
usage "with two bundles" manifest s.tar s.tar
usage "with an unknown option" manifest --bogus s.tar
usage "without arguments" attach
usage "without signature" attach s.tar
usage "with three arguments" attach s.tar a.minisig b.minisig
usage "with an unknown option" attach --bogus s.tar a.minisig
usage "without arguments" verify
usage "with two bundles and --json" verify s.tar s.tar --json
usage "with two bundles and --html" verify s.tar s.tar --html r.html
usage "with an unknown option" verify --bogus s.tar
usage "with -p but no key" verify s.tar -p
usage "without arguments" extract
usage "without -d" extract s.tar
usage "without bundle" extract -d dest
usage "with an unknown option" extract s.tar -d dest --bogus
usage "without arguments" show
usage "with two bundles" show s.tar s.tar
usage "with an unknown option" show --bogus s.tar
absent k.key "no key was written by a usage error"
absent b.tar "no bundle was written by a usage error"
absent dest "no directory was made by a usage error"
same s0.tar s.tar "the bundle was not touched by a usage error"

expect 64 "no command: exit 64" -- "$DOSSIER"
has err "usage: dossier COMMAND" "... prints the overview"
expect 64 "unknown command: exit 64" -- "$DOSSIER" frobnicate
has err "unknown command 'frobnicate'" "... naming it"
for cmd in keygen pack sign manifest attach verify extract show; do
	expect 0 "$cmd --help: exit 0" -- "$DOSSIER" "$cmd" --help
	has out "^usage: dossier $cmd" "$cmd --help prints the usage on stdout"
done
expect 0 "--version: exit 0" -- "$DOSSIER" --version
has out "^dossier [0-9]" "... prints the version"

# Paths that cannot be opened: 66, naming the path.
for cmd in verify show manifest; do
	expect 66 "$cmd of a nonexistent bundle: exit 66" -- "$DOSSIER" $cmd nope.tar
	has err "nope.tar" "... naming it"
done
expect 66 "sign of a nonexistent bundle: exit 66" -- "$DOSSIER" sign nope.tar -k alice.key
has err "nope.tar" "... naming it"
unpack s.tar t && cp "t/$NAME/signatures/$(keyid alice.pub).minisig" a.minisig
expect 66 "attach to a nonexistent bundle: exit 66" -- "$DOSSIER" attach nope.tar a.minisig
has err "nope.tar" "... naming it"
expect 66 "extract of a nonexistent bundle: exit 66" -- "$DOSSIER" extract nope.tar -d dest
has err "nope.tar" "... naming it"
empty_or_absent dest "... and leaves no directory behind"
expect 66 "verify with a nonexistent -K keyring: exit 66" -- "$DOSSIER" verify s.tar -K nope-ring
has err "nope-ring" "... naming it"
