/* SPDX-License-Identifier: MIT */
/*
 * redir-bench: what redir costs on a corpus of real-looking redirects, side
 * by side with the libraries people would otherwise use to resolve a
 * Location: uriparser, libcurl's URL API and GLib's g_uri_resolve_relative.
 *
 *   redir-bench [CORPUS.tsv] [--rounds N] [--no-others]
 *
 * Each measurement runs the whole corpus per round; the table gives the
 * median of the rounds and their min-max, in nanoseconds per call. Memory
 * allocations are counted by wrapping malloc/calloc/realloc. The results of
 * every resolver are compared on the corpus; bench/README.md explains each
 * kind of disagreement.
 */
#define _GNU_SOURCE
#include <redir.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef HAVE_URIPARSER
#include <uriparser/Uri.h>
#endif
#ifdef HAVE_LIBCURL
#include <curl/curl.h>
#endif
#ifdef HAVE_GLIB
#include <glib.h>
#endif

/* ---- allocation counting ------------------------------------------------ */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static unsigned long allocations;

void *malloc(size_t n)
{
    allocations++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t m)
{
    allocations++;
    return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n)
{
    allocations++;
    return __libc_realloc(p, n);
}

/* ---- the corpus ------------------------------------------------------------ */

struct line {
    int status;
    char *method, *base, *loc;
    size_t method_len, base_len, loc_len;
};
static struct line *lines;
static size_t nlines;

static void load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    static char buf[1 << 16];
    size_t cap = 0;
    while (fgets(buf, sizeof buf, f)) {
        if (buf[0] == '#' || buf[0] == '\n')
            continue;
        buf[strcspn(buf, "\n")] = '\0';
        char *st = strtok(buf, "\t"), *m = strtok(NULL, "\t");
        char *b = strtok(NULL, "\t"), *l = strtok(NULL, "\t");
        if (!st || !m || !b || !l)
            continue;
        if (nlines == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = realloc(lines, cap * sizeof *lines);
        }
        struct line *x = &lines[nlines++];
        x->status = atoi(st);
        x->method = strdup(m);
        x->base = strdup(b);
        x->loc = strdup(l);
        x->method_len = strlen(m);
        x->base_len = strlen(b);
        x->loc_len = strlen(l);
    }
    fclose(f);
}

/* ---- timing ------------------------------------------------------------------ */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct result {
    const char *name;
    double median, min, max; /* ns per call */
    double allocs;           /* allocations per call */
};

static volatile size_t sink;
static int rounds = 15;

/* Runs fn over the corpus `rounds` times (after one warm-up round). */
static struct result measure(const char *name, size_t (*fn)(size_t i),
                             size_t calls_per_round)
{
    double t[256];
    unsigned long a0 = 0, a1 = 0;
    for (size_t i = 0; i < nlines; i++)
        sink += fn(i);
    for (int r = 0; r < rounds; r++) {
        unsigned long before = allocations;
        double s = now_ns();
        for (size_t i = 0; i < nlines; i++)
            sink += fn(i);
        t[r] = (now_ns() - s) / (double)calls_per_round;
        a0 += allocations - before;
        a1 += calls_per_round;
    }
    qsort(t, (size_t)rounds, sizeof t[0], cmp_double);
    struct result res = {name, t[rounds / 2], t[0], t[rounds - 1],
                         (double)a0 / (double)a1};
    return res;
}

/* ---- redir ------------------------------------------------------------------- */

static char out[1 << 17];

static size_t redir_one(size_t i)
{
    size_t len;
    redir_resolve(lines[i].base, lines[i].base_len, lines[i].loc,
                  lines[i].loc_len, out, sizeof out, &len);
    return len;
}

/* A realistic request: what a browser or an API client sends. */
static const redir_header req_headers[] = {
    {"Host", 4, "example.com", 11},
    {"User-Agent", 10, "Mozilla/5.0 (X11; Linux x86_64)", 31},
    {"Accept", 6, "text/html,application/xhtml+xml", 31},
    {"Accept-Language", 15, "en-GB,en;q=0.9", 14},
    {"Accept-Encoding", 15, "gzip, deflate, br", 17},
    {"Authorization", 13, "Bearer eyJhbGciOiJIUzI1NiJ9", 27},
    {"Cookie", 6, "session=abc123; theme=dark", 26},
    {"Content-Type", 12, "application/json", 16},
};

static size_t decide_one(size_t i)
{
    redir_header resp_headers[] = {
        {"Date", 4, "Tue, 24 Nov 2026 10:00:00 GMT", 29},
        {"Content-Type", 12, "text/html; charset=utf-8", 24},
        {"Location", 8, lines[i].loc, lines[i].loc_len},
        {"Cache-Control", 13, "max-age=3600", 12},
        {"Content-Length", 14, "0", 1},
    };
    redir_request req = {lines[i].method, lines[i].method_len, lines[i].base,
                         lines[i].base_len, REDIR_BODY_REPLAYABLE,
                         req_headers, 8};
    redir_response resp = {lines[i].status, resp_headers, 5};
    redir_decision d;
    redir_decide(NULL, &req, &resp, out, sizeof out, &d);
    return d.url_len + (size_t)d.verdict;
}

static size_t status_one(size_t i)
{
    /* every code of the class range, spread by the corpus index */
    const redir_status *s = redir_status_get(100 + (int)(i * 7 % 500));
    return (size_t)s->flags;
}

/* ---- the others ---------------------------------------------------------- */

#ifdef HAVE_URIPARSER
static size_t uriparser_one_into(size_t i, char *dst, size_t cap)
{
    UriUriA b, r, t;
    const char *err;
    size_t len = 0;
    if (uriParseSingleUriA(&b, lines[i].base, &err) != URI_SUCCESS)
        return 0;
    if (uriParseSingleUriA(&r, lines[i].loc, &err) == URI_SUCCESS) {
        if (uriAddBaseUriA(&t, &r, &b) == URI_SUCCESS) {
            int n;
            if (uriToStringA(dst, &t, (int)cap, &n) == URI_SUCCESS)
                len = (size_t)n;
            uriFreeUriMembersA(&t);
        }
        uriFreeUriMembersA(&r);
    }
    uriFreeUriMembersA(&b);
    return len;
}
static size_t uriparser_one(size_t i)
{
    return uriparser_one_into(i, out, sizeof out);
}
#endif

#ifdef HAVE_LIBCURL
static CURLU *curl_h;
static size_t curl_one_into(size_t i, char *dst, size_t cap)
{
    size_t len = 0;
    char *u = NULL;
    if (curl_url_set(curl_h, CURLUPART_URL, lines[i].base, 0) == CURLUE_OK &&
        curl_url_set(curl_h, CURLUPART_URL, lines[i].loc, 0) == CURLUE_OK &&
        curl_url_get(curl_h, CURLUPART_URL, &u, 0) == CURLUE_OK) {
        len = strlen(u);
        if (dst && len < cap)
            memcpy(dst, u, len + 1);
    }
    curl_free(u);
    return len;
}
static size_t curl_one(size_t i)
{
    return curl_one_into(i, out, sizeof out);
}
#endif

#ifdef HAVE_GLIB
static size_t glib_one_into(size_t i, char *dst, size_t cap)
{
    size_t len = 0;
    char *u = g_uri_resolve_relative(lines[i].base, lines[i].loc,
                                     G_URI_FLAGS_NONE, NULL);
    if (u) {
        len = strlen(u);
        if (dst && len < cap)
            memcpy(dst, u, len + 1);
        g_free(u);
    }
    return len;
}
static size_t glib_one(size_t i)
{
    return glib_one_into(i, out, sizeof out);
}
#endif

/* ---- agreement ---------------------------------------------------------------- */

typedef size_t (*into_fn)(size_t i, char *dst, size_t cap);

static size_t redir_into(size_t i, char *dst, size_t cap)
{
    size_t len;
    return redir_resolve(lines[i].base, lines[i].base_len, lines[i].loc,
                         lines[i].loc_len, dst, cap, &len) == REDIR_OK
               ? len
               : 0;
}

static void agreement(const char *name, into_fn fn, int show)
{
    static char a[1 << 16], b[1 << 16];
    size_t differ = 0, only_redir = 0, only_other = 0;
    for (size_t i = 0; i < nlines; i++) {
        size_t la = redir_into(i, a, sizeof a);
        size_t lb = fn(i, b, sizeof b);
        if (!la && !lb)
            continue;
        if (!lb) {
            only_redir++;
        } else if (!la) {
            only_other++;
        } else if (la != lb || memcmp(a, b, la) != 0) {
            differ++;
            if (show-- > 0)
                printf("  %s differs on %d %s + %s\n    redir: %.*s\n    %s: %.*s\n",
                       name, lines[i].status, lines[i].base, lines[i].loc,
                       (int)la, a, name, (int)lb, b);
            continue;
        } else {
            continue;
        }
        if (show-- > 0)
            printf("  %s: only %s resolves %s + %s\n", name,
                   lb ? name : "redir", lines[i].base, lines[i].loc);
    }
    printf("%-10s agrees with redir on %zu of %zu lines (%zu differ, %zu only "
           "redir, %zu only %s)\n",
           name, nlines - differ - only_redir - only_other, nlines, differ,
           only_redir, only_other, name);
}

/* ---- main ---------------------------------------------------------------------- */

static void row(const struct result *r, double base)
{
    printf("| %-34s | %9.1f | %9.1f - %-9.1f | %6.2f |", r->name, r->median,
           r->min, r->max, r->allocs);
    if (base > 0)
        printf(" %7.1fx |\n", r->median / base);
    else
        printf("         |\n");
}

int main(int argc, char **argv)
{
    const char *corpus = BENCH_CORPUS;
    bool others = true;
    int show = 5;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
            rounds = atoi(argv[++i]);
            if (rounds < 3 || rounds > 255)
                rounds = 15;
        } else if (!strcmp(argv[i], "--no-others")) {
            others = false;
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
            only = argv[++i]; /* resolve, decide or status: for profilers */
            others = false;
        } else if (!strcmp(argv[i], "--show") && i + 1 < argc) {
            show = atoi(argv[++i]);
        } else {
            corpus = argv[i];
        }
    }
    load(corpus);
    if (only) {
        size_t (*fn)(size_t) = !strcmp(only, "decide")   ? decide_one
                               : !strcmp(only, "status") ? status_one
                                                         : redir_one;
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < nlines; i++)
                sink += fn(i);
        return 0;
    }
    printf("redir %s, %zu corpus lines, %d rounds (median, min - max)\n\n",
           redir_version(), nlines, rounds);
    printf("| %-34s | %9s | %-21s | %6s | %8s |\n", "ns per call", "median",
           "min - max", "allocs", "vs redir");
    puts("|------------------------------------|-----------|-----------------------|--------|----------|");
    struct result r = measure("redir_resolve", redir_one, nlines);
    double base = r.median;
    row(&r, 0);
    struct result x;
#ifdef HAVE_URIPARSER
    if (others) {
        x = measure("uriparser parse+AddBase+ToString", uriparser_one, nlines);
        row(&x, base);
    }
#endif
#ifdef HAVE_LIBCURL
    if (others) {
        curl_h = curl_url();
        x = measure("libcurl curl_url_set/get", curl_one, nlines);
        row(&x, base);
    }
#endif
#ifdef HAVE_GLIB
    if (others) {
        x = measure("GLib g_uri_resolve_relative", glib_one, nlines);
        row(&x, base);
    }
#endif
    x = measure("redir_decide (8 request headers)", decide_one, nlines);
    row(&x, 0);
    x = measure("redir_status_get", status_one, nlines);
    row(&x, 0);
    puts("");
    if (others) {
#ifdef HAVE_URIPARSER
        agreement("uriparser", uriparser_one_into, show);
#endif
#ifdef HAVE_LIBCURL
        agreement("libcurl", curl_one_into, show);
#endif
#ifdef HAVE_GLIB
        agreement("GLib", glib_one_into, show);
#endif
    }
    return 0;
}
