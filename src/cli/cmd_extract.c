/* cmd_extract.c - dossier extract: verify, then write the bag under DIR and nowhere else. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int cmd_extract(int argc, char **argv)
{
	static const struct option opts[] = {
		TRUST_LONG_OPTIONS,
		{ "directory", required_argument, NULL, 'd' },
		{ "allow-untrusted", no_argument, NULL, 'U' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trust_args t = { 0 };
	struct dossier_extract_options opt = { 0 };
	struct dossier_report *r = NULL;
	struct dossier_error err;
	const char *dir = NULL;
	int c, quiet = 0, rc = 0;
	while ((c = getopt_long(argc, argv, "d:K:p:Uqh", opts, NULL)) != -1) {
		if ((rc = trust_option(&t, c, optarg)) == 1)
			continue;
		if (rc != 0)
			goto out;
		switch (c) {
		case 'd': dir = optarg; break;
		case 'U': opt.allow_untrusted = 1; break;
		case 'q': quiet = 1; break;
		case 'h': rc = help("extract"); goto out;
		default: rc = usage("extract"); goto out;
		}
	}
	if (dir == NULL || optind + 1 != argc) {
		rc = usage("extract");
		goto out;
	}
	if ((rc = trust_load(&t)) != 0)
		goto out;
	struct extract_guard guard;
	if (extract_guard_fork(&guard, dir, &rc) == 0)
		goto out; /* the child extracted, and said so */
	opt.trust = t.trust;
	opt.limits = &t.lim;
	opt.staged = extract_guard_staged;
	opt.staged_ctx = &guard;
	struct cli_progress progress;
	opt.progress = progress_start(&progress, "extract", quiet);
	enum dossier_status st = dossier_bundle_extract(argv[optind], dir, &opt, &r, &err);
	extract_guard_done(&guard);
	progress_stop(&progress);
	if (st != DOSSIER_OK) {
		/* every reason, as verify gives them, then the one-line refusal */
		print_findings(NULL, r, 0);
		rc = report_error(&err);
	} else if (!quiet) {
		note("extracted %s/%s (%s)", dir, dossier_report_bundle_name(r),
		    dossier_report_verdict(r) == DOSSIER_OK ? "verified" : "intact, signer not trusted");
	}
out:
	dossier_report_free(r);
	trust_release(&t);
	return rc;
}
