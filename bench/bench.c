/* SPDX-License-Identifier: MIT */
/*
 * redir-bench: what redir costs on a corpus of real-looking redirects, side
 * by side with the libraries people would otherwise use to resolve a
 * Location: uriparser, libcurl's URL API and GLib's g_uri_resolve_relative.
 *
 *   redir-bench [CORPUS.tsv] [--rounds N] [--no-others] [--interleave]
 *               [--show N] [--only resolve|decide|status|inspect]
 *
 * Each measurement runs the whole corpus per round; the table gives the
 * median of the rounds and their min-max, in nanoseconds per call. Memory
 * allocations are counted by wrapping malloc/calloc/realloc. The results of
 * every resolver are compared on the corpus; bench/README.md explains each
 * kind of disagreement.
 */
#define _GNU_SOURCE
#include <redir.h>

#include <arpa/inet.h>
#include <stdbool.h>
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
    size_t (*fn)(size_t i);
    double t[256];           /* ns per call, one per round */
    double median, min, max; /* ns per call */
    unsigned long allocs;    /* allocations, all rounds */
    double allocs_per_call;
};

static volatile size_t sink;

/* BENCH_KEEP(x): every store to x is kept. With link-time optimisation
 * (-Db_lto=true) the compiler would otherwise drop the parts of a result
 * nobody reads (a decision's flags and header actions), and with them the
 * work that computes them. BENCH_HIDE(p): the value of p, and what it
 * points to, are unknown from there on. */
#if defined(__GNUC__) || defined(__clang__)
#define BENCH_KEEP(x) __asm__ volatile("" : : "r"(&(x)) : "memory")
#define BENCH_HIDE(p) __asm__ volatile("" : "+r"(p) : : "memory")
#else
#define BENCH_KEEP(x) ((void)sink)
#define BENCH_HIDE(p) ((void)sink)
#endif

static int rounds = 15;

/*
 * Runs every row over the corpus `rounds` times, after a warm-up pass.
 * By default each row runs all its rounds in a row, as it would in a loop
 * of its own. With --interleave the rows take turns, one pass each per
 * round, so that all rows see the same machine at the same time (this
 * machine is shared: a row measured alone can fall in a quiet second and
 * the next in a busy one), but also so that no row keeps the caches and
 * the branch predictor to itself between its passes: see bench/README.md.
 */
static bool interleave;

static void one_pass(struct result *x, int r)
{
    unsigned long before = allocations;
    double s = now_ns();
    for (size_t i = 0; i < nlines; i++)
        sink += x->fn(i);
    x->t[r] = (now_ns() - s) / (double)nlines;
    x->allocs += allocations - before;
}

static void measure(struct result *rows, int n)
{
    if (interleave) {
        for (int k = 0; k < n; k++)
            for (size_t i = 0; i < nlines; i++)
                sink += rows[k].fn(i);
        for (int r = 0; r < rounds; r++)
            for (int k = 0; k < n; k++)
                one_pass(&rows[k], r);
    } else {
        for (int k = 0; k < n; k++) {
            for (size_t i = 0; i < nlines; i++)
                sink += rows[k].fn(i);
            for (int r = 0; r < rounds; r++)
                one_pass(&rows[k], r);
        }
    }
    for (int k = 0; k < n; k++) {
        struct result *x = &rows[k];
        qsort(x->t, (size_t)rounds, sizeof x->t[0], cmp_double);
        x->median = x->t[rounds / 2];
        x->min = x->t[0];
        x->max = x->t[rounds - 1];
        x->allocs_per_call =
            (double)x->allocs / ((double)rounds * (double)nlines);
    }
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
    /* what the call sees is opaque, as it is to a library called through
     * a shared object: with link-time optimisation the constant header
     * names, counts and policy could otherwise be folded into the call */
    const redir_request *rq = &req;
    const redir_response *rs = &resp;
    const redir_policy *policy = NULL;
    BENCH_HIDE(rq);
    BENCH_HIDE(rs);
    BENCH_HIDE(policy);
    redir_decision d;
    redir_decide(policy, rq, rs, out, sizeof out, &d);
    BENCH_KEEP(d);
    return d.url_len + (size_t)d.verdict;
}

/* A typical redirect response as the inspector sees it: the corpus line's
 * status and Location with the header fields a server usually sends. */
static size_t inspect_one(size_t i)
{
    redir_header resp_headers[] = {
        {"Date", 4, "Tue, 24 Nov 2026 10:00:00 GMT", 29},
        {"Server", 6, "nginx", 5},
        {"Content-Type", 12, "text/html; charset=utf-8", 24},
        {"Content-Length", 14, "162", 3},
        {"Location", 8, lines[i].loc, lines[i].loc_len},
        {"Cache-Control", 13, "max-age=3600", 12},
    };
    redir_inspect_input in = {lines[i].method, lines[i].method_len,
                              lines[i].base,   lines[i].base_len,
                              lines[i].status, resp_headers,
                              6,               162,
                              1795514400,      NULL};
    redir_finding f[16];
    size_t count = 0;
    redir_inspect(&in, f, 16, &count);
    return count;
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
            /* charsWritten counts the terminating NUL (UriRecompose.c:
             * "dest[written++] = '\0'; *charsWritten = written;") */
            if (uriToStringA(dst, &t, (int)cap, &n) == URI_SUCCESS && n > 0)
                len = (size_t)n - 1;
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

/*
 * Kinds of disagreement, each explained in bench/README.md. classify()
 * names the kind of one difference between redir's result (a) and another
 * library's (b) for corpus line i, by rebuilding b from a (or the line)
 * the way that library is known to differ; "other" is a difference none
 * of the known kinds explains.
 */
enum kind {
    K_IPV6_FULL,      /* uriparser: IPv6 literal written out in full */
    K_IPV6_SHORT,     /* libcurl: IPv6 literal shortened by inet_ntop */
    K_FRAGMENT_ONLY,  /* libcurl: "#f" resolved like a path */
    K_QUERY_BASE_FRAG,/* libcurl: "?q" appended after the base fragment */
    K_EMPTY_FRAGMENT, /* libcurl: a trailing empty "#" dropped */
    K_DOTS_QUERY,     /* libcurl: "../" right before "?": slash lost */
    K_PATH_BASE_FRAG, /* libcurl: relative path merged inside the base
                         fragment */
    K_OTHER,
    K_COUNT
};

static const char *const kind_name[K_COUNT] = {
    "IPv6 literal written in full (uriToStringA)",
    "IPv6 literal shortened (inet_ntop)",
    "fragment-only reference resolved as a path",
    "query-only reference appended after the base fragment",
    "empty fragment \"#\" dropped",
    "\"../\" or \"./\" right before a query: trailing slash lost",
    "relative path merged into the base fragment",
    "other (unexplained)",
};

/* Rewrites every IPv6 literal of s[0..n) with write6(): into out. */
static size_t map_ipv6(const char *s, size_t n, char *dst, size_t cap,
                       int full)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 64 < cap;) {
        if (s[i] == '[') {
            const char *close = memchr(s + i, ']', n - i);
            char text[64];
            unsigned char addr[16];
            size_t tn = close ? (size_t)(close - s - i - 1) : 0;
            if (close && tn < sizeof text) {
                memcpy(text, s + i + 1, tn);
                text[tn] = '\0';
                if (inet_pton(AF_INET6, text, addr) == 1) {
                    char w[64];
                    if (full) {
                        for (int k = 0; k < 8; k++)
                            snprintf(w + k * 5, 6, "%02x%02x%s", addr[2 * k],
                                     addr[2 * k + 1], k < 7 ? ":" : "");
                    } else {
                        inet_ntop(AF_INET6, addr, w, sizeof w);
                        if (strlen(w) >= tn) /* curl keeps it unless shorter */
                            memcpy(w, text, tn + 1);
                    }
                    o += (size_t)snprintf(dst + o, cap - o, "[%s]", w);
                    i += tn + 2;
                    continue;
                }
            }
        }
        dst[o++] = s[i++];
    }
    return o;
}

static bool same(const char *x, size_t xn, const char *y, size_t yn)
{
    return xn == yn && memcmp(x, y, xn) == 0;
}

static enum kind classify(const char *name, size_t i, const char *a,
                          size_t la, const char *b, size_t lb)
{
    static char t[1 << 16];
    const struct line *l = &lines[i];
    const char *bfrag = strchr(l->base, '#');
    size_t n;
    if (!strcmp(name, "uriparser")) {
        n = map_ipv6(a, la, t, sizeof t, 1);
        return same(t, n, b, lb) ? K_IPV6_FULL : K_OTHER;
    }
    if (strcmp(name, "libcurl"))
        return K_OTHER;
    n = map_ipv6(a, la, t, sizeof t, 0);
    if (same(t, n, b, lb))
        return K_IPV6_SHORT;
    if (l->loc[0] == '#' || l->loc[0] == '?') {
        /* libcurl 7.88 concat_url(): the base cut at its '?', then (for
         * "#f") at its last '/', and the reference appended; an empty
         * fragment is then dropped */
        size_t cut = strcspn(l->base, "?");
        if (l->loc[0] == '#')
            while (cut > 0 && l->base[cut - 1] != '/')
                cut--;
        static char u[1 << 16];
        n = (size_t)snprintf(u, sizeof u, "%.*s%s", (int)cut, l->base, l->loc);
        if (n && u[n - 1] == '#')
            n--;
        n = map_ipv6(u, n, t, sizeof t, 0); /* with shortened IPv6 */
        if (same(t, n, b, lb))
            return l->loc[0] == '#' ? K_FRAGMENT_ONLY : K_QUERY_BASE_FRAG;
    }
    if (la == lb + 1 && a[la - 1] == '#' && !memcmp(a, b, lb))
        return K_EMPTY_FRAGMENT;
    if (l->loc[0] == '.') {
        const char *q = strchr(l->loc, '?');
        if (q && q > l->loc && q[-1] == '/') {
            const char *aq = memchr(a, '?', la);
            /* redir's result without the slash before its query */
            if (aq && aq > a && aq[-1] == '/' && la == lb + 1 &&
                !memcmp(a, b, (size_t)(aq - a - 1)) &&
                !memcmp(aq, b + (aq - a - 1), la - (size_t)(aq - a)))
                return K_DOTS_QUERY;
        }
    }
    if (bfrag && l->loc[0] != '/' && !strchr(l->loc, ':') &&
        memchr(b, '#', lb) && lb > (size_t)(bfrag - l->base) &&
        !memcmp(b, l->base, (size_t)(bfrag - l->base)))
        return K_PATH_BASE_FRAG;
    return K_OTHER;
}

static void agreement(const char *name, into_fn fn, int show)
{
    static char a[1 << 16], b[1 << 16];
    size_t differ = 0, only_redir = 0, only_other = 0;
    size_t kinds[K_COUNT] = {0};
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
            enum kind k = classify(name, i, a, la, b, lb);
            kinds[k]++;
            if (show-- > 0)
                printf("  %s differs on %d %s + %s (%s)\n    redir: %.*s\n    %s: %.*s\n",
                       name, lines[i].status, lines[i].base, lines[i].loc,
                       kind_name[k], (int)la, a, name, (int)lb, b);
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
    for (int k = 0; k < K_COUNT; k++)
        if (kinds[k])
            printf("           %5zu  %s\n", kinds[k], kind_name[k]);
}

/* ---- main ---------------------------------------------------------------------- */

static void row(const struct result *r, double base)
{
    printf("| %-34s | %9.1f | %9.1f - %-9.1f | %6.2f |", r->name, r->median,
           r->min, r->max, r->allocs_per_call);
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
            only = argv[++i]; /* resolve, decide, status or inspect:
                                 for profilers */
            others = false;
        } else if (!strcmp(argv[i], "--interleave")) {
            interleave = true;
        } else if (!strcmp(argv[i], "--show") && i + 1 < argc) {
            show = atoi(argv[++i]);
        } else {
            corpus = argv[i];
        }
    }
    load(corpus);
    if (only) {
        size_t (*fn)(size_t) = !strcmp(only, "decide")    ? decide_one
                               : !strcmp(only, "status")  ? status_one
                               : !strcmp(only, "inspect") ? inspect_one
                                                          : redir_one;
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < nlines; i++)
                sink += fn(i);
        return 0;
    }
    /* Let the processor reach its working clock before the first row:
     * without this, the first measurement (redir_resolve) ran at the
     * idle frequency and varied by a factor of two from run to run. */
    for (double t0 = now_ns(); now_ns() - t0 < 300e6;)
        for (size_t i = 0; i < nlines; i++)
            sink += redir_one(i);
    printf("redir %s, %zu corpus lines, %d rounds%s (median, min - max)\n\n",
           redir_version(), nlines, rounds, interleave ? ", interleaved" : "");
    printf("| %-34s | %9s | %-21s | %6s | %8s |\n", "ns per call", "median",
           "min - max", "allocs", "vs redir");
    puts("|------------------------------------|-----------|-----------------------|--------|----------|");
    /* rows: redir_resolve, the others, redir_decide, redir_status_get,
     * redir_inspect */
    static struct result rows[7];
    int n = 0, first_other, n_others;
    rows[n++] = (struct result){.name = "redir_resolve", .fn = redir_one};
    first_other = n;
#ifdef HAVE_URIPARSER
    if (others)
        rows[n++] = (struct result){.name = "uriparser parse+AddBase+ToString",
                                    .fn = uriparser_one};
#endif
#ifdef HAVE_LIBCURL
    if (others) {
        curl_h = curl_url();
        rows[n++] = (struct result){.name = "libcurl curl_url_set/get",
                                    .fn = curl_one};
    }
#endif
#ifdef HAVE_GLIB
    if (others)
        rows[n++] = (struct result){.name = "GLib g_uri_resolve_relative",
                                    .fn = glib_one};
#endif
    n_others = n - first_other;
    rows[n++] = (struct result){.name = "redir_decide (8 request headers)",
                                .fn = decide_one};
    rows[n++] = (struct result){.name = "redir_status_get", .fn = status_one};
    rows[n++] = (struct result){.name = "redir_inspect (6 response headers)",
                                .fn = inspect_one};
    measure(rows, n);
    const double base = rows[0].median;
    for (int k = 0; k < n; k++)
        row(&rows[k], k >= first_other && k < first_other + n_others ? base : 0);
    if (n_others) {
        double fastest = rows[first_other].median;
        for (int k = first_other; k < first_other + n_others; k++)
            if (rows[k].median < fastest)
                fastest = rows[k].median;
        printf("\nredir_resolve is %.1fx faster than the fastest of the others "
               "in this run\n",
               fastest / base);
    }
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
