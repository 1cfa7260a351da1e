/* cmd_verify.c - dossier verify: intact, signed, trusted? Exit 0, 1 or 2. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keyring", required_argument, NULL, 'K' },
		{ "public-key", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "max-bytes", required_argument, NULL, 'B' },
		{ "max-entries", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keyring = NULL;
	char **pubs = calloc((size_t)argc, sizeof *pubs);
	size_t npubs = 0;
	int c, json = 0, quiet = 0, verbose = 0, rc;
	struct dossier_limits lim = { 0, 0 };
	if (pubs == NULL)
		return fail(70, "out of memory");
	while ((c = getopt_long(argc, argv, "K:p:jqvh", opts, NULL)) != -1) {
		if ((rc = limit_option(c, optarg, &lim)) != 0) {
			if (rc == 1)
				continue;
			free(pubs);
			return rc;
		}
		switch (c) {
		case 'K': keyring = optarg; break;
		case 'p': pubs[npubs++] = optarg; break;
		case 'j': json = 1; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': free(pubs); return help("verify");
		default: free(pubs); return usage("verify");
		}
	}
	if (optind + 1 != argc) {
		free(pubs);
		return usage("verify");
	}
	struct dossier_keyset *keys = dossier_keyset_new();
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_error err;
	if (keys == NULL) {
		rc = fail(70, "out of memory");
		goto out;
	}
	if ((rc = load_keys(keys, pubs, npubs, keyring)) != 0)
		goto out;
	if (dossier_bundle_open_limited(argv[optind], &lim, &b, &err) != DOSSIER_OK ||
	    dossier_bundle_verify(b, keys, &r, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	rc = (int)dossier_report_verdict(r);
	if (json) {
		char *text;
		if (dossier_report_json(r, &text, &err) != DOSSIER_OK) {
			rc = report_error(&err);
			goto out;
		}
		fputs(text, stdout);
		free(text);
	} else if (!quiet) {
		print_report(stdout, r, verbose);
	}
	/* One line per problem on stderr, so scripts and people see why. */
	const struct dossier_finding *f;
	size_t n = dossier_report_findings(r, &f);
	for (size_t i = 0; i < n; i++)
		if (f[i].kind != DOSSIER_FINDING_NOTICE)
			print_problem(f[i].message);
	if (fflush(stdout) != 0)
		rc = fail(74, "cannot write to stdout");
out:
	dossier_report_free(r);
	dossier_bundle_free(b);
	dossier_keyset_free(keys);
	free(pubs);
	return rc;
}
