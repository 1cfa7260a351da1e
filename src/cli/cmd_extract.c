/* cmd_extract.c - dossier extract: verify, then write the bag under DIR and nowhere else. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int cmd_extract(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "directory", required_argument, NULL, 'd' },
		{ "keyring", required_argument, NULL, 'K' },
		{ "public-key", required_argument, NULL, 'p' },
		{ "allow-untrusted", no_argument, NULL, 'U' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-bytes", required_argument, NULL, 'B' },
		{ "max-entries", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *keyring = NULL;
	char **pubs = calloc((size_t)argc, sizeof *pubs);
	size_t npubs = 0;
	int c, quiet = 0, rc;
	struct dossier_extract_options opt = { 0 };
	struct dossier_limits lim = { 0, 0 };
	if (pubs == NULL)
		return fail(70, "out of memory");
	while ((c = getopt_long(argc, argv, "d:K:p:Uqh", opts, NULL)) != -1) {
		if ((rc = limit_option(c, optarg, &lim)) != 0) {
			if (rc == 1)
				continue;
			free(pubs);
			return rc;
		}
		switch (c) {
		case 'd': dir = optarg; break;
		case 'K': keyring = optarg; break;
		case 'p': pubs[npubs++] = optarg; break;
		case 'U': opt.allow_untrusted = 1; break;
		case 'q': quiet = 1; break;
		case 'h': free(pubs); return help("extract");
		default: free(pubs); return usage("extract");
		}
	}
	if (dir == NULL || optind + 1 != argc) {
		free(pubs);
		return usage("extract");
	}
	struct dossier_keyset *keys = dossier_keyset_new();
	struct dossier_report *r = NULL;
	struct dossier_error err;
	if (keys == NULL) {
		free(pubs);
		return fail(70, "out of memory");
	}
	if ((rc = load_keys(keys, pubs, npubs, keyring)) == 0) {
		opt.keys = keys;
		opt.limits = &lim;
		if (dossier_bundle_extract(argv[optind], dir, &opt, &r, &err) != DOSSIER_OK) {
			/* every reason, as verify gives them, then the one-line refusal */
			const struct dossier_finding *f;
			size_t n = r ? dossier_report_findings(r, &f) : 0;
			for (size_t i = 0; i < n; i++)
				if (f[i].kind != DOSSIER_FINDING_NOTICE)
					print_problem(f[i].message);
			rc = report_error(&err);
		}
		else if (!quiet)
			note("extracted %s/%s (%s)", dir, dossier_report_bundle_name(r),
			    dossier_report_verdict(r) == DOSSIER_OK ? "verified" : "intact, signer not trusted");
	}
	dossier_report_free(r);
	dossier_keyset_free(keys);
	free(pubs);
	return rc;
}
