/* SPDX-License-Identifier: MIT */
/*
 * Header helpers: redir_cache_control_parse(), redir_cache_evaluate(),
 * redir_http_date_parse() and redir_http_date_format(),
 * redir_retry_after_parse(), redir_hsts_parse() and redir_hsts_upgrade().
 *
 * Input: a control block of CONTROL bytes (missing bytes are 0), then
 * response header lines "Name: value" (ending at '\n'; a '\r' stays in the
 * line). Every line's value also goes, on its own, to each parser, and to
 * redir_hsts_upgrade() as a URL.
 *
 * The control block (offsets):
 *    0     bit 0: the request carried Authorization; bit 1: the first
 *          Cache-Control line is merged into a non-empty result
 *    1-2   status, big-endian, modulo 1024
 *    3     method (one of a few, some invalid)
 *    4-11  "now", int64 little-endian (also formatted as a date)
 *   12     heuristic_percent
 *   13     response_time: 0 (= now) or now minus this many hours
 *   14     request_time: 0 (= response_time) or that minus this many seconds
 *   15     heuristic_default in hours (255: a negative value)
 *   16     capacity of the redir_hsts_upgrade() buffer (255: none)
 *
 * Checks, beyond "no crash, no out-of-bounds access":
 * - a parsed HTTP-date formats (when its year is 0..9999) to an
 *   IMF-fixdate that parses back to the same time; an IMF-fixdate that
 *   parses formats back to itself (but for a leap second, read as second
 *   59); redir_http_date_format() refuses
 *   exactly the times outside 0000..9999;
 * - Retry-After gives a delay >= 0; a delta-seconds parses as Cache-Control
 *   values do; HSTS max-age is >= 0;
 * - Cache-Control values are >= 0 and capped at 2^31; every directive bit
 *   has a name;
 * - cache verdicts are consistent (fresh => storable, ttl = lifetime - age
 *   at least 0, age >= 0, a reason always);
 * - redir_hsts_upgrade() writes the URL unchanged or as https, reports the
 *   length it needs and writes nothing when the buffer is too small; the
 *   callback sees a lower-case host without a trailing dot.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"

enum { CONTROL = 17, MAX_HEADERS = 64 };

#define MIN_FORMAT_TIME (-62167219200LL)
#define MAX_FORMAT_TIME (253402300799LL)

static int64_t i64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    int64_t s;
    memcpy(&s, &v, sizeof s);
    return s;
}

/* a - b without overflow: saturates */
static int64_t sub_sat(int64_t a, int64_t b)
{
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    return a - b;
}

static bool is_imf_fixdate_shape(const char *s, size_t n)
{
    /* "Sun, 06 Nov 1994 08:49:37 GMT" */
    static const char shape[] = "Aaa, 00 Aaa 0000 00:00:00 GMT";
    if (n != sizeof shape - 1)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], k = shape[i];
        if (k == 'A' && !(c >= 'A' && c <= 'Z'))
            return false;
        if (k == 'a' && !(c >= 'a' && c <= 'z'))
            return false;
        if (k == '0' && !(c >= '0' && c <= '9'))
            return false;
        if (k != 'A' && k != 'a' && k != '0' && c != k)
            return false;
    }
    return true;
}

static void check_format(int64_t t)
{
    char buf[30];
    size_t len = 0;
    redir_result r = redir_http_date_format(t, buf, sizeof buf, &len);
    FUZZ_CHECK(len == 29);
    if (t < MIN_FORMAT_TIME || t > MAX_FORMAT_TIME) {
        FUZZ_CHECK(r == REDIR_E_ARGUMENT);
        return;
    }
    FUZZ_CHECK(r == REDIR_OK);
    FUZZ_CHECK(buf[29] == '\0' && strlen(buf) == 29);
    FUZZ_CHECK(is_imf_fixdate_shape(buf, 29));
    int64_t back = 0;
    FUZZ_CHECK(redir_http_date_parse(buf, 29, 0, &back) == REDIR_OK);
    FUZZ_CHECK(back == t);
    /* too small: the size, and nothing written */
    char small[29];
    memset(small, 'x', sizeof small);
    len = 0;
    FUZZ_CHECK(redir_http_date_format(t, small, sizeof small, &len) ==
               REDIR_E_BUFFER_TOO_SMALL);
    FUZZ_CHECK(len == 29);
    len = 0;
    FUZZ_CHECK(redir_http_date_format(t, NULL, 0, &len) ==
               REDIR_E_BUFFER_TOO_SMALL);
    FUZZ_CHECK(len == 29);
}

static void check_date(const char *s, size_t n, int64_t now)
{
    int64_t t = 0;
    redir_result r = redir_http_date_parse(s, n, now, &t);
    fuzz_check_result(r);
    if (r != REDIR_OK)
        return;
    check_format(t);
    /* a leap second (second 60) is read as second 59 of that minute */
    if (is_imf_fixdate_shape(s, n) && memcmp(s + 23, "60", 2) != 0) {
        char buf[30];
        size_t len;
        FUZZ_CHECK(redir_http_date_format(t, buf, sizeof buf, &len) ==
                   REDIR_OK);
        FUZZ_CHECK(memcmp(buf, s, 29) == 0);
    }
}

static void check_cc(const redir_cache_control *cc)
{
    FUZZ_CHECK((cc->directives & ~0x7fffu) == 0);
    FUZZ_CHECK((cc->problems & ~0x1fu) == 0);
    for (unsigned b = 0; b < 15; b++)
        if (cc->directives & (1u << b))
            FUZZ_CHECK(redir_cc_directive_name(1u << b) != NULL);
    const int64_t cap = 2147483648LL;
    if (cc->directives & REDIR_CC_MAX_AGE)
        FUZZ_CHECK(cc->max_age >= 0 && cc->max_age <= cap);
    if (cc->directives & REDIR_CC_S_MAXAGE)
        FUZZ_CHECK(cc->s_maxage >= 0 && cc->s_maxage <= cap);
    if (cc->directives & REDIR_CC_STALE_WHILE_REVALIDATE)
        FUZZ_CHECK(cc->stale_while_revalidate >= 0 &&
                   cc->stale_while_revalidate <= cap);
    if (cc->directives & REDIR_CC_STALE_IF_ERROR)
        FUZZ_CHECK(cc->stale_if_error >= 0 && cc->stale_if_error <= cap);
}

static void check_verdict(const redir_cache_verdict *v)
{
    FUZZ_CHECK(v->reason != NULL && v->reason[0] != '\0');
    FUZZ_CHECK(v->age >= 0 && v->lifetime >= 0 && v->ttl >= 0);
    if (!v->storable) {
        FUZZ_CHECK(!v->fresh && !v->heuristic && !v->must_revalidate);
        FUZZ_CHECK(v->lifetime == 0 && v->ttl == 0);
        return;
    }
    int64_t ttl = sub_sat(v->lifetime, v->age);
    FUZZ_CHECK(v->ttl == (ttl > 0 ? ttl : 0));
    if (v->fresh)
        FUZZ_CHECK(v->ttl > 0);
}

/* the context the HSTS callback must be given back */
static int hsts_token;

static bool hsts_even(void *ctx, const char *host, size_t len)
{
    FUZZ_CHECK(ctx == &hsts_token);
    FUZZ_CHECK(host != NULL && len > 0);
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK(!(host[i] >= 'A' && host[i] <= 'Z'));
    /* (one trailing dot is removed: "a.example.." arrives as "a.example.") */
    return len % 2 == 0;
}

static void check_upgrade(const char *url, size_t n, uint8_t sel)
{
    bool none = sel == 255;
    size_t cap = none ? 0 : sel;
    char *buf = none ? NULL : malloc(cap ? cap : 1);
    if (!none && !buf)
        abort();
    if (buf)
        memset(buf, 'x', cap ? cap : 1);
    size_t len = 0;
    bool up = false;
    redir_result r = redir_hsts_upgrade(url, n, hsts_even, &hsts_token,
                                        buf, cap, &len, &up);
    fuzz_check_result(r);
    if (r == REDIR_E_BUFFER_TOO_SMALL) {
        FUZZ_CHECK(len + 1 > cap);
        for (size_t i = 0; i < cap; i++)
            FUZZ_CHECK(buf[i] == 'x'); /* nothing written */
        free(buf);
        cap = len + 1;
        buf = malloc(cap);
        if (!buf)
            abort();
        bool up2 = false;
        size_t len2 = 0;
        FUZZ_CHECK(redir_hsts_upgrade(url, n, hsts_even, &hsts_token,
                                      buf, cap, &len2, &up2) == REDIR_OK);
        FUZZ_CHECK(len2 == len && up2 == up);
        r = REDIR_OK;
    }
    if (r == REDIR_OK) {
        FUZZ_CHECK(buf[len] == '\0');
        if (!up) {
            FUZZ_CHECK(len == n && memcmp(buf, url, n) == 0);
        } else {
            FUZZ_CHECK(len >= 6 && memcmp(buf, "https:", 6) == 0);
            FUZZ_CHECK(n >= 5 && (url[0] | 0x20) == 'h' && url[4] == ':');
            redir_uri a, b;
            FUZZ_CHECK(redir_uri_parse(url, n, 0, &a) == REDIR_OK);
            FUZZ_CHECK(redir_uri_parse(buf, len, 0, &b) == REDIR_OK);
            FUZZ_CHECK(a.host.len == b.host.len &&
                       memcmp(a.host.ptr, b.host.ptr, a.host.len) == 0);
            FUZZ_CHECK(a.path.len == b.path.len &&
                       memcmp(a.path.ptr, b.path.ptr, a.path.len) == 0);
            FUZZ_CHECK(a.port_number == 80 ? b.port_number == 443
                                           : b.port_number == a.port_number);
        }
    }
    free(buf);
}

static void check_value(const char *v, size_t n, int64_t now, uint8_t sel)
{
    fuzz_buf b = fuzz_copy(v, n);

    check_date(b.ptr, b.len, now);

    int64_t delay = -1;
    redir_result r = redir_retry_after_parse(b.ptr, b.len, now, &delay);
    fuzz_check_result(r);
    if (r == REDIR_OK)
        FUZZ_CHECK(delay >= 0);

    redir_hsts h;
    r = redir_hsts_parse(b.ptr, b.len, &h);
    fuzz_check_result(r);
    if (r == REDIR_OK)
        FUZZ_CHECK(h.max_age >= 0);

    redir_cache_control cc;
    memset(&cc, 0, sizeof cc);
    r = redir_cache_control_parse(b.ptr, b.len, false, &cc);
    fuzz_check_result(r);
    if (r == REDIR_OK) {
        check_cc(&cc);
        /* merging a field into itself changes no value */
        redir_cache_control twice = cc;
        FUZZ_CHECK(redir_cache_control_parse(b.ptr, b.len, true, &twice) ==
                   REDIR_OK);
        check_cc(&twice);
        FUZZ_CHECK(twice.directives == cc.directives);
        if (cc.directives & REDIR_CC_MAX_AGE)
            FUZZ_CHECK(twice.max_age == cc.max_age);
        if (cc.directives & REDIR_CC_S_MAXAGE)
            FUZZ_CHECK(twice.s_maxage == cc.s_maxage);
    }

    check_upgrade(b.ptr, b.len, sel);
    fuzz_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t c[CONTROL] = {0};
    size_t k = size < CONTROL ? size : CONTROL;
    memcpy(c, data, k);
    const int64_t now = i64(c + 4);

    check_format(now);

    redir_header hs[MAX_HEADERS];
    fuzz_buf names[MAX_HEADERS], values[MAX_HEADERS];
    size_t nh = 0;
    fuzz_lines l = {data + k, size - k};
    const char *line;
    size_t len;
    redir_cache_control merged;
    memset(&merged, 0, sizeof merged);
    if (c[0] & 2)
        FUZZ_CHECK(redir_cache_control_parse("no-cache, max-age=5", 19, false,
                                             &merged) == REDIR_OK);
    while (nh < MAX_HEADERS && fuzz_next_line(&l, &line, &len)) {
        const char *colon = memchr(line, ':', len);
        size_t nl = colon ? (size_t)(colon - line) : len;
        size_t v = colon ? nl + 1 : len;
        while (v < len && (line[v] == ' ' || line[v] == '\t'))
            v++;
        names[nh] = fuzz_copy(line, nl);
        values[nh] = fuzz_copy(line + v, len - v);
        hs[nh].name = names[nh].ptr;
        hs[nh].name_len = names[nh].len;
        hs[nh].value = colon ? values[nh].ptr : NULL;
        hs[nh].value_len = colon ? values[nh].len : 0;
        check_value(values[nh].ptr, values[nh].len, now, c[16]);
        redir_result r = redir_cache_control_parse(values[nh].ptr,
                                                   values[nh].len, true,
                                                   &merged);
        fuzz_check_result(r);
        check_cc(&merged);
        nh++;
    }

    static const char *const methods[8] = {"GET", "HEAD", "POST", "get",
                                           "",    "G ET", "OPTIONS", "PUT"};
    const char *m = methods[c[3] & 7];
    fuzz_buf method = fuzz_copy(m, strlen(m));
    const int64_t hour = 3600;
    redir_cache_input in = {
        .status = (int)((((unsigned)c[1] << 8) | c[2]) % 1024u),
        .method = method.ptr,
        .method_len = method.len,
        .headers = nh ? hs : NULL,
        .header_count = nh,
        .authorization = (c[0] & 1) != 0,
        .now = now,
        .response_time = c[13] ? sub_sat(now, (int64_t)c[13] * hour) : 0,
        .request_time = 0,
        .heuristic_percent = c[12],
        .heuristic_default = c[15] == 255 ? -hour : (int64_t)c[15] * hour,
    };
    if (c[14])
        in.request_time =
            sub_sat(in.response_time ? in.response_time : now, c[14]);
    redir_cache_result res;
    redir_result r = redir_cache_evaluate(&in, &res);
    fuzz_check_result(r);
    if (r == REDIR_OK) {
        check_verdict(&res.private_cache);
        check_verdict(&res.shared_cache);
        check_cc(&res.cc);
        FUZZ_CHECK(in.status >= 100 && in.status <= 599);
        if (res.vary_star)
            FUZZ_CHECK(!res.private_cache.storable &&
                       !res.shared_cache.storable);
    } else if (r == REDIR_E_STATUS_RANGE) {
        FUZZ_CHECK(in.status < 100 || in.status > 599);
    }

    fuzz_free(&method);
    for (size_t i = 0; i < nh; i++) {
        fuzz_free(&names[i]);
        fuzz_free(&values[i]);
    }
    return 0;
}
