/* policy_check.c - the signing policy (docs/FORMAT.md, section 12) over a bundle's
   signatures and named signatories: one row per rule, met or not, and who counted.
   People are counted once each: one public key (by its bytes) or one trusted identity is
   one person. */
#include <stdlib.h>
#include <string.h>

#include "signers.h"
#include "strset.h"

#define UNTRUSTED DOSSIER_FINDING_UNTRUSTED

static void policy_result(struct dossier_report *r, const char *rule, int met, const char *detail)
{
	struct dossier_policy_check *n = array_grow(r->policy, r->npolicy, &r->cappolicy, sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		return;
	}
	r->policy = n;
	struct dossier_policy_check *c = &r->policy[r->npolicy++];
	c->rule = report_str(r, rule);
	c->met = met;
	c->detail = report_str(r, detail ? detail : "");
	if (!met)
		report_add(r, UNTRUSTED, "policy-unmet", "", "policy not met: %s: %s", rule, c->detail);
}

/* Counts distinct people among valid signatures that pass the filter: two keys of one
   person count once (same trusted name), and one key counts once whatever key id it
   is filed under and however often a set lists it. */
static long count_people(struct dossier_report *r, int (*pass)(const struct dossier_sig_info *, const void *),
    const void *arg, struct buf *names)
{
	struct strset seen = { 0 };
	long n = 0;
	for (size_t i = 0; i < r->nsigs; i++) {
		const struct dossier_sig_info *s = &r->sigs[i];
		if (s->status != DOSSIER_SIG_VALID || !pass(s, arg))
			continue;
		int rc = sig_seen(&seen, s);
		if (rc < 0) {
			r->oom = 1;
			break;
		}
		if (rc == 0) {
			n++;
			buf_printf(names, "%s%s (%s)", names->len ? ", " : "", s->identity[0] ? s->identity : "unnamed",
			    s->keyid);
		}
	}
	strset_release(&seen);
	return n;
}

static int pass_listed(const struct dossier_sig_info *s, const void *arg)
{
	(void)arg;
	return s->listed;
}

struct members {
	char *const *v;
	size_t n;
};

static int pass_member(const struct dossier_sig_info *s, const void *arg)
{
	const struct members *m = arg;
	for (size_t i = 0; i < m->n; i++)
		if (policy_member_matches(m->v[i], s->keyid, s->identity))
			return 1;
	return 0;
}

static void rule_all_trusted(struct dossier_report *r, const char *rule, struct buf *detail)
{
	for (size_t i = 0; i < r->nsigs; i++)
		if (r->sigs[i].status == DOSSIER_SIG_UNKNOWN_KEY || r->sigs[i].status == DOSSIER_SIG_UNTRUSTED)
			buf_printf(detail, "%s%s", detail->len ? ", " : "not trusted: ", r->sigs[i].keyid);
	policy_result(r, rule, detail->len == 0, detail->len ? detail->data : "every signature is trusted");
}

/* Every signatory dossier.json names has a valid, trusted signature (signatories.c). */
static void rule_all_signatories(struct dossier_report *r, const char *rule, struct buf *detail)
{
	size_t missing = 0;
	for (size_t i = 0; i < r->nsignatories; i++)
		if (!r->signatories[i].has_signed)
			missing++;
	if (missing > 0) {
		buf_printf(detail, "%zu of %zu named signator%s did not sign:", missing, r->nsignatories,
		    r->nsignatories == 1 ? "y" : "ies");
		for (size_t i = 0, k = 0; i < r->nsignatories; i++)
			if (!r->signatories[i].has_signed)
				buf_printf(detail, "%s %s", k++ ? "," : "", r->signatories[i].name);
	} else if (r->nsignatories == 0) {
		buf_printf(detail, "the bundle names no signatories");
	} else {
		buf_printf(detail, "all %zu named signator%s signed", r->nsignatories, r->nsignatories == 1 ? "y" : "ies");
	}
	policy_result(r, rule, missing == 0, detail->data);
}

static void rule_min_signers(struct dossier_report *r, const char *rule, long min, struct buf *detail)
{
	struct buf names = { 0 };
	long n = count_people(r, pass_listed, NULL, &names);
	if (n >= min)
		buf_printf(detail, "%ld counted: %s", n, names.data);
	else
		buf_printf(detail, "%ld counted%s%s", n, n ? ": " : "", n ? names.data : "");
	for (size_t i = 0; n < min && i < r->nsigs; i++)
		if (r->sigs[i].status == DOSSIER_SIG_VALID && !r->sigs[i].listed)
			buf_printf(detail, "; %s signed with a trusted key but is not a signatory of this bundle",
			    r->sigs[i].identity[0] ? r->sigs[i].identity : r->sigs[i].keyid);
	policy_result(r, rule, n >= min, detail->data);
	buf_release(&names);
}

/* A required signer (at_least 0: the one member must sign), or a threshold. */
static void rule_members(struct dossier_report *r, const char *rule, const struct members *m, long at_least,
    struct buf *detail)
{
	struct buf names = { 0 };
	long n = count_people(r, pass_member, m, &names);
	if (at_least == 0 && n == 0)
		buf_printf(detail, "no valid signature by a trusted key of %s", m->v[0]);
	else if (at_least == 0)
		buf_printf(detail, "signed by %s", names.data);
	else
		buf_printf(detail, "%ld distinct signer%s counted%s%s", n, n == 1 ? "" : "s", n ? ": " : "",
		    n ? names.data : "");
	policy_result(r, rule, n >= (at_least ? at_least : 1), detail->data);
	buf_release(&names);
}

static void rule_timestamps(struct dossier_report *r, const char *rule, long min, struct buf *detail)
{
	struct strset tsas = { 0 };
	struct buf names = { 0 };
	long n = 0;
	for (size_t i = 0; i < r->nts; i++)
		if (r->ts[i].trusted && strset_put(&tsas, r->ts[i].tsa, "") == 0) {
			n++;
			buf_printf(&names, "%s%s", names.len ? "; " : "", r->ts[i].tsa);
		}
	strset_release(&tsas);
	buf_printf(detail, "%ld trusted TSA%s%s%s", n, n == 1 ? "" : "s", n ? ": " : "", n ? names.data : "");
	policy_result(r, rule, n >= min, detail->data);
	buf_release(&names);
}

/* A redacted copy: said in the checks either way, refused only when the policy says so. */
static void rule_redaction(struct dossier_report *r, const char *rule, int allowed, struct buf *detail)
{
	buf_printf(detail, "%zu file%s withheld", r->nwithheld, r->nwithheld == 1 ? "" : "s");
	for (size_t i = 0; i < r->nwithheld; i++)
		buf_printf(detail, "%s%s", i ? ", " : ": ", r->withheld[i].path);
	if (!allowed)
		policy_result(r, rule, r->nwithheld == 0, detail->data);
	else if (r->nwithheld > 0)
		policy_result(r, "files may be withheld (a redacted copy)", 1, detail->data);
}

/* The buffer emptied for the next rule's detail. */
static struct buf *fresh(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	return b;
}

/* The rows in the order of the policy's rules (policy.c, describe). */
void check_policy(struct dossier_report *r, const struct policy *p)
{
	struct buf d = { 0 };
	size_t k = 0;
	r->policy_source = report_str(r, p->source ? p->source : "default policy");
	if (p->all_trusted)
		rule_all_trusted(r, p->rules[k++], fresh(&d));
	if (p->all_signatories)
		rule_all_signatories(r, p->rules[k++], fresh(&d));
	if (p->min_signers > 0)
		rule_min_signers(r, p->rules[k++], p->min_signers, fresh(&d));
	for (size_t i = 0; i < p->nrequired; i++) {
		const struct members m = { &p->required[i], 1 };
		rule_members(r, p->rules[k++], &m, 0, fresh(&d));
	}
	for (size_t i = 0; i < p->nthresholds; i++) {
		const struct members m = { p->thresholds[i].of, p->thresholds[i].nof };
		rule_members(r, p->rules[k++], &m, p->thresholds[i].at_least, fresh(&d));
	}
	if (p->min_timestamps > 0)
		rule_timestamps(r, p->rules[k++], p->min_timestamps, fresh(&d));
	if (p->max_age_days > 0)
		policy_result(r, p->rules[k++], 1, "signatures older than that are counted as untrusted above");
	rule_redaction(r, p->allow_redaction ? NULL : p->rules[k], p->allow_redaction, fresh(&d));
	buf_release(&d);
}
