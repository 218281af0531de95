/* SPDX-License-Identifier: MIT */
/*
 * The inspector: redir_inspect() on every response and
 * redir_inspect_chain() on all of them, read from raw HTTP/1.x heads the
 * way redir-inspect reads `curl -sIL` output.
 *
 * Input: a control block of CONTROL bytes (missing bytes are 0), then
 * text lines (ending at '\n'):
 *
 *   METHOD URL                          the first request
 *   HTTP/1.1 301 Moved Permanently      a response head: status line,
 *   Name: value                         header lines, an empty line
 *   ...
 *   HTTP/1.1 200 OK                     the next response ...
 *
 * Each later response answers the previous one's Location (resolved with
 * redir_resolve_location(); no URL when that fails), with GET after a 303.
 *
 * The control block (offsets):
 *    0     bit 0: the method is given; bit 1: the URL is given; bit 2:
 *          options are given; bit 3: with a policy (the profile of byte
 *          13); bit 4: options with a size below the first release's;
 *          bit 5: a '\r' ending a line is removed
 *    1     room for findings (255: none, out NULL)
 *    2     long_chain
 *    3-10  now, int64 little-endian
 *   11     sticky_seconds in hours (255: negative)
 *   12     body_len: 0 unknown (-1), 255 invalid (-2), else that many bytes
 *   13     profile of the options' policy
 *
 * Checks, beyond "no crash, no out-of-bounds access": findings come in
 * the order of their ids, at most one each, with the name, severity and
 * section REDIR_FINDING_LIST gives; a count above the room reports
 * REDIR_E_BUFFER_TOO_SMALL and the first findings, the same as with room
 * enough; an error writes nothing and counts 0; a few findings agree with
 * the response (missing-location only on 301, 302, 303, 307 and 308
 * without Location; multiple-locations only with two Location lines or
 * more; insecure-downgrade for a hop only from an https URL).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"

enum { CONTROL = 14, MAX_HOPS = 12, MAX_FIELDS = 48, MAX_FINDINGS = 64 };

typedef struct hop {
    int status;
    redir_header h[MAX_FIELDS];
    size_t n;
} hop;

static const redir_severity severity_of[] = {
#define REDIR_X_(name, id, sev, spec) REDIR_SEVERITY_##sev,
    REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
};

static const char *const spec_of[] = {
#define REDIR_X_(name, id, sev, spec) spec,
    REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
};

static const char *const name_of[] = {
#define REDIR_X_(name, id, sev, spec) id,
    REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
};

static int64_t i64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    int64_t s;
    memcpy(&s, &v, sizeof s);
    return s;
}

static bool ieq(const char *s, size_t n, const char *lower)
{
    if (n != strlen(lower))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return true;
}

static size_t count_named(const hop *h, const char *lower)
{
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++)
        if (ieq(h->h[i].name, h->h[i].name_len, lower))
            k++;
    return k;
}

static void check_findings(const redir_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(f[i].id < REDIR_FINDING_LAST_);
        FUZZ_CHECK(i == 0 || f[i].id > f[i - 1].id);
        FUZZ_CHECK(f[i].name && strcmp(f[i].name, name_of[f[i].id]) == 0);
        FUZZ_CHECK(strcmp(redir_finding_name(f[i].id), f[i].name) == 0);
        FUZZ_CHECK(f[i].message && f[i].message[0] != '\0');
        FUZZ_CHECK(f[i].spec && f[i].spec[0] != '\0');
        FUZZ_CHECK(strcmp(redir_severity_name(f[i].severity), "unknown") != 0);
        if (f[i].id != REDIR_FINDING_MISSING_CONTENT_RANGE) {
            FUZZ_CHECK(f[i].severity == severity_of[f[i].id]);
            FUZZ_CHECK(strcmp(f[i].spec, spec_of[f[i].id]) == 0);
        }
    }
}

/* Calls redir_inspect() (one hop) or redir_inspect_chain() (hops, n) with
 * room for `room` findings (255: none) and checks the protocol; returns
 * the result, the findings in *out (room enough) and their count. */
static redir_result inspect(const redir_inspect_input *hops, size_t n,
                            bool chain, const redir_inspect_options *opt,
                            uint8_t room, redir_finding *out, size_t *count)
{
    const bool none = room == 255;
    size_t cap = none ? 0 : room % (MAX_FINDINGS + 1);
    redir_finding *buf = none ? NULL : malloc((cap ? cap : 1) * sizeof *buf);
    if (!none && !buf)
        abort();
    if (buf)
        memset(buf, 0xa5, (cap ? cap : 1) * sizeof *buf);
    size_t k = 12345;
    redir_result r = chain ? redir_inspect_chain(hops, n, opt, buf, cap, &k)
                           : redir_inspect(hops, buf, cap, &k);
    fuzz_check_result(r);
    if (r != REDIR_OK && r != REDIR_E_BUFFER_TOO_SMALL) {
        FUZZ_CHECK(k == 0);
        for (size_t i = 0; buf && i < cap * sizeof *buf; i++)
            FUZZ_CHECK(((unsigned char *)buf)[i] == 0xa5); /* nothing written */
        free(buf);
        *count = 0;
        return r;
    }
    FUZZ_CHECK((r == REDIR_E_BUFFER_TOO_SMALL) == (k > cap));
    FUZZ_CHECK(k <= REDIR_FINDING_LAST_);
    check_findings(buf, k < cap ? k : cap);
    /* with room enough: the same findings */
    size_t k2 = 0;
    redir_result r2 =
        chain ? redir_inspect_chain(hops, n, opt, out, MAX_FINDINGS, &k2)
              : redir_inspect(hops, out, MAX_FINDINGS, &k2);
    FUZZ_CHECK(r2 == REDIR_OK && k2 == k);
    check_findings(out, k);
    for (size_t i = 0; i < k && i < cap; i++)
        FUZZ_CHECK(buf[i].id == out[i].id && buf[i].severity == out[i].severity &&
                   buf[i].message == out[i].message);
    free(buf);
    *count = k;
    return r;
}

static bool has(const redir_finding *f, size_t n, redir_finding_id id)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].id == id)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t c[CONTROL] = {0};
    size_t k = size < CONTROL ? size : CONTROL;
    memcpy(c, data, k);

    /* read the first request and the heads */
    fuzz_lines l = {data + k, size - k};
    const char *line;
    size_t len;
    fuzz_buf pieces[MAX_HOPS * MAX_FIELDS * 2 + 4];
    size_t np = 0;
    fuzz_buf method = fuzz_copy("GET", 3), url = fuzz_copy("", 0);
    if (fuzz_next_line(&l, &line, &len)) {
        if (len && line[len - 1] == '\r' && (c[0] & 32))
            len--;
        const char *sp = memchr(line, ' ', len);
        size_t ml = sp ? (size_t)(sp - line) : len;
        fuzz_free(&method);
        fuzz_free(&url);
        method = fuzz_copy(line, ml);
        url = sp ? fuzz_copy(sp + 1, len - ml - 1) : fuzz_copy("", 0);
    }
    hop *hops = calloc(MAX_HOPS, sizeof *hops);
    if (!hops)
        abort();
    size_t nh = 0;
    bool in_head = false;
    while (fuzz_next_line(&l, &line, &len)) {
        if (len && line[len - 1] == '\r' && (c[0] & 32))
            len--;
        if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
            if (nh == MAX_HOPS)
                break;
            hop *h = &hops[nh++];
            const char *sp = memchr(line, ' ', len);
            size_t i = sp ? (size_t)(sp - line) + 1 : len;
            int st = 0;
            for (int d = 0; d < 4 && i < len && line[i] >= '0' && line[i] <= '9';
                 d++, i++)
                st = st * 10 + (line[i] - '0');
            h->status = st;
            in_head = true;
            continue;
        }
        if (len == 0) {
            in_head = false;
            continue;
        }
        if (!in_head || nh == 0 || hops[nh - 1].n == MAX_FIELDS)
            continue;
        hop *h = &hops[nh - 1];
        redir_header *f = &h->h[h->n++];
        const char *colon = memchr(line, ':', len);
        size_t nl = colon ? (size_t)(colon - line) : len;
        size_t v = colon ? nl + 1 : len;
        while (v < len && (line[v] == ' ' || line[v] == '\t'))
            v++;
        pieces[np] = fuzz_copy(line, nl);
        f->name = pieces[np++].ptr;
        f->name_len = nl;
        if (colon) {
            pieces[np] = fuzz_copy(line + v, len - v);
            f->value = pieces[np++].ptr;
            f->value_len = len - v;
        }
    }

    redir_policy policy;
    const size_t nprof = redir_profile_count();
    FUZZ_CHECK(redir_policy_init(&policy, sizeof policy,
                                 redir_profile_at(c[13] % nprof)->name) ==
               REDIR_OK);
    redir_inspect_options opt = {
        .size = (c[0] & 16) ? 1 : sizeof opt,
        .long_chain = c[2],
        .sticky_seconds = c[11] == 255 ? -1 : (int64_t)c[11] * 3600,
        .policy = (c[0] & 8) ? &policy : NULL,
    };
    const redir_inspect_options *o = (c[0] & 4) ? &opt : NULL;

    /* the requests: each hop answers the previous hop's Location */
    redir_inspect_input *in = calloc(nh ? nh : 1, sizeof *in);
    char **urls = calloc(nh ? nh : 1, sizeof *urls);
    if (!in || !urls)
        abort();
    for (size_t i = 0; i < nh; i++) {
        in[i].method = (c[0] & 1) ? method.ptr : NULL;
        in[i].method_len = (c[0] & 1) ? method.len : 0;
        in[i].status = hops[i].status;
        in[i].headers = hops[i].n ? hops[i].h : NULL;
        in[i].header_count = hops[i].n;
        in[i].body_len = c[12] == 0 ? -1 : c[12] == 255 ? -2 : c[12];
        in[i].now = i64(c + 3);
        in[i].options = o;
        if (i == 0) {
            in[i].url = (c[0] & 2) ? url.ptr : NULL;
            in[i].url_len = (c[0] & 2) ? url.len : 0;
        } else if (in[i - 1].url) {
            const redir_header *loc = NULL;
            for (size_t j = 0; j < hops[i - 1].n; j++)
                if (ieq(hops[i - 1].h[j].name, hops[i - 1].h[j].name_len,
                        "location") && hops[i - 1].h[j].value)
                    loc = &hops[i - 1].h[j];
            if (loc) {
                size_t cap = 3 * (in[i - 1].url_len + loc->value_len) + 64, ul;
                urls[i] = malloc(cap);
                if (!urls[i])
                    abort();
                if (redir_resolve_location(in[i - 1].url, in[i - 1].url_len,
                                           loc->value, loc->value_len, urls[i],
                                           cap, &ul) == REDIR_OK) {
                    in[i].url = urls[i];
                    in[i].url_len = ul;
                }
            }
            if (hops[i - 1].status == 303 && in[i].method) {
                in[i].method = "GET";
                in[i].method_len = 3;
            }
        }
    }

    redir_finding found[MAX_FINDINGS];
    for (size_t i = 0; i < nh; i++) {
        size_t n = 0;
        redir_result r = inspect(&in[i], 1, false, NULL, c[1], found, &n);
        if (r != REDIR_OK && r != REDIR_E_BUFFER_TOO_SMALL)
            continue;
        const int st = in[i].status;
        size_t nloc = count_named(&hops[i], "location");
        if (has(found, n, REDIR_FINDING_MISSING_LOCATION))
            FUZZ_CHECK((st == 301 || st == 302 || st == 303 || st == 307 ||
                        st == 308) && nloc == 0);
        if (has(found, n, REDIR_FINDING_MULTIPLE_LOCATIONS))
            FUZZ_CHECK(nloc >= 2);
        if (has(found, n, REDIR_FINDING_INSECURE_DOWNGRADE))
            FUZZ_CHECK(in[i].url && in[i].url_len >= 6 &&
                       ieq(in[i].url, 6, "https:"));
        if (has(found, n, REDIR_FINDING_METHOD_REWRITE_RISK))
            FUZZ_CHECK(in[i].method != NULL);
    }
    size_t n = 0;
    inspect(nh ? in : NULL, nh, true, o, c[1], found, &n);

    for (size_t i = 0; i < nh; i++)
        free(urls[i]);
    free(urls);
    free(in);
    free(hops);
    for (size_t i = 0; i < np; i++)
        fuzz_free(&pieces[i]);
    fuzz_free(&method);
    fuzz_free(&url);
    return 0;
}
