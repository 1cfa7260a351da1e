/* cmd_certify.c - dossier certify: an authority issues a key card for a signer's key. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

int cmd_certify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "affiliation", required_argument, NULL, 'a' },
		{ "role", required_argument, NULL, 'r' },
		{ "email", required_argument, NULL, 'e' },
		{ "valid-from", required_argument, NULL, 'F' },
		{ "valid-until", required_argument, NULL, 'U' },
		{ "output", required_argument, NULL, 'o' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dossier_card_request req = { .role = "signatory" };
	const char *keyfile = NULL, *passfile = NULL, *out = NULL, *from = NULL, *until = NULL;
	int c, force = 0, quiet = 0;
	while ((c = getopt_long(argc, argv, "k:n:a:r:e:F:U:o:P:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
		case 'n': req.name = optarg; break;
		case 'a': req.affiliation = optarg; break;
		case 'r': req.role = optarg; break;
		case 'e': req.email = optarg; break;
		case 'F': from = optarg; break;
		case 'U': until = optarg; break;
		case 'o': out = optarg; break;
		case 'P': passfile = optarg; break;
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': return help("certify");
		default: return usage("certify");
		}
	}
	if (keyfile == NULL || req.name == NULL || req.affiliation == NULL || until == NULL || optind + 1 != argc)
		return usage("certify");
	req.issued = (int64_t)time(NULL);
	req.valid_from = req.issued;
	if (from != NULL && dossier_parse_time(from, 0, &req.valid_from) != 0)
		return fail(64, "--valid-from: '%s' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", from);
	if (dossier_parse_time(until, 1, &req.valid_until) != 0)
		return fail(64, "--valid-until: '%s' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", until);
	struct dossier_error err;
	struct dossier_pubkey key;
	if (dossier_pubkey_load(argv[optind], &key, &err) != DOSSIER_OK)
		return report_error(&err);
	char defname[64];
	if (out == NULL) {
		snprintf(defname, sizeof defname, "%s.card.json", key.keyid);
		out = defname;
	}
	struct dossier_seckey *auth = NULL;
	int rc = secret_key_open(keyfile, passfile, "Passphrase for the authority key: ", &auth);
	if (rc != 0)
		return rc;
	char authid[DOSSIER_KEYID_CHARS + 1];
	dossier_seckey_keyid(auth, authid);
	enum dossier_status st = dossier_certify(&key, auth, &req, out, force, &err);
	dossier_seckey_free(auth);
	if (st != DOSSIER_OK)
		return report_error(&err);
	if (req.valid_until < req.issued)
		note("dossier: warning: this card expired already (--valid-until %s)", until);
	if (!quiet)
		note("key card for %s (%s), issued by authority %s: %s and %s.minisig", key.keyid, req.name, authid, out, out);
	return 0;
}
