/* cmd_show.c - dossier show: what is inside and who signed, without needing keys. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-bytes", required_argument, NULL, 'B' },
		{ "max-entries", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, rc = 0;
	struct trust_args t = { 0 }; /* only the limits: show trusts no key */
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if ((rc = trust_option(&t, c, optarg)) == 1) {
			rc = 0;
			continue;
		}
		if (rc != 0)
			return rc;
		switch (c) {
		case 'j': json = 1; break;
		case 'h': return help("show");
		default: return usage("show");
		}
	}
	if (optind + 1 != argc)
		return usage("show");
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_error err;
	if (dossier_bundle_open_limited(argv[optind], &t.lim, &b, &err) != DOSSIER_OK ||
	    dossier_bundle_verify(b, NULL, &r, &err) != DOSSIER_OK) {
		rc = report_error(&err);
	} else if (json) {
		char *text;
		if (dossier_report_json(r, &text, &err) != DOSSIER_OK) {
			rc = report_error(&err);
		} else {
			fputs(text, stdout);
			free(text);
		}
	} else {
		print_show(stdout, r);
	}
	/* show needs no keys, but it does not call a damaged bundle fine */
	if (rc == 0 && r != NULL && dossier_report_verdict(r) == DOSSIER_INVALID)
		rc = 1;
	dossier_report_free(r);
	dossier_bundle_free(b);
	return rc;
}
