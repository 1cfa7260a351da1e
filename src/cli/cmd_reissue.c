/* cmd_reissue.c - dossier reissue: a new version that carries the old one as history. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_reissue(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "spec", required_argument, NULL, 's' },
		{ "reason", required_argument, NULL, 'r' },
		{ "public-key", required_argument, NULL, 'p' },
		{ "card", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dossier_reissue_options opt = { .epoch = -1 };
	struct dossier_keyset *signers = dossier_keyset_new();
	const char **cards = calloc((size_t)argc, sizeof *cards);
	struct dossier_error err;
	int c, rc = 0, quiet = 0;
	if (signers == NULL || cards == NULL) {
		rc = fail(70, "out of memory");
		goto out;
	}
	opt.cards = cards;
	while ((c = getopt_long(argc, argv, "o:s:r:p:c:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': opt.output = optarg; break;
		case 's': opt.spec = optarg; break;
		case 'r': opt.reason = optarg; break;
		case 'c': cards[opt.ncards++] = optarg; break;
		case 'f': opt.force = 1; break;
		case 'p':
			if (dossier_keyset_add_file(signers, optarg, &err) != DOSSIER_OK) {
				rc = report_error(&err);
				goto out;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': rc = help("reissue"); goto out;
		default: rc = usage("reissue"); goto out;
		}
	}
	if (opt.output == NULL || optind + 1 != argc) {
		rc = usage("reissue");
		goto out;
	}
	if ((rc = check_reason(opt.reason)) != 0)
		goto out;
	if (dossier_keyset_count(signers) > 0 && opt.spec == NULL) {
		rc = fail(64, "-p binds keys to a new spec's signatories; without --spec the old bindings are kept");
		goto out;
	}
	if ((rc = source_date_epoch(&opt.epoch)) != 0)
		goto out;
	opt.signers = dossier_keyset_count(signers) ? signers : NULL;
	char id[37];
	if (dossier_reissue(argv[optind], &opt, id, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	if (!quiet)
		note("re-issued %s as %s (id %s); it is unsigned: each signer signs the new version", argv[optind], opt.output,
		    id);
out:
	dossier_keyset_free(signers);
	free(cards);
	return rc;
}
