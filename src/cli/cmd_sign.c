/* cmd_sign.c - dossier sign: add a signature over tagmanifest-sha256.txt. */
#include <getopt.h>

#include "cli.h"

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "card", required_argument, NULL, 'c' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL, *passfile = NULL, *card = NULL;
	int c, quiet = 0;
	while ((c = getopt_long(argc, argv, "k:c:P:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
		case 'c': card = optarg; break;
		case 'P': passfile = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': return help("sign");
		default: return usage("sign");
		}
	}
	if (keyfile == NULL || optind + 1 != argc)
		return usage("sign");
	const char *bundle = argv[optind];
	struct dossier_error err;
	struct dossier_seckey *key = NULL;
	int rc = secret_key_open(keyfile, passfile, "Passphrase for the secret key: ", &key);
	if (rc != 0)
		return rc;
	char keyid[DOSSIER_KEYID_CHARS + 1];
	int already = 0;
	enum dossier_status st = dossier_bundle_sign(bundle, key, card, &already, keyid, &err);
	dossier_seckey_free(key);
	if (st != DOSSIER_OK)
		return report_error(&err);
	if (already)
		note("dossier: %s is already signed by key %s%s; nothing to do", bundle, keyid,
		    card ? " and carries this card" : "");
	else if (!quiet)
		note("signed %s with key %s%s", bundle, keyid, card ? " (key card added)" : "");
	return 0;
}
