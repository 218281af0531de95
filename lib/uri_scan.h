/* SPDX-License-Identifier: MIT */
/*
 * The strict scanner of uri.c (references parsed neither lenient nor
 * WHATWG), included by uri.c once per block width: RD_W bytes per block
 * (16: SSE2 or one byte at a time; 32: AVX2), RD_FN(name) the names of that
 * width, RD_TARGET the attributes its functions need. Not a header of its
 * own: it uses the tables and helpers of uri.c.
 *
 * The scanner walks a reference once, RD_W bytes at a time, and stops only
 * at the bytes that need a decision (rd_masks). Every byte it accepts is
 * one that parse_general() accepts, with the same result; the differences
 * are in speed only.
 */

#if RD_W == 32
/* 32 copies of each byte the scanner compares with (rd_bytes32, in
 * util.c): loaded as operands, where compilers that see the values would
 * rebuild each with two or three instructions in every block. */
enum { K_LO, K_HI, K_NIB, K_LOW6, K_PCT, K_QM, K_SL, K_DOT, K_COLON, K_AT,
       K_HASH, K_ZERO };
#define KV_(i) _mm256_loadu_si256((const __m256i *)(const void *)rd_bytes32[i])

/* The classes of the bytes of v by two table lookups on the nibbles (K_LO
 * by the low nibble, K_HI by the high one, and the two results ANDed).
 * Bits 0 to 5: rows 0x2_ to 0x7_ in K_HI; K_LO has, for each low nibble,
 * the rows where that byte is in S_PLAIN (generated from the table
 * `cls`); control bytes, DEL and bytes >= 0x80 (whose high nibble finds
 * 0) are outside. Bit 7: the digits (row 0x3_, columns 0 to 9); bit 6:
 * 'A'..'F' and 'a'..'f' (rows 0x4_ and 0x6_, columns 1 to 6). */
static RD_TARGET RD_ALWAYS_INLINE void masks_avx2(__m256i v, rd_masks *m,
                                                  unsigned want)
{
    const __m256i lo = _mm256_and_si256(v, KV_(K_NIB));
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), KV_(K_NIB));
    const __m256i c = _mm256_and_si256(_mm256_shuffle_epi8(KV_(K_LO), lo),
                                       _mm256_shuffle_epi8(KV_(K_HI), hi));
    m->sp = (unsigned)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(_mm256_and_si256(c, KV_(K_LOW6)), KV_(K_ZERO)));
    /* bit 6 or 7: bit 7 of c + c or c */
    m->xm = (unsigned)_mm256_movemask_epi8(
        _mm256_or_si256(c, _mm256_add_epi8(c, c)));
    m->pm = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, KV_(K_PCT)));
    const __m256i qmark = _mm256_cmpeq_epi8(v, KV_(K_QM));
    m->qm = (unsigned)_mm256_movemask_epi8(qmark);
    m->sm = m->dm = m->hd = m->ae = 0;
    if (want & (M_WANT_DOTS | M_WANT_HD)) {
        const __m256i slash = _mm256_cmpeq_epi8(v, KV_(K_SL));
        m->sm = (unsigned)_mm256_movemask_epi8(slash);
        m->dm = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, KV_(K_DOT)));
        if (want & M_WANT_HD) {
            m->hd = (unsigned)_mm256_movemask_epi8(_mm256_or_si256(
                _mm256_or_si256(_mm256_cmpeq_epi8(v, KV_(K_COLON)),
                                _mm256_cmpeq_epi8(v, KV_(K_AT))),
                slash));
            m->ae = (unsigned)_mm256_movemask_epi8(
                _mm256_or_si256(_mm256_or_si256(slash, qmark),
                                _mm256_cmpeq_epi8(v, KV_(K_HASH))));
        }
    }
}
#undef KV_
#endif

/*
 * The masks of s[b .. min(b + RD_W, len)), for b < len. Fewer than RD_W
 * bytes are read with loads that stay inside s[0 .. len): the last RD_W
 * bytes of s, or two loads that overlap; the bits are then moved to the
 * positions of their bytes.
 */
static RD_TARGET RD_ALWAYS_INLINE void RD_FN(classify)(const char *s, size_t b,
                                                       size_t len, rd_masks *m,
                                                       unsigned want)
{
    size_t n = len - b;
#if RD_W == 32
    if (n >= 32) {
        masks_avx2(_mm256_loadu_si256((const __m256i *)(const void *)(s + b)),
                   m, want);
        return;
    }
    if (len >= 32) {
        unsigned back = (unsigned)(32 - n);
        masks_avx2(
            _mm256_loadu_si256((const __m256i *)(const void *)(s + len - 32)),
            m, want);
        m->sp >>= back;
        m->qm >>= back;
        m->pm >>= back;
        m->xm >>= back;
        m->hd >>= back;
        m->ae >>= back;
        m->dm >>= back;
        m->sm >>= back;
        return;
    }
    if (n >= 16) {
        const __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(s + b));
        const __m128i hi =
            _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
        masks_avx2(_mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1),
                   m, want);
        unsigned shift = (unsigned)n - 16;
        m->sp = spread(m->sp, 16, 0xffffu, shift);
        m->qm = spread(m->qm, 16, 0xffffu, shift);
        m->pm = spread(m->pm, 16, 0xffffu, shift);
        m->xm = spread(m->xm, 16, 0xffffu, shift);
        m->hd = spread(m->hd, 16, 0xffffu, shift);
        m->ae = spread(m->ae, 16, 0xffffu, shift);
        m->dm = spread(m->dm, 16, 0xffffu, shift);
        m->sm = spread(m->sm, 16, 0xffffu, shift);
        return;
    }
    classify16(s, b, len, m, want);
#else
#ifdef RD_SIMD
    if (n >= 16) {
        masks_vec(_mm_loadu_si128((const __m128i *)(const void *)(s + b)), m,
                  want);
        return;
    }
    if (len >= 16) {
        unsigned back = (unsigned)(16 - n);
        masks_vec(_mm_loadu_si128((const __m128i *)(const void *)(s + len - 16)),
                  m, want);
        m->sp >>= back;
        m->qm >>= back;
        m->pm >>= back;
        m->xm >>= back;
        m->hd >>= back;
        m->ae >>= back;
        m->dm >>= back;
        m->sm >>= back;
        return;
    }
    if (n >= 4) {
        __m128i v;
        unsigned half, keep;
        if (n >= 8) {
            uint64_t lo, hi;
            memcpy(&lo, s + b, 8);
            memcpy(&hi, s + len - 8, 8);
            v = _mm_set_epi64x((long long)hi, (long long)lo);
            half = 8;
            keep = 0xffu;
        } else {
            uint32_t lo, hi;
            memcpy(&lo, s + b, 4);
            memcpy(&hi, s + len - 4, 4);
            v = _mm_set_epi32(0, 0, (int)hi, (int)lo);
            half = 4;
            keep = 0xfu;
        }
        masks_vec(v, m, want);
        unsigned shift = (unsigned)n - half;
        m->sp = spread(m->sp, half, keep, shift);
        m->qm = spread(m->qm, half, keep, shift);
        m->pm = spread(m->pm, half, keep, shift);
        m->xm = spread(m->xm, half, keep, shift);
        m->hd = spread(m->hd, half, keep, shift);
        m->ae = spread(m->ae, half, keep, shift);
        m->dm = spread(m->dm, half, keep, shift);
        m->sm = spread(m->sm, half, keep, shift);
        return;
    }
#else
    (void)want;
    if (n > 16)
        n = 16;
#endif
    masks_scalar(s + b, n, m);
#endif
}

/*
 * find_stop() returns the first byte at or after `from` that ends the
 * component or is not allowed in it: a byte outside S_PLAIN other than '%',
 * or '?' when `path`; len when there is none. `b` is the block whose masks
 * are in `mk` (or far from `from`: no block). On the way it checks that
 * every '%' starts an escape of two hex digits, and sets *bad_pct when one
 * does not (an error only when the component ends without a worse one):
 * with masks, without a loop over the escapes. In the path (which starts
 * at `from`) it also sets *dots when a segment starts with '.', the only
 * case where remove_dot_segments does more than copy.
 */
static RD_TARGET RD_ALWAYS_INLINE size_t RD_FN(find_stop)(
    const char *s, size_t len, size_t *b, rd_masks *mk, size_t from,
    bool path, bool *bad_pct, bool *dots)
{
#if RD_W == 16 && !defined(RD_SIMD)
    /* Without SIMD, one byte at a time with the table (eight at a time
     * through a query or fragment): masks would cost more than they
     * save. M_PATH is S_PLAIN without '?'; neither has '%'. */
    const unsigned plain = path ? M_PATH : S_PLAIN;
    (void)b;
    (void)mk;
    unsigned prev = path; /* the byte before is '/' (or the path starts) */
    for (; from < len; from++) {
        if (!path)
            while (from + 8 <= len &&
                   (cls[(unsigned char)s[from]] & cls[(unsigned char)s[from + 1]] &
                    cls[(unsigned char)s[from + 2]] & cls[(unsigned char)s[from + 3]] &
                    cls[(unsigned char)s[from + 4]] & cls[(unsigned char)s[from + 5]] &
                    cls[(unsigned char)s[from + 6]] & cls[(unsigned char)s[from + 7]] &
                    S_PLAIN))
                from += 8;
        if (from >= len)
            break;
        unsigned char c = (unsigned char)s[from];
        if (cls[c] & plain) {
            if (path && c == '.' && prev)
                *dots = true;
            prev = c == '/';
            continue;
        }
        if (c != '%')
            return from;
        prev = 0;
        if (!(from + 2 < len && hex2(s + from + 1)))
            *bad_pct = true;
    }
    return len;
#endif
    /* in the path: bit 0 set when the byte before the block is '/' (or
     * the block starts the path) */
    unsigned seg = 0, live;
    if (from - *b < RD_W) { /* (from - *b wraps when there is no block) */
        /* the rest of the current block */
        unsigned first = 1u << (from - *b);
        live = 0u - first;
        if (path)
            seg = (mk->dm & ((mk->sm << 1) | first)) & live;
        goto block;
    }
    if (path)
        seg = 1;
    for (;;) {
        if (from >= len)
            return len;
        /* every block by masks, a short last one too (classify() reads
         * it with loads that overlap): a loop over its bytes would end at
         * a place that changes from one reference to the next */
        *b = from;
        RD_FN(classify)(s, from, len, mk, path ? M_WANT_DOTS : 0);
        live = ~0u;
        if (path)
            seg = mk->dm & ((mk->sm << 1) | (seg & 1));
block:;
        /* the first byte that stops the component, and the '%' before
         * it: each needs hex digits in the next two bytes (those of the
         * last two bytes of a block are looked at one by one) */
        unsigned stop = ((mk->sp & ~mk->pm) | (path ? mk->qm : 0)) & live;
        unsigned pct = mk->pm & live;
        unsigned before = stop ? (stop & (0u - stop)) - 1 : ~0u;
        pct &= before;
        /* without a branch on whether there are escapes (queries have
         * them or not, from one reference to the next); those of the
         * last two bytes, rare, one by one */
        const unsigned both = (mk->xm >> 1) & (mk->xm >> 2);
        const unsigned edge = 3u << (RD_W - 2);
        *bad_pct |= (pct & ~edge & ~both) != 0;
        for (unsigned e = pct & edge; e; e &= e - 1) {
            size_t at = *b + rd_ctz(e);
            if (!(at + 2 < len && hex2(s + at + 1)))
                *bad_pct = true;
        }
        if (stop) {
            if (path && (seg & before))
                *dots = true;
            return *b + rd_ctz(stop);
        }
        if (path) {
            if (seg)
                *dots = true;
            seg = mk->sm >> (RD_W - 1); /* the last byte of the block */
        }
        from = *b + RD_W;
    }
}

/*
 * The parser for strict references: the same result as parse_general()
 * with flags 0, in fewer steps. A reg-name or IPv4 host with an optional
 * port is read with the masks of the first blocks, which then go on to the
 * path; userinfo, IP literals, escapes and bad bytes in the authority go to
 * parse_authority(). *dots: see find_stop().
 */
static RD_TARGET redir_result RD_FN(parse_strict)(const char *s, size_t len,
                                                  redir_uri *u, bool *dots)
{
    size_t i = 0;
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    /* "http:" or "https:": one branch for both (which one it is changes
     * from one URL to the next) */
    bool http = false, https = false;
    if (len >= 6) {
        const bool web = rd_load4(s) == rd_load4("http");
        http = web & (s[4] == ':');
        https = web & (s[4] == 's') & (s[5] == ':');
    }
    if (http | https) {
        i = 4u + https;
        u->scheme.ptr = s;
        u->scheme.len = i;
        u->parts = REDIR_URI_SCHEME;
        i++;
    } else if (len > 0 && rd_is_alpha((unsigned char)s[0])) {
        size_t j = 1;
        while (j < len && in_class((unsigned char)s[j], C_SCHEME))
            j++;
        if (j < len && s[j] == ':') {
            u->scheme.ptr = s;
            u->scheme.len = j;
            u->parts = REDIR_URI_SCHEME;
            i = j + 1;
        }
    }
    rd_masks mk = {0, 0, 0, 0, 0, 0, 0, 0};
    /* no block: from - b >= RD_W for every from */
    const size_t none = (size_t)0 - RD_W - 1;
    size_t b = none;
    if (i + 1 < len && rd_load2(s + i) == rd_load2("//")) {
        /* "//" authority: a reg-name host ends at the first byte outside
         * S_PLAIN or one of '?', ':', '@', '/' */
        const size_t a = i + 2;
#if RD_W == 16 && !defined(RD_SIMD)
        /* a reg-name byte is one of S_PLAIN but '?', ':', '@', '/' */
        size_t e = a;
        while (e < len && in_class((unsigned char)s[e], M_REGNAME))
            e++;
#else
        size_t e = len;
        for (b = a; b < len; b += RD_W) {
            RD_FN(classify)(s, b, len, &mk, M_WANT_HD);
            unsigned x = mk.sp | mk.qm | mk.hd;
            if (x) {
                e = b + rd_ctz(x);
                break;
            }
        }
        if (e == len)
            b = none;
#endif
        const size_t host_end = e;
        if (!plain_host_port(s, len, a, host_end, u, &e)) {
            /* userinfo, an IP literal, escapes, bad bytes or a bad port:
             * the authority ends at the first '/', '?' or '#', none of
             * which is before host_end */
#if RD_W == 16 && !defined(RD_SIMD)
            for (e = host_end; e < len && s[e] != '/' && s[e] != '?' && s[e] != '#';
                 e++)
                ;
#else
            e = len;
            if (host_end < len) {
                unsigned x = mk.ae & (~0u << (host_end - b));
                while (!x) {
                    b += RD_W;
                    if (b >= len) {
                        b = none;
                        break;
                    }
                    RD_FN(classify)(s, b, len, &mk, M_WANT_HD);
                    x = mk.ae;
                }
                if (x)
                    e = b + rd_ctz(x);
            }
#endif
            redir_result r = parse_authority(s + a, e - a, 0, u);
            if (r != REDIR_OK)
                return r;
        }
        u->authority.ptr = s + a;
        u->authority.len = e - a;
        u->parts |= REDIR_URI_AUTHORITY;
        i = e;
    }

    /* path, query and fragment: the same results and errors as
     * scan_rest() without flags */
    bool bad_pct = false;
    size_t at = RD_FN(find_stop)(s, len, &b, &mk, i, true, &bad_pct, dots);
    /* (tested together: whether the path ends the reference, or which
     * byte ends it, changes from one reference to the next) */
    const bool ended = at < len;
    unsigned char c = ended ? (unsigned char)s[at] : 0;
    if (ended & (c != '?') & (c != '#'))
        return bad_byte(c);
    if (bad_pct)
        return REDIR_E_PERCENT;
    u->path.ptr = s + i;
    u->path.len = at - i;
    if (!(u->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)) &&
        colon_in_first_segment(u->path.ptr, u->path.len))
        return REDIR_E_SCHEME;
    if (c == '?') {
        size_t q0 = at + 1;
        at = RD_FN(find_stop)(s, len, &b, &mk, q0, false, &bad_pct, NULL);
        const bool q_ended = at < len;
        c = q_ended ? (unsigned char)s[at] : 0;
        if (q_ended & (c != '#'))
            return bad_byte(c);
        if (bad_pct)
            return REDIR_E_PERCENT;
        u->query.ptr = s + q0;
        u->query.len = at - q0;
        u->parts |= REDIR_URI_QUERY;
    }
    if (c == '#') {
        size_t f0 = at + 1;
        at = RD_FN(find_stop)(s, len, &b, &mk, f0, false, &bad_pct, NULL);
        if (at < len) /* a second '#' included */
            return bad_byte((unsigned char)s[at]);
        if (bad_pct)
            return REDIR_E_PERCENT;
        u->fragment.ptr = s + f0;
        u->fragment.len = len - f0;
        u->parts |= REDIR_URI_FRAGMENT;
    }
    return REDIR_OK;
}
