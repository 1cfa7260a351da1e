/* cmd_timestamp.c - dossier timestamp: RFC 3161 tokens from one or more TSAs, or tokens
   obtained elsewhere, added to a bundle after they check out. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_timestamp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tsa", required_argument, NULL, 't' },
		{ "token", required_argument, NULL, 'T' },
		{ "tsa-ca", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "keyring", required_argument, NULL, 'K' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dossier_timestamp_options opt = { 0 };
	struct trust_args t = { 0 };
	const char **urls = calloc((size_t)argc, sizeof *urls), **tokens = calloc((size_t)argc, sizeof *tokens);
	const char **cas = calloc((size_t)argc, sizeof *cas);
	struct dossier_stamp *stamps = NULL;
	struct dossier_error err;
	size_t ncas = 0;
	int c, quiet = 0, rc = 0;
	if (urls == NULL || tokens == NULL || cas == NULL) {
		rc = fail(70, "out of memory");
		goto out;
	}
	while ((c = getopt_long(argc, argv, "t:T:C:w:K:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': urls[opt.ntsa_urls++] = optarg; break;
		case 'T': tokens[opt.ntokens++] = optarg; break;
		case 'C': cas[ncas++] = optarg; break;
		case 'K': t.keyring = optarg; break;
		case 'q': quiet = 1; break;
		case 'w': {
			long long v = parse_size(optarg);
			if (v <= 0 || v > 3600) {
				rc = fail(64, "--timeout: '%s' is not a number of seconds (1 to 3600)", optarg);
				goto out;
			}
			opt.timeout = (long)v;
			break;
		}
		case 'h': rc = help("timestamp"); goto out;
		default: rc = usage("timestamp"); goto out;
		}
	}
	if (optind + 1 != argc || opt.ntsa_urls + opt.ntokens == 0) {
		rc = usage("timestamp");
		goto out;
	}
	/* the TSA certificates to check answers against: the keyring's tsa/ and --tsa-ca */
	if ((rc = trust_load(&t)) != 0)
		goto out;
	for (size_t i = 0; i < ncas; i++)
		if (dossier_trust_add_tsa_file(t.trust, cas[i], &err) != DOSSIER_OK) {
			rc = report_error(&err);
			goto out;
		}
	opt.tsa_urls = urls;
	opt.tokens = tokens;
	opt.trust = t.trust;
	if ((stamps = calloc(opt.ntsa_urls + opt.ntokens, sizeof *stamps)) == NULL) {
		rc = fail(70, "out of memory");
		goto out;
	}
	if (dossier_bundle_timestamp(argv[optind], &opt, stamps, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	for (size_t i = 0; !quiet && i < opt.ntsa_urls + opt.ntokens; i++)
		note("%s: genTime %s by %s", stamps[i].entry, stamps[i].gen_time, stamps[i].tsa);
out:
	free(urls);
	free(tokens);
	free(cas);
	free(stamps);
	trust_release(&t);
	return rc;
}
