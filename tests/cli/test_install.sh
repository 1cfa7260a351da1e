# test_install.sh - make install puts the binary, library, header, pkg-config file, man pages
# and bash completion under PREFIX (and DESTDIR), and a program built against them links and runs.
. "$(dirname "$0")/lib.sh"
build=$(dirname "${DOSSIER_REAL:-$DOSSIER}")
if make -s -C "$TOP" BUILD="$build" install PREFIX="$T/inst" >install.log 2>&1; then ok "make install PREFIX=..."
else not_ok "make install PREFIX=..." "$(tail -5 install.log)"; fi
pages="dossier.1"
for c in $("$DOSSIER" help --commands); do pages="$pages dossier-$c.1"; done
files="bin/dossier lib/libdossier.a lib/libdossier.so lib/libdossier.so.0 include/dossier.h lib/pkgconfig/dossier.pc
share/bash-completion/completions/dossier"
for p in $pages; do files="$files share/man/man1/$p"; done
for f in $files; do
	if [ -e "inst/$f" ]; then ok "installs $f"; else not_ok "installs $f"; fi
done
# DESTDIR: everything under it, the paths inside (pkg-config) still say PREFIX
if make -s -C "$TOP" BUILD="$build" install DESTDIR="$T/stage" PREFIX=/opt/dossier >install2.log 2>&1; then ok "make install DESTDIR=... PREFIX=/opt/dossier"
else not_ok "make install DESTDIR=... PREFIX=/opt/dossier" "$(tail -5 install2.log)"; fi
for f in $files; do
	if [ -e "stage/opt/dossier/$f" ]; then ok "DESTDIR: installs $f"; else not_ok "DESTDIR: installs $f"; fi
done
has stage/opt/dossier/lib/pkgconfig/dossier.pc "^prefix=/opt/dossier$" "DESTDIR: dossier.pc names PREFIX, not DESTDIR"
if command -v man >/dev/null 2>&1; then
	for p in $pages; do
		MANWIDTH=80 man --warnings -l "stage/opt/dossier/share/man/man1/$p" >man.out 2>man.err
		if [ -s man.err ] || ! grep -q "^NAME" man.out; then not_ok "man -l renders the installed $p" "$(head -3 man.err)"
		else ok "man -l renders the installed $p"; fi
	done
else
	skip "man -l renders the installed pages" "no man"
fi
if command -v bash >/dev/null 2>&1; then
	bash -c '. "$1"; complete -p dossier; COMP_WORDS=(dossier ve); COMP_CWORD=1; _dossier; echo "reply: ${COMPREPLY[*]}"' \
		sh stage/opt/dossier/share/bash-completion/completions/dossier >comp.out 2>&1
	has comp.out "^complete -F _dossier dossier$" "the installed completion sources in bash"
	has comp.out "^reply: verify$" "... and completes dossier ve<TAB> to verify"
else
	skip "the installed completion sources in bash" "no bash"
fi
case "$build:${ASAN_OPTIONS:-}" in *asan*|*:?*)
	# an ASan-built library cannot be loaded into a program built without ASan
	skip "link a program against the installed library" "sanitizer build"
	exit 0 ;;
esac
cat >prog.c <<'C'
#include <dossier.h>
#include <stdio.h>
int main(void)
{
	struct dossier_error err;
	struct dossier_pubkey key;
	if (dossier_init() != 0)
		return 1;
	/* a missing key file must come back as DOSSIER_NOINPUT with the path in the message */
	if (dossier_pubkey_load("missing.pub", &key, &err) != DOSSIER_NOINPUT)
		return 2;
	printf("%s|%s\n", DOSSIER_VERSION, err.message);
	return 0;
}
C
export PKG_CONFIG_PATH="$T/inst/lib/pkgconfig"
if cc prog.c $(pkg-config --cflags --libs dossier) -o prog 2>cc.log; then ok "a program compiles against the installed header and pkg-config file"
else not_ok "a program compiles against the installed header and pkg-config file" "$(cat cc.log)"; fi
LD_LIBRARY_PATH="$T/inst/lib" ./prog >prog.out 2>&1
has prog.out "missing.pub: No such file" "the installed shared library runs and reports errors with the entry"
expect 0 "installed dossier runs" -- "$T/inst/bin/dossier" --version
has out "^dossier [0-9]+\.[0-9]+\.[0-9]+" "--version prints the version"
