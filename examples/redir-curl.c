/* SPDX-License-Identifier: MIT */
/*
 * redir-curl: an HTTP client on libcurl whose redirects redir decides.
 *
 *   redir-curl [--profile NAME] [-X METHOD] [-d DATA] [-H 'Name: value']...
 *              [-i] [-v] [-o FILE] [--max-redirs N] [--cacert FILE] URL
 *
 * libcurl's own redirect following is off (CURLOPT_FOLLOWLOCATION 0). Every
 * response goes to redir_chain_step(), which says whether to follow it, with
 * which method, with or without the content, to which URL, and which of the
 * caller's headers must not go along; it also applies the hop limit and
 * stops loops. This file is the reference for wiring redir into a client:
 * the parts that talk to redir are marked "redir:".
 *
 * Exit status: 0 for a final 2xx, or a 3xx that is not followed (300, 304,
 * no Location ...); 1 for a final 4xx or 5xx; 2 for bad usage; 3 when redir
 * stops the chain (too many redirects, a loop, a bad Location, a refused
 * downgrade or scheme); 4 for transport errors.
 */
#include <redir.h>

#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

#define METHOD_CAP 64
#define URL_CAP (3 * REDIR_MAX_INPUT + 64) /* a repaired Location can grow */
#define HEAD_CAP 65536                    /* one response's header block */
#define MAX_FIELDS 128                    /* response header fields */
#define REDIRECT_BODY_CAP (1 << 20)       /* what a 3xx body may weigh */

enum { EXIT_OK = 0, EXIT_HTTP = 1, EXIT_USAGE = 2, EXIT_STOPPED = 3,
       EXIT_TRANSPORT = 4 };

struct options {
    const char *profile, *method, *data, *url, *output, *cacert;
    bool include, verbose;
    long max_redirs; /* -1: the profile's */
    const char *headers[REDIR_MAX_HEADERS]; /* "Name: value", as given */
    size_t nheaders;
};

/* One response as libcurl delivers it. */
struct response {
    FILE *out;
    bool include;        /* -i: the final response's header block goes out */
    int status;          /* from the last status line seen */
    bool streamed;       /* the body went straight to `out` */
    char head[HEAD_CAP]; /* the header block, raw */
    size_t head_len;
    char *body;          /* a 3xx body, held until redir has decided */
    size_t body_len, body_cap;
    redir_header fields[MAX_FIELDS];
    size_t nfields;
};

static void usage(FILE *out)
{
    fputs("usage: redir-curl [--profile NAME] [-X METHOD] [-d DATA]\n"
          "                  [-H 'Name: value']... [-i] [-v] [-o FILE]\n"
          "                  [--max-redirs N] [--cacert FILE] URL\n"
          "\n"
          "Fetches URL with libcurl and follows redirects the way the redir\n"
          "profile NAME says (default rfc9110; redir-explain lists them).\n"
          "  -X METHOD  request method (default GET, or POST with -d)\n"
          "  -d DATA    send DATA as the request content\n"
          "  -H LINE    add a request header (repeatable)\n"
          "  -i         print the final response's header block\n"
          "  -v         print every hop and redir's decision to stderr\n"
          "  -o FILE    write the final body to FILE instead of stdout\n"
          "  --max-redirs N  hop limit (default: the profile's)\n"
          "  --cacert FILE   trust the CA certificates in FILE\n"
          "Exit status: 0 done, 1 HTTP 4xx/5xx, 2 usage, 3 redir stopped\n"
          "the chain, 4 transport error.\n",
          out);
}

static int usage_error(const char *what, const char *detail)
{
    fprintf(stderr, "redir-curl: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    o->max_redirs = -1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        bool takes_value = !strcmp(s, "--profile") || !strcmp(s, "-X") ||
                           !strcmp(s, "-d") || !strcmp(s, "-H") ||
                           !strcmp(s, "-o") || !strcmp(s, "--max-redirs") ||
                           !strcmp(s, "--cacert");
        const char *v = NULL;
        if (takes_value) {
            if (i + 1 >= argc)
                return usage_error("this option needs a value", s);
            v = argv[++i];
        }
        if (!strcmp(s, "--profile")) {
            o->profile = v;
        } else if (!strcmp(s, "-X")) {
            if (!*v || strlen(v) >= METHOD_CAP)
                return usage_error("bad method", v);
            o->method = v;
        } else if (!strcmp(s, "-d")) {
            o->data = v;
        } else if (!strcmp(s, "-H")) {
            const char *colon = strchr(v, ':');
            if (!colon || colon == v)
                return usage_error("a header must look like 'Name: value'", v);
            if (o->nheaders == REDIR_MAX_HEADERS)
                return usage_error("too many -H headers", NULL);
            o->headers[o->nheaders++] = v;
        } else if (!strcmp(s, "-o")) {
            o->output = v;
        } else if (!strcmp(s, "--max-redirs")) {
            char *end;
            o->max_redirs = strtol(v, &end, 10);
            if (*end || end == v || o->max_redirs < 0 || o->max_redirs > 1000)
                return usage_error("--max-redirs takes 0 to 1000", v);
        } else if (!strcmp(s, "--cacert")) {
            o->cacert = v;
        } else if (!strcmp(s, "-i")) {
            o->include = true;
        } else if (!strcmp(s, "-v")) {
            o->verbose = true;
        } else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            usage(stdout);
            exit(EXIT_OK);
        } else if (s[0] == '-' && s[1]) {
            usage(stderr);
            return usage_error("unknown option", s);
        } else if (o->url) {
            return usage_error("only one URL, please", s);
        } else {
            o->url = s;
        }
    }
    if (!o->url) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (o->method && !strcmp(o->method, "HEAD") && o->data)
        return usage_error("-X HEAD and -d exclude each other", NULL);
    return EXIT_OK;
}

/* ---- libcurl callbacks --------------------------------------------------- */

/* Every header line, status line included. A new status line starts a new
 * response (after an interim 1xx, such as 100 Continue). */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct response *r = arg;
    size_t len = size * n;
    if (len > 5 && !memcmp(p, "HTTP/", 5)) {
        const char *sp = memchr(p, ' ', len);
        int status = 0;
        if (!sp || (size_t)(sp - p) + 4 > len ||
            redir_status_parse(sp + 1, 3, &status) != REDIR_OK)
            return 0; /* an unreadable status line: abort the transfer */
        r->status = status;
        r->head_len = 0;
    }
    if (len > sizeof r->head - r->head_len)
        return 0; /* header block too large */
    memcpy(r->head + r->head_len, p, len);
    r->head_len += len;
    return len;
}

/* The body. Only a 3xx can be followed (redir answers "not-redirect" for
 * every other status), so any other body streams straight out; a 3xx body
 * is held until redir has decided, and printed only if the chain ends
 * there. */
static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct response *r = arg;
    size_t len = size * n;
    if (r->status / 100 == 3) {
        if (len > REDIRECT_BODY_CAP - r->body_len)
            return 0;
        if (r->body_len + len > r->body_cap) {
            size_t cap = r->body_cap ? 2 * r->body_cap : 4096;
            while (cap < r->body_len + len)
                cap *= 2;
            char *b = realloc(r->body, cap);
            if (!b)
                return 0;
            r->body = b;
            r->body_cap = cap;
        }
        memcpy(r->body + r->body_len, p, len);
        r->body_len += len;
        return len;
    }
    if (!r->streamed && r->include)
        fwrite(r->head, 1, r->head_len, r->out);
    r->streamed = true;
    return fwrite(p, 1, len, r->out);
}

/* The response header fields as redir_header views into r->head. */
static void parse_fields(struct response *r)
{
    r->nfields = 0;
    const char *p = r->head, *end = r->head + r->head_len;
    const char *eol = memchr(p, '\n', (size_t)(end - p)); /* status line */
    p = eol ? eol + 1 : end;
    while (p < end && r->nfields < MAX_FIELDS) {
        eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        const char *e = line_end;
        if (e > p && e[-1] == '\r')
            e--;
        const char *colon = memchr(p, ':', (size_t)(e - p));
        if (colon && colon > p && *p != ' ' && *p != '\t') {
            const char *v = colon + 1;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            redir_header *f = &r->fields[r->nfields++];
            f->name = p;
            f->name_len = (size_t)(colon - p);
            f->value = v;
            f->value_len = (size_t)(e - v);
        }
        p = eol ? eol + 1 : end;
    }
}

/* ---- one request --------------------------------------------------------- */

static void set_request(CURL *h, const struct options *o, const char *method,
                        const char *url, const char *data,
                        struct curl_slist *headers, struct response *r,
                        char *errbuf)
{
    /* A reset keeps live connections, the DNS and TLS session caches. */
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* redir decides */
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS,
                     (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_USERAGENT, "redir-curl/" REDIR_VERSION);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    if (!strcmp(method, "HEAD")) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (data) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, data);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)strlen(data));
        if (strcmp(method, "POST"))
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    } else if (strcmp(method, "GET")) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method); /* no content */
    }
    if (o->cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    errbuf[0] = '\0';
    r->status = 0;
    r->streamed = false;
    r->head_len = r->body_len = 0;
}

/* Verdicts where redir refuses to go on: the chain fails (exit 3). The
 * others end it with the response in hand. */
static bool is_refusal(redir_verdict v)
{
    switch (v) {
    case REDIR_VERDICT_ERROR: /* no decision: the call returned an error */
    case REDIR_VERDICT_TOO_MANY_REDIRECTS:
    case REDIR_VERDICT_REDIRECT_LOOP:
    case REDIR_VERDICT_BAD_LOCATION:
    case REDIR_VERDICT_MULTIPLE_LOCATIONS:
    case REDIR_VERDICT_SCHEME_NOT_ALLOWED:
    case REDIR_VERDICT_DOWNGRADE_REFUSED:
    case REDIR_VERDICT_BODY_NOT_REPLAYABLE:
    case REDIR_VERDICT_NEEDS_CONFIRMATION:
        return true;
    case REDIR_VERDICT_FOLLOW:
    case REDIR_VERDICT_NOT_REDIRECT:
    case REDIR_VERDICT_NOT_MODIFIED:
    case REDIR_VERDICT_MULTIPLE_CHOICES:
    case REDIR_VERDICT_STATUS_NOT_FOLLOWED:
    case REDIR_VERDICT_METHOD_NOT_FOLLOWED:
    case REDIR_VERDICT_USE_PROXY_REFUSED:
    case REDIR_VERDICT_UNUSED_STATUS:
    case REDIR_VERDICT_NO_LOCATION:
    case REDIR_VERDICT_EMPTY_LOCATION:
    case REDIR_VERDICT_LAST_:
        break;
    }
    return false;
}

/* -v: what redir decided, and why. */
static void print_decision(const redir_decision *d, const redir_request *req)
{
    fprintf(stderr, "* redir: %s", redir_verdict_name(d->verdict));
    if (d->verdict == REDIR_VERDICT_FOLLOW)
        fprintf(stderr, ": %.*s %s", (int)d->method_len, d->method, d->url);
    else if (d->url)
        fprintf(stderr, " (target %s)", d->url);
    fputc('\n', stderr);
    if (d->verdict == REDIR_VERDICT_FOLLOW) {
        if (d->flags & REDIR_DF_METHOD_CHANGED)
            fprintf(stderr, "* redir: method %.*s -> %.*s\n",
                    (int)req->method_len, req->method, (int)d->method_len,
                    d->method);
        if (req->body != REDIR_BODY_NONE)
            fprintf(stderr, "* redir: content %s\n",
                    d->body == REDIR_BODY_KEEP ? "sent again" : "dropped");
        for (size_t i = 0; i < req->header_count; i++)
            if (d->header_actions[i] != REDIR_HEADER_KEEP)
                fprintf(stderr, "* redir: header %.*s: %s\n",
                        (int)req->headers[i].name_len, req->headers[i].name,
                        redir_header_action_name(d->header_actions[i]));
    }
    char why[4096];
    size_t len;
    if (redir_explain(d, req, why, sizeof why, &len) != REDIR_OK)
        snprintf(why, sizeof why, "%s", d->reason);
    fputs("* redir: ", stderr);
    text_wrap_at(stderr, why, 9, 9, 78);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(argc, argv, &o);
    if (rc != EXIT_OK)
        return rc;

    /* redir: the policy is plain data. Start from the profile; this client
     * speaks http and https only, and may lower the hop limit. */
    redir_policy policy;
    if (REDIR_POLICY_INIT(&policy, o.profile) != REDIR_OK) {
        fprintf(stderr, "redir-curl: no profile named '%s'; profiles:",
                o.profile);
        for (size_t i = 0; i < redir_profile_count(); i++)
            fprintf(stderr, " %s", redir_profile_at(i)->name);
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    policy.schemes = "http https";
    if (o.max_redirs >= 0)
        policy.max_redirects = (unsigned)o.max_redirs;

    /* The current request: method, URL, content and the caller's headers
     * (as views for redir and as lines for libcurl, index for index). */
    char method[METHOD_CAP];
    snprintf(method, sizeof method, "%s",
             o.method ? o.method : o.data ? "POST" : "GET");
    const char *url = o.url;
    const char *data = o.data;
    redir_header sent[REDIR_MAX_HEADERS];
    const char *lines[REDIR_MAX_HEADERS];
    size_t nsent = o.nheaders;
    for (size_t i = 0; i < nsent; i++) {
        const char *colon = strchr(o.headers[i], ':');
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        lines[i] = o.headers[i];
        sent[i] = (redir_header){o.headers[i], (size_t)(colon - o.headers[i]),
                                 v, strlen(v)};
    }

    /* redir: the chain remembers the hops (limit, loops, whole-chain
     * facts). Each resolved target is written into a buffer we own; two
     * buffers in turn, since the next target is resolved against the
     * current one. */
    redir_chain chain;
    redir_result res = redir_chain_init(&chain, &policy, method,
                                        strlen(method), url, strlen(url));
    if (res != REDIR_OK)
        return usage_error(res == REDIR_E_METHOD ? "bad method" : "bad URL",
                           redir_strerror(res));

    struct response *r = calloc(1, sizeof *r);
    char *urls[2] = {malloc(URL_CAP), malloc(URL_CAP)};
    FILE *out = o.output ? fopen(o.output, "wb") : stdout;
    if (!r || !urls[0] || !urls[1] || !out) {
        perror(o.output && !out ? o.output : "redir-curl");
        free(r);
        free(urls[0]);
        free(urls[1]);
        return o.output && !out ? EXIT_USAGE : EXIT_TRANSPORT;
    }
    r->out = out;
    r->include = o.include;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *h = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE];
    rc = h ? EXIT_OK : EXIT_TRANSPORT;
    for (unsigned hop = 0; h; hop++) {
        /* The request, with the headers still allowed on this hop. */
        struct curl_slist *headers = NULL;
        for (size_t i = 0; i < nsent; i++)
            headers = curl_slist_append(headers, lines[i]);
        set_request(h, &o, method, url, data, headers, r, errbuf);
        if (o.verbose)
            fprintf(stderr, data ? "> %s %s (%zu bytes of content)\n"
                                 : "> %s %s\n",
                    method, url, data ? strlen(data) : 0);
        CURLcode cc = curl_easy_perform(h);
        curl_slist_free_all(headers);
        if (cc != CURLE_OK) {
            fprintf(stderr, "redir-curl: %s: %s\n", url,
                    errbuf[0] ? errbuf : curl_easy_strerror(cc));
            rc = EXIT_TRANSPORT;
            break;
        }
        parse_fields(r);
        if (o.verbose)
            fprintf(stderr, "< %d %s\n", r->status,
                    redir_status_reason(r->status));

        /* redir: this request got this response; what now? */
        redir_request req = {
            .method = method, .method_len = strlen(method),
            .url = url, .url_len = strlen(url),
            .body = data ? REDIR_BODY_REPLAYABLE : REDIR_BODY_NONE,
            .headers = sent, .header_count = nsent,
        };
        redir_response resp = {.status = r->status, .headers = r->fields,
                               .header_count = r->nfields};
        char *next = urls[hop % 2];
        redir_decision d;
        res = redir_chain_step(&chain, &req, &resp, next, URL_CAP, &d);
        if (res != REDIR_OK) {
            fprintf(stderr, "redir-curl: cannot follow: %s\n",
                    redir_strerror(res));
            rc = EXIT_STOPPED;
            break;
        }
        if (o.verbose)
            print_decision(&d, &req);

        if (d.verdict != REDIR_VERDICT_FOLLOW) {
            if (is_refusal(d.verdict)) {
                fprintf(stderr, "redir-curl: stopped after %u redirect%s: "
                                "%s: %s\n",
                        chain.hops, chain.hops == 1 ? "" : "s",
                        redir_verdict_name(d.verdict), d.reason);
                rc = EXIT_STOPPED;
            } else {
                if (!r->streamed) { /* a 3xx that ends the chain */
                    if (o.include)
                        fwrite(r->head, 1, r->head_len, out);
                    fwrite(r->body ? r->body : "", 1, r->body_len, out);
                }
                rc = r->status >= 400 ? EXIT_HTTP : EXIT_OK;
            }
            break;
        }

        /* redir: follow. The next request is what the decision says: its
         * method, its content or none, its URL, and only the headers it
         * keeps. Dropped ones stay dropped for the rest of the chain; those
         * to regenerate (Host, Cookie, Proxy-Authorization) are left to
         * libcurl, which has no cookie jar or proxy here. */
        if (d.method_len >= sizeof method) { /* cannot happen: ours or GET */
            rc = EXIT_STOPPED;
            break;
        }
        memmove(method, d.method, d.method_len); /* may be `method` itself */
        method[d.method_len] = '\0';
        if (d.body != REDIR_BODY_KEEP)
            data = NULL;
        url = d.url;
        size_t kept = 0;
        for (size_t i = 0; i < nsent; i++)
            if (d.header_actions[i] == REDIR_HEADER_KEEP) {
                sent[kept] = sent[i];
                lines[kept++] = lines[i];
            }
        nsent = kept;
    }
    if (h)
        curl_easy_cleanup(h);
    curl_global_cleanup();
    if (out != stdout && fclose(out) != 0 && rc == EXIT_OK)
        rc = EXIT_TRANSPORT;
    free(r->body);
    free(r);
    free(urls[0]);
    free(urls[1]);
    return rc;
}
