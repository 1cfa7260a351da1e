/* signers.h - what the files that judge a bundle's signers share: signers.c (every file
   under signatures/ and keys/), sigchain.c (one signature's chain of checks),
   signatories.c (who of the named signatories signed, each key and person once) and
   policy_check.c (the signing policy over them all). */
#ifndef DOSSIER_SIGNERS_H
#define DOSSIER_SIGNERS_H

#include "report.h"
#include "trust.h"

/* How far a signer's clock may run ahead of the verifier's: a signature that claims to
   be made later than the verification time plus this is not trusted (FORMAT.md 5.3). */
#define CLOCK_SKEW_SECONDS 600

/* A time no trusted timestamp proves, or that a trusted comment does not claim. */
#define NO_TIME INT64_MIN

/* What every signature of one bundle is judged against. */
struct sig_eval {
	const struct dossier_trust *trust; /* may be NULL */
	int64_t at;                        /* the verification time */
	const char *msg;                   /* tagmanifest-sha256.txt, or NULL */
	size_t msglen;
	const char *id;                    /* dossier.json's id, or NULL */
};

/* signers.c: a card file's form, whoever uses it: it parses, is for keyid, and its
   .minisig is there, parses and is by the authority the card names. NULL if so, else
   "entry: reason" (in why). */
const char *card_form_problem(const struct dossier_bundle *b, const char *entry, const char *keyid,
    struct dossier_card *card, char *why, size_t whylen);

/* sigchain.c: judges signatures/<keyid>.minisig (t) into the next slot of r->sigs. */
void sig_evaluate(struct dossier_report *r, const struct dossier_bundle *b, const struct sig_eval *ev,
    const struct tag_entry *t, const char *keyid);

/* signatories.c: notes keys and people that sign twice, then accounts for every
   signatory of dossier.json "from" (r->signatories). */
void check_signatories(struct dossier_report *r);
/* Whether a valid signature's signer is in seen already: the same public key (whatever
   its key id) or the same trusted identity (case-folded, NFC). If not, both are added.
   1 seen, 0 new, -1 out of memory. */
struct strset;
int sig_seen(struct strset *seen, const struct dossier_sig_info *s);

/* policy_check.c: each rule of p over the signatures and signatories. */
void check_policy(struct dossier_report *r, const struct policy *p);

#endif
