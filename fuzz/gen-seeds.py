#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora fuzz/<target>.in/seed-* (fuzz/README.md says what
each target's input is). Run it from anywhere after changing a seed list;
it only writes files named seed-*, so regression inputs (regress-*) are
kept. The seeds are committed: the replay tests read them, not this
script."""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RFC_TSV = os.path.join(HERE, '..', 'tests', 'data', 'rfc3986-5.4.tsv')

# redir_uri_flag bits
LENIENT, WHATWG, ALLOW_USERINFO, NO_FRAGMENT_INHERIT = 1, 2, 4, 8


def rfc3986_examples():
    """(name, base, reference) for every RFC 3986, Section 5.4 example."""
    out = []
    with open(RFC_TSV, encoding='ascii') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            kind, base, ref, _ = line.rstrip('\n').split('\t')
            out.append((kind, base, ref))
    return out


# Tricky (base, reference) pairs beyond the RFC's table.
TRICKY_REFS = [
    ('ipv6', 'http://[2001:db8::1]:8080/a/b', '../c?x#y'),
    ('ipv6-ref', 'http://a/b', '//[::ffff:192.0.2.1]/p'),
    ('ipv6-zone-bad', 'http://a/b', '//[fe80::1%25eth0]/'),
    ('ipvfuture', 'http://a/b', '//[v7.abc:def]/'),
    ('userinfo', 'http://a/b', '//user:pa%20ss@host:81/x'),
    ('huge-port', 'http://a/b', '//h:99999999999999999999/'),
    ('port-65536', 'http://a/b', '//h:65536/'),
    ('empty-port', 'http://a:/b', 'c'),
    ('empty-host', 'file:///etc/passwd', '../shadow'),
    ('no-authority-base', 'mailto:a@b.example', 'c@d'),
    ('urn-base', 'urn:isbn:0451450523', '#frag'),
    ('opaque-dots', 'a:b/c/d', '../../../e'),
    ('double-slash-path', 'a:/b', '/.//c'),
    ('double-slash-merge', 'a:/b/c', '..//d'),
    ('percent-case', 'http://a/%7euser/', '%2e%2E/x'),
    ('percent-bad', 'http://a/b', '%zz'),
    ('backslash', 'http://a/b', '/\\evil.example/'),
    ('space', 'http://a/b', 'a b'),
    ('upper-scheme', 'HTTP://A.EXAMPLE:80/B', 'HTTPS://A.EXAMPLE:443/C'),
    ('query-only', 'http://a/b?q#f', '?'),
    ('fragment-only', 'http://a/b?q#f', '#'),
    ('dots-only', 'http://a/b/c', '/..'),
    ('many-dots', 'http://a/b/c/d/e/f', '../../../../../../../../../../x/./y/../z'),
    ('trailing-dot-segs', 'http://a/b/c', 'x/.././..'),
    ('ipv4', 'http://192.0.2.1/a', '//256.0.0.1/'),
    ('scheme-relative-https', 'https://a/b', '//b.example'),
]

# (name, flags, request URL, Location) for the Location target.
LOCATIONS = [
    ('relative', 0, 'https://shop.example/cart#items', '../checkout'),
    ('absolute', 0, 'http://a.example/', 'https://b.example/x?y'),
    ('fragment-kept', 0, 'https://a.example/p#top', '/q'),
    ('fragment-not-kept', NO_FRAGMENT_INHERIT, 'https://a.example/p#top', '/q'),
    ('crlf', 0, 'http://a.example/', '/a\r\nSet-Cookie: x=1'),
    ('lf', LENIENT, 'http://a.example/', '/a\nb'),
    ('nul', 0, 'http://a.example/', '/a\0b'),
    ('tab-trim', 0, 'http://a.example/', '\t /x \t'),
    ('backslash-strict', 0, 'http://a.example/', '/\\evil.example/x'),
    ('backslash-whatwg', WHATWG, 'http://a.example/', '/\\evil.example/x'),
    ('backslash-mixed', WHATWG | LENIENT, 'http://a.example/b/c', '\\\\h\\p\\..\\q?x\\y'),
    ('whatwg-dots', WHATWG, 'http://a.example/b/c/d', '%2e%2E/%2e/x'),
    ('whatwg-http-relative', WHATWG, 'http://a.example/b/c', 'http:d'),
    ('whatwg-triple-slash', WHATWG, 'https://a.example/', 'https:///b.example/'),
    ('space-lenient', LENIENT, 'http://a.example/', '/a b/c d?e f#g h'),
    ('utf8-lenient', LENIENT, 'http://a.example/', '/caf\xc3\xa9?q=\xe2\x82\xac'),
    ('utf8-strict', 0, 'http://a.example/', '/caf\xc3\xa9'),
    ('percent-lenient', LENIENT, 'http://a.example/', '/100%/%zz/%4'),
    ('hash-in-fragment', LENIENT, 'http://a.example/', '/a#b#c'),
    ('userinfo-refused', 0, 'http://a.example/', 'https://bank.example@evil.example/'),
    ('userinfo-allowed', ALLOW_USERINFO, 'http://a.example/', 'https://u:p@b.example/'),
    ('no-host', 0, 'http://a.example/', 'http:/x'),
    ('empty-host', 0, 'http://a.example/', 'https:///x'),
    ('ipv6', 0, 'http://[::1]:8080/a', '//[2001:db8::7]:443/b'),
    ('ipv6-bad', 0, 'http://a.example/', 'http://[::1/'),
    ('ipv6-v4', 0, 'http://a.example/', 'http://[::ffff:1.2.3.4]/'),
    ('port-huge', 0, 'http://a.example/', 'http://a.example:4294967377/'),
    ('port-empty', 0, 'http://a.example/', 'http://a.example:/'),
    ('port-default', 0, 'https://a.example/', 'https://A.EXAMPLE:443/'),
    ('downgrade', 0, 'https://a.example/', 'http://a.example/'),
    ('javascript', 0, 'https://a.example/', 'javascript:alert(1)'),
    ('data', 0, 'https://a.example/', 'data:text/html,<b>x</b>'),
    ('empty', 0, 'https://a.example/p#f', ''),
    ('host-percent', 0, 'http://a.example/', 'http://%65vil.example/'),
    ('host-percent-slash', 0, 'http://a.example/', 'http://a%2fb.example/'),
    ('scheme-case', 0, 'http://a.example/', 'HtTpS://A.Example/'),
    ('dot-segments', 0, 'http://a.example/b/c/d', '/./x/../../y/./z/..'),
    ('long-path', LENIENT | WHATWG, 'http://a.example/' + 'a/' * 40, '../' * 45 + 'b'),
]

# (name, base, reference) for the differential target: RFC examples are
# added too; these probe the documented differences (fuzz/README.md).
DIFFERENTIAL = [
    ('ipv6-compressed', 'http://[::1]/a', 'b'),
    ('ipv6-ref', 'http://a/b', '//[2001:DB8::1]:8080/x'),
    ('ipv6-v4', 'http://a/b', '//[::ffff:192.0.2.1]/'),
    ('ipvfuture', 'http://a/b', '//[v1.x]/'),
    ('opaque-dots', 'a:b/c/d', '../../../e'),
    ('opaque-dotdot', 'a:b', '..'),
    ('no-authority-slashslash', 'a:/b', '/.//c'),
    ('no-authority-merge-slashslash', 'a:/b/c', '..//d'),
    ('percent-case', 'http://a/%7euser/', '%2e%2E/x'),
    ('empty-port', 'http://a:/b', 'c'),
    ('empty-host', 'file:///etc/passwd', '../shadow'),
    ('empty-userinfo', 'http://@a/b', 'c'),
    ('empty-query', 'http://a/b?', 'c?'),
    ('empty-fragment', 'http://a/b', 'c#'),
    ('upper-scheme', 'HTTP://A/b', 'c'),
    ('scheme-only-path', 'a:', 'b'),
    ('relative-scheme', 'http://a/b/c', 'http:g'),
    ('rootless', 'foo:bar/baz', './qux'),
    ('dots-end', 'http://a/b/c', 'd/.'),
    ('dotdot-end', 'http://a/b/c', 'd/..'),
    ('rootless-dot-slash', 't.:7q', './/'),
    ('dot-prefix-authority', 'http://b////b///b', '.r'),
    ('dot-prefix-root', 'p:/', './'),
    ('dot-prefix-empty-host', 'http://///ba@cd;p?q', './gq/./$/.'),
    ('rootless-ref-with-scheme', 'http://a/b', 'a:)/../1'),
    ('empty-base-path', 'h:?', '.&/..'),
]


def write(target, name, data):
    d = os.path.join(HERE, target + '.in')
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('latin-1')
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


def resolve_seeds():
    for i, (kind, base, ref) in enumerate(rfc3986_examples()):
        write('resolve', 'rfc3986-%02d-%s' % (i + 1, kind),
              b'\x00' + (base + '\n' + ref).encode())
    for name, base, ref in TRICKY_REFS:
        write('resolve', name, b'\x00' + (base + '\n' + ref).encode())
    # the same pair parsed leniently, WHATWG-style, and split at a NUL
    write('resolve', 'lenient-parse', b'\x01http://a/b c\na b')
    write('resolve', 'whatwg-parse', b'\x02http://a/b\n\\\\h\\p')
    write('resolve', 'nul-split', b'\x03http://a/b\x00c\x00d')


def location_seeds():
    for name, flags, base, loc in LOCATIONS:
        write('location', name,
              bytes([flags]) + (base + '\n' + loc).encode('latin-1'))


def differential_seeds():
    for i, (kind, base, ref) in enumerate(rfc3986_examples()):
        write('differential', 'rfc3986-%02d-%s' % (i + 1, kind),
              base + '\n' + ref)
    for name, base, ref in DIFFERENTIAL:
        write('differential', name, base + '\n' + ref)


# ---- decide ----------------------------------------------------------------

PROFILES = ['rfc9110', 'fetch', 'curl', 'go', 'requests', 'urllib3',
            'okhttp', 'java', 'dotnet', 'libsoup', 'wget', 'python-urllib']
# policy mask bits (decide_fuzzer.c)
M_RULES, M_OPTIONS, M_SCOPE, M_STRIP, M_LOOP, M_MAXREDIR, M_SIZE, M_HSTS = (
    1, 2, 4, 8, 16, 32, 64, 128)
BODY = {'none': 0, 'replayable': 1, 'stream': 2, 'invalid': 3}


def decide_input(status, method, url, req=(), resps=((),), profile=0,
                 mask=0, body='none', url_cap=200, explain_cap=200, chain=0,
                 options=0, scope=0, loop=0, repeats=0, max_redirects=0,
                 strips=(0, 0, 0, 0, 0), sel31=0, cells=()):
    c = bytearray(48)
    c[0] = profile
    c[1] = mask
    c[2], c[3] = status >> 8, status & 0xff
    c[4] = BODY[body]
    c[5] = url_cap
    c[6] = explain_cap
    c[7] = chain
    c[8:12] = struct.pack('<I', options)
    c[12], c[13], c[14], c[15] = scope, loop, repeats, max_redirects
    for i, m in enumerate(strips):
        c[16 + 3 * i:19 + 3 * i] = struct.pack('<I', m)[:3]
    c[31] = sel31
    pairs = list(cells) + [(90, 0)] * (8 - len(cells))
    for i, (cell, v) in enumerate(pairs):
        c[32 + 2 * i], c[33 + 2 * i] = cell, v
    text = method + '\n' + url + '\n'
    text += ''.join(h + '\n' for h in req) + '\n'
    text += '\n'.join(''.join(h + '\n' for h in r) for r in resps)
    return bytes(c) + text.encode('latin-1')


def P(name):
    return PROFILES.index(name)


DECIDE = [
    # (name, keyword arguments of decide_input)
    ('tour-303', dict(status=303, method='POST',
                      url='https://shop.example/orders', body='replayable',
                      req=['Authorization: Bearer x', 'Content-Type: text/plain'],
                      resps=[['Location: https://pay.example/done']])),
    ('307-post-keep', dict(status=307, method='POST', url='https://a.example/v1',
                           body='replayable', resps=[['Location: /v2']])),
    ('308-stream', dict(status=308, method='PUT', url='https://a.example/f',
                        body='stream', resps=[['Location: /g']])),
    ('301-post-fetch', dict(status=301, method='POST', url='http://a.example/',
                            body='replayable', profile=P('fetch'),
                            req=['Content-Length: 3', 'Cookie: a=b'],
                            resps=[['Location: http://a.example/new']])),
    ('302-curl-cross-host', dict(status=302, method='GET',
                                 url='https://a.example/', profile=P('curl'),
                                 req=['Authorization: Basic eA==', 'Cookie: x=y',
                                      'Host: a.example', 'Referer: https://a.example/'],
                                 resps=[['Location: https://b.example/']])),
    ('downgrade', dict(status=301, method='GET', url='https://a.example/',
                       req=['Referer: https://a.example/x'],
                       resps=[['Location: http://a.example/']])),
    ('downgrade-allowed', dict(status=301, method='GET', url='https://a.example/',
                               mask=M_OPTIONS, options=1,
                               resps=[['Location: http://a.example/']])),
    ('no-location', dict(status=302, method='GET', url='http://a.example/',
                         resps=[['Content-Type: text/html']])),
    ('empty-location', dict(status=302, method='GET', url='http://a.example/p#f',
                            resps=[['Location:']])),
    ('location-null-value', dict(status=302, method='GET', url='http://a.example/',
                                 resps=[['Location']])),
    ('two-locations', dict(status=302, method='GET', url='http://a.example/',
                           resps=[['Location: /a', 'location: /b']])),
    ('two-locations-same', dict(status=302, method='GET', url='http://a.example/',
                                resps=[['Location: /a', 'LOCATION: /a']])),
    ('two-locations-okhttp', dict(status=302, method='GET', url='http://a.example/',
                                  profile=P('okhttp'),
                                  resps=[['Location: /a', 'Location: /b']])),
    ('crlf-location', dict(status=302, method='GET', url='http://a.example/',
                           resps=[['Location: /a\r']])),
    ('backslash-fetch', dict(status=302, method='GET', url='https://a.example/',
                             profile=P('fetch'), req=['Authorization: x'],
                             resps=[['Location: /\\evil.example/']])),
    ('lenient-utf8', dict(status=302, method='GET', url='http://a.example/',
                          profile=P('curl'),
                          resps=[['Location: /caf\xc3\xa9 au lait']])),
    ('userinfo', dict(status=302, method='GET', url='http://a.example/',
                      resps=[['Location: http://bank.example@evil.example/']])),
    ('javascript', dict(status=302, method='GET', url='http://a.example/',
                        resps=[['Location: javascript:alert(1)']])),
    ('ipv6', dict(status=307, method='DELETE', url='http://[::1]:8080/x',
                  body='none', resps=[['Location: //[::1]:8081/y']])),
    ('huge-port', dict(status=301, method='GET', url='http://a.example/',
                       resps=[['Location: http://a.example:999999/']])),
    ('300', dict(status=300, method='GET', url='http://a.example/',
                 resps=[['Location: /choice']])),
    ('304', dict(status=304, method='GET', url='http://a.example/',
                 resps=[['ETag: "x"']])),
    ('305', dict(status=305, method='GET', url='http://a.example/',
                 resps=[['Location: http://proxy.example:3128/']])),
    ('306', dict(status=306, method='GET', url='http://a.example/',
                 resps=[['Location: /x']])),
    ('399-unregistered', dict(status=399, method='GET', url='http://a.example/',
                              resps=[['Location: /x']])),
    ('200', dict(status=200, method='GET', url='http://a.example/')),
    ('status-0', dict(status=0, method='GET', url='http://a.example/')),
    ('status-1023', dict(status=1023, method='GET', url='http://a.example/')),
    ('bad-method', dict(status=302, method='G ET', url='http://a.example/',
                        resps=[['Location: /']])),
    ('bad-header-name', dict(status=302, method='GET', url='http://a.example/',
                             req=['Bad Name: x'], resps=[['Location: /']])),
    ('too-many-headers', dict(status=302, method='GET', url='http://a.example/',
                              req=['X-H%d: v' % i for i in range(66)],
                              resps=[['Location: /']])),
    ('relative-base', dict(status=302, method='GET', url='/relative',
                           resps=[['Location: /']])),
    ('bad-body', dict(status=302, method='GET', url='http://a.example/',
                      body='invalid', resps=[['Location: /']])),
    ('hsts-upgrade', dict(status=302, method='GET', url='https://a.example/',
                          mask=M_HSTS, resps=[['Location: http://ab.example:80/x']])),
    ('hsts-small-buffer', dict(status=302, method='GET', url='https://a.example/',
                               mask=M_HSTS, url_cap=20,
                               resps=[['Location: http://abcd:80/x#f']])),
    ('url-cap-0', dict(status=301, method='GET', url='http://a.example/',
                       url_cap=0, resps=[['Location: /somewhere']])),
    ('url-cap-none', dict(status=301, method='GET', url='http://a.example/',
                          url_cap=255, resps=[['Location: /x']])),
    ('explain-small', dict(status=303, method='POST', url='http://a.example/',
                           body='replayable', explain_cap=1,
                           req=['Content-Type: a/b', 'X-Api-Key: k'],
                           resps=[['Location: http://b.example/']])),
    ('sensitive-headers', dict(status=302, method='GET', url='http://a.example/',
                               mask=M_SIZE, sel31=(2 << 5),
                               req=['X-Api-Key: k', 'Authorization: a'],
                               resps=[['Location: http://b.example/']])),
    ('schemes-null', dict(status=302, method='GET', url='http://a.example/',
                          mask=M_SIZE, sel31=(1 << 2), resps=[['Location: /']])),
    ('size-small', dict(status=302, method='GET', url='http://a.example/',
                        mask=M_SIZE, sel31=1, resps=[['Location: /']])),
    ('rule-invalid', dict(status=302, method='GET', url='http://a.example/',
                          mask=M_RULES, cells=[(2 * 9 + 0, 0xf7)],
                          resps=[['Location: /']])),
    ('rules-rewritten', dict(status=302, method='POST', url='http://a.example/',
                             body='replayable', mask=M_RULES,
                             cells=[(2 * 9 + 2, 4), (1 * 9 + 2, 3)],
                             resps=[['Location: /']])),
    ('scope-invalid', dict(status=302, method='GET', url='http://a.example/',
                           mask=M_SCOPE, scope=0xfe, resps=[['Location: /']])),
    ('scope-domain', dict(status=302, method='GET', url='http://example.com/',
                          mask=M_SCOPE, scope=4, req=['Authorization: x'],
                          resps=[['Location: http://sub.example.com/']])),
    ('strip-all', dict(status=307, method='POST', url='http://a.example/',
                       body='replayable', mask=M_STRIP,
                       strips=(0x3ffff,) * 5,
                       req=['Cookie: a', 'Host: h', 'Expect: 100-continue', 'X: y'],
                       resps=[['Location: /b']])),
    ('chain-loop', dict(status=302, method='GET', url='http://a.example/a',
                        chain=5, resps=[['Location: /b'], ['Location: /a'],
                                        ['Location: /b']])),
    ('chain-cookie-loop', dict(status=302, method='GET', url='http://a.example/a',
                               chain=5,
                               resps=[['Location: /login', 'Set-Cookie: s=1'],
                                      ['Location: /a'], ['Location: /login']])),
    ('chain-limit', dict(status=301, method='GET', url='http://a.example/0',
                         chain=5, mask=M_MAXREDIR, max_redirects=2,
                         resps=[['Location: /1'], ['Location: /2'],
                                ['Location: /3']])),
    ('chain-repeats', dict(status=302, method='GET', url='http://a.example/a',
                           chain=5, mask=M_LOOP, loop=3, repeats=1,
                           resps=[['Location: /a']])),
    ('chain-loop-invalid', dict(status=302, method='GET', url='http://a.example/a',
                                chain=3, mask=M_LOOP, loop=0xf3,
                                resps=[['Location: /a']])),
    ('chain-go-scope-first', dict(status=302, method='GET',
                                  url='https://a.example/', profile=P('go'),
                                  chain=4, req=['Authorization: t'],
                                  resps=[['Location: https://b.example/'],
                                         ['Location: https://a.example/back']])),
    ('chain-303-post', dict(status=303, method='POST', url='http://a.example/f',
                            body='replayable', chain=3,
                            req=['Content-Type: application/json'],
                            resps=[['Location: /done'], ['Location: /again']])),
    ('all-options', dict(status=302, method='PATCH', url='http://a.example/p#frag',
                         body='stream', mask=M_OPTIONS, options=0x1fff,
                         resps=[['Location: http://u@b.example/q a']])),
]


def decide_seeds():
    for name, kw in DECIDE:
        write('decide', name, decide_input(**kw))


# ---- headers -----------------------------------------------------------------

NOW = 784111777  # Sun, 06 Nov 1994 08:49:37 GMT


def headers_input(lines, now=NOW, flags=0, status=301, method=0, pct=10,
                  resp_hours=0, req_secs=0, default_hours=0, up_cap=200):
    c = bytearray(17)
    c[0] = flags
    c[1], c[2] = status >> 8, status & 0xff
    c[3] = method
    c[4:12] = struct.pack('<q', now)
    c[12], c[13], c[14], c[15], c[16] = (pct, resp_hours, req_secs,
                                         default_hours, up_cap)
    return bytes(c) + ''.join(l + '\n' for l in lines).encode('latin-1')


HEADERS = [
    ('301-plain', dict(lines=['Location: https://a.example/',
                              'Date: Sun, 06 Nov 1994 08:49:37 GMT'],
                       default_hours=24)),
    ('302-max-age', dict(status=302, lines=['Cache-Control: max-age=3600',
                                            'Date: Sun, 06 Nov 1994 08:49:37 GMT'])),
    ('301-no-store', dict(lines=['Cache-Control: no-store, max-age=60'])),
    ('308-private-shared', dict(status=308, flags=1,
                                lines=['Cache-Control: private, max-age=10',
                                       'Age: 5'])),
    ('auth-public', dict(status=301, flags=1,
                         lines=['Cache-Control: public, s-maxage=100, max-age=10'])),
    ('expires', dict(status=302, lines=['Date: Sun, 06 Nov 1994 08:49:37 GMT',
                                        'Expires: Sun, 06 Nov 1994 09:49:37 GMT'])),
    ('expires-zero', dict(status=302, lines=['Expires: 0'])),
    ('expires-twice', dict(status=302, lines=['Expires: Sun, 06 Nov 1994 09:49:37 GMT',
                                              'Expires: Mon, 07 Nov 1994 09:49:37 GMT'])),
    ('rfc850', dict(lines=['Date: Sunday, 06-Nov-94 08:49:37 GMT',
                           'Last-Modified: Saturday, 05-Nov-94 08:49:37 GMT'],
                    pct=10)),
    ('rfc850-future-year', dict(now=1700000000,
                                lines=['Expires: Thursday, 01-Jan-70 00:00:00 GMT',
                                       'Retry-After: Friday, 31-Dec-99 23:59:59 GMT'])),
    ('asctime', dict(lines=['Date: Sun Nov  6 08:49:37 1994',
                            'Expires: Sun Nov 13 08:49:37 1994'])),
    ('dates-bad', dict(lines=['Date: Mon, 06 Nov 1994 08:49:37 GMT',
                              'Date: Sun, 31 Feb 1994 08:49:37 GMT',
                              'Date: Sun, 06 Nov 1994 24:00:00 GMT',
                              'Date: Sun, 06 Nov 1994 23:59:60 GMT',
                              'Date: sun, 06 nov 1994 08:49:37 gmt',
                              'Date: Sun, 06 Nov 1994 08:49:37 UTC',
                              'Date:   Sun, 06 Nov 1994 08:49:37 GMT \t'])),
    ('date-extremes', dict(now=-62167219200,
                           lines=['Date: Sat, 01 Jan 0000 00:00:00 GMT',
                                  'Expires: Fri, 31 Dec 9999 23:59:59 GMT',
                                  'Last-Modified: Thu, 29 Feb 2024 12:00:00 GMT'])),
    ('now-min', dict(now=-(1 << 63), lines=['Date: Sunday, 06-Nov-94 08:49:37 GMT',
                                             'Retry-After: 120'])),
    ('now-max', dict(now=(1 << 63) - 1, resp_hours=255, req_secs=255,
                     lines=['Date: Sunday, 06-Nov-94 08:49:37 GMT',
                            'Age: 99999999999999999999',
                            'Retry-After: Sun, 06 Nov 1994 08:49:37 GMT'])),
    ('retry-after', dict(status=503, lines=['Retry-After: 120',
                                            'Retry-After: Sun, 06 Nov 1994 08:50:37 GMT',
                                            'Retry-After: -1',
                                            'Retry-After: 1e3',
                                            'Retry-After: 99999999999999999999999'])),
    ('cc-junk', dict(lines=['Cache-Control: max-age=,,=,;"x", no-cache="a, b", '
                            'private="Set-Cookie", max-age="60", s-maxage=1 0'])),
    ('cc-duplicates', dict(status=308, lines=['Cache-Control: max-age=100, max-age=10',
                                              'cache-control: MAX-AGE=5, public, private'])),
    ('cc-huge', dict(lines=['Cache-Control: max-age=99999999999999999999999, '
                            's-maxage=2147483649, stale-while-revalidate=4294967296'])),
    ('cc-quoted', dict(lines=['Cache-Control: no-cache="Set-Cookie, \\"x\\"", '
                              'immutable, must-understand, stale-if-error=5'])),
    ('cc-unterminated', dict(lines=['Cache-Control: private="unterminated, max-age=5'])),
    ('pragma-vary', dict(lines=['Pragma: no-cache', 'Vary: Accept, *'])),
    ('must-understand', dict(status=399,
                             lines=['Cache-Control: must-understand, no-store, max-age=5'])),
    ('post', dict(method=2, lines=['Cache-Control: max-age=5'])),
    ('bad-method', dict(method=5, lines=['Cache-Control: max-age=5'])),
    ('status-out-of-range', dict(status=600, lines=['Cache-Control: max-age=5'])),
    ('sts', dict(lines=['Strict-Transport-Security: max-age=31536000; includeSubDomains; preload'])),
    ('sts-variants', dict(lines=['Strict-Transport-Security: max-age="300"',
                                 'Strict-Transport-Security: MAX-AGE=0',
                                 'Strict-Transport-Security: max-age=1; max-age=2',
                                 'Strict-Transport-Security: includeSubDomains',
                                 'Strict-Transport-Security: max-age=-1',
                                 'Strict-Transport-Security: ; ; max-age=5 ; foo="b;ar"',
                                 'Strict-Transport-Security: max-age=99999999999999999999999'])),
    ('hsts-upgrade', dict(lines=['Location: http://ab.example/x',
                                 'Location: http://abc.example/x',
                                 'Location: http://AB.EXAMPLE.:80/x?y#z',
                                 'Location: http://[::1]/',
                                 'Location: http://10.0.0.1/',
                                 'Location: https://ab.example/',
                                 'Location: http://a%42.example/'])),
    ('hsts-upgrade-small', dict(up_cap=10, lines=['Location: http://ab:80/'])),
    ('hsts-upgrade-none', dict(up_cap=255, lines=['Location: http://ab/'])),
    ('heuristic-percent', dict(pct=255, lines=[
        'Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT',
        'Date: Fri, 31 Dec 9999 23:59:59 GMT'])),
    ('age-and-delay', dict(resp_hours=2, req_secs=30, default_hours=255,
                           lines=['Age: 100, 200', 'Cache-Control: max-age=10000'])),
]


def headers_seeds():
    for name, kw in HEADERS:
        write('headers', name, headers_input(**kw))


# ---- inspect -----------------------------------------------------------------

def inspect_input(text, flags=0x27, room=64, long_chain=0, now=NOW,
                  sticky_hours=0, body=0, profile=0):
    c = bytearray(14)
    c[0], c[1], c[2] = flags, room, long_chain
    c[3:11] = struct.pack('<q', now)
    c[11], c[12], c[13] = sticky_hours, body, profile
    return bytes(c) + text.replace('\n', '\r\n').encode('latin-1')


INSPECT = [
    ('curl-sIL-chain', dict(text='GET http://example.com/\n'
        'HTTP/1.1 301 Moved Permanently\nServer: nginx\n'
        'Date: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/html\n'
        'Content-Length: 162\nLocation: https://example.com/\n\n'
        'HTTP/2 302 \nlocation: /en/\ncache-control: max-age=31536000\n\n'
        'HTTP/2 200 \ncontent-type: text/html; charset=utf-8\n\n')),
    ('post-301', dict(text='POST https://api.example/v1/orders\n'
        'HTTP/1.1 301 Moved Permanently\nLocation: /v2/orders\n\n')),
    ('downgrade', dict(text='GET https://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: http://a.example/\n\n'
        'HTTP/1.1 200 OK\n\n')),
    ('missing-location', dict(text='GET http://a.example/\n'
        'HTTP/1.1 302 Found\nContent-Length: 0\n\n')),
    ('two-locations', dict(text='GET http://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: /a\nLocation: /b\n\n')),
    ('bad-locations', dict(text='GET http://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: /a b\n\n'
        'HTTP/1.1 302 Found\nLocation: https://u:p@b.example/\n\n'
        'HTTP/1.1 302 Found\nLocation: \n\n'
        'HTTP/1.1 307 Temporary Redirect\nLocation: //[::1/\n\n')),
    ('loop', dict(text='GET http://a.example/a\n'
        'HTTP/1.1 302 Found\nLocation: /b\n\n'
        'HTTP/1.1 302 Found\nLocation: /a\n\n'
        'HTTP/1.1 302 Found\nLocation: /b\n\n')),
    ('cookie-loop', dict(text='GET http://a.example/a\n'
        'HTTP/1.1 302 Found\nLocation: /login\nSet-Cookie: s=1\n\n'
        'HTTP/1.1 302 Found\nLocation: /a\n\n'
        'HTTP/1.1 200 OK\n\n')),
    ('long-chain', dict(long_chain=2, text='GET http://a.example/0\n' +
        ''.join('HTTP/1.1 301 Moved\nLocation: /%d\n\n' % i for i in range(1, 9)))),
    ('too-many', dict(flags=0x2f, profile=2, text='GET http://a.example/0\n' +
        ''.join('HTTP/1.1 308 Permanent Redirect\nLocation: /%d\n\n' % i
                for i in range(1, 12)))),
    ('sticky-302', dict(text='GET http://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: /x\nCache-Control: public, max-age=604800\n'
        'Expires: Sun, 13 Nov 1994 08:49:37 GMT\n\n')),
    ('uncacheable-301', dict(text='GET http://a.example/\n'
        'HTTP/1.1 301 Moved Permanently\nLocation: /x\nCache-Control: no-store\n'
        'Vary: *\nPragma: no-cache\n\n')),
    ('missing-vary', dict(text='GET http://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: /de-DE/start?lang=de\n'
        'Cache-Control: max-age=3600\n\n'
        'HTTP/1.1 301 Moved Permanently\nLocation: http://m.a.example/mobile/\n\n')),
    ('statuses', dict(body=20, text='GET http://a.example/\n'
        'HTTP/1.1 305 Use Proxy\nLocation: http://proxy:3128/\n\n'
        'HTTP/1.1 306 Switch Proxy\n\n'
        'HTTP/1.1 418 I\'m a teapot\n\n'
        'HTTP/1.1 599 Whatever\n\n'
        'HTTP/1.1 204 No Content\nContent-Length: 5\n\n'
        'HTTP/1.1 304 Not Modified\nTransfer-Encoding: chunked\n\n')),
    ('missing-headers', dict(text='GET http://a.example/\n'
        'HTTP/1.1 503 Service Unavailable\nRetry-After: soon\n\n'
        'HTTP/1.1 429 Too Many Requests\n\n'
        'HTTP/1.1 405 Method Not Allowed\n\n'
        'HTTP/1.1 401 Unauthorized\n\n'
        'HTTP/1.1 407 Proxy Authentication Required\n\n'
        'HTTP/1.1 206 Partial Content\nContent-Type: text/plain\n\n'
        'HTTP/1.1 416 Range Not Satisfiable\n\n')),
    ('no-method-no-url', dict(flags=0x20, text='GET http://a.example/\n'
        'HTTP/1.1 301 Moved Permanently\nLocation: ../x\n\n')),
    ('bad-request-line', dict(text='G\tET not a url\n'
        'HTTP/1.1 302 Found\nLocation: /x\n\n')),
    ('status-out-of-range', dict(text='GET http://a.example/\n'
        'HTTP/1.1 99 Low\n\nHTTP/1.1 1000 High\n\nHTTP/1.1 abc\n\n')),
    ('room-0', dict(room=0, text='GET https://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: http://b.example/\nLocation: /y\n\n')),
    ('room-none', dict(room=255, text='GET https://a.example/\n'
        'HTTP/1.1 301 Found\n\n')),
    ('options-bad-size', dict(flags=0x37, text='GET http://a.example/\n'
        'HTTP/1.1 301 Moved\nLocation: /x\n\n')),
    ('bad-body-len', dict(body=255, text='GET http://a.example/\n'
        'HTTP/1.1 200 OK\n\n')),
    ('crlf-kept', dict(flags=0x07, text='GET http://a.example/\n'
        'HTTP/1.1 302 Found\nLocation: /x\n\n')),
    ('retry-after-date', dict(now=-1, sticky_hours=255, text='GET http://a.example/\n'
        'HTTP/1.1 503 Service Unavailable\nRetry-After: Sun, 06 Nov 1994 08:49:37 GMT\n\n')),
]


def inspect_seeds():
    for name, kw in INSPECT:
        write('inspect', name, inspect_input(**kw))


def main():
    resolve_seeds()
    location_seeds()
    differential_seeds()
    decide_seeds()
    headers_seeds()
    inspect_seeds()
    return 0


if __name__ == '__main__':
    sys.exit(main())
