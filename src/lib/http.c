/* http.c - the one HTTP request dossier makes itself: a time-stamp query to a TSA. */
#include <curl/curl.h>
#include <string.h>

#include "tsa.h"

#define MAX_RESPONSE (1u << 20)

struct sink {
	struct buf *out;
	int too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	/* a TSA's answer is a few kB; more is not a timestamp, and memory is not the server's */
	if (s->out->len + len > MAX_RESPONSE) {
		s->too_big = 1;
		return 0;
	}
	return buf_append(s->out, data, len) == 0 ? len : 0;
}

enum dossier_status http_post_tsq(const char *url, const uint8_t *der, size_t len, long timeout_s,
    struct buf *out, struct dossier_error *err)
{
	struct sink s = { out, 0 };
	struct curl_slist *headers = NULL;
	char curl_err[CURL_ERROR_SIZE] = "";
	long code = 0;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return dossier_fail(err, DOSSIER_USAGE, "%s: a TSA address must start with http:// or https://", url);
	CURL *c = curl_easy_init();
	if (c == NULL)
		return dossier_fail(err, DOSSIER_SOFTWARE, "cannot start libcurl");
	headers = curl_slist_append(headers, "Content-Type: application/timestamp-query");
	headers = curl_slist_append(headers, "Accept: application/timestamp-reply");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)der);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "dossier/" DOSSIER_VERSION " (RFC 3161 client)");
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	if (s.too_big)
		return dossier_fail(err, DOSSIER_INVALID, "%s: the answer is larger than %u bytes; not a timestamp", url,
		    MAX_RESPONSE);
	if (rc != CURLE_OK)
		return dossier_fail(err, DOSSIER_IOERR, "%s: %s", url, curl_err[0] ? curl_err : curl_easy_strerror(rc));
	if (code != 200)
		return dossier_fail(err, DOSSIER_IOERR, "%s: the TSA answered HTTP %ld", url, code);
	return DOSSIER_OK;
}
