/* cmd_keygen.c - dossier keygen: a minisign key pair, encrypted unless -W. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "passphrase-file", required_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *name = NULL, *passfile = NULL;
	int unencrypted = 0, force = 0, c;
	while ((c = getopt_long(argc, argv, "o:n:WfP:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n': name = optarg; break;
		case 'W': unencrypted = 1; break;
		case 'P': passfile = optarg; break;
		case 'f': force = 1; break;
		case 'h': return help("keygen");
		default: return usage("keygen");
		}
	}
	if (out == NULL || optind != argc)
		return usage("keygen");
	if (unencrypted && passfile != NULL)
		return fail(64, "-W and --passphrase-file contradict each other");
	char *pass = NULL;
	if (!unencrypted) {
		int code = 64;
		pass = passphrase_get(passfile, "Passphrase for the new secret key: ", 1, &code);
		if (pass == NULL)
			return code;
		if (pass[0] == '\0') {
			passphrase_free(pass);
			return fail(64, "empty passphrase; use -W for a key without one");
		}
	}
	struct dossier_error err;
	char keyid[DOSSIER_KEYID_CHARS + 1];
	enum dossier_status st = dossier_keygen(out, name, pass, force, keyid, &err);
	passphrase_free(pass);
	if (st != DOSSIER_OK)
		return report_error(&err);
	printf("key %s: secret key %s.key (keep it private), public key %s.pub\n", keyid, out, out);
	return 0;
}
