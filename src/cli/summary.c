/* summary.c - what a signer signs, in the one format sign and show both print, so a
   co-signer can hold one against the other: title, date, signatories, every payload file
   with its size and SHA-256, and the SHA-256 of the tag manifest. */
#include "cli.h"

static void line(FILE *out, const char *label, const char *value)
{
	fprintf(out, "  %-12s ", label);
	fputs_safe(out, value != NULL ? value : "(none)");
	fputc('\n', out);
}

/* "<sha256>  <bytes> bytes  <path>": the digest first, as manifest-sha256.txt has it. */
static void file_line(FILE *out, const char *label, const char *sha256, uint64_t size, const char *path)
{
	fprintf(out, "  %-12s %s  %llu bytes  ", label, sha256, (unsigned long long)size);
	fputs_safe(out, path);
	fputc('\n', out);
}

void print_signing_summary(FILE *out, const struct dossier_report *r)
{
	const char *const *from;
	const struct dossier_file_info *f;
	const struct dossier_withheld_info *w;
	size_t nfrom = dossier_report_people(r, "from", &from);
	size_t nfiles = dossier_report_files(r, &f), nwithheld = dossier_report_withheld(r, &w);
	const char *tm = dossier_report_tagmanifest_sha256(r);
	fputs("what a signature covers\n", out);
	line(out, "title", dossier_report_meta(r, "title"));
	line(out, "date", dossier_report_meta(r, "date"));
	for (size_t i = 0; i < nfrom; i++)
		line(out, "signatory", from[i]);
	for (size_t i = 0; i < nfiles; i++)
		file_line(out, "file", f[i].sha256, f[i].size, f[i].path);
	/* a withheld file is signed too: the manifest pins its digest */
	for (size_t i = 0; i < nwithheld; i++)
		file_line(out, "withheld", w[i].sha256, w[i].size, w[i].path);
	fprintf(out, "  %-12s %s  tagmanifest-sha256.txt\n", "tag manifest", tm[0] ? tm : "(none)");
}
