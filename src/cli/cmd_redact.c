/* cmd_redact.c - dossier redact: a public copy without some redactable files. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

int cmd_redact(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "withhold", required_argument, NULL, 'w' },
		{ "reason", required_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dossier_redact_options opt = { 0 };
	const char **withhold = calloc((size_t)argc, sizeof *withhold);
	struct dossier_error err;
	int c, rc = 0, quiet = 0;
	size_t n = 0;
	if (withhold == NULL)
		return fail(70, "out of memory");
	opt.withhold = withhold;
	while ((c = getopt_long(argc, argv, "o:w:r:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': opt.output = optarg; break;
		case 'w': withhold[opt.nwithhold++] = optarg; break;
		case 'r': opt.reason = optarg; break;
		case 'f': opt.force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': rc = help("redact"); goto out;
		default: rc = usage("redact"); goto out;
		}
	}
	/* "--withhold a b c": the words after the bundle are more paths to withhold */
	for (int i = optind + 1; i < argc; i++)
		withhold[opt.nwithhold++] = argv[i];
	if (opt.output == NULL || opt.nwithhold == 0 || optind >= argc) {
		rc = usage("redact");
		goto out;
	}
	if ((rc = check_reason(opt.reason)) != 0)
		goto out;
	if (dossier_bundle_redact(argv[optind], &opt, &n, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	if (!quiet)
		note("wrote %s: %zu more file%s withheld, listed in redactions.json; signatures and timestamps kept",
		    opt.output, n, n == 1 ? "" : "s");
out:
	free(withhold);
	return rc;
}
