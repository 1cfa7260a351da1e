/* cmd_manifest.c - dossier manifest: print the exact bytes that signers sign. */
#include "cli.h"

int cmd_manifest(int argc, char **argv)
{
	if (argc == 2 && is_help(argv[1]))
		return help("manifest");
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0'))
		return usage("manifest");
	struct dossier_error err;
	struct dossier_bundle *b;
	if (dossier_bundle_open(argv[1], &b, &err) != DOSSIER_OK)
		return report_error(&err);
	size_t len;
	const char *text = dossier_bundle_tagmanifest(b, &len);
	int rc = 0;
	if (text == NULL)
		rc = fail(1, "%s: no tagmanifest-sha256.txt in the bundle", argv[1]);
	else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		rc = fail(74, "cannot write to stdout");
	dossier_bundle_free(b);
	return rc;
}
