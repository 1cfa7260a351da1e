/* prefetch.c - a thread that opens and reads the next small inputs of a pack while
   the caller writes the current one.

   With many small files, open, fstat, read and close cost more than writing and hashing
   the bytes; tar pays the same calls. Done on the second core, ahead of the writer, they
   overlap the archive writing instead of adding to it. Large inputs are left to the
   caller, which streams them through the hasher thread. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "prefetch.h"

/* Bounds on what is read but not yet written: a few MiB of data and a ring of slots,
   so memory does not grow with the number or size of inputs. */
#define RING 512
#define BUDGET (8u << 20)

struct prefetch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready; /* the thread finished a slot */
	pthread_cond_t room;  /* the caller gave a slot back, or asks to stop */
	const struct pack_input *inputs;
	size_t n;
	size_t next;  /* the next input the thread reads */
	size_t taken; /* inputs before this one were given back by the caller */
	uint64_t held; /* bytes read and not given back */
	int stop;
	struct prefetched slot[RING];
};

/* Reads one input the way pack's own reader does: a regular file, exactly the planned
   size (one byte more is read, to see it grow). */
static void load(const struct pack_input *in, struct prefetched *p)
{
	int fd = open_input(in->source);
	p->state = PREFETCH_NOT_OPENED;
	if (fd < 0) {
		p->errnum = errno;
		return;
	}
	p->state = PREFETCH_READ_ERROR;
	if ((p->data = malloc(in->size + 1)) == NULL) {
		p->errnum = ENOMEM;
		close(fd);
		return;
	}
	uint64_t done = 0;
	for (;;) {
		ssize_t r = read(fd, p->data + done, in->size + 1 - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			p->errnum = errno;
			break;
		}
		size_t asked = (size_t)(in->size + 1 - done);
		done += (uint64_t)r;
		/* A regular file gives less than asked only at its end, so a short read that
		   completes the file ends it without one more call to see end of file. */
		if (r == 0 || done > in->size || (done == in->size && (size_t)r < asked)) {
			p->state = done > in->size ? PREFETCH_GREW : done < in->size ? PREFETCH_SHRANK : PREFETCH_LOADED;
			break;
		}
	}
	close(fd);
	p->len = done;
	if (p->state != PREFETCH_LOADED) {
		free(p->data);
		p->data = NULL;
		return;
	}
	/* hashed here too, so the writer's thread only writes */
	p->hashed = !in->salted && sha256_buf(p->data, (size_t)p->len, p->digest) == 0;
}

static void *run(void *arg)
{
	struct prefetch *pf = arg;
	pthread_mutex_lock(&pf->lock);
	while (pf->next < pf->n && !pf->stop) {
		const struct pack_input *in = &pf->inputs[pf->next];
		uint64_t need = in->size <= PREFETCH_MAX_FILE ? in->size : 0;
		/* wait for a free slot and room in the budget (an empty pipeline always has room) */
		while (!pf->stop && (pf->next - pf->taken >= RING ||
		    (pf->held > 0 && pf->held + need > BUDGET)))
			pthread_cond_wait(&pf->room, &pf->lock);
		if (pf->stop)
			break;
		struct prefetched *p = &pf->slot[pf->next % RING];
		pf->held += need;
		pthread_mutex_unlock(&pf->lock);
		*p = (struct prefetched){ .state = PREFETCH_SKIPPED };
		if (in->size <= PREFETCH_MAX_FILE)
			load(in, p);
		pthread_mutex_lock(&pf->lock);
		pf->next++;
		pthread_cond_signal(&pf->ready);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

int prefetch_start(struct prefetch **out, const struct pack_input *inputs, size_t n)
{
	size_t small = 0;
	*out = NULL;
	for (size_t i = 0; i < n; i++)
		small += inputs[i].size <= PREFETCH_MAX_FILE;
	if (small < PREFETCH_MIN_FILES)
		return 0; /* a thread would cost more than it saves */
	struct prefetch *pf = calloc(1, sizeof *pf);
	if (pf == NULL)
		return -1;
	pf->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	pf->ready = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	pf->room = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	pf->inputs = inputs;
	pf->n = n;
	if (pthread_create(&pf->thread, NULL, run, pf) != 0) {
		free(pf);
		return -1;
	}
	*out = pf;
	return 0;
}

void prefetch_take(struct prefetch *pf, size_t i, struct prefetched *out)
{
	pthread_mutex_lock(&pf->lock);
	while (pf->next <= i)
		pthread_cond_wait(&pf->ready, &pf->lock);
	*out = pf->slot[i % RING];
	pthread_mutex_unlock(&pf->lock);
}

void prefetch_give_back(struct prefetch *pf, struct prefetched *p)
{
	free(p->data);
	p->data = NULL;
	pthread_mutex_lock(&pf->lock);
	const struct pack_input *in = &pf->inputs[pf->taken];
	pf->held -= in->size <= PREFETCH_MAX_FILE ? in->size : 0;
	pf->taken++;
	pthread_cond_signal(&pf->room);
	pthread_mutex_unlock(&pf->lock);
}

void prefetch_stop(struct prefetch *pf)
{
	if (pf == NULL)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->stop = 1;
	pthread_cond_signal(&pf->room);
	pthread_mutex_unlock(&pf->lock);
	pthread_join(pf->thread, NULL);
	/* what was read ahead and never taken */
	for (size_t i = pf->taken; i < pf->next; i++)
		free(pf->slot[i % RING].data);
	free(pf);
}
