/* cmd_verify.c - dossier verify: intact, signed, trusted? Exit 0, 1 or 2. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

/* One line per problem on stderr, so scripts and people see why; extract uses it too. */
void print_findings(const struct dossier_report *r)
{
	const struct dossier_finding *f;
	size_t n = r ? dossier_report_findings(r, &f) : 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].kind != DOSSIER_FINDING_NOTICE)
			print_problem(f[i].message);
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		TRUST_LONG_OPTIONS,
		{ "disclosed", required_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trust_args t = { 0 };
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_error err;
	const char **disclosed = calloc((size_t)argc, sizeof *disclosed);
	size_t ndisclosed = 0;
	int c, json = 0, quiet = 0, verbose = 0, rc = 0;
	if (disclosed == NULL)
		return fail(70, "out of memory");
	while ((c = getopt_long(argc, argv, "K:p:jqvh", opts, NULL)) != -1) {
		if ((rc = trust_option(&t, c, optarg)) == 1)
			continue;
		if (rc != 0)
			goto out;
		switch (c) {
		case 'D': disclosed[ndisclosed++] = optarg; break;
		case 'j': json = 1; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'h': rc = help("verify"); goto out;
		default: rc = usage("verify"); goto out;
		}
	}
	if (optind + 1 != argc) {
		rc = usage("verify");
		goto out;
	}
	if ((rc = trust_load(&t)) != 0)
		goto out;
	struct cli_progress progress;
	enum dossier_status st = dossier_bundle_open_progress(argv[optind], &t.lim,
	    progress_start(&progress, "verify", quiet || json), &b, &err);
	progress_stop(&progress);
	if (st != DOSSIER_OK || dossier_bundle_verify(b, t.trust, &r, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	/* files handed over after redaction, checked before the report is printed */
	for (size_t i = 0; i < ndisclosed; i++) {
		const char *matched;
		if (dossier_report_disclose(r, disclosed[i], &matched, &err) != DOSSIER_OK) {
			rc = report_error(&err);
			goto out;
		}
		if (matched != NULL && !json && !quiet) {
			fputs_safe(stdout, disclosed[i]);
			fputs(": matches withheld ", stdout);
			fputs_safe(stdout, matched);
			fputs("\n", stdout);
		}
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
	print_findings(r);
	if (fflush(stdout) != 0)
		rc = fail(74, "cannot write to stdout");
out:
	dossier_report_free(r);
	dossier_bundle_free(b);
	trust_release(&t);
	free(disclosed);
	return rc;
}
