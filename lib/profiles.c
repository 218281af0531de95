/* SPDX-License-Identifier: MIT */
/*
 * Policies and the built-in profiles. A profile is a const redir_policy:
 * plain data, one row per redirect status and one column per method, so
 * that the differences between clients are visible side by side.
 */
#include <stddef.h>

#include "policy.h"
#include "util.h"

/* The scheme list of every profile: one string, so that a decision can
 * recognise it by its address (decide.c, scheme_allowed()). */
const char rd_http_https[] = "http https";

/* Cell shorthands for the rule tables. */
#define S REDIR_RULE_STOP
#define K REDIR_RULE_KEEP
#define G REDIR_RULE_GET
#define N REDIR_RULE_KEEP_NO_BODY

/*                      GET HEAD POST PUT DELETE PATCH OPTIONS PROPFIND other */
#define ROW_STOP      { S,  S,   S,   S,  S,     S,    S,      S,       S }
#define ROW_KEEP      { K,  K,   K,   K,  K,     K,    K,      K,       K }
/* RFC 9110, Section 15.4.4: GET (or HEAD for HEAD) on the Location */
#define ROW_SEE_OTHER { K,  K,   G,   G,  G,     G,    G,      G,       G }

/*
 * rfc9110: strictly what RFC 9110, Section 15.4 requires, and nothing a
 * client may do beyond it. 301/302 keep the method (the POST->GET rewrite is
 * permitted, not required); 303 turns everything but GET and HEAD into GET;
 * 307/308 keep method and content; 300 and unregistered 3xx are not
 * followed automatically (15.4.1: the user agent MAY; 15: unknown 3xx is
 * treated as 300); 304, 305 and 306 are never followed. Step 4 of 15.4:
 * Authorization and Cookie go where the origin changes; step 3:
 * Proxy-Authorization and Host are regenerated for a new target; step 6:
 * content-specific fields go when the method becomes GET or HEAD. Referer is
 * not sent after https -> http (10.1.3). The hop limit is not in RFC 9110
 * (RFC 2068 once suggested 5); 20 is what the fetch standard uses.
 */
const redir_policy rd_profile_rfc9110 = {
    .size = sizeof(redir_policy),
    .name = "rfc9110",
    .client = "RFC 9110 (June 2022), Section 15.4",
    .source = "RFC 9110, Sections 10.1.3, 10.2.2 and 15.4",
    .max_redirects = 20,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE,
    .rules = {
        [REDIR_ROW_300] = ROW_STOP,
        [REDIR_ROW_301] = ROW_KEEP,
        [REDIR_ROW_302] = ROW_KEEP,
        [REDIR_ROW_303] = ROW_SEE_OTHER,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = rd_http_https,
    .sensitive_headers = NULL,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_always = 0,
    .strip_on_body_drop = REDIR_HC_CONTENT,
    .strip_on_scope_change = REDIR_HC_CREDENTIALS,
    .strip_on_authority_change = REDIR_HC_HOST,
    .strip_on_downgrade = REDIR_HC_REFERER,
};

/* 301/302 turn POST (only) into GET; HEAD and the rest keep */
#define ROW_POST_TO_GET { K,  K,   G,   K,  K,     K,    K,      K,       K }
/* everything but GET and HEAD becomes GET */
#define ROW_GET_UNLESS_SAFE { K, K, G,  G,  G,     G,    G,      G,       G }
/* everything becomes GET, HEAD included */
#define ROW_ALL_GET   { G,  G,   G,   G,  G,     G,    G,      G,       G }
/* OkHttp: PROPFIND keeps method and body (HttpMethod.redirectsWithBody) */
#define ROW_OKHTTP    { K,  K,   G,   G,  G,     G,    G,      K,       G }
/* GET and HEAD only (OkHttp 3 on 307/308) */
#define ROW_SAFE_ONLY { K,  K,   S,   S,  S,     S,    S,      S,       S }

/* The fetch standard's request-body-header names plus Content-Length, which
 * browsers compute and undici removes (lib/web/fetch/constants.js). */
#define FETCH_BODY_HEADERS                                                     \
    (REDIR_HC_CONTENT_TYPE | REDIR_HC_CONTENT_ENCODING |                       \
     REDIR_HC_CONTENT_LANGUAGE | REDIR_HC_CONTENT_LOCATION |                   \
     REDIR_HC_CONTENT_LENGTH)

/*
 * fetch: the WHATWG fetch standard, "HTTP-redirect fetch" (browsers, Node's
 * fetch = undici, Deno). Redirect statuses are 301, 302, 303, 307, 308;
 * step 11 fails a stream body on anything but 303 before step 12 rewrites
 * POST to GET on 301/302 and everything but GET/HEAD on 303; step 13 drops
 * Authorization across origins (scheme, host, port). Cookie and
 * Proxy-Authorization are the browser's own (a cookie jar, the proxy
 * settings) and are recomputed per request; undici, which lets callers set
 * them, deletes cookie, proxy-authorization and host too
 * (lib/web/fetch/index.js httpRedirectFetch; since 5.26.2 for cookie/host,
 * CVE-2023-45143, and 5.28.3/6.6.1 for proxy-authorization, CVE-2024-24758).
 * The Location is parsed by the WHATWG URL parser (backslashes are slashes,
 * spaces and non-ASCII are percent-encoded), an empty one is followed to the
 * same URL (until the limit), the fragment is inherited ("location URL"),
 * http(s) only, 20 redirects. Reflects the standard as of 2025 and Node
 * 20.20.2 / undici 6.24.1 (verified live). Differences: Chromium treats an
 * empty Location as no redirect; undici joins several Location values with
 * ", " instead of failing; undici refuses userinfo in any Location.
 */
static const redir_policy profile_fetch = {
    .size = sizeof(redir_policy),
    .name = "fetch",
    .client = "WHATWG fetch (browsers; Node 20 fetch, undici 6.24)",
    .source = "fetch.spec.whatwg.org HTTP-redirect fetch; "
              "nodejs/undici lib/web/fetch/index.js httpRedirectFetch",
    .max_redirects = 20,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_WHATWG_URL | REDIR_POLICY_FOLLOW_EMPTY_LOCATION |
               REDIR_POLICY_STREAM_NEEDS_303,
    .rules = {
        [REDIR_ROW_300] = ROW_STOP,
        [REDIR_ROW_301] = ROW_POST_TO_GET,
        [REDIR_ROW_302] = ROW_POST_TO_GET,
        [REDIR_ROW_303] = ROW_SEE_OTHER,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_on_body_drop = FETCH_BODY_HEADERS,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE |
                             REDIR_HC_PROXY_AUTHORIZATION | REDIR_HC_HOST,
    .strip_on_authority_change = REDIR_HC_HOST,
    .strip_on_downgrade = REDIR_HC_REFERER,
};

/* Go's redirectBehavior: 301, 302 and 303 turn every method but GET and
 * HEAD into GET; 307 and 308 keep method and body (GetBody required). */
#define GO_RULES                                                               \
    {                                                                          \
        [REDIR_ROW_300] = ROW_STOP, [REDIR_ROW_301] = ROW_GET_UNLESS_SAFE,     \
        [REDIR_ROW_302] = ROW_GET_UNLESS_SAFE,                                 \
        [REDIR_ROW_303] = ROW_GET_UNLESS_SAFE, [REDIR_ROW_304] = ROW_STOP,     \
        [REDIR_ROW_305] = ROW_STOP, [REDIR_ROW_306] = ROW_STOP,                \
        [REDIR_ROW_307] = ROW_KEEP, [REDIR_ROW_308] = ROW_KEEP,                \
        [REDIR_ROW_OTHER] = ROW_STOP,                                          \
    }

/*
 * go: net/http Client, current releases (1.24 and later: src/net/http/
 * client.go redirectBehavior, Client.do, makeHeadersCopier,
 * shouldCopyHeaderOnRedirect, isDomainOrSubdomain, defaultCheckRedirect).
 * 10 requests at most (9 redirects), then an error with the last response.
 * Sensitive headers (Authorization, WWW-Authenticate, Cookie, Cookie2,
 * Proxy-Authorization, Proxy-Authenticate: the last two since 1.23.10/1.24.4,
 * CVE-2025-4673) go unless the new host is the initial host or a subdomain
 * of it, whatever the port or scheme; content headers stay after a switch to
 * GET; no Referer after https -> http; the Location's first value is used
 * and an empty one returns the response; spaces and non-ASCII are
 * percent-encoded, bad escapes fail; userinfo becomes Basic credentials; no
 * fragment inheritance; credentials are judged against the chain's first
 * URL. Not modelled: Go sets Referer to the previous URL.
 */
static const redir_policy profile_go = {
    .size = sizeof(redir_policy),
    .name = "go",
    .client = "Go net/http Client (1.24 and later)",
    .source = "golang/go src/net/http/client.go redirectBehavior, "
              "shouldCopyHeaderOnRedirect",
    .max_redirects = 9,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_FIRST_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT | REDIR_POLICY_SCOPE_FROM_FIRST,
    .rules = GO_RULES,
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_DOMAIN,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE |
                             REDIR_HC_PROXY_AUTHORIZATION |
                             REDIR_HC_WWW_AUTHENTICATE,
    .strip_on_authority_change = REDIR_HC_HOST,
    .strip_on_downgrade = REDIR_HC_REFERER,
};

/*
 * go1.19: Debian 12's golang-1.19 (1.19.8, verified live). The same method
 * rules, but the sensitive-header check compares host:port of the previous
 * and the next request (canonicalAddr), and Proxy-Authorization is not in
 * the list: it follows to any host (fixed in 1.23.10/1.24.4,
 * CVE-2025-4673). A caller's Referer is replaced by the previous URL.
 */
static const redir_policy profile_go119 = {
    .size = sizeof(redir_policy),
    .name = "go1.19",
    .client = "Go net/http Client 1.19 (Debian 12)",
    .source = "golang-1.19 src/net/http/client.go (1.19.8)",
    .max_redirects = 9,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_FIRST_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT,
    .rules = GO_RULES,
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_HOST_PORT,
    .strip_always = REDIR_HC_REFERER,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE |
                             REDIR_HC_WWW_AUTHENTICATE,
    .strip_on_authority_change = REDIR_HC_HOST,
};

/* Everything OkHttp's versions share; `row307` is their difference. */
#define OKHTTP_COMMON(row307)                                                  \
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |  \
               REDIR_POLICY_WHATWG_URL | REDIR_POLICY_FOLLOW_EMPTY_LOCATION |  \
               REDIR_POLICY_LAST_LOCATION | REDIR_POLICY_ALLOW_USERINFO |      \
               REDIR_POLICY_NO_FRAGMENT_INHERIT,                               \
    .rules = {                                                                 \
        [REDIR_ROW_300] = ROW_OKHTTP, [REDIR_ROW_301] = ROW_OKHTTP,            \
        [REDIR_ROW_302] = ROW_OKHTTP, [REDIR_ROW_303] = ROW_OKHTTP,            \
        [REDIR_ROW_304] = ROW_STOP, [REDIR_ROW_305] = ROW_STOP,                \
        [REDIR_ROW_306] = ROW_STOP, [REDIR_ROW_307] = row307,                  \
        [REDIR_ROW_308] = row307, [REDIR_ROW_OTHER] = ROW_STOP,                \
    },                                                                         \
    .schemes = rd_http_https, .scope = REDIR_SCOPE_ORIGIN,                     \
    .strip_on_body_drop = REDIR_HC_TRANSFER_ENCODING |                         \
                          REDIR_HC_CONTENT_LENGTH | REDIR_HC_CONTENT_TYPE,     \
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION

/*
 * okhttp: OkHttp 4.6 and later, 5.x (RetryAndFollowUpInterceptor
 * followUpRequest / buildRedirectRequest, HttpMethod.redirectsToGet,
 * redirectsWithBody). Follows 300-303, 307, 308; on 300-303 every method
 * but GET, HEAD and PROPFIND becomes GET (PROPFIND keeps method and body,
 * 5.x adds QUERY); 307/308 keep everything; a one-shot body returns the
 * response; when the body goes, Transfer-Encoding, Content-Length and
 * Content-Type go; only Authorization is removed, when scheme, host or port
 * change (canReuseConnectionFor); https -> http followed (followSslRedirects
 * defaults to true); 20 follow-ups; the last Location wins, an empty one
 * loops to the limit, backslashes are slashes, userinfo is ignored, no
 * fragment inheritance.
 */
static const redir_policy profile_okhttp = {
    .size = sizeof(redir_policy),
    .name = "okhttp",
    .client = "OkHttp 4.6+ / 5.x",
    .source = "square/okhttp RetryAndFollowUpInterceptor.kt "
              "buildRedirectRequest",
    .max_redirects = 20,
    .loop_rule = REDIR_LOOP_REPORT,
    OKHTTP_COMMON(ROW_KEEP),
};

/*
 * okhttp3: OkHttp 3.x to 4.5 (Debian 12's libokhttp-java is 3.13.1,
 * verified live): as okhttp, except that 307 and 308 are followed only for
 * GET and HEAD (changed in 4.6.0, PR #5990).
 */
static const redir_policy profile_okhttp3 = {
    .size = sizeof(redir_policy),
    .name = "okhttp3",
    .client = "OkHttp 3.x to 4.5 (Debian 12: 3.13.1)",
    .source = "square/okhttp RetryAndFollowUpInterceptor.java "
              "followUpRequest (3.x)",
    .max_redirects = 20,
    .loop_rule = REDIR_LOOP_REPORT,
    OKHTTP_COMMON(ROW_SAFE_ONLY),
};

#define JAVA_RULES                                                             \
    {                                                                          \
        [REDIR_ROW_300] = ROW_STOP, [REDIR_ROW_301] = ROW_POST_TO_GET,         \
        [REDIR_ROW_302] = ROW_POST_TO_GET, [REDIR_ROW_303] = ROW_ALL_GET,      \
        [REDIR_ROW_304] = ROW_STOP, [REDIR_ROW_305] = ROW_STOP,                \
        [REDIR_ROW_306] = ROW_STOP, [REDIR_ROW_307] = ROW_KEEP,                \
        [REDIR_ROW_308] = ROW_KEEP, [REDIR_ROW_OTHER] = ROW_STOP,              \
    }
#define JAVA_OPTIONS                                                           \
    (REDIR_POLICY_STREAM_SENT_EMPTY | REDIR_POLICY_LIMIT_RETURNS_RESPONSE |    \
     REDIR_POLICY_FIRST_LOCATION | REDIR_POLICY_ALLOW_USERINFO |               \
     REDIR_POLICY_NO_FRAGMENT_INHERIT)

/*
 * java: java.net.http.HttpClient with Redirect.NORMAL, OpenJDK 17.0.21
 * (Debian 12, verified live) and mainline (jdk.internal.net.http.
 * RedirectFilter redirectedMethod, canRedirect; HttpRequestImpl.
 * newInstanceForRedirection; Utils.ALLOWED_REDIRECT_HEADERS). 301/302 turn
 * POST into GET; 303 turns everything, HEAD included, into GET; 307/308
 * keep; a consumed stream body is sent again empty; content headers stay;
 * when the scheme or the raw authority text changes, Authorization, Cookie,
 * Origin, Referer and Host go; https -> http is refused; 4 redirects, then
 * the response is returned (jdk.httpclient.redirects.retrylimit = 5
 * requests); the first Location is used, an invalid one throws; no
 * fragment inheritance. An empty Location resolves (RFC 2396) to the
 * request's directory, which redir does not model: it stops.
 */
static const redir_policy profile_java = {
    .size = sizeof(redir_policy),
    .name = "java",
    .client = "java.net.http.HttpClient, Redirect.NORMAL (OpenJDK 17.0.21)",
    .source = "openjdk jdk.internal.net.http.RedirectFilter, "
              "HttpRequestImpl.newInstanceForRedirection",
    .max_redirects = 4,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = JAVA_OPTIONS,
    .rules = JAVA_RULES,
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_RAW_AUTHORITY,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE |
                             REDIR_HC_ORIGIN | REDIR_HC_REFERER | REDIR_HC_HOST,
};

/*
 * java-21.0.6: JDK update releases before the 2025 change that strips
 * credentials on cross-origin redirects: Authorization and Cookie were
 * measured following to another host on 21.0.6 and 23.0.2 (Apache Groovy
 * PR #2811, GROOVY-12274). Otherwise as java.
 */
static const redir_policy profile_java_old = {
    .size = sizeof(redir_policy),
    .name = "java-21.0.6",
    .client = "java.net.http.HttpClient before the 2025 header stripping "
              "(e.g. 21.0.6, 23.0.2)",
    .source = "openjdk RedirectFilter; GROOVY-12274 measurements",
    .max_redirects = 4,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = JAVA_OPTIONS,
    .rules = JAVA_RULES,
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_RAW_AUTHORITY,
    .strip_on_scope_change = REDIR_HC_HOST,
};

/*
 * dotnet: .NET HttpClient with SocketsHttpHandler (.NET 8-10,
 * dotnet/runtime SocketsHttpHandler/RedirectHandler.cs SendAsync,
 * GetUriForRedirect, RequestRequiresForceGet). Follows 300-303, 307, 308;
 * 300-302 turn POST into GET, 303 everything but GET and HEAD; the content
 * and its headers go with it; Authorization is cleared on every redirect,
 * same origin included, while Cookie and Proxy-Authorization set by the
 * caller go anywhere; https -> http is refused; 50 redirects, then the
 * response is returned; the fragment is inherited; an empty or unparsable
 * Location returns the response; a non-seekable stream body throws. Source
 * only: .NET cannot be installed here. The handler does not check other
 * target schemes (dotnet/runtime#116857); the connection layer fails them.
 */
static const redir_policy profile_dotnet = {
    .size = sizeof(redir_policy),
    .name = "dotnet",
    .client = ".NET HttpClient, SocketsHttpHandler (.NET 8 to 10)",
    .source = "dotnet/runtime System.Net.Http SocketsHttpHandler/"
              "RedirectHandler.cs",
    .max_redirects = 50,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_LIMIT_RETURNS_RESPONSE,
    .rules = {
        [REDIR_ROW_300] = ROW_POST_TO_GET,
        [REDIR_ROW_301] = ROW_POST_TO_GET,
        [REDIR_ROW_302] = ROW_POST_TO_GET,
        [REDIR_ROW_303] = ROW_SEE_OTHER,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_always = REDIR_HC_AUTHORIZATION,
    .strip_on_body_drop = REDIR_HC_CONTENT,
    .strip_on_authority_change = REDIR_HC_HOST,
};

#define N_ REDIR_RULE_KEEP_NO_BODY
/* curl -L: POST (-d) becomes GET on 301/302/303; other methods are sent with
 * -X METHOD -d DATA, whose custom method survives while the body goes. */
#define ROW_CURL_REWRITE { K, K,   G,   N_, N_,    N_,   N_,     N_,      N_ }
/* requests on 301: POST becomes GET; every other method keeps its name but
 * loses its body (resolve_redirects purges it for all but 307/308) */
#define ROW_REQUESTS_301 { N_, N_, G,   N_, N_,    N_,   N_,     N_,      N_ }
/* requests on 302/303: everything but HEAD becomes GET */
#define ROW_REQUESTS_GET { G,  N_, G,   G,  G,     G,    G,      G,       G }
/* urllib.request: GET, HEAD and POST become a plain GET; others fail */
#define ROW_URLLIB_GET   { G,  G,  G,   S,  S,     S,    S,      S,       S }
#define ROW_URLLIB_SAFE  { G,  G,  S,   S,  S,     S,    S,      S,       S }
/* libsoup: 301: safe methods keep, POST -> GET, others are not followed;
 * 302: safe keep, unsafe -> GET; 307/308: safe only */
#define ROW_SOUP_301     { K,  K,  G,   S,  S,     S,    K,      K,       S }
#define ROW_SOUP_302     { K,  K,  G,   G,  G,     G,    K,      K,       G }
#define ROW_SOUP_307     { K,  K,  S,   S,  S,     S,    K,      K,       S }
/* wget: 300 and 303 suspend the method (GET; HEAD in spider mode) */
#define ROW_WGET_SUSPEND { K,  K,  G,   G,  G,     G,    G,      G,       G }
/* urllib3 before 1.26.18: 303 switches to GET but sends the body again */
#define ROW_URLLIB3_303_OLD                                                    \
    { REDIR_RULE_GET_WITH_BODY, REDIR_RULE_GET_WITH_BODY,                      \
      REDIR_RULE_GET_WITH_BODY, REDIR_RULE_GET_WITH_BODY,                      \
      REDIR_RULE_GET_WITH_BODY, REDIR_RULE_GET_WITH_BODY,                      \
      REDIR_RULE_GET_WITH_BODY, REDIR_RULE_GET_WITH_BODY,                      \
      REDIR_RULE_GET_WITH_BODY }

/*
 * curl: the curl command line with -L, as Debian 12 ships it (7.88.1 with
 * backported fixes, verified live) and as current curl behaves
 * (lib/transfer.c Curl_follow, now lib/http.c Curl_http_follow;
 * lib/http.c Curl_add_custom_headers; lib/vauth/vauth.c
 * Curl_auth_allowed_to_host). Every 3xx with a non-empty Location is
 * followed, 300 and 304-306 included; POST from -d becomes GET on 301, 302
 * and 303; methods given with -X keep their name on every hop while a -d
 * body goes on 301-303 (the well-known trap; --follow in curl 8.16 changes
 * it); HEAD stays HEAD; a streamed upload (-T -) that must be re-sent fails
 * (exit 65); headers given with -H stay after a switch to GET; custom
 * Authorization and Cookie go when scheme, host or port differ from the
 * first request, while Proxy-Authorization and -b cookies go anywhere; a
 * custom Host is used for the first host only; https -> http followed;
 * http, https, ftp and ftps targets; 50 redirects (the tool's default;
 * libcurl: unlimited in 7.88, 30 since 8.3.0), then exit 47; the first
 * non-empty Location, an empty one ignored; spaces and non-ASCII are
 * percent-encoded, control bytes fail; userinfo in the Location is used for
 * the same origin only; no fragment inheritance.
 */
static const redir_policy profile_curl = {
    .size = sizeof(redir_policy),
    .name = "curl",
    .client = "curl -L (7.88.1, Debian 12; current)",
    .source = "curl/curl lib/transfer.c Curl_follow, lib/http.c "
              "Curl_add_custom_headers, lib/vauth/vauth.c "
              "Curl_auth_allowed_to_host",
    .max_redirects = 50,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_FIRST_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT |
               REDIR_POLICY_SCOPE_FROM_FIRST,
    .rules = {
        [REDIR_ROW_300] = ROW_KEEP,
        [REDIR_ROW_301] = ROW_CURL_REWRITE,
        [REDIR_ROW_302] = ROW_CURL_REWRITE,
        [REDIR_ROW_303] = ROW_CURL_REWRITE,
        [REDIR_ROW_304] = ROW_KEEP,
        [REDIR_ROW_305] = ROW_KEEP,
        [REDIR_ROW_306] = ROW_KEEP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_KEEP,
    },
    .schemes = "http https ftp ftps",
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE,
    .strip_on_authority_change = REDIR_HC_HOST,
};

/*
 * requests: Python requests 2.28.1 (Debian 12, verified live) and later
 * (sessions.py SessionRedirectMixin.resolve_redirects, rebuild_method,
 * rebuild_auth, should_strip_auth, rebuild_proxies). Follows 301, 302,
 * 303, 307, 308; 303 and 302 turn everything but HEAD into GET, 301 only
 * POST; for every status but 307/308 the body and Content-Length,
 * Content-Type and Transfer-Encoding go even when the method stays (a PUT
 * on 301 arrives empty); a generator body is re-sent empty on 307/308 (a
 * non-seekable file raises UnrewindableBodyError); Authorization goes per
 * should_strip_auth (host change, or port or scheme change except http:80
 * -> https:443); the Cookie header is rebuilt from the jars on every hop
 * and Proxy-Authorization from the proxy settings (a caller's header is
 * lost even on the same host); other headers, Host included, go anywhere;
 * https -> http followed; http and https adapters only; 30 redirects, then
 * TooManyRedirects; the fragment is inherited; an empty Location is not
 * followed; spaces, non-ASCII (as UTF-8), backslashes and bad escapes are
 * percent-encoded; userinfo stays in the URL but is not used. Several
 * Location fields are joined with ", " (not modelled: redir stops).
 */
static const redir_policy profile_requests = {
    .size = sizeof(redir_policy),
    .name = "requests",
    .client = "Python requests 2.28.1 (Debian 12) to 2.32",
    .source = "psf/requests sessions.py resolve_redirects, rebuild_method, "
              "should_strip_auth",
    .max_redirects = 30,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_STREAM_SENT_EMPTY,
    .rules = {
        [REDIR_ROW_300] = ROW_STOP,
        [REDIR_ROW_301] = ROW_REQUESTS_301,
        [REDIR_ROW_302] = ROW_REQUESTS_GET,
        [REDIR_ROW_303] = ROW_REQUESTS_GET,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_REQUESTS,
    .strip_always = REDIR_HC_COOKIE | REDIR_HC_PROXY_AUTHORIZATION,
    .strip_on_body_drop = REDIR_HC_CONTENT_LENGTH | REDIR_HC_CONTENT_TYPE |
                          REDIR_HC_TRANSFER_ENCODING,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION,
};

/* urllib3 1.26: 301, 302, 307, 308 repeat everything; 303 turns everything,
 * HEAD included, into GET. */
#define URLLIB3_RULES(row303)                                                  \
    {                                                                          \
        [REDIR_ROW_300] = ROW_STOP, [REDIR_ROW_301] = ROW_KEEP,                \
        [REDIR_ROW_302] = ROW_KEEP, [REDIR_ROW_303] = row303,                  \
        [REDIR_ROW_304] = ROW_STOP, [REDIR_ROW_305] = ROW_STOP,                \
        [REDIR_ROW_306] = ROW_STOP, [REDIR_ROW_307] = ROW_KEEP,                \
        [REDIR_ROW_308] = ROW_KEEP, [REDIR_ROW_OTHER] = ROW_STOP,              \
    }

/*
 * urllib3: urllib3's own redirects (PoolManager.urlopen with the default
 * Retry), 1.26.12 as Debian 12 patches it (CVE-2023-43804, CVE-2023-45803,
 * CVE-2024-37891, CVE-2025-50181 backported; verified live) and upstream
 * 1.26.19+/2.x. Only 303 changes the method (to GET, HEAD included) and drops
 * the body with Content-Encoding, -Language, -Location, -Type, -Length,
 * Digest and Last-Modified; 301 and 302 repeat a POST with its body;
 * Cookie, Authorization and Proxy-Authorization go when scheme, host or port
 * change (Retry.DEFAULT_REMOVE_HEADERS_ON_REDIRECT, is_same_host); a
 * consumed stream is re-sent empty; https -> http followed; http(s) only;
 * Retry(3): three redirects, then MaxRetryError; no fragment inheritance; an
 * empty Location is not followed. requests never uses this code.
 */
static const redir_policy profile_urllib3 = {
    .size = sizeof(redir_policy),
    .name = "urllib3",
    .client = "urllib3 1.26.12 (Debian 12, patched), 1.26.19+, 2.x",
    .source = "urllib3/urllib3 poolmanager.py PoolManager.urlopen, "
              "util/retry.py",
    .max_redirects = 3,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_STREAM_SENT_EMPTY |
               REDIR_POLICY_NO_FRAGMENT_INHERIT,
    .rules = URLLIB3_RULES(ROW_ALL_GET),
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_on_body_drop = REDIR_HC_CONTENT_ENCODING | REDIR_HC_CONTENT_LANGUAGE |
                          REDIR_HC_CONTENT_LOCATION | REDIR_HC_CONTENT_TYPE |
                          REDIR_HC_CONTENT_LENGTH | REDIR_HC_DIGEST |
                          REDIR_HC_LAST_MODIFIED,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION | REDIR_HC_COOKIE |
                             REDIR_HC_PROXY_AUTHORIZATION,
};

/*
 * urllib3-1.26.16: unpatched upstream urllib3 before 1.26.17: only
 * Authorization goes across origins (Cookie: CVE-2023-43804, fixed 1.26.17;
 * Proxy-Authorization: CVE-2024-37891, fixed 1.26.19), and a 303 switches to
 * GET but re-sends the body (CVE-2023-45803, fixed 1.26.18).
 */
static const redir_policy profile_urllib3_old = {
    .size = sizeof(redir_policy),
    .name = "urllib3-1.26.16",
    .client = "urllib3 1.26.16 and earlier (unpatched upstream)",
    .source = "urllib3/urllib3 1.26.16 poolmanager.py, util/retry.py",
    .max_redirects = 3,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_STREAM_SENT_EMPTY |
               REDIR_POLICY_NO_FRAGMENT_INHERIT,
    .rules = URLLIB3_RULES(ROW_URLLIB3_303_OLD),
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION,
};

/*
 * python-urllib: Python's urllib.request HTTPRedirectHandler, CPython 3.11
 * (Debian 12, verified live; redirect_request, http_error_302). Follows
 * 301, 302, 303, 307, 308 only for GET and HEAD, and 301-303 also for POST;
 * the new request is always a plain GET (HEAD becomes GET) without a body;
 * anything else raises HTTPError; Content-Length and Content-Type are not
 * copied, every other header is, to any host and over https -> http (cpython
 * issue #77842, open); http, https and ftp; 10 distinct redirect targets
 * and 4 redirects to the same one (max_redirections, max_repeats; the
 * first URL is not counted: a self-redirect is requested 5 times, a loop
 * of two URLs 9, of three 13, of eleven 11), then HTTPError; the first
 * Location; an empty one loops until HTTPError; no fragment inheritance;
 * userinfo in a Location fails the connection.
 */
static const redir_policy profile_python_urllib = {
    .size = sizeof(redir_policy),
    .name = "python-urllib",
    .client = "Python urllib.request (CPython 3.11, Debian 12)",
    .source = "cpython Lib/urllib/request.py HTTPRedirectHandler",
    .max_redirects = 10,
    .loop_rule = REDIR_LOOP_REPEATS,
    .max_repeats = 4,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_FIRST_LOCATION | REDIR_POLICY_FOLLOW_EMPTY_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT | REDIR_POLICY_LIMIT_DISTINCT,
    .rules = {
        [REDIR_ROW_300] = ROW_STOP,
        [REDIR_ROW_301] = ROW_URLLIB_GET,
        [REDIR_ROW_302] = ROW_URLLIB_GET,
        [REDIR_ROW_303] = ROW_URLLIB_GET,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_URLLIB_SAFE,
        [REDIR_ROW_308] = ROW_URLLIB_SAFE,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = "http https ftp",
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_always = REDIR_HC_CONTENT_LENGTH | REDIR_HC_CONTENT_TYPE,
};

/*
 * wget: GNU Wget 1.21.3 (Debian 12, verified live; src/http.c gethttp,
 * src/retr.c retrieve_url). Follows 300, 301, 302, 303, 307, 308; on 301
 * and 302 a POST becomes GET while --method=M keeps its method and body;
 * 300 and 303 switch to GET (HEAD stays HEAD in spider mode), and the switch
 * lasts for the rest of the chain (not modelled); 307/308 keep; nothing is
 * removed, ever: --header values (Authorization, Cookie, Host) and --user
 * credentials go to any host, over https -> http too; the cookie jar is
 * per host; http, https, ftp, ftps; 20 redirects, then exit 8; the first
 * Location, an empty one loops; spaces, non-ASCII and backslashes are
 * percent-encoded (control bytes too, which redir refuses); userinfo is
 * used; no fragment. A missing Location is an error (exit 8).
 */
static const redir_policy profile_wget = {
    .size = sizeof(redir_policy),
    .name = "wget",
    .client = "GNU Wget 1.21.3 (Debian 12)",
    .source = "GNU wget src/http.c gethttp, src/retr.c retrieve_url",
    .max_redirects = 20,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_FIRST_LOCATION |
               REDIR_POLICY_FOLLOW_EMPTY_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT,
    .rules = {
        [REDIR_ROW_300] = ROW_WGET_SUSPEND,
        [REDIR_ROW_301] = ROW_POST_TO_GET,
        [REDIR_ROW_302] = ROW_POST_TO_GET,
        [REDIR_ROW_303] = ROW_WGET_SUSPEND,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = "http https ftp ftps",
    .scope = REDIR_SCOPE_ORIGIN,
};

#define SOUP_RULES                                                             \
    {                                                                          \
        [REDIR_ROW_300] = ROW_STOP, [REDIR_ROW_301] = ROW_SOUP_301,            \
        [REDIR_ROW_302] = ROW_SOUP_302, [REDIR_ROW_303] = ROW_SEE_OTHER,       \
        [REDIR_ROW_304] = ROW_STOP, [REDIR_ROW_305] = ROW_STOP,                \
        [REDIR_ROW_306] = ROW_STOP, [REDIR_ROW_307] = ROW_SOUP_307,            \
        [REDIR_ROW_308] = ROW_SOUP_307, [REDIR_ROW_OTHER] = ROW_STOP,          \
    }

/*
 * libsoup: libsoup 3 (3.2.3 as Debian 12 patches it, and 3.6.5+; soup-
 * session.c SOUP_SESSION_WOULD_REDIRECT_AS_GET / _AS_SAFE, redirect_handler,
 * soup_session_redirect_message; verified live through GObject
 * introspection). 303 turns everything but HEAD into GET; 302 turns unsafe
 * methods into GET; 301 only POST; safe methods (GET, HEAD, OPTIONS,
 * PROPFIND, TRACE) keep theirs on 301, 302, 307, 308; any other method is
 * not followed on 301, 307, 308; Content-Type and Content-Length go with
 * the body; only Authorization goes when scheme, host or port change
 * (CVE-2025-46421, fixed in 3.6.5, backported by Debian); Host is set for
 * the new URI; https -> http followed; http(s) only; 20 resends, then an
 * error; the last Location is used, an empty one is an error; no fragment
 * inheritance. Not modelled: 3.2 sends a safe method's body again as
 * Content-Length without the bytes, and the request hangs.
 */
static const redir_policy profile_libsoup = {
    .size = sizeof(redir_policy),
    .name = "libsoup",
    .client = "libsoup 3 (3.2.3 Debian 12 patched, 3.6.5+)",
    .source = "GNOME/libsoup libsoup/soup-session.c redirect_handler",
    .max_redirects = 20,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_LAST_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT,
    .rules = SOUP_RULES,
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_on_body_drop = REDIR_HC_CONTENT_TYPE | REDIR_HC_CONTENT_LENGTH |
                          REDIR_HC_TRANSFER_ENCODING,
    .strip_on_scope_change = REDIR_HC_AUTHORIZATION,
    .strip_on_authority_change = REDIR_HC_HOST,
};

/*
 * libsoup2: libsoup 2.74.3 (Debian 12, no redirect fixes; verified live):
 * the method rules of libsoup 3, but nothing is removed across origins,
 * a custom Host included, and credentials of the original URL are sent to
 * the new host unasked (CVE-2025-46421 is not fixed in 2.x); an empty
 * Location loops until the limit.
 */
static const redir_policy profile_libsoup2 = {
    .size = sizeof(redir_policy),
    .name = "libsoup2",
    .client = "libsoup 2.74.3 (Debian 12)",
    .source = "GNOME/libsoup 2.74 libsoup/soup-session.c",
    .max_redirects = 20,
    .loop_rule = REDIR_LOOP_REPORT,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE | REDIR_POLICY_LENIENT_LOCATION |
               REDIR_POLICY_ALLOW_USERINFO | REDIR_POLICY_LAST_LOCATION |
               REDIR_POLICY_FOLLOW_EMPTY_LOCATION |
               REDIR_POLICY_NO_FRAGMENT_INHERIT,
    .rules = SOUP_RULES,
    .schemes = rd_http_https,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_on_body_drop = REDIR_HC_CONTENT_TYPE | REDIR_HC_CONTENT_LENGTH |
                          REDIR_HC_TRANSFER_ENCODING,
};

static const redir_policy *const profiles[] = {
    &rd_profile_rfc9110,
    &profile_fetch,
    &profile_curl,
    &profile_go,
    &profile_requests,
    &profile_urllib3,
    &profile_okhttp,
    &profile_java,
    &profile_dotnet,
    &profile_libsoup,
    &profile_wget,
    &profile_python_urllib,
    /* versions that differ where it matters for safety */
    &profile_go119,
    &profile_okhttp3,
    &profile_java_old,
    &profile_urllib3_old,
    &profile_libsoup2,
};

size_t redir_profile_count(void)
{
    return sizeof profiles / sizeof profiles[0];
}

const redir_policy *redir_profile_at(size_t i)
{
    return i < redir_profile_count() ? profiles[i] : NULL;
}

const redir_policy *redir_profile_get(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < redir_profile_count(); i++)
        if (strcmp(profiles[i]->name, name) == 0)
            return profiles[i];
    return NULL;
}

/* The first release's struct ends with hsts_ctx. */
#define POLICY_SIZE_0_1 (offsetof(redir_policy, hsts_ctx) + sizeof(void *))

redir_result redir_policy_init(redir_policy *policy, size_t size,
                               const char *profile)
{
    if (!policy)
        return REDIR_E_NULL;
    if (size < POLICY_SIZE_0_1)
        return REDIR_E_POLICY;
    const redir_policy *p = redir_profile_get(profile ? profile : "rfc9110");
    if (!p)
        return REDIR_E_UNKNOWN_PROFILE;
    size_t n = size < sizeof *p ? size : sizeof *p;
    memset(policy, 0, size);
    memcpy(policy, p, n);
    policy->size = n;
    return REDIR_OK;
}

bool rd_policy_size_ok(const redir_policy *p)
{
    return p->size >= POLICY_SIZE_0_1;
}

int redir_rule_row(int status)
{
    if (status < 300 || status > 399)
        return -1;
    return status <= 308 ? status - 300 : REDIR_ROW_OTHER;
}

/* The known methods, each at the slot (first byte + 5 * length) % 32,
 * which no two share (two at one slot would be a repeated initializer,
 * an error with -Werror=override-init, part of -Wextra). Zero-padded, so
 * that four bytes can be read anywhere in the first eight. */
#define METHOD_SLOT(c, n) (((unsigned)(c) + 5u * (unsigned)(n)) & 31u)
static const struct method_entry {
    char name[12];
    unsigned short facts;
    unsigned char len;
} methods[32] = {
/* (the first letter again, as a character constant: the slot must be a
 * constant expression, which a subscript of a string literal is not) */
#define M_(c, name, facts) [METHOD_SLOT(c, sizeof(name) - 1)] = {name, facts, sizeof(name) - 1}
    M_('G', "GET", REDIR_COL_GET + RD_METHOD_SAFE),
    M_('H', "HEAD", REDIR_COL_HEAD + RD_METHOD_SAFE),
    M_('P', "POST", REDIR_COL_POST),
    M_('P', "PUT", REDIR_COL_PUT),
    M_('D', "DELETE", REDIR_COL_DELETE),
    M_('P', "PATCH", REDIR_COL_PATCH),
    M_('O', "OPTIONS", REDIR_COL_OPTIONS + RD_METHOD_SAFE),
    M_('P', "PROPFIND", REDIR_COL_PROPFIND + RD_METHOD_SAFE),
    M_('T', "TRACE", REDIR_COL_OTHER + RD_METHOD_SAFE),
    M_('Q', "QUERY", REDIR_COL_OTHER + RD_METHOD_SAFE),
    M_('R', "REPORT", REDIR_COL_OTHER + RD_METHOD_SAFE),
    M_('S', "SEARCH", REDIR_COL_OTHER + RD_METHOD_SAFE),
#undef M_
};

/* Whether a name of n bytes (3 <= n <= 8) differs from the known name k
 * (zero-padded), bytes compared two at a time at offsets 0, 1, 2, 4 and 6
 * (each at most n - 2, so that no read goes past the name): every byte of
 * the name is in one of them. The offsets are computed, not branched on. */
static inline uint32_t method_differs(const char *s, const char *k, size_t n)
{
    const size_t last = n - 2;
    const size_t o2 = last < 2 ? last : 2, o4 = last < 4 ? last : 4,
                 o6 = last < 6 ? last : 6;
    return (uint32_t)(rd_load2(s) ^ rd_load2(k)) |
           (uint32_t)(rd_load2(s + 1) ^ rd_load2(k + 1)) |
           (uint32_t)(rd_load2(s + o2) ^ rd_load2(k + o2)) |
           (uint32_t)(rd_load2(s + o4) ^ rd_load2(k + o4)) |
           (uint32_t)(rd_load2(s + o6) ^ rd_load2(k + o6));
}

/*
 * The facts of a method in one look-up: its rule-table column (exact,
 * case-sensitive names, RFC 9110, Section 9.1) and RD_METHOD_SAFE when it is
 * safe (RFC 9110, Section 9.2.1; the IANA HTTP Method Registry's "safe"
 * column for the others: RFC 4918 PROPFIND, RFC 3253 REPORT, RFC 5323
 * SEARCH, and QUERY). Without a branch on which method it is: the method
 * changes from one request to the next, and a branch on it would be
 * mispredicted as often.
 */
unsigned rd_method_facts(const char *m, size_t n)
{
    if (!m || n - 3 > 5)
        return REDIR_COL_OTHER;
    const struct method_entry *e = &methods[METHOD_SLOT((unsigned char)m[0], n)];
    const uint32_t differ = method_differs(m, e->name, n) | (e->len ^ (uint32_t)n);
    /* (a known method is the usual case: this branch is predicted) */
    return differ ? REDIR_COL_OTHER : e->facts;
}

int redir_rule_column(const char *m, size_t n)
{
    return (int)(rd_method_facts(m, n) & ~(unsigned)RD_METHOD_SAFE);
}

bool redir_method_is_safe(const char *m, size_t n)
{
    return (rd_method_facts(m, n) & RD_METHOD_SAFE) != 0;
}
