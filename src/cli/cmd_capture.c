/* cmd_capture.c - dossier capture: each URL fetched and kept, as received, in a WARC file. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CAPTURE_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct capture_args ca = { 0 };
	const char *dir = NULL;
	int c, quiet = 0, rc = 0;
	while ((c = getopt_long(argc, argv, "o:fqh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_TIMEOUT: case OPT_MAX_SIZE: case OPT_RESOLVE: case OPT_CACERT: case OPT_CONNECT_TO:
			if ((rc = capture_option(&ca, c, optarg, argc)) != 0)
				goto out;
			break;
		case 'o': dir = optarg; break;
		case 'f': ca.opt.force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': rc = help("capture"); goto out;
		default: rc = usage("capture"); goto out;
		}
	}
	if (dir == NULL || optind >= argc) {
		rc = usage("capture");
		goto out;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		rc = fail(73, "%s: %s", dir, strerror(errno));
		goto out;
	}
	/* every URL is tried; the exit code is the first failure's */
	for (int i = optind; i < argc; i++) {
		struct dossier_capture_result res;
		struct dossier_error err;
		if (dossier_capture_url(&ca.opt, argv[i], dir, &res, &err) != DOSSIER_OK) {
			int code = report_error(&err);
			if (rc == 0)
				rc = code;
			continue;
		}
		if (quiet)
			continue;
		fputs_safe(stdout, argv[i]);
		printf(" %ld %llu sha256:%s ", res.status, (unsigned long long)res.bytes, res.sha256);
		fputs_safe(stdout, res.path);
		putchar('\n');
	}
	if (fflush(stdout) != 0 && rc == 0)
		rc = fail(74, "stdout: %s", strerror(errno));
out:
	capture_args_release(&ca);
	return rc;
}
