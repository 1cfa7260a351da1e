/* trust.h - what the trust files of libdossier share: the keyring model, signed JSON
   files (key cards, revocation lists) and the signing policy. */
#ifndef DOSSIER_TRUST_H
#define DOSSIER_TRUST_H

#include "internal.h"

/* ---- the signing policy (policy.c) ---- */
struct threshold {
	long at_least;
	char **of; /* key ids or names */
	size_t nof;
};
struct policy {
	char *source;      /* the file, or NULL for the default policy */
	long min_signers;  /* distinct trusted signatories */
	int all_trusted;   /* every signature must come from a trusted signer */
	char **required;   /* key ids or names that must each have signed */
	size_t nrequired;
	struct threshold *thresholds;
	size_t nthresholds;
	long min_timestamps; /* trusted timestamps by distinct TSAs; 0: none needed */
	long max_age_days;   /* 0: no limit */
	int allow_redaction; /* a copy may withhold files (redactions.json); default 1 */
	char **rules;        /* the rules in words, for listings and reports */
	size_t nrules;
	int all_signatories; /* every signatory dossier.json names must sign; default 1 */
};
void policy_default(struct policy *p);
void policy_release(struct policy *p);
/* Parses policy JSON; on failure p is left as it was. */
enum dossier_status policy_parse(const char *name, const char *text, size_t len, struct policy *p,
    struct dossier_error *err);
/* Whether a policy member (a key id or a name) names this signer. */
int policy_member_matches(const char *member, const char *keyid, const char *identity);

/* ---- trust: the verifier's side (trust.c, keyring.c) ---- */
struct dossier_trust {
	struct dossier_keyset *signers;
	struct dossier_keyset *authorities;
	struct dossier_revocation *revs;
	size_t nrevs, caprevs;
	char **tsa;
	size_t ntsa;
	struct dossier_trust_problem *problems;
	size_t nproblems, capproblems;
	struct policy policy;
	int oom;
};
void trust_problem(struct dossier_trust *t, int fatal, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum dossier_status trust_add_revocation(struct dossier_trust *t, const struct dossier_revocation *r,
    const char *reason, const char *source);
/* The earliest revocation of keyid, or NULL. */
const struct dossier_revocation *trust_revoked(const struct dossier_trust *t, const char *keyid);

/* How many PEM certificates text holds. */
int pem_certificates(const char *text, size_t len);

/* ---- signed JSON files: a text and its detached minisign signature ---- */
/* Checks that sig_text is a signature over text by the authority key id want (from the
   file itself) and that this authority is in authorities (may be NULL: none). A trusted
   comment of ours (starting with comment_tag) must contain comment_needle. NULL if it
   holds, else the reason (in why). */
const char *signed_by_authority(const char *text, size_t len, const char *sig_text, size_t sig_len,
    const char *want, const char *comment_tag, const char *comment_needle,
    const struct dossier_keyset *authorities, const char **authority_source, char *why, size_t whylen);
/* Reads path and path.minisig (both small). */
enum dossier_status read_signed_pair(const char *path, struct buf *text, struct buf *sig,
    struct dossier_error *err);
/* Writes text to path and sig to path.minisig, each atomically. */
enum dossier_status write_signed_pair(const char *path, const char *text, const char *sig,
    int force, struct dossier_error *err);
/* cJSON without whitespace plus a final newline: the one byte form of a card or list. */
char *json_canonical(const struct cJSON *json);

/* ---- names the receiver gives keys it trusts directly (keyname.c) ---- */
#define KEYNAME_SUFFIX ".name.json"
/* "dir/ana.pub" -> "dir/ana.name.json" and back; NULL if the suffix is not there. Caller frees. */
char *keyname_path(const char *pub_path);
char *keyname_key_path(const char *name_path);
/* The name file's text for key keyid. Caller frees. */
char *keyname_render(const char *keyid, const char *name);
/* The name given to the key at pub_path (its key id keyid) in the name file beside it:
   *found = 0 and "" when there is none; an error when it is unreadable, malformed or
   names another key (it is not silently ignored: it was meant to name this key). */
enum dossier_status keyname_read(const char *pub_path, const char *keyid, char *name, size_t len,
    int *found, struct dossier_error *err);

/* ---- cards (card.c) ---- */
/* A name or a card field: one line of UTF-8 without control characters, at most
   DOSSIER_TEXT_MAX bytes; required: not empty. what names it in the message. */
enum dossier_status check_text(const char *what, const char *v, int required, struct dossier_error *err);
/* The card file's text in canonical form. Caller frees. */
char *card_render(const struct dossier_card *c);
/* Reads a card file and its .minisig for carrying in a bundle: the card parses, the
   signature parses and is by the authority the card names (whether that authority is
   trusted is the verifier's business). On failure text and sig are released. */
enum dossier_status card_file_load(const char *file, struct dossier_card *card, struct buf *text,
    struct buf *sig, struct dossier_error *err);

/* ---- revocation lists (revocation.c) ---- */
struct revocation_list {
	char authority[17];
	char issued[32];
	struct dossier_revocation *items;
	char **reasons; /* owned; items[i].reason points here */
	size_t count;
};
enum dossier_status revocation_parse(const char *name, const char *text, size_t len,
    struct revocation_list *out, struct dossier_error *err);
void revocation_release(struct revocation_list *l);

#endif
