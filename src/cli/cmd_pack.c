/* cmd_pack.c - dossier pack: a bundle from a spec file or a plain directory. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A broken spec or a missing source file: the message points to the spec's rules. */
static int pack_error(const struct dossier_error *err, const char *input)
{
	size_t n = strlen(input);
	int about_spec = strncmp(err->message, input, n) == 0 && err->message[n] == ':';
	if (err->code == DOSSIER_INVALID && about_spec && !is_dir(input))
		return report_error_hint(err, "see 'dossier help spec'");
	if (err->code == DOSSIER_NOINPUT && !about_spec && !is_dir(input))
		return report_error_hint(err, "a file's \"source\" is relative to the spec's directory");
	return report_error(err);
}

int cmd_pack(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "public-key", required_argument, NULL, 'p' },
		{ "card", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "capture", no_argument, NULL, 'C' },
		CAPTURE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct dossier_pack_options opt = { .epoch = -1 };
	struct dossier_keyset *signers = dossier_keyset_new();
	struct dossier_error err;
	struct capture_args ca = { 0 };
	int c, rc = 0, quiet = 0, capture = 0;
	const char **cards = calloc((size_t)argc, sizeof *cards);
	if (signers == NULL || cards == NULL) {
		dossier_keyset_free(signers);
		free(cards);
		return fail(70, "out of memory");
	}
	opt.cards = cards;
	while ((c = getopt_long(argc, argv, "o:p:c:fqh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_TIMEOUT: case OPT_MAX_SIZE: case OPT_RESOLVE: case OPT_CACERT: case OPT_CONNECT_TO:
			if ((rc = capture_option(&ca, c, optarg, argc)) != 0)
				goto out;
			break;
		case 'C': capture = 1; break;
		case 'o': opt.output = optarg; break;
		case 'c': cards[opt.ncards++] = optarg; break;
		case 'p':
			if (dossier_keyset_add_file(signers, optarg, &err) != DOSSIER_OK) {
				rc = report_error(&err);
				goto out;
			}
			break;
		case 'f': opt.force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': rc = help("pack"); goto out;
		default: rc = usage("pack"); goto out;
		}
	}
	if (opt.output == NULL || optind + 1 != argc) {
		rc = usage("pack");
		goto out;
	}
	if (!capture && (ca.opt.timeout || ca.opt.max_size || ca.opt.nresolve || ca.opt.nconnect_to || ca.opt.cacert)) {
		rc = fail(64, "--timeout, --max-size, --resolve, --connect-to and --cacert go with --capture");
		goto out;
	}
	if ((rc = source_date_epoch(&opt.epoch)) != 0)
		goto out;
	opt.signers = dossier_keyset_count(signers) ? signers : NULL;
	opt.capture = capture ? &ca.opt : NULL;
	struct cli_progress progress;
	opt.progress = progress_start(&progress, "pack", quiet);
	enum dossier_status st = dossier_pack(argv[optind], &opt, &err);
	progress_stop(&progress);
	if (st != DOSSIER_OK)
		rc = pack_error(&err, argv[optind]);
	else if (!quiet && strcmp(opt.output, "-") != 0)
		note("packed %s", opt.output);
out:
	capture_args_release(&ca);
	dossier_keyset_free(signers);
	free(cards);
	return rc;
}
