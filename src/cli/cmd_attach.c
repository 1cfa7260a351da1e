/* cmd_attach.c - dossier attach: add a .minisig made elsewhere, e.g. by stock minisign. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = malloc(16385);
	*len = buf ? fread(buf, 1, 16385, f) : 0;
	if (f != stdin)
		fclose(f);
	return buf;
}

int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "public-key", required_argument, NULL, 'p' },
		{ "card", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pubfile = NULL, *card = NULL;
	int c, quiet = 0;
	while ((c = getopt_long(argc, argv, "p:c:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pubfile = optarg; break;
		case 'c': card = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': return help("attach");
		default: return usage("attach");
		}
	}
	if (optind + 2 != argc)
		return usage("attach");
	struct dossier_error err;
	struct dossier_pubkey key;
	if (pubfile != NULL && dossier_pubkey_load(pubfile, &key, &err) != DOSSIER_OK)
		return report_error(&err);
	size_t len;
	char *sig = read_file(argv[optind + 1], &len);
	if (sig == NULL)
		return fail(66, "%s: cannot read the signature", argv[optind + 1]);
	if (len > 16384) {
		free(sig);
		return fail(1, "%s: too large to be a minisign signature", argv[optind + 1]);
	}
	char keyid[DOSSIER_KEYID_CHARS + 1];
	int already = 0;
	enum dossier_status st = dossier_bundle_attach(argv[optind], sig, len, pubfile ? &key : NULL, card,
	    keyid, &already, &err);
	free(sig);
	if (st != DOSSIER_OK)
		return report_error(&err);
	if (already) {
		note("dossier: %s already carries this signature by key %s; nothing to do",
		    argv[optind], keyid);
		return 0;
	}
	if (!quiet)
		note("attached signature by key %s%s%s", keyid, pubfile ? " (verified)" : " (not verified: no -p)",
		    card ? " with its key card" : "");
	return 0;
}
