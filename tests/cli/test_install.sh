# test_install.sh - make install puts the binary, library, header and pkg-config file
# under PREFIX, and a program built against them links and runs.
. "$(dirname "$0")/lib.sh"
build=$(dirname "${DOSSIER_REAL:-$DOSSIER}")
if make -s -C "$TOP" BUILD="$build" install PREFIX="$T/inst" >install.log 2>&1; then ok "make install PREFIX=..."
else not_ok "make install PREFIX=..." "$(tail -5 install.log)"; fi
for f in bin/dossier lib/libdossier.a lib/libdossier.so lib/libdossier.so.0 include/dossier.h lib/pkgconfig/dossier.pc; do
	if [ -e "inst/$f" ]; then ok "installs $f"; else not_ok "installs $f"; fi
done
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
