/* capture.c - fetching a URL with libcurl and recording each hop (request, response, TLS
   session) as it went over the wire, in one WARC file per URL. */
#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "warc_write.h"

#define DEFAULT_TIMEOUT 30
#define DEFAULT_MAX_SIZE (100ull << 20)
#define DEFAULT_REDIRECTS 10
#define MAX_HEAD (1u << 20) /* status line and header fields of one response */
#define USER_AGENT "Mozilla/5.0 (compatible; dossier/" DOSSIER_VERSION "; +evidence capture)"

/* One request and its response, as they are being transferred. */
struct hop {
	struct buf req, head;
	int body_fd;          /* the body, kept aside until its length and digest are known */
	uint64_t body_len, limit;
	struct sha256 block, payload;
	int block_started, too_big, write_failed;
	char tls_version[32], tls_cipher[96];
	CURL *curl;
};

/* What stays the same for every hop of one capture. */
struct session {
	const struct dossier_capture_options *opt;
	struct curl_slist *resolve, *connect_to, *headers;
	int64_t deadline_ms;
	const char *warcinfo_id;
	const char *name; /* the output, for messages */
	int out_fd;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The TLS session is asked for while the connection is surely open: at the first
   header line. Only the OpenSSL backend (Debian's libcurl4-openssl) is understood. */
static void note_tls(struct hop *h)
{
	const struct curl_tlssessioninfo *info = NULL;
	if (curl_easy_getinfo(h->curl, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL ||
	    info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL)
		return;
	const SSL *ssl = info->internals;
	const char *cipher = SSL_get_cipher_name(ssl);
	snprintf(h->tls_version, sizeof h->tls_version, "%s", SSL_get_version(ssl));
	snprintf(h->tls_cipher, sizeof h->tls_cipher, "%s", cipher ? cipher : "");
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct hop *h = ctx;
	size_t len = size * n;
	if (h->head.len == 0)
		note_tls(h);
	if (h->head.len + len > MAX_HEAD)
		return 0;
	return buf_append(&h->head, data, len) == 0 ? len : 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct hop *h = ctx;
	size_t len = size * n;
	if (h->body_len + len > h->limit) {
		h->too_big = 1;
		return 0;
	}
	/* the block is the header section then the body: the headers are complete by now */
	if (!h->block_started) {
		sha256_update(&h->block, h->head.data, h->head.len);
		h->block_started = 1;
	}
	sha256_update(&h->block, data, len);
	sha256_update(&h->payload, data, len);
	for (size_t done = 0; done < len;) {
		ssize_t w = write(h->body_fd, data + done, len - done);
		if (w <= 0) {
			h->write_failed = 1;
			return 0;
		}
		done += (size_t)w;
	}
	h->body_len += len;
	return len;
}

/* The request header section exactly as curl sent it. */
static int on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *ctx)
{
	struct hop *h = ctx;
	(void)c;
	if (type == CURLINFO_HEADER_OUT && buf_append(&h->req, data, size) != 0)
		return 1;
	return 0;
}

static void set_options(CURL *c, const struct session *s, struct hop *h, const char *url,
    char *errbuf, long left_ms)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* HTTP/1.1 so that the status line and fields are recorded as they were sent;
	   no transfer decoding, so a chunked body is kept with its framing, as received;
	   no Accept-Encoding, so curl decodes nothing and the body is the server's bytes */
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(c, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, s->headers);
	curl_easy_setopt(c, CURLOPT_RESOLVE, s->resolve);
	curl_easy_setopt(c, CURLOPT_CONNECT_TO, s->connect_to);
	if (s->opt->cacert != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, s->opt->cacert);
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(c, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); /* for on_debug; it prints nothing itself */
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->limit);
}

static enum dossier_status transfer_error(const struct session *s, const struct hop *h,
    const char *url, CURLcode rc, const char *errbuf, struct dossier_error *err)
{
	if (h->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return dossier_fail(err, DOSSIER_IOERR, "%s: the response is larger than %llu bytes (--max-size)",
		    url, (unsigned long long)h->limit);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return dossier_fail(err, DOSSIER_IOERR, "%s: timed out after %ld s (--timeout)", url,
		    s->opt->timeout > 0 ? s->opt->timeout : DEFAULT_TIMEOUT);
	if (h->write_failed)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s: cannot keep the body aside", url);
	return dossier_fail(err, DOSSIER_IOERR, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
}

/* The peer's certificates as PEM, in the order the server sent them. */
static int cert_chain(CURL *c, struct buf *out)
{
	struct curl_certinfo *ci = NULL;
	if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || ci == NULL)
		return 0;
	for (int i = 0; i < ci->num_of_certs; i++)
		for (const struct curl_slist *f = ci->certinfo[i]; f != NULL; f = f->next)
			if (strncmp(f->data, "Cert:", 5) == 0 && buf_printf(out, "%s", f->data + 5) != 0)
				return -1;
	return 0;
}

static enum dossier_status write_tls(const struct session *s, const struct hop *h, const char *url,
    const char *date, const char *ip, const char *response_id, struct dossier_error *err)
{
	struct buf fields = { 0 }, chain = { 0 };
	char id[WARC_ID_LEN];
	enum dossier_status st = DOSSIER_OK;
	struct warc_out_record r = { .type = "metadata", .date = date, .target_uri = url, .ip = ip,
		.concurrent_to = response_id, .warcinfo_id = s->warcinfo_id, .body_fd = -1, .id = id };
	if (buf_printf(&fields, "tls-version: %s\r\ntls-cipher: %s\r\n", h->tls_version, h->tls_cipher) != 0 ||
	    cert_chain(h->curl, &chain) != 0) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	warc_new_id(id);
	r.content_type = "application/warc-fields";
	r.head = &fields;
	st = warc_write_record(s->out_fd, &r, s->name, err);
	if (st == DOSSIER_OK && chain.len > 0) {
		warc_new_id(id);
		r.content_type = "application/pem-certificate-chain";
		r.head = &chain;
		st = warc_write_record(s->out_fd, &r, s->name, err);
	}
out:
	buf_release(&fields);
	buf_release(&chain);
	return st;
}

/* The hop's request, response and (for HTTPS) TLS records. */
static enum dossier_status write_hop(const struct session *s, struct hop *h, const char *url,
    const char *date, uint8_t payload[32], struct dossier_error *err)
{
	char req_id[WARC_ID_LEN], resp_id[WARC_ID_LEN];
	uint8_t block[32];
	char *ip = NULL;
	curl_easy_getinfo(h->curl, CURLINFO_PRIMARY_IP, &ip);
	if (ip != NULL && ip[0] == '\0')
		ip = NULL;
	warc_new_id(req_id);
	warc_new_id(resp_id);
	if (!h->block_started)
		sha256_update(&h->block, h->head.data, h->head.len);
	sha256_final(&h->block, block);
	sha256_final(&h->payload, payload);
	struct warc_out_record req = { .type = "request", .id = req_id, .date = date, .target_uri = url,
		.ip = ip, .concurrent_to = resp_id, .warcinfo_id = s->warcinfo_id,
		.content_type = "application/http;msgtype=request", .head = &h->req, .body_fd = -1 };
	struct warc_out_record resp = { .type = "response", .id = resp_id, .date = date, .target_uri = url,
		.ip = ip, .concurrent_to = req_id, .warcinfo_id = s->warcinfo_id,
		.content_type = "application/http;msgtype=response", .head = &h->head,
		.body_fd = h->body_fd, .body_len = h->body_len, .block_digest = block,
		.payload_digest = payload };
	enum dossier_status st = warc_write_record(s->out_fd, &req, s->name, err);
	if (st == DOSSIER_OK)
		st = warc_write_record(s->out_fd, &resp, s->name, err);
	if (st == DOSSIER_OK && strncmp(url, "https:", 6) == 0)
		st = write_tls(s, h, url, date, ip, resp_id, err);
	return st;
}

/* One request: its records written, *next the redirect target (malloc'd) or NULL. */
static enum dossier_status do_hop(const struct session *s, const char *url, int body_fd,
    struct dossier_capture_result *res, char **next, struct dossier_error *err)
{
	struct hop h = { .body_fd = body_fd };
	char errbuf[CURL_ERROR_SIZE] = "", date[32];
	enum dossier_status st = DOSSIER_OK;
	int64_t left = s->deadline_ms - now_ms();
	*next = NULL;
	h.limit = s->opt->max_size ? s->opt->max_size : DEFAULT_MAX_SIZE;
	if (left <= 0)
		return dossier_fail(err, DOSSIER_IOERR, "%s: timed out after %ld s (--timeout)", url,
		    s->opt->timeout > 0 ? s->opt->timeout : DEFAULT_TIMEOUT);
	/* the aside file is reused for each hop: emptied, and written from its start again */
	if (ftruncate(body_fd, 0) != 0 || lseek(body_fd, 0, SEEK_SET) != 0)
		return dossier_fail_errno(err, DOSSIER_IOERR, "%s: cannot keep the body aside", url);
	if ((h.curl = curl_easy_init()) == NULL || sha256_init(&h.block) != 0) {
		curl_easy_cleanup(h.curl);
		return dossier_fail(err, DOSSIER_SOFTWARE, "cannot start libcurl");
	}
	if (sha256_init(&h.payload) != 0) {
		sha256_release(&h.block);
		curl_easy_cleanup(h.curl);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	format_rfc3339((int64_t)time(NULL), date);
	if (res->hops == 0)
		memcpy(res->captured_at, date, sizeof date);
	set_options(h.curl, s, &h, url, errbuf, (long)left);
	CURLcode rc = curl_easy_perform(h.curl);
	if (rc != CURLE_OK) {
		st = transfer_error(s, &h, url, rc, errbuf, err);
		goto out;
	}
	uint8_t payload[32];
	if ((st = write_hop(s, &h, url, date, payload, err)) != DOSSIER_OK)
		goto out;
	char *location = NULL;
	curl_easy_getinfo(h.curl, CURLINFO_RESPONSE_CODE, &res->status);
	/* curl resolves Location against the URL asked for, as curl_url would */
	curl_easy_getinfo(h.curl, CURLINFO_REDIRECT_URL, &location);
	if (location != NULL && res->status >= 300 && res->status < 400 && (*next = strdup(location)) == NULL)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	res->hops++;
	res->bytes = h.body_len;
	hex_encode(payload, 32, res->sha256);
out:
	sha256_release(&h.block);
	sha256_release(&h.payload);
	buf_release(&h.req);
	buf_release(&h.head);
	curl_easy_cleanup(h.curl);
	return st;
}

/* "<host>-<first 12 hex digits of sha256(url)>.warc.gz", the host reduced to safe bytes. */
static enum dossier_status output_name(const char *url, char out[256], struct dossier_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, hex[65];
	uint8_t digest[32];
	enum dossier_status st = DOSSIER_OK;
	if (u == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		st = dossier_fail(err, DOSSIER_USAGE, "%s: not an http:// or https:// URL", url);
		goto out;
	}
	size_t n = 0;
	for (const char *p = host; *p && n < 200; p++, n++) {
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		out[n] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ? ch : '_';
	}
	sha256_buf(url, strlen(url), digest);
	hex_encode(digest, 32, hex);
	snprintf(out + n, 256 - n, "-%.12s.warc.gz", hex);
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return st;
}

static enum dossier_status write_warcinfo(const struct session *s, const char *file,
    struct dossier_error *err)
{
	struct buf info = { 0 };
	char date[32];
	format_rfc3339((int64_t)time(NULL), date);
	buf_printf(&info,
	    "software: dossier/%s (libcurl %s)\r\n"
	    "format: WARC File Format 1.1\r\n"
	    "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
	    "http-header-user-agent: %s\r\n",
	    DOSSIER_VERSION, curl_version_info(CURLVERSION_NOW)->version, USER_AGENT);
	struct warc_out_record r = { .type = "warcinfo", .id = s->warcinfo_id, .date = date,
		.filename = file, .content_type = "application/warc-fields", .head = &info, .body_fd = -1 };
	enum dossier_status st = info.data == NULL ? dossier_fail(err, DOSSIER_SOFTWARE, "out of memory")
	                                           : warc_write_record(s->out_fd, &r, s->name, err);
	buf_release(&info);
	return st;
}

static enum dossier_status capture_hops(struct session *s, const char *url, int body_fd,
    struct dossier_capture_result *res, struct dossier_error *err)
{
	int max = s->opt->max_redirects > 0 ? s->opt->max_redirects : DEFAULT_REDIRECTS;
	char *current = strdup(url), *next = NULL;
	enum dossier_status st = DOSSIER_OK;
	if (current == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	for (;;) {
		if ((st = do_hop(s, current, body_fd, res, &next, err)) != DOSSIER_OK || next == NULL)
			break;
		if (res->hops > (unsigned)max) {
			st = dossier_fail(err, DOSSIER_IOERR, "%s: too many redirects (more than %d)", url, max);
			break;
		}
		free(current);
		current = next;
		next = NULL;
	}
	free(current);
	free(next);
	return st;
}

enum dossier_status dossier_capture_url(const struct dossier_capture_options *opt,
    const char *url, const char *dir, struct dossier_capture_result *res,
    struct dossier_error *err)
{
	struct session s = { .opt = opt };
	struct atomic_file out = { .fd = -1 };
	char warcinfo_id[WARC_ID_LEN], aside[4096];
	int body_fd = -1;
	enum dossier_status st;
	memset(res, 0, sizeof *res);
	if ((st = output_name(url, res->file, err)) != DOSSIER_OK)
		return st;
	if ((size_t)snprintf(res->path, sizeof res->path, "%s/%s", dir, res->file) >= sizeof res->path ||
	    (size_t)snprintf(aside, sizeof aside, "%s/.capture-XXXXXX", dir) >= sizeof aside)
		return dossier_fail(err, DOSSIER_USAGE, "%s: the directory name is too long", dir);
	for (size_t i = 0; i < opt->nresolve; i++) {
		struct curl_slist *l = curl_slist_append(s.resolve, opt->resolve[i]);
		if (l == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			goto out;
		}
		s.resolve = l;
	}
	for (size_t i = 0; i < opt->nconnect_to; i++) {
		struct curl_slist *l = curl_slist_append(s.connect_to, opt->connect_to[i]);
		if (l == NULL) {
			st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
			goto out;
		}
		s.connect_to = l;
	}
	s.headers = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
	if (s.headers == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if ((st = atomic_open(&out, res->path, opt->force, 0644, err)) != DOSSIER_OK)
		goto out;
	/* the body waits in an unlinked file beside the output: memory stays small */
	if ((body_fd = mkostemp(aside, O_CLOEXEC)) < 0) {
		st = dossier_fail_errno(err, DOSSIER_CANTCREAT, "%s", aside);
		goto out;
	}
	unlink(aside);
	warc_new_id(warcinfo_id);
	s.warcinfo_id = warcinfo_id;
	s.name = res->path;
	s.out_fd = out.fd;
	s.deadline_ms = now_ms() + 1000 * (int64_t)(opt->timeout > 0 ? opt->timeout : DEFAULT_TIMEOUT);
	if ((st = write_warcinfo(&s, res->file, err)) == DOSSIER_OK)
		st = capture_hops(&s, url, body_fd, res, err);
	if (st == DOSSIER_OK)
		st = atomic_commit(&out, err);
out:
	if (st != DOSSIER_OK && out.target != NULL)
		atomic_abort(&out);
	if (body_fd >= 0)
		close(body_fd);
	curl_slist_free_all(s.resolve);
	curl_slist_free_all(s.connect_to);
	curl_slist_free_all(s.headers);
	return st;
}
