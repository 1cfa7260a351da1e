/* progress.c - telling the caller how far a long pack or read has come, now and then. */
#include "internal.h"

/* Often enough for a smooth display at a few GB/s, rarely enough to cost nothing. */
#define PROGRESS_STEP (8u << 20)

void progress_init(struct progress *p, const struct dossier_progress *cb, uint64_t total)
{
	p->cb = cb != NULL && cb->fn != NULL ? cb : NULL;
	p->done = 0;
	p->total = total;
	p->next = PROGRESS_STEP;
}

void progress_set(struct progress *p, uint64_t done)
{
	if (p == NULL || p->cb == NULL)
		return;
	p->done = done;
	if (done < p->next)
		return;
	p->next = done + PROGRESS_STEP;
	p->cb->fn(p->cb->ctx, done, p->total);
}

void progress_add(struct progress *p, uint64_t n)
{
	if (p != NULL)
		progress_set(p, p->done + n);
}

void progress_end(struct progress *p)
{
	if (p != NULL && p->cb != NULL)
		p->cb->fn(p->cb->ctx, p->total > p->done ? p->total : p->done, p->total);
}
