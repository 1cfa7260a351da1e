/* cmd_sign.c - dossier sign: add a signature over tagmanifest-sha256.txt. */
#include <getopt.h>

#include "cli.h"

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL, *passfile = NULL;
	int c, quiet = 0;
	while ((c = getopt_long(argc, argv, "k:P:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
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
	if (dossier_seckey_load(keyfile, &key, &err) != DOSSIER_OK)
		return report_error(&err);
	char *pass = NULL;
	int code = 64;
	if (dossier_seckey_encrypted(key) &&
	    (pass = passphrase_get(passfile, "Passphrase for the secret key: ", 0, &code)) == NULL) {
		dossier_seckey_free(key);
		return code;
	}
	enum dossier_status st = dossier_seckey_unlock(key, pass, &err);
	passphrase_free(pass);
	char keyid[DOSSIER_KEYID_CHARS + 1];
	int already = 0;
	if (st == DOSSIER_OK)
		st = dossier_bundle_sign(bundle, key, &already, keyid, &err);
	dossier_seckey_free(key);
	if (st != DOSSIER_OK)
		return report_error(&err);
	if (already)
		note("dossier: %s is already signed by key %s; nothing to do", bundle, keyid);
	else if (!quiet)
		note("signed %s with key %s", bundle, keyid);
	return 0;
}
