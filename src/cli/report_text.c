/* report_text.c - the human-readable verify and show reports. */
#include <string.h>

#include "cli.h"

static void field(FILE *out, const char *label, const char *value)
{
	if (value == NULL)
		return;
	fprintf(out, "  %-9s ", label);
	fputs_safe(out, value);
	fputc('\n', out);
}

static void people(FILE *out, const struct dossier_report *r, const char *which, const char *label)
{
	const char *const *p;
	size_t n = dossier_report_people(r, which, &p);
	for (size_t i = 0; i < n; i++)
		field(out, i == 0 ? label : "", p[i]);
}

/* " (text)" after a name or path, when there is text */
static void parenthesised(FILE *out, const char *text)
{
	if (text[0] == '\0')
		return;
	fputs(" (", out);
	fputs_safe(out, text);
	fputc(')', out);
}

static void human(uint64_t n, char *buf, size_t len)
{
	if (n < 10000)
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	else if (n < 10000000)
		snprintf(buf, len, "%.1f kB", (double)n / 1e3);
	else
		snprintf(buf, len, "%.1f MB", (double)n / 1e6);
}

static void header(FILE *out, const struct dossier_report *r)
{
	fprintf(out, "bundle    ");
	fputs_safe(out, dossier_report_bundle_name(r));
	fputc('\n', out);
	/* the file received, as sha256sum prints it, to tie a printout to the attachment */
	const struct dossier_bundle_file *bf = dossier_report_bundle_file(r);
	fprintf(out, "  %-9s ", "file");
	fputs_safe(out, bf->name);
	if (bf->sha256[0])
		fprintf(out, ", %llu bytes, sha256 %s\n", (unsigned long long)bf->size, bf->sha256);
	else
		fputs(" (a bag directory: no file digest)\n", out);
	field(out, "title", dossier_report_meta(r, "title"));
	field(out, "kind", dossier_report_meta(r, "kind"));
	field(out, "date", dossier_report_meta(r, "date"));
	field(out, "place", dossier_report_meta(r, "place"));
	field(out, "id", dossier_report_meta(r, "id"));
	people(out, r, "from", "from");
	people(out, r, "to", "to");
	people(out, r, "cc", "cc");
}

/* A redacted copy says what it leaves out, and why, right under the files it has. */
static void withheld(FILE *out, const struct dossier_report *r)
{
	const struct dossier_withheld_info *w;
	size_t n = dossier_report_withheld(r, &w);
	char size[32];
	if (n == 0)
		return;
	fprintf(out, "\n%zu file%s withheld:\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		human(w[i].size, size, sizeof size);
		fprintf(out, "  %-8s %10s  ", w[i].disclosed == NULL ? "withheld" : w[i].disclosed, size);
		fputs_safe(out, w[i].path);
		parenthesised(out, w[i].reason);
		fputc('\n', out);
	}
}

static void files(FILE *out, const struct dossier_report *r, int verbose)
{
	const struct dossier_file_info *f;
	size_t n = dossier_report_files(r, &f);
	uint64_t total = 0;
	char size[32];
	fprintf(out, "\nfiles\n");
	for (size_t i = 0; i < n; i++) {
		human(f[i].size, size, sizeof size);
		total += f[i].size;
		fprintf(out, "  %-4s %-10s %10s  ", f[i].ok ? "ok" : "FAIL", f[i].role[0] ? f[i].role : "-", size);
		fputs_safe(out, f[i].path);
		if (verbose)
			fprintf(out, "\n%28ssha256 %s", "", f[i].sha256);
		fputc('\n', out);
	}
	human(total, size, sizeof size);
	fprintf(out, "  %zu file(s), %s\n", n, size);
	withheld(out, r);
}

static void indented(FILE *out, const char *label, const char *text)
{
	if (text == NULL || text[0] == '\0')
		return;
	fprintf(out, "              %s", label);
	fputs_safe(out, text);
	fputc('\n', out);
}

/* The captured sources: where each came from, when, and what the server answered. */
static void sources(FILE *out, const struct dossier_report *r)
{
	const struct dossier_snapshot_info *s;
	size_t n = dossier_report_snapshots(r, &s);
	char size[32];
	if (n == 0)
		return;
	fprintf(out, "\nsources\n");
	for (size_t i = 0; i < n; i++) {
		if (s[i].footnote >= 0)
			fprintf(out, "  [%d] ", s[i].footnote);
		else
			fputs("  [-] ", out);
		fputs_safe(out, s[i].url);
		fputc('\n', out);
		human(s[i].size, size, sizeof size);
		fprintf(out, "      %-4s ", s[i].ok ? "ok" : "FAIL");
		fputs_safe(out, s[i].path);
		fputc('\n', out);
		fputs("      captured ", out);
		fputs_safe(out, s[i].captured_at);
		if (s[i].http_status >= 0)
			fprintf(out, ", HTTP %d", s[i].http_status);
		fprintf(out, ", %s, ", size);
		fputs_safe(out, s[i].media_type);
		if (s[i].content_type[0]) {
			fputs(" (", out);
			fputs_safe(out, s[i].content_type);
			fputc(')', out);
		}
		if (s[i].records >= 0)
			fprintf(out, ", %lld WARC record%s", (long long)s[i].records, s[i].records == 1 ? "" : "s");
		fputc('\n', out);
		if (!s[i].ok && s[i].reason != NULL)
			indented(out, "why: ", s[i].reason);
	}
}

/* Which footnotes a snapshot covers, and why the others have none. */
static void references(FILE *out, const struct dossier_report *r)
{
	const struct dossier_reference_info *c;
	size_t n = dossier_report_coverage(r, &c), captured = 0;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		captured += c[i].captured != 0;
	fprintf(out, "\nreferences\n  %zu reference%s: %zu captured, %zu not captured\n", n, n == 1 ? "" : "s",
	    captured, n - captured);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  [%d] %-12s ", c[i].footnote, c[i].captured ? "captured" : "NOT CAPTURED");
		fputs_safe(out, c[i].url);
		fputc('\n', out);
		for (size_t k = 0; k < c[i].nsnapshots; k++)
			indented(out, "in: ", c[i].snapshots[k]);
		if (!c[i].captured)
			indented(out, "why: ", c[i].reason ? c[i].reason : "no snapshot given (bundle made before coverage was recorded)");
	}
}

static const char *sig_word(enum dossier_sig_status s, int checked)
{
	if (!checked)
		return "present";
	return s == DOSSIER_SIG_VALID ? "valid" : s == DOSSIER_SIG_UNKNOWN_KEY ? "UNKNOWN KEY"
	    : s == DOSSIER_SIG_UNTRUSTED ? "UNTRUSTED" : "INVALID";
}


static void twice(FILE *out, const char *what, const char *keyid, const char *tail)
{
	fprintf(out, "              note: %s%s%s\n", what, keyid, tail);
}

/* Each signatory dossier.json names: signed (with the key and its trust chain) or not. */
static void signatories(FILE *out, const struct dossier_report *r)
{
	const struct dossier_signatory_info *p;
	size_t n = dossier_report_signatories(r, &p), done = 0;
	if (n == 0)
		return;
	fprintf(out, "\nsignatories\n");
	for (size_t i = 0; i < n; i++) {
		done += p[i].has_signed != 0;
		fprintf(out, "  %-11s ", p[i].has_signed ? "signed" : "NOT SIGNED");
		fputs_safe(out, p[i].name);
		parenthesised(out, p[i].group);
		fputc('\n', out);
		indented(out, "trust: ", p[i].chain);
		indented(out, "why: ", p[i].reason);
	}
	fprintf(out, "  %zu of %zu named signator%s signed\n", done, n, n == 1 ? "y" : "ies");
}

static void signatures(FILE *out, const struct dossier_report *r, int checked)
{
	const struct dossier_sig_info *s;
	size_t n = dossier_report_signatures(r, &s), valid = 0;
	fprintf(out, "\nsignatures\n");
	for (size_t i = 0; i < n; i++) {
		valid += s[i].status == DOSSIER_SIG_VALID;
		fprintf(out, "  %-11s %s  ", sig_word(s[i].status, checked), s[i].keyid);
		fputs_safe(out, s[i].signer_name[0] ? s[i].signer_name : "(signer not named)");
		parenthesised(out, s[i].signer_group);
		if (s[i].legacy)
			fputs(" [legacy Ed signature]", out);
		fputc('\n', out);
		indented(out, "", s[i].trusted_comment);
		if (checked) {
			indented(out, "trust: ", s[i].chain);
			if (s[i].status != DOSSIER_SIG_VALID)
				indented(out, "why: ", s[i].reason);
			else if (!s[i].listed)
				indented(out, "note: ", "not a signatory named in dossier.json; not counted");
			if (s[i].same_key_as[0])
				twice(out, "the same public key as ", s[i].same_key_as, "; counted once");
			else if (s[i].same_person_as[0])
				twice(out, "the same person as ", s[i].same_person_as, "; counted once");
		}
	}
	if (n == 0)
		fprintf(out, "  none\n");
	const char *const *from;
	size_t listed = dossier_report_people(r, "from", &from);
	if (checked)
		fprintf(out, "  %zu of %zu signature(s) valid and trusted; %zu signator%s listed\n", valid, n,
		    listed, listed == 1 ? "y" : "ies");
}

static void timestamps(FILE *out, const struct dossier_report *r)
{
	const struct dossier_timestamp_info *t;
	size_t n = dossier_report_timestamps(r, &t);
	if (n == 0)
		return;
	fprintf(out, "\ntimestamps\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %-11s ", t[i].trusted ? "trusted" : "NOT TRUSTED");
		fputs_safe(out, t[i].entry);
		fputs("  ", out);
		fputs_safe(out, t[i].gen_time);
		fputc('\n', out);
		indented(out, "TSA: ", t[i].tsa);
		indented(out, "covers: ", t[i].covers);
		indented(out, "why: ", t[i].reason);
	}
}

static void versions(FILE *out, const struct dossier_report *r)
{
	const struct dossier_version_info *v;
	size_t n = dossier_report_versions(r, &v);
	if (n == 0)
		return;
	fprintf(out, "\nversions\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %-3d %s ", v[i].number, v[i].current ? "this" : "was ");
		fputs_safe(out, v[i].id);
		fputs("  ", out);
		fputs_safe(out, v[i].created);
		fputc('\n', out);
		indented(out, "reason: ", v[i].reason);
		indented(out, "changes: ", v[i].changes);
		if (!v[i].current) {
			indented(out, "signed by: ", v[i].signers);
			indented(out, "timestamps: ", v[i].timestamps);
		}
	}
}

static void policy(FILE *out, const struct dossier_report *r)
{
	const struct dossier_policy_check *p;
	size_t n = dossier_report_policy(r, &p);
	if (n == 0)
		return;
	fprintf(out, "\npolicy (");
	fputs_safe(out, dossier_report_policy_source(r));
	fprintf(out, ")\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %-7s ", p[i].met ? "met" : "NOT MET");
		fputs_safe(out, p[i].rule);
		fputc('\n', out);
		indented(out, "", p[i].detail);
	}
}

uint64_t findings_each(const struct dossier_report *r, unsigned kinds, size_t limit,
    void (*show)(void *ctx, const struct dossier_finding *f), void *ctx)
{
	const struct dossier_finding *f;
	size_t n = dossier_report_findings(r, &f), shown = 0;
	uint64_t more = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(kinds & KIND_BIT(f[i].kind)))
			continue;
		if (shown++ < limit)
			show(ctx, &f[i]);
		else
			more++;
	}
	const enum dossier_finding_kind all[] = { DOSSIER_FINDING_INVALID, DOSSIER_FINDING_UNTRUSTED, DOSSIER_FINDING_NOTICE };
	for (size_t k = 0; k < sizeof all / sizeof *all; k++)
		if (kinds & KIND_BIT(all[k]))
			more += dossier_report_omitted_count(r, all[k]);
	return more;
}

static void finding_line(void *out, const struct dossier_finding *f)
{
	fprintf(out, "  %-9s ", f->kind == DOSSIER_FINDING_INVALID ? "invalid"
	        : f->kind == DOSSIER_FINDING_UNTRUSTED        ? "untrusted"
	                                                      : "notice");
	fputs_safe(out, f->message);
	fputc('\n', out);
}

static void invalid_line(void *out, const struct dossier_finding *f)
{
	fputs("  ", out);
	fputs_safe(out, f->message);
	fputc('\n', out);
}

static void more_findings(FILE *out, uint64_t more)
{
	if (more > 0)
		fprintf(out, "  ... and %llu more finding%s (see --json)\n", (unsigned long long)more, more == 1 ? "" : "s");
}

void print_report(FILE *out, const struct dossier_report *r, int verbose)
{
	int colour = use_colour(out);
	header(out, r);
	files(out, r, verbose);
	sources(out, r);
	references(out, r);
	signatures(out, r, 1);
	signatories(out, r);
	timestamps(out, r);
	versions(out, r);
	policy(out, r);
	const struct dossier_finding *f;
	if (dossier_report_findings(r, &f) > 0) {
		fprintf(out, "\nfindings\n");
		more_findings(out, findings_each(r, ALL_KINDS, verbose ? SIZE_MAX : FINDINGS_SHOWN, finding_line, out));
	}
	enum dossier_status v = dossier_report_verdict(r);
	const char *word = v == DOSSIER_OK ? "VALID" : v == DOSSIER_UNTRUSTED ? "UNTRUSTED" : "INVALID";
	const char *why = v == DOSSIER_OK ? "intact, every signature verified, the signing policy met"
	    : v == DOSSIER_UNTRUSTED      ? "intact, but a signer is not trusted or the policy is not met"
	                                  : "the bundle was changed, damaged or forged";
	const char *on = !colour ? "" : v == DOSSIER_OK ? "\033[1;32m" : v == DOSSIER_UNTRUSTED ? "\033[1;33m" : "\033[1;31m";
	fprintf(out, "\nverdict   %s%s%s: %s\n", on, word, colour ? "\033[0m" : "", why);
}

void print_show(FILE *out, const struct dossier_report *r)
{
	header(out, r);
	files(out, r, 0);
	fputc('\n', out);
	print_signing_summary(out, r); /* the digests, as sign shows them before it signs */
	sources(out, r);
	references(out, r);
	signatures(out, r, 0);
	int bad = dossier_report_verdict(r) == DOSSIER_INVALID;
	fprintf(out, "\nintegrity %s (signatures not checked: run 'dossier verify' with the signers' keys)\n",
	    bad ? "FAILED" : "ok");
	more_findings(out, findings_each(r, KIND_BIT(DOSSIER_FINDING_INVALID), FINDINGS_SHOWN, invalid_line, out));
}
