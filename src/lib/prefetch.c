/* prefetch.c - a thread that opens and reads the next small inputs of a pack while
   the caller writes the current one, and hashes what the caller has not reached.

   With many small files, open, fstat, read and close cost more than writing the bytes;
   tar pays the same calls. Done on the second core, ahead of the writer, they overlap
   the archive writing instead of adding to it. Hashing is shared: the thread hashes
   only when its ring is full (the writer is the slower side), the slots just ahead of
   the writer, and the writer hashes every slot the thread did not claim. So neither
   core idles while the other has work, whichever of reading or writing costs more on
   this machine. Large inputs are left to the caller, which streams them through the
   hasher thread. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prefetch.h"

/* Bounds on what is read but not yet written: a ring of slots, and their bytes in one
   arena of a few MiB used as a ring too (inputs are given back in the order they were
   read), so memory does not grow with the number or size of inputs and no file costs
   a malloc and a free. */
#define RING 512
#define ARENA (4u << 20)
/* A side that sleeps is woken for this many slots at once, not for each: with 100,000
   small files a wake-up per file costs more than the files. */
#define BATCH 32

enum claim { UNCLAIMED, BY_THREAD, BY_WRITER };

struct slot {
	struct prefetched p;
	size_t reserved;  /* bytes of the arena it holds: its data, and the arena's tail
	                     it skipped to start at the beginning */
	enum claim claim; /* who hashes p.data */
	int digest_done;  /* the thread finished hashing it */
};

/* Everything below is shared under lock, except a slot's contents while the thread
   fills it (before next passes it) or hashes it (claimed BY_THREAD, !digest_done). */
struct prefetch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t ready; /* for the writer: slots loaded, or a digest done */
	pthread_cond_t room;  /* for the thread: slots given back, or stop */
	const struct pack_input *inputs;
	size_t n;
	size_t next;      /* the next input the thread reads */
	size_t taken;     /* inputs before this one were given back by the caller */
	size_t hash_next; /* where the thread looks for a slot to hash */
	char *arena;
	size_t at;        /* where the next input's bytes go */
	size_t held;      /* bytes of the arena reserved and not given back: they end at at */
	int stop;
	int writer_waits; /* for input wait_for: to be loaded, or its digest */
	size_t wait_for;
	int thread_waits;
	int settling;     /* prefetch_settle waits for the thread to have nothing to do */
	int finished;     /* the thread has returned */
	struct slot slot[RING];
};

/* Arena bytes an input needs: its planned size and one more, read to see it grow. */
static size_t planned_bytes(const struct pack_input *in)
{
	return in->size <= PREFETCH_MAX_FILE ? (size_t)in->size + 1 : 0;
}

/* Where in the arena input bytes go, and how many arena bytes that reserves: bytes
   past the end are not split, they start over at 0. */
static size_t place(const struct prefetch *pf, size_t bytes, size_t *reserve)
{
	if (bytes == 0) {
		*reserve = 0;
		return 0;
	}
	if (pf->at + bytes <= ARENA) {
		*reserve = bytes;
		return pf->at;
	}
	*reserve = ARENA - pf->at + bytes;
	return 0;
}

/* Reads one input the way pack's own reader does, into buf: a regular file, exactly the
   planned size (one byte more is read, to see it grow). */
static void load(const struct pack_input *in, struct prefetched *p, char *buf)
{
	int fd = open_input(in->source);
	p->state = PREFETCH_NOT_OPENED;
	if (fd < 0) {
		p->errnum = errno;
		return;
	}
	p->state = PREFETCH_READ_ERROR;
	p->data = buf;
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
	if (p->state != PREFETCH_LOADED)
		p->data = NULL;
}

/* Under lock: input next fits in the ring of slots and in the arena. */
static int can_load(const struct prefetch *pf)
{
	size_t reserve;
	place(pf, planned_bytes(&pf->inputs[pf->next]), &reserve);
	return pf->next - pf->taken < RING && pf->held + reserve <= ARENA;
}

/* Under lock: the first slot ahead of the writer that the thread may hash, or pf->next. */
static size_t find_hashable(struct prefetch *pf)
{
	if (pf->hash_next <= pf->taken)
		pf->hash_next = pf->taken + 1; /* the writer holds slot taken */
	while (pf->hash_next < pf->next) {
		const struct slot *s = &pf->slot[pf->hash_next % RING];
		if (s->p.state == PREFETCH_LOADED && s->claim == UNCLAIMED && !pf->inputs[pf->hash_next].salted)
			break;
		pf->hash_next++;
	}
	return pf->hash_next;
}

static void *run(void *arg)
{
	struct prefetch *pf = arg;
	pthread_mutex_lock(&pf->lock);
	while (!pf->stop) {
		if (pf->next < pf->n && can_load(pf)) {
			const struct pack_input *in = &pf->inputs[pf->next];
			struct slot *s = &pf->slot[pf->next % RING];
			size_t bytes = planned_bytes(in), reserve;
			size_t off = place(pf, bytes, &reserve);
			char *buf = pf->arena + off;
			pf->held += reserve;
			if (bytes > 0)
				pf->at = off + bytes;
			pthread_mutex_unlock(&pf->lock);
			*s = (struct slot){ .p = { .state = PREFETCH_SKIPPED }, .reserved = reserve, .claim = UNCLAIMED };
			if (bytes > 0)
				load(in, &s->p, buf);
			pthread_mutex_lock(&pf->lock);
			pf->next++;
			if (pf->writer_waits && (pf->next > pf->wait_for + BATCH || pf->next == pf->n || !can_load(pf)))
				pthread_cond_signal(&pf->ready);
			continue;
		}
		size_t i = find_hashable(pf);
		if (i < pf->next) {
			struct slot *s = &pf->slot[i % RING];
			s->claim = BY_THREAD;
			pf->hash_next++;
			pthread_mutex_unlock(&pf->lock);
			uint8_t digest[32]; /* the writer may copy the slot meanwhile */
			int ok = sha256_buf(s->p.data, (size_t)s->p.len, digest) == 0;
			pthread_mutex_lock(&pf->lock);
			memcpy(s->p.digest, digest, sizeof digest);
			s->p.hashed = ok ? PREFETCH_HASHED : PREFETCH_HASH_IT;
			s->digest_done = 1;
			if (pf->writer_waits && pf->wait_for == i)
				pthread_cond_signal(&pf->ready);
			continue;
		}
		if (pf->next >= pf->n)
			break; /* all read, and nothing left to hash ahead of the writer */
		pf->thread_waits = 1;
		if (pf->settling)
			pthread_cond_signal(&pf->ready);
		pthread_cond_wait(&pf->room, &pf->lock);
		pf->thread_waits = 0;
	}
	pf->finished = 1;
	if (pf->settling)
		pthread_cond_signal(&pf->ready);
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
	if (pf == NULL || (pf->arena = malloc(ARENA)) == NULL) {
		free(pf);
		return -1;
	}
	pf->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	pf->ready = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	pf->room = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	pf->inputs = inputs;
	pf->n = n;
	if (pthread_create(&pf->thread, NULL, run, pf) != 0) {
		free(pf->arena);
		free(pf);
		return -1;
	}
	*out = pf;
	return 0;
}

void prefetch_take(struct prefetch *pf, size_t i, struct prefetched *out)
{
	pthread_mutex_lock(&pf->lock);
	while (pf->next <= i) {
		pf->writer_waits = 1;
		pf->wait_for = i;
		pthread_cond_wait(&pf->ready, &pf->lock);
	}
	pf->writer_waits = 0;
	struct slot *s = &pf->slot[i % RING];
	*out = s->p;
	if (s->claim == UNCLAIMED) {
		s->claim = BY_WRITER; /* the thread looks only past this slot, but say so */
		out->hashed = PREFETCH_HASH_IT;
	} else if (!s->digest_done) {
		out->hashed = PREFETCH_HASHING;
	}
	pthread_mutex_unlock(&pf->lock);
}

/* Under lock: waits until the thread is done with input i's digest, if it claimed it. */
static struct slot *digest_settled(struct prefetch *pf, size_t i)
{
	struct slot *s = &pf->slot[i % RING];
	while (s->claim == BY_THREAD && !s->digest_done) {
		pf->writer_waits = 1;
		pf->wait_for = i;
		pthread_cond_wait(&pf->ready, &pf->lock);
	}
	pf->writer_waits = 0;
	return s;
}

void prefetch_wait_digest(struct prefetch *pf, size_t i, struct prefetched *p)
{
	pthread_mutex_lock(&pf->lock);
	const struct slot *s = digest_settled(pf, i);
	p->hashed = s->p.hashed;
	memcpy(p->digest, s->p.digest, sizeof p->digest);
	pthread_mutex_unlock(&pf->lock);
}

void prefetch_settle(struct prefetch *pf)
{
	pthread_mutex_lock(&pf->lock);
	pf->settling = 1;
	while (!pf->thread_waits && !pf->finished)
		pthread_cond_wait(&pf->ready, &pf->lock);
	pf->settling = 0;
	pthread_mutex_unlock(&pf->lock);
}

void prefetch_give_back(struct prefetch *pf, struct prefetched *p)
{
	p->data = NULL; /* its bytes are the arena's again */
	pthread_mutex_lock(&pf->lock);
	/* after a failed write the caller gives back without the digest: the thread must
	   be done reading the bytes before they are read into again */
	const struct slot *s = digest_settled(pf, pf->taken);
	pf->held -= s->reserved;
	pf->taken++;
	if (pf->held == 0)
		pf->at = 0; /* nothing is read ahead: start over, nothing to skip */
	/* wake a sleeping thread once a batch of slots is free, or the ring is empty */
	if (pf->thread_waits && (pf->taken == pf->next ||
	    (pf->next - pf->taken <= RING - BATCH && pf->held <= ARENA - ARENA / 8)))
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
	free(pf->arena); /* with what was read ahead and never taken */
	free(pf);
}
