/* matrices/parse_double.c — xhi_parse_double: decimal text to the nearest double, the same bits
 * as strtod (round to nearest, ties to even), several times faster on the numbers MatrixMarket
 * files hold.
 *
 * Accepted: [+-] digits [. [digits]] | [+-] . digits, then an optional exponent
 * (e|E|d|D)[+-]digits (Fortran writes D); an exponent letter not followed by digits is not part
 * of the number, as in strtod.  Also the words inf, infinity and nan (any case), which MatrixMarket
 * callers reject.  Hexadecimal floats are not accepted ("0x1p3" parses as 0, ending at 'x').
 *
 * Three paths, tried in order:
 *  1. Clinger's fast path: the significant digits fit a uint64 w <= 2^53 and the decimal exponent
 *     q has |q| <= 22, so w and 10^|q| are exact doubles and one IEEE multiply or divide rounds
 *     the exact product or quotient once.
 *  2. Eisel–Lemire (as in Go's strconv and Wuffs): w (<= 19 digits, normalized) times the 128-bit
 *     truncated mantissa of 10^q; when the product's discarded bits cannot change the rounding
 *     the result is exact, otherwise (near-halfway cases, subnormal or overflowing results) the
 *     path gives up.  With more than 19 digits the truncated w and w+1 must round alike.
 *  3. strtod_l in the "C" locale on a NUL-terminated copy of the number, 'd'/'D' made 'e'.
 * The 10^q mantissas (q in -348..347) are computed once, exactly, with big-integer arithmetic
 * rather than listed; if that self-check ever failed, path 2 is switched off (results stay exact).
 *
 * The text must be terminated by a character that cannot continue a number (NUL, blank, newline).
 * Returns 0 on success, -1 when no number starts at s (*end = s), -2 when the copy of a very long
 * number (128+ characters) for path 3 cannot be allocated.
 */
#define _GNU_SOURCE
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private/xhi_mm.h"

#define POW10_MIN (-348)
#define POW10_MAX 347
#define POW10_COUNT (POW10_MAX - POW10_MIN + 1)
/* 10^-348 needs ceil(348 log2 10) = 1157 bits below the point, plus the 128 kept. */
#define BIG_BITS 1312
#define BIG_LIMBS (BIG_BITS / 32)

static uint64_t pow10_hi[POW10_COUNT], pow10_lo[POW10_COUNT];
static int pow10_ready, tables_done;
static locale_t c_locale;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static const double exact_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
    int64_t d = a / b;
    return (a % b != 0 && a < 0) ? d - 1 : d;
}

/* floor(q log2 10) for |q| < 2^15 (the slope 217706/2^16 is what Eisel–Lemire assumes). */
static int64_t floor_log2_pow10(int64_t q) { return floor_div(217706 * q, 65536); }

/* Bits [pos, pos+128) of the little-endian big integer x (bits below 0 read as 0). */
static void big_bits128(const uint32_t *x, int64_t pos, uint64_t *hi, uint64_t *lo)
{
    uint64_t w[2] = {0, 0};
    for (int b = 0; b < 128; b++) {
        int64_t src = pos + b;
        if (src < 0 || src >= BIG_BITS) continue;
        if ((x[src / 32] >> (src % 32)) & 1u) w[b / 64] |= (uint64_t)1 << (b % 64);
    }
    *hi = w[1];
    *lo = w[0];
}

/* Fills the table: entry q holds floor(10^q * 2^(127 - floor(q log2 10))), a 128-bit number
 * with its top bit set.  Positive q from the exact 10^q; negative q from floor(2^BIG_BITS-1 /
 * 10^-q), using floor(floor(a / 10) / 10) = floor(a / 100). */
static void init_tables(void)
{
    uint32_t big[BIG_LIMBS];
    int ok = 1;

    memset(big, 0, sizeof big);
    big[0] = 1;
    for (int64_t q = 0; q <= POW10_MAX && ok; q++) {
        if (q > 0) {
            uint64_t carry = 0;
            for (int i = 0; i < BIG_LIMBS; i++) {
                uint64_t v = (uint64_t)big[i] * 10 + carry;
                big[i] = (uint32_t)v;
                carry = v >> 32;
            }
            ok = carry == 0;
        }
        big_bits128(big, floor_log2_pow10(q) - 127, &pow10_hi[q - POW10_MIN],
                    &pow10_lo[q - POW10_MIN]);
    }

    memset(big, 0, sizeof big);
    big[BIG_LIMBS - 1] = 1u << 31; /* 2^(BIG_BITS-1) */
    for (int64_t n = 1; n <= -POW10_MIN && ok; n++) {
        uint64_t rem = 0;
        for (int i = BIG_LIMBS - 1; i >= 0; i--) {
            uint64_t v = (rem << 32) | big[i];
            big[i] = (uint32_t)(v / 10);
            rem = v % 10;
        }
        /* big = floor(2^(BIG_BITS-1) / 10^n); keep bits from 2^(127 - f) on. */
        int64_t pos = (BIG_BITS - 1) - (127 - floor_log2_pow10(-n));
        ok = pos >= 0;
        big_bits128(big, pos, &pow10_hi[-n - POW10_MIN], &pow10_lo[-n - POW10_MIN]);
    }
    for (int i = 0; i < POW10_COUNT && ok; i++) ok = (pow10_hi[i] >> 63) == 1;
    pow10_ready = ok;
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    __atomic_store_n(&tables_done, 1, __ATOMIC_RELEASE);
}

/* Eisel–Lemire: w != 0, q in the table's range.  Returns 0 when it cannot decide. */
static int eisel_lemire(uint64_t w, int64_t q, int neg, double *out)
{
    const int i = (int)(q - POW10_MIN);
    const int clz = __builtin_clzll(w);
    w <<= clz;
    /* Unsigned: a result below the normal range wraps and fails the range check below. */
    uint64_t e2 = (uint64_t)(floor_log2_pow10(q) + 64 + 1023) - (uint64_t)clz;

    unsigned __int128 x = (unsigned __int128)w * pow10_hi[i];
    uint64_t xhi = (uint64_t)(x >> 64), xlo = (uint64_t)x;
    /* Only when the 9 bits below the 54 kept are all ones can the truncated table entry (and the
     * truncated product) hide a carry into them: then widen to the 192-bit product. */
    if ((xhi & 0x1FF) == 0x1FF && xlo + w < w) {
        unsigned __int128 y = (unsigned __int128)w * pow10_lo[i];
        uint64_t yhi = (uint64_t)(y >> 64), ylo = (uint64_t)y;
        uint64_t mlo = xlo + yhi, mhi = xhi + (mlo < xlo);
        if ((mhi & 0x1FF) == 0x1FF && mlo + 1 == 0 && ylo + w < w) return 0;
        xhi = mhi;
        xlo = mlo;
    }
    const uint64_t msb = xhi >> 63;
    uint64_t m = xhi >> (msb + 9); /* 54 bits: 53 plus the rounding bit */
    e2 -= 1 ^ msb;
    /* An exact product sitting on a halfway point: ties-to-even needs more than these bits. */
    if (xlo == 0 && (xhi & 0x1FF) == 0 && (m & 3) == 1) return 0;
    m += m & 1;
    m >>= 1;
    if (m >> 53) {
        m >>= 1;
        e2++;
    }
    if (e2 - 1 >= 0x7FF - 1) return 0; /* subnormal, zero or overflow: leave it to strtod */
    uint64_t bits = (e2 << 52) | (m & (((uint64_t)1 << 52) - 1)) | ((uint64_t)neg << 63);
    memcpy(out, &bits, sizeof bits);
    return 1;
}

/* Exact fallback on a NUL-terminated copy of s[0..len) with a Fortran 'D' exponent made 'e'. */
static int parse_slow(const char *s, size_t len, double *out)
{
    char small[128], *buf = small;
    if (len >= sizeof small) {
        buf = xhi_malloc(len + 1);
        if (!buf) return -2;
    }
    for (size_t k = 0; k < len; k++) buf[k] = (s[k] == 'd' || s[k] == 'D') ? 'e' : s[k];
    buf[len] = '\0';
    *out = c_locale ? strtod_l(buf, NULL, c_locale) : strtod(buf, NULL);
    if (buf != small) xhi_free(buf);
    return 0;
}

/* inf, infinity, nan (any case) after an optional sign; 0 when none of them is at p. */
static size_t special_word(const char *p)
{
    if (strncasecmp(p, "infinity", 8) == 0) return 8;
    if (strncasecmp(p, "inf", 3) == 0 || strncasecmp(p, "nan", 3) == 0) return 3;
    return 0;
}

static inline int is_digit(char c) { return (unsigned)(c - '0') < 10u; }

/* w * 10^n + the n digits at s; four digits per multiply keeps the dependency chain short. */
static inline uint64_t append_digits(uint64_t w, const char *s, int64_t n)
{
    int64_t k = 0;
    for (; k + 4 <= n; k += 4)
        w = w * 10000 + (uint64_t)((s[k] - '0') * 1000 + (s[k + 1] - '0') * 100 +
                                   (s[k + 2] - '0') * 10 + (s[k + 3] - '0'));
    for (; k < n; k++) w = w * 10 + (uint64_t)(s[k] - '0');
    return w;
}

static int any_nonzero(const char *s, int64_t n)
{
    for (int64_t k = 0; k < n; k++)
        if (s[k] != '0') return 1;
    return 0;
}

/* More than 19 digits: w from the first 19 significant ones (leading zeros skipped), the weight
 * 10^*q of its last digit, and whether a nonzero digit was cut off.  Integer digits ip[0..ni),
 * fraction digits fp[0..nf). */
static uint64_t significant_digits(const char *ip, int64_t ni, const char *fp, int64_t nf,
                                   int64_t *q, int *truncated)
{
    int64_t fz = 0;
    while (ni > 0 && *ip == '0') ip++, ni--;
    if (ni == 0)
        while (fz < nf && fp[fz] == '0') fz++;
    fp += fz;
    nf -= fz;
    const int64_t ti = ni < 19 ? ni : 19, tf = nf < 19 - ti ? nf : 19 - ti;
    *q = ni - ti - tf - fz;
    *truncated = any_nonzero(ip + ti, ni - ti) || any_nonzero(fp + tf, nf - tf);
    return append_digits(append_digits(0, ip, ti), fp, tf);
}

/* Accumulates the digits at p into *w (wrapping past 19 digits); returns the first non-digit.
 * Four digits per multiply when there are four: a byte is read only after the one before it
 * was a digit, so this never reads past the string's terminator. */
static inline const char *scan_digits(const char *p, uint64_t *w)
{
    uint64_t x = *w;
    while (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3])) {
        x = x * 10000 +
            (uint64_t)((p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0'));
        p += 4;
    }
    for (; is_digit(*p); p++) x = x * 10 + (uint64_t)(*p - '0');
    *w = x;
    return p;
}

int xhi_parse_double(const char *s, const char **end, double *out)
{
    const char *p = s, *ip, *fp;
    uint64_t w = 0;
    int64_t q, ni, nf = 0;
    int neg = 0, truncated = 0;
    double d;

    if (end) *end = s;
    if (!s || !out) return -1;
    if (!__atomic_load_n(&tables_done, __ATOMIC_ACQUIRE)) pthread_once(&init_once, init_tables);

    if (*p == '+' || *p == '-') neg = *p++ == '-';
    /* The common case in one pass: all digits, leading zeros included, into w (which wraps when
     * there are more than 19; such numbers are redone by significant_digits). */
    ip = p;
    p = scan_digits(p, &w);
    ni = p - ip;
    fp = p;
    if (*p == '.') {
        fp = ++p;
        p = scan_digits(p, &w);
        nf = p - fp;
    }
    const int any = ni + nf > 0;
    q = -nf;
    if (ni + nf > 19) w = significant_digits(ip, ni, fp, nf, &q, &truncated);
    if (!any) {
        size_t n = special_word(ip);
        if (n == 0) return -1; /* also "." and "-" alone */
        d = (*ip == 'n' || *ip == 'N') ? (double)NAN : (double)INFINITY;
        *out = neg ? -d : d;
        if (end) *end = ip + n;
        return 0;
    }
    if (*p == 'e' || *p == 'E' || *p == 'd' || *p == 'D') {
        const char *e = p + 1;
        int eneg = 0;
        int64_t x = 0;
        if (*e == '+' || *e == '-') eneg = *e++ == '-';
        if (is_digit(*e)) {
            /* Saturating: beyond 1e15 the value is 0 or inf anyway, and q cannot overflow. */
            for (; is_digit(*e); e++)
                if (x < 1000000000000000LL) x = x * 10 + (*e - '0');
            q += eneg ? -x : x;
            p = e;
        }
    }
    if (end) *end = p;

    if (w == 0) {
        *out = neg ? -0.0 : 0.0;
        return 0;
    }
    if (!truncated && w <= ((uint64_t)1 << 53) && q >= -22 && q <= 22) {
        d = (double)w;
        d = q < 0 ? d / exact_pow10[-q] : d * exact_pow10[q];
        *out = neg ? -d : d;
        return 0;
    }
    if (pow10_ready && q >= POW10_MIN && q <= POW10_MAX) {
        if (!truncated && eisel_lemire(w, q, neg, out)) return 0;
        if (truncated) {
            /* The true value lies between w and w+1 (times 10^q): if both round alike, it does. */
            double lo, hi;
            if (eisel_lemire(w, q, neg, &lo) && eisel_lemire(w + 1, q, neg, &hi) &&
                memcmp(&lo, &hi, sizeof lo) == 0) {
                *out = lo;
                return 0;
            }
        }
    }
    return parse_slow(s, (size_t)(p - s), out);
}
