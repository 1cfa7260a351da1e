/* report_html.c - verify --html: the JSON report as one self-contained page to read, print and file. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* ---- reading the JSON report: absent members read as empty ---- */

static const cJSON *get(const cJSON *o, const char *key)
{
	return o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(get(o, key));
}

/* ---- writing: every string from the report is escaped, also inside attributes ---- */

/* Text for an element or an attribute value: & < > " ' as entities, and what
   fputs_safe would refuse on a terminal (controls, bidi overrides, broken UTF-8) as '?'. */
static void esc_n(FILE *out, const char *s, size_t len)
{
	const char *end = s + len;
	while (s < end) {
		size_t run = 0;
		while (s + run < end && memchr("&<>\"'", s[run], 5) == NULL)
			run++;
		fwrite_safe(out, s, run);
		s += run;
		if (s == end)
			break;
		fputs(*s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : "&#39;", out);
		s++;
	}
}

static void esc(FILE *out, const char *s)
{
	if (s != NULL)
		esc_n(out, s, strlen(s));
}

/* <td>text</td>, or an en dash for nothing */
static void cell(FILE *out, const char *cls, const char *s)
{
	if (cls != NULL)
		fprintf(out, "<td class=\"%s\">", cls);
	else
		fputs("<td>", out);
	if (s == NULL || *s == '\0')
		fputs("&ndash;", out);
	else
		esc(out, s);
	fputs("</td>", out);
}

/* a second line in smaller type under a cell's text, when there is one */
static void small_line(FILE *out, const char *s)
{
	if (*s == '\0')
		return;
	fputs("<br><span class=\"small\">", out);
	esc(out, s);
	fputs("</span>", out);
}

static void head_row(FILE *out, const char *const *labels, const char *const *widths)
{
	fputs("<table><colgroup>", out);
	for (size_t i = 0; labels[i] != NULL; i++)
		fprintf(out, "<col style=\"width:%s\">", widths[i]);
	fputs("</colgroup><thead><tr>", out);
	for (size_t i = 0; labels[i] != NULL; i++)
		fprintf(out, "<th>%s</th>", labels[i]);
	fputs("</tr></thead><tbody>\n", out);
}

static const char css[] =
    "@page{size:A4;margin:16mm 14mm 18mm 14mm}"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{font:10pt/1.4 'DejaVu Sans',Arial,Helvetica,sans-serif;color:#111;margin:0 auto;max-width:182mm}"
    "h1{font-size:15pt;margin:0 0 4pt}h2{font-size:12pt;margin:14pt 0 4pt;border-bottom:1px solid #444;"
    "break-after:avoid;page-break-after:avoid}"
    "table{width:100%;border-collapse:collapse;table-layout:fixed;margin:2pt 0 6pt}"
    "th,td{border:1px solid #888;padding:2pt 3pt;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:break-word}"
    "th{background:#e8e8e8}thead{display:table-header-group}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    ".hash,code,pre,.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:8pt;word-break:break-all}"
    "pre{white-space:pre-wrap;background:#f4f4f4;border:1px solid #bbb;padding:4pt;break-inside:avoid}"
    ".identity{border:1px solid #444;padding:4pt 8pt;margin:0 0 8pt;break-inside:avoid}"
    ".identity dl{grid-template-columns:30mm 1fr}.identity .hash,.identity .mono{font-size:9.5pt}"
    ".banner{border:4px solid #000;padding:6pt 10pt;margin:0 0 10pt;break-inside:avoid}"
    ".banner .word{font-size:22pt;font-weight:bold;letter-spacing:1pt}"
    ".valid{border-color:#1a7f37;background:#e7f5ea}"
    ".invalid{border-color:#b3261e;border-style:double;border-width:7px;background:#fde8e7}"
    ".untrusted{border-color:#9a6700;border-style:dashed;background:#fff5d6}"
    ".ok{color:#1a6b30;font-weight:bold}.bad{color:#a1221b;font-weight:bold}.warn{color:#7a5200;font-weight:bold}"
    "dl{display:grid;grid-template-columns:28mm 1fr;gap:1pt 6pt;margin:0}dt{font-weight:bold}dd{margin:0}"
    ".small{font-size:8.5pt;color:#333}footer{margin-top:14pt;border-top:1px solid #444;font-size:8.5pt}";

/* ---- the verdict, in words a clerk can act on ---- */

static const struct {
	const char *code;
	const char *text; /* %s: the entry */
} plain[] = {
	{ "payload-mismatch", "The file %s was changed after the bundle was made: its content differs from the signed list of files." },
	{ "payload-missing", "The file %s is on the signed list of files but is missing from the bundle." },
	{ "payload-extra", "The file %s was added: it is not on the signed list of files." },
	{ "tag-mismatch", "%s, one of the signed files that describe the bundle, was changed after signing." },
	{ "tag-missing", "%s, a file every bundle must carry, is missing." },
	{ "tag-uncovered", "%s was added after signing: the signed list does not include it." },
	{ "oxum-mismatch", "The number or total size of the files differs from what the bundle declares in %s: files were added, removed or changed." },
	{ "bag-info", "The bundle's declaration of its contents (%s) is missing a required line or is malformed." },
	{ "bagit-txt", "The bundle's format declaration (%s) is not the one required." },
	{ "manifest-malformed", "The signed list of files (%s) is damaged." },
	{ "tagmanifest-malformed", "The list of signed description files (%s) is damaged." },
	{ "entry-outside-bag", "The archive holds an entry outside the bundle's folder (%s)." },
	{ "unsafe-path", "The archive holds an entry with an unsafe name (%s)." },
	{ "entry-type", "The archive holds a link or special file (%s); bundles hold only plain files." },
	{ "duplicate-entry", "The archive holds the file %s twice." },
	{ "fetch-txt", "The bundle asks for files to be fetched from elsewhere (%s); a bundle must be complete." },
	{ "top-renamed", "The bundle's folder was renamed after signing: the name it was signed under is in %s." },
	{ "dossier-json", "The description of the letter (%s) is damaged or does not match the files." },
	{ "sig-forged", "The signature %s does not match: the signed content or the signature was altered, or it is forged." },
	{ "sig-malformed", "The signature file %s is damaged or misnamed." },
	{ "sig-comment", "The signature %s was made for another bundle or by another key." },
	{ "sig-unknown-key", "The signature %s is by a key this verifier does not know, so who made it cannot be confirmed." },
	{ "sig-untrusted", "The signature %s is correct, but its key is not trusted." },
	{ "card-unusable", "The key card %s cannot be used to identify its signer." },
	{ "keyring-problem", "The verifier's own list of trusted keys has a problem%.0s." },
	{ "no-signature", "Nobody has signed this bundle%.0s." },
	{ "policy-unmet", "The signing rules the verifier requires are not met%.0s." },
	{ "timestamp-malformed", "The timestamp %s is damaged." },
	{ "timestamp-imprint", "The timestamp %s is for other content than this bundle." },
	{ "timestamp-forged", "The timestamp %s does not verify: it was altered or forged." },
	{ "history-broken", "The record of earlier versions (%s) is broken or was altered." },
	{ "history-missing", "The bundle says it replaces an earlier version, but %s carries no record of it." },
	{ "supersedes-mismatch", "The link to the earlier version (%s) does not match the record of it." },
};

/* The finding's own reason: its message without the leading "entry: ". */
static const char *reason_of(const cJSON *f)
{
	const char *msg = str(f, "message"), *entry = str(f, "entry");
	const size_t n = strlen(entry);
	return n > 0 && strncmp(msg, entry, n) == 0 && strncmp(msg + n, ": ", 2) == 0 ? msg + n + 2 : msg;
}

static void sentence(FILE *out, const cJSON *f)
{
	const char *code = str(f, "code"), *entry = str(f, "entry");
	const char *text = "The bundle's structure is damaged or was altered (%s).";
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
		if (strcmp(code, plain[i].code) == 0)
			text = plain[i].text;
	const char *at = strstr(text, "%");
	fwrite(text, 1, (size_t)(at - text), out);
	if (at[1] == 's') {
		fputs(entry[0] ? "\xe2\x80\x9c" : "", out);
		esc(out, entry[0] ? entry : "the bundle");
		fputs(entry[0] ? "\xe2\x80\x9d" : "", out);
		fputs(at + 2, out);
	} else {
		fputs(at + 4, out); /* "%.0s": nothing to name */
	}
	/* an untrusted signature says why in the library's words, not as an example */
	if (strcmp(code, "sig-untrusted") == 0) {
		fputs(" Why: ", out);
		esc(out, reason_of(f));
		fputs(".", out);
	}
}

static void banner(FILE *out, const cJSON *rep)
{
	const char *verdict = str(rep, "verdict");
	const int valid = strcmp(verdict, "valid") == 0, untrusted = strcmp(verdict, "untrusted") == 0;
	fprintf(out, "<section class=\"banner %s\"><div class=\"word\">%s</div>\n<p><strong>%s</strong></p>\n",
	    valid ? "valid" : untrusted ? "untrusted" : "invalid",
	    valid ? "&#10004; VALID" : untrusted ? "&#9888; UNTRUSTED" : "&#10008; INVALID",
	    valid ? "Intact: no file was changed, every signature verifies with a trusted key, and the signing rules are met."
	    : untrusted ? "Intact, but not everyone who signed can be confirmed, or the signing rules are not met."
	                : "Tampered or broken: the bundle is not what was signed. Do not rely on its content.");
	const cJSON *f, *findings = get(rep, "findings");
	int shown = 0, more = 0;
	cJSON_ArrayForEach(f, findings) {
		if (strcmp(str(f, "severity"), "notice") == 0)
			continue;
		if (shown == 5) {
			more++;
			continue;
		}
		fputs(shown++ == 0 ? "<p>Why:</p><ul>" : "", out);
		fputs("<li>", out);
		sentence(out, f);
		fputs("<br><span class=\"small mono\">", out);
		esc(out, str(f, "message"));
		fputs("</span></li>\n", out);
	}
	if (shown > 0)
		fputs("</ul>", out);
	if (more > 0)
		fprintf(out, "<p>&hellip; and %d more problem(s): see <em>Findings</em> below.</p>", more);
	fputs("</section>\n", out);
}

/* ---- the sections ---- */

static void people_dd(FILE *out, const cJSON *arr)
{
	const cJSON *p;
	int first = 1;
	cJSON_ArrayForEach(p, arr) {
		fputs(first ? "" : "<br>", out);
		first = 0;
		esc(out, str(p, "name"));
		const char *extra = *str(p, "group") ? str(p, "group") : *str(p, "role") ? str(p, "role") : str(p, "affiliation");
		if (*extra) {
			fputs(" (", out);
			esc(out, extra);
			fputs(")", out);
		}
	}
	if (first)
		fputs("&ndash;", out);
}

static void letter(FILE *out, const cJSON *rep)
{
	const cJSON *m = get(rep, "metadata");
	fputs("<h2>The letter</h2>\n", out);
	if (!cJSON_IsObject(m)) {
		fputs("<p>No readable description (dossier.json) in this bundle.</p>\n", out);
		return;
	}
	static const char *const fields[][2] = { { "title", "Title" }, { "kind", "Kind" }, { "date", "Date" },
		{ "place", "Place" }, { "language", "Language" }, { "id", "Bundle id" }, { "created", "Created" } };
	fputs("<dl>", out);
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		if (*str(m, fields[i][0]) == '\0')
			continue;
		fprintf(out, "<dt>%s</dt><dd>", fields[i][1]);
		esc(out, str(m, fields[i][0]));
		fputs("</dd>", out);
	}
	static const char *const who[][2] = { { "from", "From" }, { "to", "To" }, { "cc", "Cc" } };
	for (size_t i = 0; i < 3; i++) {
		fprintf(out, "<dt>%s</dt><dd>", who[i][1]);
		people_dd(out, get(m, who[i][0]));
		fputs("</dd>", out);
	}
	fputs("</dl>\n", out);
}

/* The signatures cover tagmanifest-sha256.txt; when the bundle failed a check on its
   content, they vouch for a bundle that is no longer this one. */
static int content_failed(const cJSON *rep)
{
	static const char *const content[] = { "structure", "payload", "tags", "metadata" };
	const cJSON *c;
	cJSON_ArrayForEach(c, get(rep, "checks"))
		for (size_t i = 0; i < sizeof content / sizeof *content; i++)
			if (strcmp(str(c, "code"), content[i]) == 0 && strcmp(str(c, "verdict"), "passed") != 0)
				return 1;
	return 0;
}

/* What a signature that verifies means in a bundle that is INVALID: never a green mark. */
static const char *relied_on_not(const cJSON *rep)
{
	return content_failed(rep) ? "the signature matches a tag manifest that no longer matches the files"
	                           : "the signature verifies, but the bundle fails another check (see above)";
}

static int is_invalid(const cJSON *rep)
{
	return strcmp(str(rep, "verdict"), "invalid") == 0;
}

static void checks(FILE *out, const cJSON *rep)
{
	const cJSON *c, *arr = get(rep, "checks");
	if (cJSON_GetArraySize(arr) <= 0)
		return;
	static const char *const l[] = { "Check", "Result", "Detail", NULL }, *const w[] = { "20%", "18%", "62%" };
	fputs("<h2>Checks</h2>\n", out);
	head_row(out, l, w);
	cJSON_ArrayForEach(c, arr) {
		const char *v = str(c, "verdict"), *code = str(c, "code");
		int passed = strcmp(v, "passed") == 0;
		const int failed = strcmp(v, "failed") == 0;
		/* under INVALID, signatures and trust "pass" only for the bundle as signed */
		const int moot = passed && is_invalid(rep) &&
		    (strcmp(code, "signatures") == 0 || strcmp(code, "trust") == 0);
		passed = passed && !moot;
		fputs("<tr>", out);
		cell(out, NULL, code);
		fprintf(out, "<td class=\"%s\">%s</td>", passed ? "ok" : failed ? "bad" : "warn",
		    passed ? "&#10004; passed" : failed ? "&#10008; FAILED" : moot ? "&#9888; not for this copy"
		                                                               : "&ndash; not decided");
		fputs("<td>", out);
		esc(out, str(c, "detail"));
		if (moot) {
			fputs("; but ", out);
			esc(out, relied_on_not(rep));
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n<p class=\"small\">&ldquo;Not decided&rdquo; (indeterminate): the check had nothing "
	      "to examine or could not run, for example no timestamp in the bundle.</p>\n", out);
}

static void chain(FILE *out, const cJSON *s)
{
	const char *trust = str(s, "trust");
	const cJSON *card = get(s, "card");
	if (strcmp(trust, "keyring") == 0) {
		fputs("Directly trusted by this verifier (", out);
		esc(out, str(s, "key_source"));
		fputs(")", out);
	} else if (strcmp(trust, "card") == 0 || cJSON_IsObject(card)) {
		fputs("Key card ", out);
		esc(out, str(card, "entry"));
		fputs(" issued by authority <span class=\"mono\">", out);
		esc(out, str(card, "authority"));
		fputs("</span>", out);
		if (*str(card, "authority_source")) {
			fputs(" (trusted: ", out);
			esc(out, str(card, "authority_source"));
			fputs(")", out);
		}
		fputs(", valid ", out);
		esc(out, str(card, "valid_from"));
		fputs(" to ", out);
		esc(out, str(card, "valid_until"));
	} else {
		fputs("Unknown key: not in this verifier's keyring, no usable key card", out);
	}
	if (*str(s, "reason")) {
		fputs("<br><span class=\"bad\">", out);
		esc(out, str(s, "reason"));
		fputs("</span>", out);
	}
}

/* The last cell of a signature's row: its status, and under INVALID what a match means. */
static void result(FILE *out, const cJSON *rep, const char *st)
{
	const int valid = strcmp(st, "valid") == 0, invalid = strcmp(st, "invalid") == 0;
	if (valid && is_invalid(rep)) {
		fputs("<td class=\"warn\">&#9888; matches, but not this copy<br><span class=\"small\">", out);
		esc(out, relied_on_not(rep));
		fputs("</span></td></tr>\n", out);
		return;
	}
	fprintf(out, "<td class=\"%s\">%s</td></tr>\n", valid ? "ok" : invalid ? "bad" : "warn",
	    valid ? "&#10004; valid" : invalid ? "&#10008; INVALID"
	    : strcmp(st, "unknown-key") == 0 ? "&#9888; UNKNOWN KEY" : "&#9888; UNTRUSTED");
}

/* Each signatory the letter names: signed (by which key, through which chain) or not. */
static void named_signatories(FILE *out, const cJSON *rep)
{
	const cJSON *p, *arr = get(rep, "signatories");
	int n = cJSON_GetArraySize(arr), missing = 0, invalid = is_invalid(rep);
	if (n <= 0)
		return;
	fputs("<h2>Named signatories</h2>\n", out);
	static const char *const l[] = { "Signatory", "Signed", "Key and trust chain", NULL };
	static const char *const w[] = { "28%", "14%", "58%" };
	head_row(out, l, w);
	cJSON_ArrayForEach(p, arr) {
		int yes = flag(p, "signed");
		missing += !yes;
		fputs("<tr><td>", out);
		esc(out, str(p, "name"));
		small_line(out, str(p, "group"));
		/* under INVALID a signature vouches for the bundle as signed, not for this copy */
		fprintf(out, "</td><td class=\"%s\">%s</td>", !yes ? "bad" : invalid ? "warn" : "ok",
		    !yes ? "&#10008; NOT SIGNED" : invalid ? "&#9888; signed, but not this copy" : "&#10004; signed");
		cell(out, yes ? "mono" : NULL, yes ? str(p, "chain") : str(p, "reason"));
		fputs("</tr>\n", out);
	}
	fprintf(out, "</tbody></table>\n<p>%d of %d named signator%s signed with a valid, trusted signature%s.</p>\n",
	    n - missing, n, n == 1 ? "y" : "ies",
	    invalid ? ", over the bundle as it was signed, not over this copy" : "");
}

static void signatures(FILE *out, const cJSON *rep)
{
	const cJSON *s, *arr = get(rep, "signatures");
	fputs("<h2>Signatories</h2>\n", out);
	if (cJSON_GetArraySize(arr) <= 0) {
		fputs("<p>No signature.</p>\n", out);
		return;
	}
	static const char *const l[] = { "Signatory", "Key id", "Trust chain", "Signed at", "Result", NULL };
	static const char *const w[] = { "22%", "17%", "31%", "16%", "14%" };
	head_row(out, l, w);
	int n = 0, valid = 0;
	cJSON_ArrayForEach(s, arr) {
		const char *st = str(s, "status");
		n++;
		valid += strcmp(st, "valid") == 0;
		fputs("<tr><td>", out);
		esc(out, *str(s, "signer") ? str(s, "signer") : "(not named)");
		small_line(out, str(s, "group"));
		if (!flag(s, "listed") && strcmp(st, "valid") == 0)
			fputs("<br><span class=\"small\">not a signatory named in the letter; not counted</span>", out);
		fputs("</td>", out);
		cell(out, "mono", str(s, "keyid"));
		fputs("<td>", out);
		chain(out, s);
		fputs("</td>", out);
		cell(out, NULL, str(s, "signed_at"));
		result(out, rep, st);
	}
	if (is_invalid(rep))
		fprintf(out, "</tbody></table>\n<p>%d of %d signature(s) verify with trusted keys, but the bundle is "
		    "INVALID: they vouch for the bundle as it was signed, not for this copy.</p>\n", valid, n);
	else
		fprintf(out, "</tbody></table>\n<p>%d of %d signature(s) valid and by trusted keys.</p>\n", valid, n);
}

static void policy(FILE *out, const cJSON *rep)
{
	const cJSON *p = get(rep, "policy"), *c, *arr = get(p, "checks");
	fputs("<h2>Signing rules (policy)</h2>\n<p>Source: ", out);
	esc(out, str(p, "source"));
	fputs("</p>\n", out);
	if (cJSON_GetArraySize(arr) <= 0) {
		fputs("<p>Not evaluated.</p>\n", out);
		return;
	}
	static const char *const l[] = { "Rule", "Result", "Detail", NULL }, *const w[] = { "40%", "14%", "46%" };
	head_row(out, l, w);
	cJSON_ArrayForEach(c, arr) {
		fputs("<tr>", out);
		cell(out, NULL, str(c, "rule"));
		fprintf(out, "<td class=\"%s\">%s</td>", flag(c, "met") ? "ok" : "bad", flag(c, "met") ? "&#10004; met" : "&#10008; NOT MET");
		cell(out, NULL, str(c, "detail"));
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

/* The description dossier.json gives a file, if any. */
static const char *description(const cJSON *rep, const char *path)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, get(get(rep, "metadata"), "files"))
		if (strcmp(str(f, "path"), path) == 0 || (strncmp(path, "data/", 5) == 0 && strcmp(str(f, "path"), path + 5) == 0))
			return str(f, "description");
	return "";
}

static void number(FILE *out, const cJSON *o, const char *key)
{
	if (cJSON_IsNumber(get(o, key)))
		fprintf(out, "<td>%.0f</td>", num(o, key));
	else
		fputs("<td>&ndash;</td>", out);
}

static void files(FILE *out, const cJSON *rep)
{
	const cJSON *f, *arr = get(rep, "files");
	static const char *const l[] = { "File", "Role", "Media type", "Bytes", "SHA-256", "Intact", NULL };
	static const char *const w[] = { "27%", "10%", "14%", "9%", "30%", "10%" };
	fputs("<h2>Files</h2>\n", out);
	head_row(out, l, w);
	cJSON_ArrayForEach(f, arr) {
		fputs("<tr><td>", out);
		esc(out, str(f, "path"));
		const char *d = description(rep, str(f, "path"));
		small_line(out, d);
		fputs("</td>", out);
		cell(out, NULL, str(f, "role"));
		cell(out, NULL, str(f, "media_type"));
		number(out, f, "size");
		cell(out, "hash", str(f, "sha256"));
		fprintf(out, "<td class=\"%s\">%s</td></tr>\n", flag(f, "ok") ? "ok" : "bad", flag(f, "ok") ? "&#10004; yes" : "&#10008; NO");
	}
	fputs("</tbody></table>\n", out);
}

static void withheld(FILE *out, const cJSON *rep)
{
	const cJSON *f, *arr = get(rep, "withheld");
	if (cJSON_GetArraySize(arr) <= 0)
		return;
	static const char *const l[] = { "Withheld file", "Bytes", "SHA-256", "Reason", "Disclosed", NULL };
	static const char *const w[] = { "24%", "9%", "30%", "25%", "12%" };
	fputs("<h2>Files withheld from this copy</h2>\n<p>Signed, but not included here; the signatures still "
	      "cover them by their SHA-256.</p>\n", out);
	head_row(out, l, w);
	cJSON_ArrayForEach(f, arr) {
		fputs("<tr>", out);
		cell(out, NULL, str(f, "path"));
		number(out, f, "size");
		cell(out, "hash", str(f, "sha256"));
		cell(out, NULL, str(f, "reason"));
		const cJSON *dis = get(f, "disclosed");
		cell(out, NULL, cJSON_IsString(dis) ? dis->valuestring : cJSON_IsBool(dis) ? (cJSON_IsTrue(dis) ? "yes" : "no") : "");
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void references(FILE *out, const cJSON *rep)
{
	const cJSON *r, *arr = get(rep, "references"), *cov = get(rep, "coverage");
	const int full = cJSON_GetArraySize(arr) > 0;
	if (!full)
		arr = get(get(rep, "metadata"), "references");
	if (cJSON_GetArraySize(arr) <= 0)
		return;
	fputs("<h2>References</h2>\n", out);
	if (cJSON_IsObject(cov))
		fprintf(out, "<p>%.0f reference(s): %.0f captured in the bundle, %.0f not captured.</p>\n",
		    num(cov, "references"), num(cov, "captured"), num(cov, "not_captured"));
	static const char *const l[] = { "Note", "URL", "Status", "Snapshots", NULL }, *const w[] = { "7%", "43%", "15%", "35%" };
	static const char *const l2[] = { "Note", "URL", NULL }, *const w2[] = { "7%", "93%" };
	head_row(out, full ? l : l2, full ? w : w2);
	cJSON_ArrayForEach(r, arr) {
		fputs("<tr>", out);
		number(out, r, "footnote");
		cell(out, "mono", str(r, "url"));
		if (!full) {
			fputs("</tr>\n", out);
			continue;
		}
		const int captured = strcmp(str(r, "status"), "captured") == 0;
		fprintf(out, "<td class=\"%s\">%s", captured ? "ok" : "warn", captured ? "captured" : "not captured");
		small_line(out, str(r, "reason"));
		fputs("</td><td class=\"mono\">", out);
		const cJSON *s;
		int first = 1;
		cJSON_ArrayForEach(s, get(r, "snapshots")) {
			fputs(first ? "" : "<br>", out);
			first = 0;
			esc(out, cJSON_IsString(s) ? s->valuestring : "");
		}
		fputs(first ? "&ndash;</td></tr>\n" : "</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void snapshots(FILE *out, const cJSON *rep)
{
	const cJSON *s, *arr = get(rep, "snapshots");
	if (cJSON_GetArraySize(arr) <= 0)
		return;
	static const char *const l[] = { "Snapshot", "URL", "Captured at", "HTTP", "Check", NULL };
	static const char *const w[] = { "28%", "32%", "16%", "8%", "16%" };
	fputs("<h2>Snapshots of the sources</h2>\n", out);
	head_row(out, l, w);
	cJSON_ArrayForEach(s, arr) {
		fputs("<tr>", out);
		cell(out, NULL, str(s, "path"));
		cell(out, "mono", str(s, "url"));
		cell(out, NULL, str(s, "captured_at"));
		number(out, s, "http_status");
		const cJSON *okv = get(s, "ok");
		fprintf(out, "<td class=\"%s\">%s", !cJSON_IsBool(okv) ? "" : cJSON_IsTrue(okv) ? "ok" : "bad",
		    !cJSON_IsBool(okv) ? "" : cJSON_IsTrue(okv) ? "&#10004; ok" : "&#10008; problem");
		small_line(out, str(s, "reason"));
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void timestamps(FILE *out, const cJSON *rep)
{
	const cJSON *t, *arr = get(rep, "timestamps");
	fputs("<h2>Timestamps</h2>\n", out);
	if (cJSON_GetArraySize(arr) <= 0) {
		fputs("<p>No timestamp token: nothing but the signers' own word says when the bundle existed.</p>\n", out);
		return;
	}
	static const char *const l[] = { "Token", "Time (genTime)", "Authority (TSA)", "Covers", "Trusted", NULL };
	static const char *const w[] = { "16%", "17%", "29%", "24%", "14%" };
	head_row(out, l, w);
	cJSON_ArrayForEach(t, arr) {
		fputs("<tr>", out);
		cell(out, NULL, str(t, "entry"));
		cell(out, NULL, str(t, "gen_time"));
		cell(out, NULL, str(t, "tsa"));
		cell(out, NULL, str(t, "covers"));
		fprintf(out, "<td class=\"%s\">%s", flag(t, "trusted") ? "ok" : "warn", flag(t, "trusted") ? "&#10004; yes" : "&#9888; no");
		small_line(out, str(t, "reason"));
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void versions(FILE *out, const cJSON *rep)
{
	const cJSON *v, *arr = get(rep, "versions");
	if (cJSON_GetArraySize(arr) <= 0)
		return;
	static const char *const l[] = { "Version", "Id and date", "Reason and changes", "Signed by", NULL };
	static const char *const w[] = { "10%", "30%", "32%", "28%" };
	fputs("<h2>History of versions</h2>\n", out);
	head_row(out, l, w);
	cJSON_ArrayForEach(v, arr) {
		fprintf(out, "<tr><td>%.0f%s</td><td class=\"mono\">", num(v, "number"),
		    flag(v, "current") ? " (this)" : "");
		esc(out, str(v, "id"));
		fputs("<br>", out);
		esc(out, str(v, "created"));
		fputs("</td><td>", out);
		esc(out, str(v, "reason"));
		small_line(out, str(v, "changes"));
		fputs("</td>", out);
		cell(out, NULL, flag(v, "current") ? "see Signatories" : str(v, "signers"));
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void findings(FILE *out, const cJSON *rep)
{
	const cJSON *f, *arr = get(rep, "findings");
	if (cJSON_GetArraySize(arr) <= 0)
		return;
	static const char *const l[] = { "Severity", "Code", "Message", NULL }, *const w[] = { "12%", "18%", "70%" };
	fputs("<h2>Findings</h2>\n", out);
	head_row(out, l, w);
	cJSON_ArrayForEach(f, arr) {
		fputs("<tr>", out);
		cell(out, strcmp(str(f, "severity"), "invalid") == 0 ? "bad" : strcmp(str(f, "severity"), "untrusted") == 0 ? "warn" : NULL,
		    str(f, "severity"));
		cell(out, "mono", str(f, "code"));
		cell(out, NULL, str(f, "message"));
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
	/* the report lists the first findings one by one and counts the rest */
	double omitted = num(get(rep, "findings_omitted"), "count");
	if (omitted > 0)
		fprintf(out, "<p>... and %.0f more findings, counted but not listed (see <code>verify --json</code>).</p>\n",
		    omitted);
}

/* A word for a shell command the reader may paste: a bundle's name is chosen by its
   sender, so anything beyond plain characters is single-quoted (and escaped for HTML). */
static void shell_word(FILE *out, const char *s)
{
	if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/+,:@%-") == strlen(s)) {
		esc(out, s);
		return;
	}
	fputs("&#39;", out);
	for (const char *q; (q = strchr(s, '\'')) != NULL; s = q + 1) {
		esc_n(out, s, (size_t)(q - s));
		fputs("&#39;\\&#39;&#39;", out); /* '\'' */
	}
	esc(out, s);
	fputs("&#39;", out);
}

/* ---- how to check this yourself: VERIFY.txt's procedure with this bundle's names ---- */

/* One line of every block below is one command, and each exits non-zero when its check
   fails (tests/cli/test_stock_procedure.sh runs them so). */
static const char list_present[] = "find data ! -type d -print0 | sed -z 's/%/%25/g; s/\\r/%0D/g; s/\\n/%0A/g' "
                                   "| tr '\\0' '\\n'";
static const char list_withheld[] = "sed -n 's/^ *\"path\": *\"\\(.*\\)\",$/\\1/p' redactions.json | sed 's/%/%25/g'";
/* after the payload files: the names present are the names listed, and the tag files */
static const char *const name_checks[] = {
	"cut -c67- manifest-sha256.txt | LC_ALL=C sort | diff - \"${TMPDIR:-/tmp}/present\"",
	"! find . ! -type f ! -type d | grep .",
	"find . ! -type d ! -path './data/*' ! -path './signatures/*' ! -path './timestamps/*' "
	"! -path ./tagmanifest-sha256.txt ! -path ./redactions.json | sed 's|^\\./||' | LC_ALL=C sort "
	"> \"${TMPDIR:-/tmp}/tags\"",
	"cut -c67- tagmanifest-sha256.txt | LC_ALL=C sort | diff - \"${TMPDIR:-/tmp}/tags\"",
};
/* a full copy: every payload file, and the names present */
static const char *const full_copy[] = {
	"sed 's/%25/%/g' manifest-sha256.txt | sha256sum --strict -c",
	NULL, /* list_present > present */
};
/* a redacted copy: the files present, the ones missing withheld with the signed digest */
static const char *const redacted_copy[] = {
	"sed 's/%25/%/g' manifest-sha256.txt | while IFS= read -r l; do [ -e \"${l#*  }\" ] && printf '%s\\n' \"$l\"; "
	"done | sha256sum --strict -c",
	"sed 's/%25/%/g' manifest-sha256.txt | ( while IFS= read -r l; do p=${l#*  }; [ -e \"$p\" ] && continue; "
	"grep -A1 -F \"\\\"path\\\":  \\\"$p\\\",\" redactions.json | grep -qF \"\\\"sha256\\\":  \\\"${l%%  *}\\\",\" "
	"|| { echo \"$p: missing, and not withheld with this digest\"; exit 1; }; echo \"$p: withheld\"; done )",
	NULL, /* { list_present; list_withheld; } > present */
};

static void pre_open(FILE *out, const char *title)
{
	fprintf(out, "<p>%s</p>\n<pre>\n", title);
}

static void command(FILE *out, const char *line)
{
	esc(out, line);
	fputs("\n", out);
}

static void content(FILE *out, int redacted)
{
	command(out, "sha256sum --strict -c tagmanifest-sha256.txt");
	for (const char *const *c = redacted ? redacted_copy : full_copy; *c != NULL; c++)
		command(out, *c);
	fputs(redacted ? "{ " : "", out);
	esc(out, list_present);
	if (redacted) {
		fputs("; ", out);
		esc(out, list_withheld);
		fputs("; }", out);
	}
	command(out, " | LC_ALL=C sort > \"${TMPDIR:-/tmp}/present\"");
	for (size_t i = 0; i < sizeof name_checks / sizeof *name_checks; i++)
		command(out, name_checks[i]);
}

static void minisign_lines(FILE *out, const cJSON *rep)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, get(rep, "signatures")) {
		fputs("minisign -Vm tagmanifest-sha256.txt -x signatures/", out);
		esc(out, str(s, "keyid"));
		fputs(".minisig -p &quot;$KEYS/", out);
		esc(out, str(s, "keyid"));
		fputs(".pub&quot;\n", out);
	}
}

/* A signer's key from the card an authority signed: the receiver trusts the authority only. */
static void card_lines(FILE *out, const cJSON *rep)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, get(rep, "signatures")) {
		const char *entry = str(get(s, "card"), "entry"), *id = str(s, "keyid");
		if (*entry == '\0')
			continue;
		fputs("minisign -Vm ", out);
		shell_word(out, entry);
		fputs(" -p &quot;$AUTHORITY&quot;\ngrep -qF &#39;&quot;keyid&quot;:&quot;", out);
		esc(out, id);
		fputs("&quot;&#39; ", out);
		shell_word(out, entry);
		fputs("\nprintf &#39;untrusted comment: key %s from its card\\n%s\\n&#39; ", out);
		esc(out, id);
		fputs(" &quot;$(sed -n &#39;s/.*&quot;public_key&quot;:&quot;\\([^&quot;]*\\)&quot;.*/\\1/p&#39; ", out);
		shell_word(out, entry);
		fputs(")&quot; &gt; &quot;$KEYS/", out);
		esc(out, id);
		fputs(".pub&quot;\n", out);
	}
}

static void timestamp_lines(FILE *out, const cJSON *rep)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, get(rep, "timestamps")) {
		/* timestamps/<n>.tsr; with a timestamps/<n>.txt when it covers signatures too */
		char txt[64];
		const char *entry = str(t, "entry");
		const size_t n = strlen(entry);
		const int covers_sigs = strstr(str(t, "covers"), "signature") != NULL && n > 4 && n < sizeof txt - 4;
		snprintf(txt, sizeof txt, "%.*s.txt", (int)(covers_sigs ? n - 4 : 0), entry);
		fputs("openssl ts -verify ", out);
		fputs(covers_sigs ? "-data " : "-digest &quot;$(sha256sum tagmanifest-sha256.txt | cut -c1-64)&quot;", out);
		if (covers_sigs)
			shell_word(out, txt);
		fputs(" -in ", out);
		shell_word(out, entry);
		fputs(" -CAfile &quot;$TSA_CA&quot;\n", out);
		if (!covers_sigs)
			continue;
		fputs("sha256sum --strict -c ", out);
		shell_word(out, txt);
		fputs("\nhead -n 1 ", out);
		shell_word(out, txt);
		fputs(" | grep -q &#39;  tagmanifest-sha256.txt$&#39;\n", out);
	}
}

/* The same checks with stock tools, with this bundle's names: nobody has to trust dossier. */
static void by_hand(FILE *out, const cJSON *rep, const struct html_context *ctx)
{
	const char *file = strrchr(ctx->bundle_path, '/') ? strrchr(ctx->bundle_path, '/') + 1 : ctx->bundle_path;
	const size_t len = strlen(file);
	const int zip = len > 4 && strcmp(file + len - 4, ".zip") == 0;
	const int redacted = cJSON_GetArraySize(get(rep, "withheld")) > 0;
	fputs("<h2>How to check this yourself</h2>\n<p>Without dossier, with the standard tools "
	      "<code>tar</code>, <code>minisign</code>, <code>sha256sum</code>, <code>find</code>, <code>sed</code>, "
	      "<code>diff</code> and <code>openssl</code>, in <code>sh</code> or <code>bash</code>; "
	      "<code>VERIFY.txt</code> in the bundle explains each step. Set <code>KEYS</code> to a directory "
	      "holding each signer&#39;s public key as <code>KEYID.pub</code>, obtained through a channel you "
	      "trust, not from the bundle. Every command must succeed (exit status 0): each one fails when "
	      "its check fails, including when a file was added that the signed lists do not name.</p>\n", out);
	pre_open(out, "The signatures, and that the files are exactly the signed ones:");
	if (!ctx->is_dir) {
		fputs(zip ? "unzip " : "tar -xf ", out);
		shell_word(out, file);
		fputs("\n", out);
	}
	fputs("cd ", out);
	shell_word(out, str(rep, "bundle"));
	fputs("\n", out);
	minisign_lines(out, rep);
	content(out, redacted);
	fputs("</pre>\n", out);
	if (redacted)
		fputs("<p class=\"small\">This copy withholds files: <code>sha256sum -c manifest-sha256.txt</code> would "
		      "fail on exactly those, by design. The commands above check every file present, that each one "
		      "missing is named in <code>redactions.json</code> with the digest the signed manifest gives it, "
		      "and that no file was added.</p>\n", out);
	const cJSON *s;
	int cards = 0;
	cJSON_ArrayForEach(s, get(rep, "signatures"))
		cards += *str(get(s, "card"), "entry") != '\0';
	if (cards > 0) {
		pre_open(out, "If you trust the authority that issued the key cards rather than each signer&#39;s key: "
		              "set <code>AUTHORITY</code> to its public key file and <code>KEYS</code> to an empty "
		              "directory, run these, then the <code>minisign</code> lines above. Check that each card "
		              "was valid when its signature was made (<code>minisign</code> prints its "
		              "<code>valid_until</code>).");
		card_lines(out, rep);
		fputs("</pre>\n", out);
	}
	if (cJSON_GetArraySize(get(rep, "timestamps")) > 0) {
		pre_open(out, "The timestamps, with <code>TSA_CA</code> set to the timestamp authority&#39;s "
		              "certificate (PEM); for a certificate expired since, add <code>-attime</code> with the "
		              "token&#39;s time in Unix seconds:");
		timestamp_lines(out, rep);
		fputs("</pre>\n", out);
	}
	fputs("<p class=\"small\">The signatures cover <code>tagmanifest-sha256.txt</code>, which covers "
	      "<code>manifest-sha256.txt</code> and <code>dossier.json</code>, which cover every file.</p>\n", out);
}

static void footer(FILE *out, const cJSON *rep, const struct html_context *ctx)
{
	char when[32];
	struct tm tm;
	time_t t = (time_t)ctx->checked_at;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	fputs("<footer><p>Checked by dossier ", out);
	esc(out, str(rep, "dossier_version"));
	fprintf(out, " at %s. Bundle file: ", when);
	esc(out, ctx->bundle_path);
	fputs(".<br>Keys trusted by this verifier: ", out);
	if (ctx->keyring != NULL) {
		fputs("keyring ", out);
		esc(out, ctx->keyring);
	} else {
		fputs("no keyring", out);
	}
	for (size_t i = 0; i < ctx->npubs; i++) {
		fputs(i == 0 ? "; public keys " : ", ", out);
		esc(out, ctx->pubs[i]);
	}
	fputs(". Policy: ", out);
	esc(out, str(get(rep, "policy"), "source"));
	if (ctx->verdict_at != NULL) {
		fputs(". Verdict as of ", out);
		esc(out, str(rep, "verified_at"));
		fputs(" (--at)", out);
	}
	fputs(".</p></footer>\n", out);
}

/* Which file this report is about, first on the page: a clerk files the printout beside
   the attachment, and anyone can later run sha256sum on it and compare. */
static void identity(FILE *out, const cJSON *rep)
{
	const cJSON *f = get(rep, "bundle_file");
	const int dir = strcmp(str(f, "kind"), "directory") == 0;
	fputs("<section class=\"identity\"><dl><dt>File</dt><dd class=\"mono\">", out);
	esc(out, str(f, "name"));
	fputs(strcmp(str(f, "kind"), "stdin") == 0 ? " (read from standard input)" : "", out);
	fputs(dir ? " (a bag directory, not an archive file)" : "", out);
	fputs("</dd><dt>Size</dt><dd>", out);
	if (cJSON_IsNumber(get(f, "size")))
		fprintf(out, "%.0f bytes", num(f, "size"));
	else
		fputs("&ndash; (a directory has no file size)", out);
	fputs("</dd><dt>SHA-256</dt><dd class=\"hash\">", out);
	esc(out, *str(f, "sha256") ? str(f, "sha256") : "\xe2\x80\x93 (a directory has no file digest)");
	fputs("</dd><dt>Signed object</dt><dd><span class=\"hash\">", out);
	esc(out, *str(f, "tagmanifest_sha256") ? str(f, "tagmanifest_sha256") : "\xe2\x80\x93");
	fputs("</span><br><span class=\"small\">SHA-256 of tagmanifest-sha256.txt, the file the signatures "
	      "cover; the same in every copy of this version, whatever its archive format</span></dd>"
	      "<dt>Bundle</dt><dd>", out);
	esc(out, str(rep, "bundle"));
	fputs("</dd></dl>\n<p class=\"small\">To tie this report to a file: <code>sha256sum FILE</code> "
	      "must print the SHA-256 above.</p></section>\n", out);
}

static void page(FILE *out, const cJSON *rep, const struct html_context *ctx)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
	esc(out, str(rep, "verdict"));
	fputs(" \xe2\x80\x94 verification of ", out);
	esc(out, str(rep, "bundle"));
	fprintf(out, "</title>\n<style>%s</style></head><body>\n<h1>Verification report: ", css);
	esc(out, *str(get(rep, "metadata"), "title") ? str(get(rep, "metadata"), "title") : str(rep, "bundle"));
	fputs("</h1>\n", out);
	identity(out, rep);
	banner(out, rep);
	letter(out, rep);
	checks(out, rep);
	named_signatories(out, rep);
	signatures(out, rep);
	policy(out, rep);
	files(out, rep);
	withheld(out, rep);
	references(out, rep);
	snapshots(out, rep);
	timestamps(out, rep);
	versions(out, rep);
	findings(out, rep);
	by_hand(out, rep, ctx);
	footer(out, rep, ctx);
	fputs("</body></html>\n", out);
}

int write_html_report(const char *path, const char *json, const struct html_context *ctx)
{
	cJSON *rep = cJSON_Parse(json);
	char *text = NULL;
	size_t len = 0;
	FILE *out = rep ? open_memstream(&text, &len) : NULL;
	if (out == NULL) {
		cJSON_Delete(rep);
		return fail(70, "out of memory");
	}
	page(out, rep, ctx);
	cJSON_Delete(rep);
	if (fclose(out) != 0) {
		free(text);
		return fail(70, "out of memory");
	}
	struct dossier_error err;
	int rc = dossier_write_file(path, text, len, 1, &err) == DOSSIER_OK ? 0 : report_error(&err);
	free(text);
	return rc;
}
