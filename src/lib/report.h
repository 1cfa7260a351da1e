/* report.h - building a verification report (the library side of verify). */
#ifndef DOSSIER_REPORT_H
#define DOSSIER_REPORT_H

#include <cjson/cJSON.h>

#include "internal.h"

struct dossier_report {
	char *bundle_name;
	struct dossier_bundle_file file;
	enum dossier_status verdict;
	struct dossier_finding *findings; /* kept one by one: see report_add */
	size_t nfindings, capfindings;
	struct finding_key {
		const char *code;
		enum dossier_finding_kind kind;
		int history;
	} *keys; /* each code, severity and scope met, so that the first of each is kept */
	size_t nkeys, capkeys;
	struct dossier_omitted *omitted; /* the findings only counted */
	size_t nomitted, capomitted;
	struct dossier_file_info *files;
	size_t nfiles;
	struct dossier_sig_info *sigs;
	size_t nsigs;
	struct dossier_timestamp_info *ts;
	size_t nts;
	struct proof {
		const char *path; /* a signature (or token) a trusted timestamp covers */
		int64_t at;       /* its genTime */
	} *proofs;
	size_t nproofs, capproofs;
	struct dossier_version_info *versions;
	size_t nversions;
	int history; /* judging a version under history/: no policy, no keyring notes */
	struct dossier_withheld_info *withheld; /* accounted for by redactions.json */
	size_t nwithheld;
	uint64_t withheld_octets;
	struct dossier_policy_check *policy;
	size_t npolicy, cappolicy;
	const char *policy_source;
	cJSON *meta; /* dossier.json when it parsed and passed its schema */
	const char **people[3]; /* from, to, cc */
	size_t npeople[3];
	const char **refs;
	size_t nrefs;
	struct dossier_snapshot_info *snaps;
	size_t nsnaps;
	struct dossier_reference_info *coverage;
	size_t ncoverage;
	struct dossier_signatory_info *signatories; /* dossier.json "from", signed or not */
	size_t nsignatories;
	int64_t at; /* the verification time: every date is judged against it */
	char **strings; /* every string the report owns */
	size_t nstrings, capstrings;
	int oom;
};

/* A copy owned by the report; never NULL (oom is flagged instead). */
const char *report_str(struct dossier_report *r, const char *s);
const char *report_printf(struct dossier_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void report_add(struct dossier_report *r, enum dossier_finding_kind kind, const char *code,
    const char *entry, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Counts n findings left out (history: about an earlier version); the verdict counts them. */
void report_omit(struct dossier_report *r, enum dossier_finding_kind kind, const char *code,
    int history, uint64_t n);
/* Makes every untrusted finding of code, kept or counted, a notice: what a policy allows. */
void report_relax(struct dossier_report *r, const char *code);
/* The worst severity among every finding, kept or counted, as a verdict. */
enum dossier_status report_worst(const struct dossier_report *r);
void report_collect_people(struct dossier_report *r);
/* checks.c: the "checks" array of the JSON report, one verdict per kind of check. */
cJSON *report_checks_json(const struct dossier_report *r);

/* snapshots.c: the snapshot files (WARC records read by bundle.c) and which references
   they cover; after check_payload. */
void check_snapshots(struct dossier_report *r, const struct dossier_bundle *b);

/* timestamps.c: each token, trusted or not, before the signatures are judged. */
void check_timestamps(struct dossier_report *r, const struct dossier_bundle *b,
    const struct dossier_trust *trust);
/* The earliest trusted genTime that covers path, or INT64_MIN. */
int64_t report_proven_time(const struct dossier_report *r, const char *path);

/* history.c: the versions under history/, their links, signers and changes. */
void check_history(struct dossier_report *r, const struct dossier_bundle *b,
    const struct dossier_trust *trust);

/* signers.c: each file in signatures/ and keys/, each signature, who made it, whether to
   trust them (judged at r->at), then the signatories and the policy. */
struct dossier_trust;
void check_signatures(struct dossier_report *r, const struct dossier_bundle *b,
    const struct dossier_trust *trust);

#endif
