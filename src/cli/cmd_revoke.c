/* cmd_revoke.c - dossier revoke: an authority adds keys to its signed revocation list. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cmd_revoke(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "reason", required_argument, NULL, 'r' },
		{ "date", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL, *passfile = NULL, *out = NULL, *reason = NULL, *date = NULL;
	int c, quiet = 0;
	while ((c = getopt_long(argc, argv, "k:r:d:o:P:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
		case 'r': reason = optarg; break;
		case 'd': date = optarg; break;
		case 'o': out = optarg; break;
		case 'P': passfile = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': return help("revoke");
		default: return usage("revoke");
		}
	}
	if (keyfile == NULL || optind >= argc)
		return usage("revoke");
	int64_t at = (int64_t)time(NULL);
	if (date != NULL && dossier_parse_time(date, 0, &at) != 0)
		return fail(64, "--date: '%s' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)", date);
	/* each argument is a key id, or a public key file naming one */
	size_t n = (size_t)(argc - optind);
	char (*ids)[DOSSIER_KEYID_CHARS + 1] = calloc(n, sizeof *ids);
	const char **list = calloc(n, sizeof *list);
	int rc = 0;
	if (ids == NULL || list == NULL) {
		rc = fail(70, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *arg = argv[optind + (int)i];
		struct dossier_pubkey key;
		struct dossier_error err;
		if (strlen(arg) == DOSSIER_KEYID_CHARS && strspn(arg, "0123456789ABCDEF") == DOSSIER_KEYID_CHARS)
			snprintf(ids[i], sizeof ids[i], "%s", arg);
		else if (dossier_pubkey_load(arg, &key, &err) == DOSSIER_OK)
			snprintf(ids[i], sizeof ids[i], "%s", key.keyid);
		else {
			rc = fail(64, "%s: neither a key id (16 uppercase hex digits) nor a public key file", arg);
			goto out;
		}
		list[i] = ids[i];
	}
	struct dossier_seckey *auth = NULL;
	if ((rc = secret_key_open(keyfile, passfile, "Passphrase for the authority key: ", &auth)) != 0)
		goto out;
	char authid[DOSSIER_KEYID_CHARS + 1], defname[64];
	dossier_seckey_keyid(auth, authid);
	if (out == NULL) {
		snprintf(defname, sizeof defname, "revoked-%s.json", authid);
		out = defname;
	}
	struct dossier_error err;
	size_t already = 0;
	enum dossier_status st = dossier_revoke(out, auth, list, n, at, reason, &already, &err);
	dossier_seckey_free(auth);
	if (st != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	if (!quiet)
		note("revocation list %s (authority %s): %zu key(s) added%s; put it in each verifier's keyring with "
		     "'dossier keyring add %s'",
		    out, authid, n - already, already ? ", the others were revoked already" : "", out);
out:
	free(ids);
	free(list);
	return rc;
}
