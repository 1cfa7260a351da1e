/* cli.h - what the subcommands of the dossier command share. */
#ifndef DOSSIER_CLI_H
#define DOSSIER_CLI_H

#include <signal.h>
#include <stdio.h>

#include "dossier.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage; /* one line, after "usage: " */
	const char *summary;
};

extern const struct command commands[];

int cmd_keygen(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_certify(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_keyring(int argc, char **argv);
int cmd_timestamp(int argc, char **argv);
int cmd_reissue(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_redact(int argc, char **argv);

/* Prints "usage: ..." for the named command to stderr and returns 64. */
int usage(const char *name);
/* Prints the command's help (help_text.c) to stdout for --help and returns 0. */
int help(const char *name);
/* Prints "dossier: <message>" to stderr and returns the status as an exit code. */
int report_error(const struct dossier_error *err);
/* The same with "; <hint>" after the message: the next step to take. */
int report_error_hint(const struct dossier_error *err, const char *hint);
/* Writes text that came from a bundle: control characters and bidi overrides become '?'. */
void fputs_safe(FILE *out, const char *s);
/* The same for the first len bytes of s (a run inside a longer string). */
void fwrite_safe(FILE *out, const char *s, size_t len);
/* "dossier: <message>" on stderr, the message made safe for a terminal. */
void print_problem(const char *message);
/* A progress or result note on stderr, made safe for a terminal. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "dossier: <formatted>" to stderr and returns code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether to colour a stream: a TTY and no NO_COLOR. */
int use_colour(FILE *f);
int is_help(const char *arg);

/* Reads a passphrase from --passphrase-file or the terminal; NULL on failure
   (message printed, exit code in *code). confirm asks twice. Free with passphrase_free. */
char *passphrase_get(const char *file, const char *prompt, int confirm, int *code);
void passphrase_free(char *p);
/* Loads a secret key and unlocks it (asking for the passphrase if it has one):
   0 and *key, or an exit code after printing the error. */
int secret_key_open(const char *path, const char *passfile, const char *prompt,
    struct dossier_seckey **key);

/* 0 if a --reason (may be NULL) is one line of at most 1024 bytes, else 64 after
   saying so. */
int check_reason(const char *reason);
/* SOURCE_DATE_EPOCH into *epoch when set (left alone otherwise): 0, or 64 after
   printing why it is not a number of seconds. */
int source_date_epoch(int64_t *epoch);
/* "64G", "500M", "1000": bytes (K, M, G, T are powers of 1024); -1 if malformed. */
long long parse_size(const char *s);
/* What verify, extract and show share: the keys to trust and the reading limits. */
struct trust_args {
	const char *keyring;  /* -K */
	const char **pubs;    /* -p, repeatable */
	size_t npubs, cap;
	const char *policy;   /* --policy */
	struct dossier_limits lim;  /* --max-bytes, --max-entries */
	struct dossier_trust *trust; /* filled by trust_load */
};
#define OPT_POLICY 1001
#define TRUST_LONG_OPTIONS                                  \
	{ "keyring", required_argument, NULL, 'K' },            \
	{ "public-key", required_argument, NULL, 'p' },         \
	{ "policy", required_argument, NULL, OPT_POLICY },      \
	{ "max-bytes", required_argument, NULL, 'B' },          \
	{ "max-entries", required_argument, NULL, 'E' }
/* Handles -K, -p, --policy, --max-bytes, --max-entries: 1 if handled, 0 if c is none of
   them, or an exit code after printing the error. */
int trust_option(struct trust_args *t, int c, const char *arg);
/* Loads the -p files, the -K directory (or the default keyring) and the policy: 0 or
   an exit code. */
int trust_load(struct trust_args *t);
/* The keyring directory to use: -K, else the default; NULL if neither is set. */
const char *keyring_path(const char *given, char *buf, size_t len);
void trust_release(struct trust_args *t);

/* What capture and pack --capture share: --timeout, --max-size, --resolve, --connect-to,
   --cacert. */
struct capture_args {
	struct dossier_capture_options opt;
	const char **resolve;    /* room for argc entries, made at the first --resolve */
	const char **connect_to; /* the same for --connect-to */
};
#define OPT_TIMEOUT 1101
#define OPT_MAX_SIZE 1102
#define OPT_RESOLVE 1103
#define OPT_CACERT 1104
#define OPT_CONNECT_TO 1105
#define CAPTURE_LONG_OPTIONS                                    \
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },        \
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },      \
	{ "resolve", required_argument, NULL, OPT_RESOLVE },        \
	{ "cacert", required_argument, NULL, OPT_CACERT },          \
	{ "connect-to", required_argument, NULL, OPT_CONNECT_TO }
/* Takes one of them (c is OPT_TIMEOUT ... OPT_CONNECT_TO): 0, or an exit code after
   printing the error. argc bounds the number of --resolve and --connect-to. */
int capture_option(struct capture_args *ca, int c, const char *arg, int argc);
void capture_args_release(struct capture_args *ca);

/* A progress line on stderr for pack, verify and extract: only on a terminal and
   without -q. progress_start gives the callback for the library, or NULL when off;
   progress_stop clears the line before anything else is printed. */
struct cli_progress {
	struct dossier_progress cb;
	const char *what;
	long long start, drawn;
	int shown;
};
const struct dossier_progress *progress_start(struct cli_progress *p, const char *what, int quiet);
void progress_stop(struct cli_progress *p);

/* The text outputs list the first FINDINGS_SHOWN findings one by one and then say how
   many more there are: a hostile bundle can make millions, and the JSON report has them
   (as many as the report keeps, and the count of the rest). -v lists all it keeps. */
#define FINDINGS_SHOWN 50
#define KIND_BIT(k) (1u << (k))
#define PROBLEM_KINDS (KIND_BIT(DOSSIER_FINDING_INVALID) | KIND_BIT(DOSSIER_FINDING_UNTRUSTED))
#define ALL_KINDS (PROBLEM_KINDS | KIND_BIT(DOSSIER_FINDING_NOTICE))
/* Calls show for each finding whose kind is in kinds (KIND_BIT bits), the first limit of
   them; returns how many more of those kinds there are, the ones the report only counted
   included. */
uint64_t findings_each(const struct dossier_report *r, unsigned kinds, size_t limit,
    void (*show)(void *ctx, const struct dossier_finding *f), void *ctx);
/* extract_guard.c: extract in a child process, so that a signal (SIGINT, SIGTERM,
   SIGHUP) leaves nothing behind. extract_guard_fork returns 1 in the child, which then
   extracts with extract_guard_staged as the library's staged callback and calls
   extract_guard_done after; in the parent it returns 0 once the child is done, with *rc
   its exit code, or never: after removing the child's staging directory (and DIR if it
   made it) it dies of the signal. It returns 1 without a child when none can be made. */
#include <signal.h>
struct extract_guard {
	int fd; /* the child's end of the pipe, or -1 */
	sigset_t old;
};
int extract_guard_fork(struct extract_guard *g, const char *dir, int *rc);
void extract_guard_staged(void *ctx, const char *staging, int made_dir);
void extract_guard_done(struct extract_guard *g);

/* Each finding that is not a notice, one line on stderr ("dossier: label: message" with a
   label, for several bundles), the first FINDINGS_SHOWN of them unless all, then a count. */
void print_findings(const char *label, const struct dossier_report *r, int all);
/* "dossier: <label>: <message>" on stderr (print_problem with a label). */
void print_problem_of(const char *label, const char *message);

/* Text renderings of a report. */
void print_report(FILE *out, const struct dossier_report *r, int verbose);
void print_show(FILE *out, const struct dossier_report *r);
/* What a signature over this bundle covers (summary.c): the block sign shows before it
   signs and show prints, line for line the same. */
void print_signing_summary(FILE *out, const struct dossier_report *r);

/* What the HTML report says about the check itself, beside the JSON report. */
struct html_context {
	const char *bundle_path; /* as given on the command line */
	int is_dir;              /* a bag directory, not an archive */
	const char *keyring;     /* the keyring used, or NULL */
	const char *const *pubs; /* -p files */
	size_t npubs;
	int64_t checked_at;      /* SOURCE_DATE_EPOCH, or now */
	const char *verdict_at;  /* verify --at as given, or NULL: the verdict is for now */
};
/* Renders the JSON report of verify as one self-contained HTML page and writes it to
   path atomically: 0 or an exit code after printing the error. */
int write_html_report(const char *path, const char *json, const struct html_context *ctx);

#endif
