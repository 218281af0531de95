/* SPDX-License-Identifier: MIT */
/* URI references: RFC 3986 parsing and resolution, Location validation,
 * fragment inheritance, origins. */
#include <redir.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

/* ---- RFC 3986, Section 5.4, from tests/data/rfc3986-5.4.tsv ------------- */

struct vec {
    char kind[16], base[64], ref[64], want[64];
};
static struct vec vecs[64];
static size_t nvecs;

static void copy_field(char *dst, size_t cap, const char *s, size_t n)
{
    ck_assert_uint_lt(n, cap);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void load_vectors(void)
{
    if (nvecs)
        return;
    FILE *f = fopen(TEST_DATA_DIR "/rfc3986-5.4.tsv", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\n")] = '\0';
        const char *p = line;
        struct vec *v = &vecs[nvecs];
        char *fields[4] = {v->kind, v->base, v->ref, v->want};
        size_t caps[4] = {sizeof v->kind, sizeof v->base, sizeof v->ref,
                          sizeof v->want};
        for (int k = 0; k < 4; k++) {
            size_t n = strcspn(p, "\t");
            copy_field(fields[k], caps[k], p, n);
            p += n;
            if (k < 3) {
                ck_assert_int_eq(*p, '\t');
                p++;
            }
        }
        nvecs++;
        ck_assert_uint_lt(nvecs, LEN(vecs));
    }
    fclose(f);
}

START_TEST(rfc3986_examples)
{
    load_vectors();
    ck_assert_uint_eq(nvecs, 42); /* 23 normal + 19 abnormal */
    for (size_t i = 0; i < nvecs; i++) {
        char out[128];
        size_t len = 99;
        redir_result r = redir_resolve(vecs[i].base, strlen(vecs[i].base),
                                       vecs[i].ref, strlen(vecs[i].ref), out,
                                       sizeof out, &len);
        ck_assert_msg(r == REDIR_OK, "%s: %s", vecs[i].ref, redir_result_name(r));
        ck_assert_msg(strcmp(out, vecs[i].want) == 0, "%s (%s): got %s want %s",
                      vecs[i].ref, vecs[i].kind, out, vecs[i].want);
        ck_assert_uint_eq(len, strlen(vecs[i].want));
    }
}
END_TEST

/* Every capacity below the need reports the need and writes nothing past
 * the capacity. */
START_TEST(buffer_too_small)
{
    load_vectors();
    for (size_t i = 0; i < nvecs; i++) {
        size_t need = strlen(vecs[i].want);
        for (size_t cap = 0; cap <= need + 1; cap++) {
            char buf[160];
            memset(buf, 'Z', sizeof buf);
            size_t len = 0;
            redir_result r = redir_resolve(vecs[i].base, strlen(vecs[i].base),
                                           vecs[i].ref, strlen(vecs[i].ref),
                                           cap ? buf : NULL, cap, &len);
            if (cap <= need) {
                ck_assert_int_eq(r, REDIR_E_BUFFER_TOO_SMALL);
            } else {
                ck_assert_int_eq(r, REDIR_OK);
                ck_assert_str_eq(buf, vecs[i].want);
            }
            ck_assert_uint_eq(len, need);
            for (size_t k = cap; k < sizeof buf; k++)
                ck_assert_int_eq(buf[k], 'Z');
        }
    }
}
END_TEST

/* ---- more resolution cases ----------------------------------------------- */

static const struct {
    const char *base, *ref, *want;
} resolve_cases[] = {
    /* empty base path with an authority: merge starts with "/" */
    {"http://a", "g", "http://a/g"},
    {"http://a", "", "http://a"},
    {"http://a?q", "#f", "http://a?q#f"},
    /* case and percent-encoding are kept as given */
    {"HTTP://A.example/%7Euser/", "X%2fY", "HTTP://A.example/%7Euser/X%2fY"},
    {"https://h/a/b", "//Other.Example:8443", "https://Other.Example:8443"},
    {"https://h/a/b", "HTTPS://x/./y/../z", "HTTPS://x/z"},
    /* a base with dot segments is cleaned through the merge */
    {"http://a/b/../c/d", "e", "http://a/c/e"},
    /* empty segments are segments */
    {"http://a/b//c", "..", "http://a/b/"},
    {"http://a/b", "x//..//y", "http://a/x//y"},
    /* relative paths without an authority: the RFC's quirks */
    {"foo:bar", "a/../b", "foo:/b"},
    {"foo:bar", "../b", "foo:b"},
    {"foo:a/b", "..", "foo:/"},
    {"mailto:x@y", "z", "mailto:z"},
    /* without an authority a path may not begin with "//" (RFC 3986,
     * Section 3.3): "/." in front keeps it a path, as the WHATWG URL
     * serializer writes it; with an authority nothing is added */
    {"a:/b/c", "..//d", "a:/.//d"},
    {"a:/b", "/.//x:y", "a:/.//x:y"},
    {"https://bank.example/", "http:.///evil.example/x",
     "http:/.//evil.example/x"},
    {"ws:/a/b", "..//evil.example/x?q#f", "ws:/.//evil.example/x?q#f"},
    {"http://a/b/c", "..//d", "http://a//d"},
    {"a:/b/c", "..//d/../..//e", "a:/.//e"},
    /* the reference's own scheme and dot segments */
    {"http://a/b", "ftp://f/./x/../y?q#r", "ftp://f/y?q#r"},
    {"http://a/b", "urn:isbn:123", "urn:isbn:123"},
    /* IPv6 and empty port stay as written */
    {"http://[::1]:8080/a", "b", "http://[::1]:8080/b"},
    {"http://a:/x", "y", "http://a:/y"},
    /* query of the base is kept only for an empty reference */
    {"http://a/p?q", "", "http://a/p?q"},
    {"http://a/p?q", "?", "http://a/p?"},
    {"http://a/p?q", "#", "http://a/p?q#"},
    {"http://a/p?q", "r", "http://a/r"},
};

START_TEST(resolve_more)
{
    char out[256];
    size_t len;
    const char *b = resolve_cases[_i].base, *f = resolve_cases[_i].ref;
    redir_result r = redir_resolve(b, strlen(b), f, strlen(f), out, sizeof out,
                                   &len);
    ck_assert_msg(r == REDIR_OK, "%s + %s: %s", b, f, redir_result_name(r));
    ck_assert_str_eq(out, resolve_cases[_i].want);
}
END_TEST

/* ---- parsing -------------------------------------------------------------- */

START_TEST(parse_components)
{
    const char *s = "https://user:pw@Example.COM:8443/a/b;c?x=1&y#frag";
    redir_uri u;
    ck_assert_int_eq(redir_uri_parse(s, strlen(s), 0, &u), REDIR_OK);
    ck_assert_uint_eq(u.parts, REDIR_URI_SCHEME | REDIR_URI_AUTHORITY |
                                   REDIR_URI_USERINFO | REDIR_URI_PORT |
                                   REDIR_URI_QUERY | REDIR_URI_FRAGMENT);
#define SPAN(f, want)                                                          \
    do {                                                                       \
        ck_assert_uint_eq(u.f.len, strlen(want));                              \
        ck_assert(memcmp(u.f.ptr, want, u.f.len) == 0);                        \
    } while (0)
    SPAN(scheme, "https");
    SPAN(userinfo, "user:pw");
    SPAN(host, "Example.COM");
    SPAN(port, "8443");
    SPAN(path, "/a/b;c");
    SPAN(query, "x=1&y");
    SPAN(fragment, "frag");
    ck_assert_int_eq(u.port_number, 8443);
    ck_assert_int_eq(u.host_type, REDIR_HOST_NAME);
    ck_assert_int_eq(redir_uri_port(&u), 8443);

    ck_assert_int_eq(redir_uri_parse("//[2001:db8::7]/", 16, 0, &u), REDIR_OK);
    ck_assert_int_eq(u.host_type, REDIR_HOST_IPV6);
    SPAN(host, "[2001:db8::7]");
    ck_assert_int_eq(u.port_number, -1);
    ck_assert_uint_eq(u.parts, REDIR_URI_AUTHORITY);

    ck_assert_int_eq(redir_uri_parse("http://192.0.2.1:80", 19, 0, &u), REDIR_OK);
    ck_assert_int_eq(u.host_type, REDIR_HOST_IPV4);
    ck_assert_int_eq(u.port_number, 80);
    SPAN(path, "");

    /* 256.1.1.1 is not an IPv4address: it is a reg-name */
    ck_assert_int_eq(redir_uri_parse("http://256.1.1.1/", 17, 0, &u), REDIR_OK);
    ck_assert_int_eq(u.host_type, REDIR_HOST_NAME);
    ck_assert_int_eq(redir_uri_parse("http://[v1.x:y]/", 16, 0, &u), REDIR_OK);
    ck_assert_int_eq(u.host_type, REDIR_HOST_IPVFUTURE);

    ck_assert_int_eq(redir_uri_parse("?q", 2, 0, &u), REDIR_OK);
    ck_assert_uint_eq(u.parts, REDIR_URI_QUERY);
    ck_assert_uint_eq(u.path.len, 0);
    ck_assert_ptr_nonnull(u.path.ptr);
    ck_assert_int_eq(redir_uri_parse("", 0, 0, &u), REDIR_OK);
    ck_assert_uint_eq(u.parts, 0);
#undef SPAN
}
END_TEST

static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    redir_result want;
} parse_errors[] = {
    {"http://a/b\r\nSet-Cookie: x", 0, REDIR_E_CONTROL},
    {"http://a/b\nX", 0, REDIR_E_CONTROL},
    {"http://a/\0b", 11, REDIR_E_CONTROL},
    {"http://a/\tb", 0, REDIR_E_CONTROL},
    {"http://a/\x7f", 0, REDIR_E_CONTROL},
    {"http://a/b c", 0, REDIR_E_SPACE},
    {"/caf\xc3\xa9", 0, REDIR_E_NON_ASCII},
    {"http://a/%zz", 0, REDIR_E_PERCENT},
    {"http://a/%4", 0, REDIR_E_PERCENT},
    {"http://a/%", 0, REDIR_E_PERCENT},
    {"http://a/<x>", 0, REDIR_E_CHAR},
    {"http://a/{x}", 0, REDIR_E_CHAR},
    {"http://a/x#y#z", 0, REDIR_E_CHAR},
    {"http://a/x\\y", 0, REDIR_E_BACKSLASH},
    {"/\\evil.example/", 0, REDIR_E_BACKSLASH},
    {"http://a:65536/", 0, REDIR_E_PORT},
    {"http://a:99999999999999999999/", 0, REDIR_E_PORT},
    {"http://a:8o/", 0, REDIR_E_PORT},
    {"http://a:-1/", 0, REDIR_E_PORT},
    {"http://a:1:2/", 0, REDIR_E_PORT},
    {"http://[::1/", 0, REDIR_E_IPV6},
    {"http://[::1]x/", 0, REDIR_E_HOST},
    {"http://[1:2:3:4:5:6:7:8:9]/", 0, REDIR_E_IPV6},
    {"http://[1::2::3]/", 0, REDIR_E_IPV6},
    {"http://[fe80::1%25eth0]/", 0, REDIR_E_IPV6},
    {"http://[:1]/", 0, REDIR_E_IPV6},
    {"http://[1:]/", 0, REDIR_E_IPV6},
    {"http://[12345::]/", 0, REDIR_E_IPV6},
    {"http://[::1.2.3]/", 0, REDIR_E_IPV6},
    {"http://[]/", 0, REDIR_E_IPV6},
    {"http://a@b@c/", 0, REDIR_E_HOST},
    {"http://a%2fb/", 0, REDIR_E_HOST},
    {"http://a%00b/", 0, REDIR_E_HOST},
    {"http://a%40b/", 0, REDIR_E_HOST},
    {"http://a%2/", 0, REDIR_E_PERCENT},
    {"http://a b/", 0, REDIR_E_SPACE},
    {"http://ex\xc3\xa4mple/", 0, REDIR_E_NON_ASCII},
    {"http://a_b!$'()*+,;=/", 0, REDIR_OK},
    {"1http:/x", 0, REDIR_E_SCHEME},
    {":x", 0, REDIR_E_SCHEME},
    /* a colon in a relative path's first segment (RFC 3986, Section 4.2),
     * not after its first '/' or in an absolute path */
    {"1a:b/c", 0, REDIR_E_SCHEME},
    {"1a/b:c", 0, REDIR_OK},
    {"/1a:b", 0, REDIR_OK},
    {"?1a:b", 0, REDIR_OK},
    {"a b:c", 0, REDIR_E_SPACE},
    {"http://u s@a/", 0, REDIR_E_SPACE},
};

START_TEST(parse_rejects)
{
    const char *in = parse_errors[_i].in;
    size_t len = parse_errors[_i].len ? parse_errors[_i].len : strlen(in);
    redir_uri u;
    redir_result r = redir_uri_parse(in, len, 0, &u);
    ck_assert_msg(r == parse_errors[_i].want, "case %d: %s, want %s", _i,
                  redir_result_name(r), redir_result_name(parse_errors[_i].want));
}
END_TEST

START_TEST(ipv6_forms)
{
    static const char *const good[] = {
        "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1::8", "1:2:3:4:5:6::8",
        "::2:3:4:5:6:7:8", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33",
        "1:2:3:4:5:6:192.0.2.1", "ABCD:ef01::", "0:0:0:0:0:0:0:1",
    };
    static const char *const bad[] = {
        "", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "::1::",
        "1:2:3:4:5:6:7:192.0.2.1", "::192.0.2.01", "g::", "1:2", "::1:",
        "1.2.3.4", "::ffff:1.2.3.4.5",
    };
    for (size_t i = 0; i < LEN(good); i++) {
        char s[64];
        snprintf(s, sizeof s, "http://[%s]/", good[i]);
        redir_uri u;
        ck_assert_msg(redir_uri_parse(s, strlen(s), 0, &u) == REDIR_OK, "%s", s);
    }
    for (size_t i = 0; i < LEN(bad); i++) {
        char s[64];
        snprintf(s, sizeof s, "http://[%s]/", bad[i]);
        redir_uri u;
        ck_assert_msg(redir_uri_parse(s, strlen(s), 0, &u) == REDIR_E_IPV6, "%s", s);
    }
}
END_TEST

/* ---- Location ------------------------------------------------------------- */

static const struct {
    const char *base, *loc;
    unsigned flags;
    redir_result want;
    const char *url;
} location_cases[] = {
    /* RFC 9110, Section 10.2.2: the fragment of the request URL carries over */
    {"https://a/p#top", "/q", 0, REDIR_OK, "https://a/q#top"},
    {"https://a/p#top", "/q#end", 0, REDIR_OK, "https://a/q#end"},
    {"https://a/p#top", "/q#", 0, REDIR_OK, "https://a/q#"},
    {"https://a/p#top", "/q", REDIR_URI_NO_FRAGMENT_INHERIT, REDIR_OK, "https://a/q"},
    {"https://a/p", "/q", 0, REDIR_OK, "https://a/q"},
    /* surrounding white space is not part of the value */
    {"https://a/p", "  /q\t", 0, REDIR_OK, "https://a/q"},
    /* an empty Location is a same-document reference */
    {"https://a/p?x#f", "", 0, REDIR_OK, "https://a/p?x#f"},
    {"https://a/p", "   ", 0, REDIR_OK, "https://a/p"},
    {"https://a/p", "//b.example/x", 0, REDIR_OK, "https://b.example/x"},
    {"https://a/p", "http://b/x", 0, REDIR_OK, "http://b/x"},
    /* response splitting and other control bytes */
    {"https://a/p", "/x\r\nSet-Cookie: a=b", 0, REDIR_E_CONTROL, NULL},
    {"https://a/p", "/x\r\nSet-Cookie: a=b", REDIR_URI_LENIENT, REDIR_E_CONTROL, NULL},
    /* strict refuses; lenient encodes */
    {"https://a/p", "/a b", 0, REDIR_E_SPACE, NULL},
    {"https://a/p", "/a b?c d#e f", REDIR_URI_LENIENT, REDIR_OK,
     "https://a/a%20b?c%20d#e%20f"},
    {"https://a/p", "/r\xc3\xa9sum\xc3\xa9", 0, REDIR_E_NON_ASCII, NULL},
    {"https://a/p", "/r\xc3\xa9sum\xc3\xa9", REDIR_URI_LENIENT, REDIR_OK,
     "https://a/r%C3%A9sum%C3%A9"},
    {"https://a/p", "/100%", REDIR_URI_LENIENT, REDIR_OK, "https://a/100%25"},
    {"https://a/p", "/%41%zz", REDIR_URI_LENIENT, REDIR_OK, "https://a/%41%25zz"},
    {"https://a/p", "/x#a#b", REDIR_URI_LENIENT, REDIR_OK, "https://a/x#a%23b"},
    {"https://a/p", "/{x}|\"<>^`", REDIR_URI_LENIENT, REDIR_OK,
     "https://a/%7Bx%7D%7C%22%3C%3E%5E%60"},
    {"https://a/p", "x y/../z", REDIR_URI_LENIENT, REDIR_OK, "https://a/z"},
    /* hosts are never repaired */
    {"https://a/p", "https://ex\xc3\xa4mple/", REDIR_URI_LENIENT, REDIR_E_NON_ASCII, NULL},
    {"https://a/p", "https://a b/", REDIR_URI_LENIENT, REDIR_E_SPACE, NULL},
    /* RFC 9110, Section 4.2.4: userinfo is an error */
    {"https://a/p", "https://trusted.example@evil.example/", 0, REDIR_E_USERINFO, NULL},
    {"https://a/p", "https://u:p@b/", REDIR_URI_ALLOW_USERINFO, REDIR_OK, "https://u:p@b/"},
    /* RFC 9110, Section 4.2.1: http(s) needs a host */
    {"https://a/p", "http:g", 0, REDIR_E_HOST, NULL},
    {"https://a/p", "https:///x", 0, REDIR_E_HOST, NULL},
    {"https://a/p", "https://:443/x", 0, REDIR_E_HOST, NULL},
    {"file:///a", "b", 0, REDIR_OK, "file:///b"},
    /* backslashes: refused by RFC 3986, slashes for browsers */
    {"https://a/p", "/\\evil.example/x", 0, REDIR_E_BACKSLASH, NULL},
    {"https://a/p", "/\\evil.example/x", REDIR_URI_WHATWG, REDIR_OK, "https://evil.example/x"},
    {"https://a/p", "\\\\evil.example\\x\\..\\y", REDIR_URI_WHATWG, REDIR_OK, "https://evil.example/y"},
    {"https://a/b/c", "..\\d", REDIR_URI_WHATWG, REDIR_OK, "https://a/d"},
    {"https://a/b/c", "/x/%2e%2E/y/%2e/z", REDIR_URI_WHATWG, REDIR_OK, "https://a/y/z"},
    {"https://a/b/c", "/x/%2e%2E/y", 0, REDIR_OK, "https://a/x/%2e%2E/y"},
    {"https://a/b/c", "https:d", REDIR_URI_WHATWG, REDIR_OK, "https://a/b/d"},
    {"https://a/b/c", "/q?a\\b", REDIR_URI_WHATWG | REDIR_URI_LENIENT, REDIR_OK,
     "https://a/q?a%5Cb"},
    /* bad ports and addresses */
    {"https://a/p", "https://b:70000/", 0, REDIR_E_PORT, NULL},
    {"https://a/p", "https://[::g]/", 0, REDIR_E_IPV6, NULL},
    /* base problems are reported as such */
    {"/relative", "/x", 0, REDIR_E_BASE_NOT_ABSOLUTE, NULL},
    {"https://a b/", "/x", 0, REDIR_E_BASE_INVALID, NULL},
};

START_TEST(locations)
{
    char out[256];
    size_t len = 7;
    const char *b = location_cases[_i].base, *l = location_cases[_i].loc;
    redir_result r = redir_resolve_location_ex(b, strlen(b), l, strlen(l),
                                               location_cases[_i].flags, out,
                                               sizeof out, &len);
    ck_assert_msg(r == location_cases[_i].want, "case %d (%s): %s, want %s", _i,
                  l, redir_result_name(r),
                  redir_result_name(location_cases[_i].want));
    if (r == REDIR_OK) {
        ck_assert_str_eq(out, location_cases[_i].url);
        ck_assert_uint_eq(len, strlen(out));
    }
    if (location_cases[_i].flags == 0) {
        size_t len2;
        char out2[256];
        ck_assert_int_eq(redir_resolve_location(b, strlen(b), l, strlen(l),
                                                out2, sizeof out2, &len2),
                         r);
        if (r == REDIR_OK)
            ck_assert_str_eq(out2, out);
    }
}
END_TEST

START_TEST(lenient_buffer_sizes)
{
    const char *b = "https://a/p#f";
    const char *l = "/r\xc3\xa9 s/../x y?q r";
    const char *want = "https://a/x%20y?q%20r#f";
    for (size_t cap = 0; cap <= strlen(want) + 1; cap++) {
        char buf[64];
        memset(buf, 'Z', sizeof buf);
        size_t len;
        redir_result r = redir_resolve_location_ex(b, strlen(b), l, strlen(l),
                                                   REDIR_URI_LENIENT, buf, cap,
                                                   &len);
        ck_assert_uint_eq(len, strlen(want));
        ck_assert_int_eq(r, cap > strlen(want) ? REDIR_OK : REDIR_E_BUFFER_TOO_SMALL);
        for (size_t k = cap; k < sizeof buf; k++)
            ck_assert_int_eq(buf[k], 'Z');
        if (r == REDIR_OK)
            ck_assert_str_eq(buf, want);
    }
}
END_TEST

START_TEST(null_and_limits)
{
    char out[16];
    size_t len;
    ck_assert_int_eq(redir_resolve(NULL, 0, "a", 1, out, sizeof out, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_resolve("http://a", 8, NULL, 0, out, sizeof out, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_resolve("http://a", 8, "a", 1, out, sizeof out, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_resolve("http://a", 8, "a", 1, NULL, 5, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_uri_parse("x", 1, 0, NULL), REDIR_E_NULL);
    redir_uri u;
    ck_assert_int_eq(redir_uri_parse(NULL, 1, 0, &u), REDIR_E_NULL);

    static char big[REDIR_MAX_INPUT + 2];
    memset(big, 'a', sizeof big);
    ck_assert_int_eq(redir_uri_parse(big, REDIR_MAX_INPUT, 0, &u), REDIR_OK);
    ck_assert_int_eq(redir_uri_parse(big, REDIR_MAX_INPUT + 1, 0, &u), REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_resolve_location("http://a/", 9, big, sizeof big,
                                            out, sizeof out, &len),
                     REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_resolve_location("http://a/", 9, big, REDIR_MAX_INPUT,
                                            out, sizeof out, &len),
                     REDIR_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(len, 9 + REDIR_MAX_INPUT - 0 - 0 + 0 - 0);
}
END_TEST

/* ---- origins -------------------------------------------------------------- */

static const struct {
    const char *a, *b;
    unsigned diff;
} origin_cases[] = {
    {"https://a.example/x", "https://a.example/y", 0},
    {"https://A.Example/x", "HTTPS://a.example:443/", 0},
    {"http://a.example", "http://a.example:80", 0},
    {"http://a.example:", "http://a.example:80", 0},
    {"https://a.example", "http://a.example", REDIR_ORIGIN_SCHEME | REDIR_ORIGIN_PORT},
    {"http://a.example:8080", "http://a.example:8081", REDIR_ORIGIN_PORT},
    {"http://a.example", "http://b.example", REDIR_ORIGIN_HOST},
    {"http://example.com", "http://notexample.com", REDIR_ORIGIN_HOST},
    {"http://example.com", "http://example.com.evil.net", REDIR_ORIGIN_HOST},
    {"http://example.com", "http://example.com.", REDIR_ORIGIN_HOST},
    {"http://a%2Eexample", "http://A.example", 0},
    {"http://[::1]/", "http://[0:0::1]:80/", 0},
    {"http://[::1]/", "http://[::2]/", REDIR_ORIGIN_HOST},
    {"http://[::1]/", "http://127.0.0.1/", REDIR_ORIGIN_HOST},
    {"http://127.0.0.1/", "http://localhost/", REDIR_ORIGIN_HOST},
    {"http://1.2.3.4/", "http://1.2.3.4/", 0},
    {"foo://a/", "foo://a:1/", REDIR_ORIGIN_PORT},
};

START_TEST(origins)
{
    redir_uri a, b;
    ck_assert_int_eq(redir_uri_parse(origin_cases[_i].a, strlen(origin_cases[_i].a), 0, &a), REDIR_OK);
    ck_assert_int_eq(redir_uri_parse(origin_cases[_i].b, strlen(origin_cases[_i].b), 0, &b), REDIR_OK);
    ck_assert_uint_eq(redir_uri_origin_diff(&a, &b), origin_cases[_i].diff);
    ck_assert_uint_eq(redir_uri_origin_diff(&b, &a), origin_cases[_i].diff);
}
END_TEST

/* IPv4 hosts (RFC 3986, Section 3.2.2, dec-octet): every address of four
 * octets taken from a list of spellings, good and bad, against a reference
 * written here from the grammar; and the same address inside an IPv6
 * literal, compared with its hexadecimal form. */
static bool dec_octet_ok(const char *o)
{
    const size_t n = strlen(o);
    if (n < 1 || n > 3 || (n > 1 && o[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (o[i] < '0' || o[i] > '9')
            return false;
    return atoi(o) <= 255;
}

START_TEST(ipv4_hosts)
{
    static const char *const octets[] = {
        "0", "1", "9", "10", "42", "99", "100", "199", "200", "249", "250",
        "255", "256", "260", "299", "300", "999", "00", "01", "001", "010",
        "0255", "1000", "", "1a", "-1", "1 ",
    };
    char host[64], url[80];
    size_t checked = 0;
    /* every spelling in every place, not every combination: each
     * address takes its last two octets from shifted places */
    for (size_t a = 0; a < LEN(octets); a++)
        for (size_t b = 0; b < LEN(octets); b++)
            for (size_t c = 0; c < LEN(octets); c += 2)
                for (size_t d = (a + b) % 4; d < LEN(octets); d += 4) {
                    snprintf(host, sizeof host, "%s.%s.%s.%s", octets[a], octets[b],
                             octets[c], octets[d]);
                    snprintf(url, sizeof url, "http://%s/", host);
                    const bool want = dec_octet_ok(octets[a]) && dec_octet_ok(octets[b]) &&
                                      dec_octet_ok(octets[c]) && dec_octet_ok(octets[d]);
                    redir_uri u;
                    redir_result r = redir_uri_parse(url, strlen(url), 0, &u);
                    if (r == REDIR_OK)
                        ck_assert_msg((u.host_type == REDIR_HOST_IPV4) == want, "%s", host);
                    else /* a space, or an empty authority is not possible here */
                        ck_assert_msg(!want, "%s: %s", host, redir_result_name(r));
                    checked++;
                }
    ck_assert_uint_gt(checked, 20000);
    /* dots out of place, and lengths around the limits */
    static const char *const names[] = {
        "1.2.3", "1.2.3.4.5", ".1.2.3", "1.2.3.", "1..2.3", "1.2..3", "12345678",
        "1.2.3.4a", "a1.2.3.4", "1.2.3.04", "255.255.255.2555", "1.2.3.-4",
        "1.2.3.4.", "1.2.3.44.", "1.2.3.4..", "1.2.3.4.5.6.7",
    };
    for (size_t k = 0; k < LEN(names); k++) {
        snprintf(url, sizeof url, "http://%s/", names[k]);
        redir_uri u;
        ck_assert_int_eq(redir_uri_parse(url, strlen(url), 0, &u), REDIR_OK);
        ck_assert_msg(u.host_type == REDIR_HOST_NAME, "%s", names[k]);
    }
    static const char *const good[] = {"0.0.0.0", "1.2.3.4", "255.255.255.255",
                                       "192.0.2.10", "10.0.0.255", "9.99.199.249"};
    for (size_t k = 0; k < LEN(good); k++) {
        /* every length from 7 to 15, and the address inside an IPv6
         * literal equal to its hexadecimal spelling */
        unsigned o[4];
        ck_assert_int_eq(sscanf(good[k], "%u.%u.%u.%u", &o[0], &o[1], &o[2], &o[3]), 4);
        char v6[64], hex[64];
        snprintf(v6, sizeof v6, "http://[::ffff:%s]/", good[k]);
        snprintf(hex, sizeof hex, "http://[::ffff:%x:%x]/", o[0] << 8 | o[1],
                 o[2] << 8 | o[3]);
        redir_uri x, y;
        ck_assert_int_eq(redir_uri_parse(v6, strlen(v6), 0, &x), REDIR_OK);
        ck_assert_int_eq(redir_uri_parse(hex, strlen(hex), 0, &y), REDIR_OK);
        ck_assert_msg(redir_uri_origin_diff(&x, &y) == 0, "%s", v6);
        snprintf(hex, sizeof hex, "http://[::ffff:%x:%x]/", o[0] << 8 | o[1],
                 (o[2] << 8 | o[3]) ^ 1);
        ck_assert_int_eq(redir_uri_parse(hex, strlen(hex), 0, &y), REDIR_OK);
        ck_assert_msg(redir_uri_origin_diff(&x, &y) == REDIR_ORIGIN_HOST, "%s", hex);
    }
}
END_TEST

/* IPv6 literals (RFC 3986, Section 3.2.2; RFC 4291, Section 2.2) generated
 * at random, against inet_pton(): the same ones accepted, and each
 * accepted one the same address as inet_ntop()'s spelling of it. */
static unsigned rnd_state = 12345u;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % n;
}

START_TEST(ipv6_random)
{
    static const char hexd[] = "0123456789abcdefABCDEF";
    char addr[96], url[128], canon[INET6_ADDRSTRLEN], url2[128];
    size_t accepted = 0;
    for (int t = 0; t < 60000; t++) {
        size_t n = 0;
        const unsigned groups = 1 + rnd(9);
        const unsigned gap_at = rnd(12); /* "::" before this group, if any */
        if (rnd(16) == 0)
            addr[n++] = ':';
        for (unsigned k = 0; k < groups; k++) {
            if (k == gap_at || (k == 0 && rnd(40) == 0))
                addr[n++] = ':', addr[n++] = ':';
            else if (k > 0)
                addr[n++] = ':';
            const unsigned len = rnd(20) == 0 ? rnd(6) : 1 + rnd(4);
            for (unsigned d = 0; d < len; d++)
                addr[n++] = hexd[rnd(sizeof hexd - 1)];
            if (rnd(200) == 0)
                addr[n++] = "g.:@ "[rnd(5)];
        }
        if (gap_at == groups || rnd(30) == 0)
            addr[n++] = ':', addr[n++] = ':';
        else if (rnd(40) == 0)
            addr[n++] = ':';
        if (rnd(25) == 0)
            n += (size_t)snprintf(addr + n, 20, ":%u.%u.%u.%u", rnd(300), rnd(256),
                                  rnd(256), rnd(256));
        addr[n] = '\0';
        unsigned char want[16];
        const bool ok = inet_pton(AF_INET6, addr, want) == 1;
        snprintf(url, sizeof url, "http://[%s]/", addr);
        redir_uri u;
        const redir_result r = redir_uri_parse(url, strlen(url), 0, &u);
        ck_assert_msg((r == REDIR_OK) == ok, "[%s]: %s, inet_pton %d", addr,
                      redir_result_name(r), ok);
        if (!ok)
            continue;
        accepted++;
        ck_assert_int_eq(u.host_type, REDIR_HOST_IPV6);
        ck_assert_ptr_nonnull(inet_ntop(AF_INET6, want, canon, sizeof canon));
        snprintf(url2, sizeof url2, "http://[%s]/", canon);
        redir_uri v;
        ck_assert_int_eq(redir_uri_parse(url2, strlen(url2), 0, &v), REDIR_OK);
        ck_assert_msg(redir_uri_origin_diff(&u, &v) == 0, "[%s] and [%s]", addr, canon);
        /* one bit changed: another address */
        want[rnd(16)] ^= (unsigned char)(1u << rnd(8));
        ck_assert_ptr_nonnull(inet_ntop(AF_INET6, want, canon, sizeof canon));
        snprintf(url2, sizeof url2, "http://[%s]/", canon);
        ck_assert_int_eq(redir_uri_parse(url2, strlen(url2), 0, &v), REDIR_OK);
        ck_assert_msg(redir_uri_origin_diff(&u, &v) == REDIR_ORIGIN_HOST, "[%s] and [%s]",
                      addr, canon);
    }
    ck_assert_uint_gt(accepted, 6000);
}
END_TEST

START_TEST(default_ports)
{
    ck_assert_int_eq(redir_default_port("http", 4), 80);
    ck_assert_int_eq(redir_default_port("HTTPS", 5), 443);
    ck_assert_int_eq(redir_default_port("wss", 3), 443);
    ck_assert_int_eq(redir_default_port("ftp", 3), 21);
    ck_assert_int_eq(redir_default_port("gopher", 6), -1);
    ck_assert_int_eq(redir_default_port(NULL, 0), -1);
    ck_assert_int_eq(redir_uri_port(NULL), -1);
    ck_assert_uint_eq(redir_uri_origin_diff(NULL, NULL), 7);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("uri");
    TCase *tc = tcase_create("uri");
    tcase_add_test(tc, rfc3986_examples);
    tcase_add_test(tc, buffer_too_small);
    tcase_add_loop_test(tc, resolve_more, 0, (int)LEN(resolve_cases));
    tcase_add_test(tc, parse_components);
    tcase_add_loop_test(tc, parse_rejects, 0, (int)LEN(parse_errors));
    tcase_add_test(tc, ipv6_forms);
    tcase_add_loop_test(tc, locations, 0, (int)LEN(location_cases));
    tcase_add_test(tc, lenient_buffer_sizes);
    tcase_add_test(tc, null_and_limits);
    tcase_add_loop_test(tc, origins, 0, (int)LEN(origin_cases));
    tcase_add_test(tc, default_ports);
    suite_add_tcase(s, tc);
    /* generated addresses: many parses (slow under valgrind) */
    TCase *gen = tcase_create("generated");
    tcase_set_timeout(gen, 120);
    tcase_add_test(gen, ipv4_hosts);
    tcase_add_test(gen, ipv6_random);
    suite_add_tcase(s, gen);
    return s;
}
