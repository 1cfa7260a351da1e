/* cmd_verify.c - dossier verify: intact, signed, trusted? Exit 0, 1 or 2. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void problem_line(void *label, const struct dossier_finding *f)
{
	print_problem_of(label, f->message);
}

/* One line per problem on stderr, so scripts and people see why; extract uses it too. */
void print_findings(const char *label, const struct dossier_report *r, int all)
{
	if (r == NULL)
		return;
	uint64_t more = findings_each(r, PROBLEM_KINDS, all ? SIZE_MAX : FINDINGS_SHOWN, problem_line, (void *)label);
	if (more > 0) {
		char msg[96];
		snprintf(msg, sizeof msg, "... and %llu more finding%s (see --json)", (unsigned long long)more,
		    more == 1 ? "" : "s");
		print_problem_of(label, msg);
	}
}

struct verify_opts {
	int json, quiet, verbose, several;
	const char *html; /* --html FILE, or NULL */
	const struct trust_args *t;
	const char *keyring; /* the keyring trust_load read, or NULL */
	int64_t now; /* when the HTML report says it was made (SOURCE_DATE_EPOCH for tests) */
	int64_t at;  /* the verification time: now, or --at */
	const char *at_text; /* --at as given, or NULL */
	const char **disclosed; /* --disclosed FILE: files handed over after redaction */
	size_t ndisclosed;
};

/* "A.tar: VALID — 16 of 16 signatures trusted, policy met", or the first reason it is not. */
static void print_line(const char *label, const struct dossier_report *r)
{
	enum dossier_status v = dossier_report_verdict(r);
	fputs_safe(stdout, label);
	printf(": %s \xe2\x80\x94 ", v == DOSSIER_OK ? "VALID" : v == DOSSIER_UNTRUSTED ? "UNTRUSTED" : "INVALID");
	const struct dossier_finding *f;
	size_t n = dossier_report_findings(r, &f);
	for (size_t i = 0; i < n; i++)
		if (f[i].kind == (v == DOSSIER_UNTRUSTED ? DOSSIER_FINDING_UNTRUSTED : DOSSIER_FINDING_INVALID)) {
			fputs_safe(stdout, f[i].message);
			fputc('\n', stdout);
			return;
		}
	const struct dossier_sig_info *s;
	size_t nsig = dossier_report_signatures(r, &s), valid = 0;
	for (size_t i = 0; i < nsig; i++)
		valid += s[i].status == DOSSIER_SIG_VALID;
	printf("%zu of %zu signature%s trusted, policy met\n", valid, nsig, nsig == 1 ? "" : "s");
}

static int write_html(const char *path, const char *json, const struct verify_opts *o)
{
	struct stat sb;
	const struct html_context ctx = {
		.bundle_path = path,
		.is_dir = strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode),
		.keyring = o->keyring,
		.pubs = o->t->pubs,
		.npubs = o->t->npubs,
		.checked_at = o->now,
		.verdict_at = o->at_text,
	};
	return write_html_report(o->html, json, &ctx);
}

/* Verifies one bundle and says so as asked: its verdict's exit code, or another one
   when it could not be verified or a report not written. */
static int verify_one(const char *path, const struct verify_opts *o)
{
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_error err;
	char *json = NULL;
	int rc;
	struct cli_progress progress;
	enum dossier_status st = dossier_bundle_open_progress(path, &o->t->lim,
	    progress_start(&progress, "verify", o->quiet || o->json), &b, &err);
	progress_stop(&progress);
	const struct dossier_verify_options vo = { .trust = o->t->trust, .at = o->at };
	if (st != DOSSIER_OK || dossier_bundle_verify_with(b, &vo, &r, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		if (o->several && !o->quiet) {
			fputs_safe(stdout, path);
			fputs(": NOT CHECKED \xe2\x80\x94 ", stdout);
			fputs_safe(stdout, err.message);
			fputc('\n', stdout);
		}
		goto out;
	}
	/* files handed over after redaction, checked before the report is made */
	for (size_t i = 0; i < o->ndisclosed; i++) {
		const char *matched;
		if (dossier_report_disclose(r, o->disclosed[i], &matched, &err) != DOSSIER_OK) {
			rc = report_error(&err);
			goto out;
		}
		if (matched != NULL && !o->json && !o->quiet) {
			fputs_safe(stdout, o->disclosed[i]);
			fputs(": matches withheld ", stdout);
			fputs_safe(stdout, matched);
			fputs("\n", stdout);
		}
	}
	rc = (int)dossier_report_verdict(r);
	if ((o->json || o->html) && dossier_report_json(r, &json, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	if (o->json)
		fputs(json, stdout);
	else if (o->several && !o->quiet) {
		if (o->verbose) {
			print_report(stdout, r, 0);
			fputc('\n', stdout);
		}
		print_line(path, r);
	} else if (!o->quiet) {
		print_report(stdout, r, o->verbose);
	}
	/* with several bundles, each line says which bundle it is about */
	print_findings(o->several ? path : NULL, r, o->verbose);
	if (o->html != NULL) {
		int hrc = write_html(path, json, o);
		rc = hrc != 0 ? hrc : rc;
	}
out:
	free(json);
	dossier_report_free(r);
	dossier_bundle_free(b);
	return rc;
}

/* The exit status of several bundles: a bundle that could not be checked at all (the
   first such code) outranks every verdict, then 1 (invalid), then 2 (untrusted), then 0. */
static int worse(int a, int b)
{
	if (a > 2)
		return a;
	if (b > 2)
		return b;
	return a == 1 || b == 1 ? 1 : a == 2 || b == 2 ? 2 : 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		TRUST_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "disclosed", required_argument, NULL, 'D' },
		{ "at", required_argument, NULL, 'A' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct trust_args t = { 0 };
	struct verify_opts o = { .t = &t, .now = (int64_t)time(NULL) };
	o.at = o.now;
	char kbuf[4096];
	int c, rc = 0;
	if ((o.disclosed = calloc((size_t)argc, sizeof *o.disclosed)) == NULL)
		return fail(70, "out of memory");
	while ((c = getopt_long(argc, argv, "K:p:jqvh", opts, NULL)) != -1) {
		if ((rc = trust_option(&t, c, optarg)) == 1)
			continue;
		if (rc != 0)
			goto out;
		switch (c) {
		case 'j': o.json = 1; break;
		case 'H': o.html = optarg; break;
		case 'D': o.disclosed[o.ndisclosed++] = optarg; break;
		case 'A':
			o.at_text = optarg;
			if (dossier_parse_time(optarg, 0, &o.at) != 0) {
				rc = fail(64, "--at: not a date (YYYY-MM-DD) or UTC time (YYYY-MM-DDThh:mm:ssZ): %s", optarg);
				goto out;
			}
			break;
		case 'q': o.quiet = 1; break;
		case 'v': o.verbose = 1; break;
		case 'h': rc = help("verify"); goto out;
		default: rc = usage("verify"); goto out;
		}
	}
	if (optind >= argc) {
		rc = usage("verify");
		goto out;
	}
	o.several = argc - optind > 1;
	/* one JSON object or one HTML file describes one bundle: several would need a
	   naming scheme a script could misread, so ask for one run per bundle */
	if (o.several && (o.json || o.html || o.ndisclosed)) {
		fail(64, "--json, --html and --disclosed are about one bundle: verify the bundles one at a time");
		rc = usage("verify");
		goto out;
	}
	if (o.html != NULL && (rc = source_date_epoch(&o.now)) != 0)
		goto out;
	if ((rc = trust_load(&t)) != 0)
		goto out;
	const char *dir = keyring_path(t.keyring, kbuf, sizeof kbuf);
	o.keyring = dir != NULL && (t.keyring != NULL || access(dir, F_OK) == 0) ? dir : NULL;
	for (int i = optind; i < argc; i++)
		rc = i == optind ? verify_one(argv[i], &o) : worse(rc, verify_one(argv[i], &o));
	if (fflush(stdout) != 0)
		rc = fail(74, "cannot write to stdout");
out:
	trust_release(&t);
	free(o.disclosed);
	return rc;
}
