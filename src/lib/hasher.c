/* hasher.c - a thread that hashes one stream's chunks while the caller reads and writes them. */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

/* A few chunks in flight are enough to keep the second core busy: the caller's side
   (a read and a write, or libarchive) is several times faster than SHA-256. */
#define SLOTS 8

struct hasher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled; /* the caller handed over a chunk, or asks to stop */
	pthread_cond_t freed;  /* the thread hashed a chunk */
	char *slot[SLOTS];
	size_t len[SLOTS];
	/* Counters only grow; slot i % SLOTS. pushed - hashed chunks are with the thread. */
	uint64_t pushed, hashed;
	int stop;
	struct sha256 h; /* touched by the thread only while a chunk is outstanding */
};

static void *run(void *arg)
{
	struct hasher *hs = arg;
	pthread_mutex_lock(&hs->lock);
	for (;;) {
		while (hs->hashed == hs->pushed && !hs->stop)
			pthread_cond_wait(&hs->filled, &hs->lock);
		if (hs->hashed == hs->pushed)
			break; /* stop, and nothing left */
		size_t i = (size_t)(hs->hashed % SLOTS);
		pthread_mutex_unlock(&hs->lock);
		sha256_update(&hs->h, hs->slot[i], hs->len[i]);
		pthread_mutex_lock(&hs->lock);
		hs->hashed++;
		pthread_cond_signal(&hs->freed);
	}
	pthread_mutex_unlock(&hs->lock);
	return NULL;
}

int hasher_new(struct hasher **out)
{
	struct hasher *hs = calloc(1, sizeof *hs);
	*out = NULL;
	if (hs == NULL)
		return -1;
	for (size_t i = 0; i < SLOTS; i++)
		if ((hs->slot[i] = malloc(HASHER_CHUNK)) == NULL)
			goto fail;
	/* static initialisers cannot fail, so the one thing to undo below is the memory */
	hs->lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	hs->filled = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	hs->freed = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	if (pthread_create(&hs->thread, NULL, run, hs) != 0)
		goto fail;
	*out = hs;
	return 0;
fail:
	for (size_t i = 0; i < SLOTS; i++)
		free(hs->slot[i]);
	free(hs);
	return -1;
}

/* Waits until the thread holds fewer than max chunks. */
static void wait_below(struct hasher *hs, uint64_t max)
{
	pthread_mutex_lock(&hs->lock);
	while (hs->pushed - hs->hashed > max)
		pthread_cond_wait(&hs->freed, &hs->lock);
	pthread_mutex_unlock(&hs->lock);
}

int hasher_begin(struct hasher *hs)
{
	wait_below(hs, 0);
	return sha256_init(&hs->h);
}

char *hasher_buffer(struct hasher *hs)
{
	/* the slot about to be filled must be free: at most SLOTS - 1 others outstanding */
	wait_below(hs, SLOTS - 1);
	return hs->slot[hs->pushed % SLOTS];
}

void hasher_push(struct hasher *hs, size_t len)
{
	pthread_mutex_lock(&hs->lock);
	hs->len[hs->pushed % SLOTS] = len;
	hs->pushed++;
	pthread_cond_signal(&hs->filled);
	pthread_mutex_unlock(&hs->lock);
}

void hasher_end(struct hasher *hs, uint8_t digest[32])
{
	wait_below(hs, 0);
	if (digest != NULL)
		sha256_final(&hs->h, digest);
	sha256_release(&hs->h);
}

void hasher_free(struct hasher *hs)
{
	if (hs == NULL)
		return;
	pthread_mutex_lock(&hs->lock);
	hs->stop = 1;
	pthread_cond_signal(&hs->filled);
	pthread_mutex_unlock(&hs->lock);
	pthread_join(hs->thread, NULL);
	sha256_release(&hs->h);
	pthread_cond_destroy(&hs->filled);
	pthread_cond_destroy(&hs->freed);
	pthread_mutex_destroy(&hs->lock);
	for (size_t i = 0; i < SLOTS; i++)
		free(hs->slot[i]);
	free(hs);
}

int hash_stream_begin(struct hash_stream *s, struct hasher **hs, uint64_t size, char *own,
    size_t own_len)
{
	/* the thread is made at the first large stream and kept for the next ones */
	if (size >= HASHER_MIN && *hs == NULL && hasher_new(hs) != 0)
		return -1;
	s->hs = size >= HASHER_MIN ? *hs : NULL;
	s->own = own;
	s->own_len = own_len;
	return s->hs != NULL ? hasher_begin(s->hs) : sha256_init(&s->h);
}

char *hash_stream_buffer(struct hash_stream *s, size_t *len)
{
	*len = s->hs != NULL ? HASHER_CHUNK : s->own_len;
	return s->hs != NULL ? hasher_buffer(s->hs) : s->own;
}

void hash_stream_push(struct hash_stream *s, const char *chunk, size_t len)
{
	if (s->hs != NULL)
		hasher_push(s->hs, len);
	else
		sha256_update(&s->h, chunk, len);
}

void hash_stream_end(struct hash_stream *s, uint8_t digest[32])
{
	if (s->hs != NULL) {
		hasher_end(s->hs, digest);
		return;
	}
	if (digest != NULL)
		sha256_final(&s->h, digest);
	sha256_release(&s->h);
}
