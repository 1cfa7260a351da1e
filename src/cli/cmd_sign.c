/* cmd_sign.c - dossier sign: add a signature over tagmanifest-sha256.txt. */
#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

struct ask {
	int yes, quiet;
};

/* "y" or "yes" on stdin, in any case; anything else, or nothing, is no. */
static int answer_yes(void)
{
	char buf[16];
	if (fgets(buf, sizeof buf, stdin) == NULL)
		return 0;
	buf[strcspn(buf, "\r\n")] = '\0';
	return strcasecmp(buf, "y") == 0 || strcasecmp(buf, "yes") == 0;
}

/* Before the signature is made: the summary on stderr (the dialogue with the signer, as
   the result note is; stdout stays free), and on a terminal the question. A script (no
   terminal) or --yes signs without asking; -q drops the summary only when nothing is
   asked, since a question is not answered blind. */
static int confirm(void *ctx, const struct dossier_report *r)
{
	const struct ask *a = ctx;
	int ask = !a->yes && isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	if (!a->quiet || ask)
		print_signing_summary(stderr, r);
	if (!ask)
		return 1;
	fputs("sign this? [y/N] ", stderr);
	fflush(stderr);
	return answer_yes();
}

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "card", required_argument, NULL, 'c' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyfile = NULL, *passfile = NULL, *card = NULL;
	int c, quiet = 0, yes = 0;
	while ((c = getopt_long(argc, argv, "k:c:P:qyh", opts, NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
		case 'c': card = optarg; break;
		case 'P': passfile = optarg; break;
		case 'q': quiet = 1; break;
		case 'y': yes = 1; break;
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
	struct ask ask = { yes, quiet };
	enum dossier_status st = dossier_bundle_sign_confirm(bundle, key, card, confirm, &ask, &already,
	    keyid, &err);
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
