// strtod for the browser build: the C library's reads decimals through 128-bit long double
// arithmetic done in software (about 13 KB of WebAssembly); this one gives the same doubles
// (correctly rounded, as the C library's) and the same end pointers in about 2 KB.
//
// A decimal with at most 19 significant digits and a small power of ten is one exact product
// or quotient of two doubles (Clinger's fast path). Any other is converted exactly: its digits
// are shifted by powers of two, in decimal, until they are the 53-bit mantissa (the algorithm
// of Go's strconv, decimal.go). Hexadecimal ("0x1.8p3"), "inf", "infinity" and "nan(...)" are
// read as the C library (musl) reads them.
#include "web/strtod.h"

#include <cstdint>
#include <cstring>

namespace {

// A decimal number 0.d[0]d[1]...d[nd-1] x 10^dp, digits 0-9 with no trailing zeros; `trunc`
// says nonzero digits beyond kMaxDigits were dropped (they still decide a tie).
struct Decimal {
  static constexpr int kMaxDigits = 800;
  uint8_t d[kMaxDigits + 32];  // room for the digits a left shift adds before truncation
  int nd = 0;
  int dp = 0;
  bool trunc = false;
};

constexpr unsigned kMaxShift = 60;  // n * 10 + 9 fits 64 bits while n < 10 * 2^60

void trim(Decimal& a) {
  while (a.nd > 0 && a.d[a.nd - 1] == 0) --a.nd;
  if (a.nd == 0) a.dp = 0;
}

void right_shift(Decimal& a, unsigned k) {  // a /= 2^k, k <= kMaxShift
  int r = 0, w = 0;
  uint64_t n = 0;
  for (; n >> k == 0; ++r) {  // the first digits whose value reaches 2^k
    if (r >= a.nd) {
      if (n == 0) {
        a.nd = 0;
        return;
      }
      while (n >> k == 0) n *= 10, ++r;
      break;
    }
    n = n * 10 + a.d[r];
  }
  a.dp -= r - 1;
  const uint64_t mask = (uint64_t(1) << k) - 1;
  for (; r < a.nd; ++r) {
    const uint64_t c = a.d[r];
    a.d[w++] = uint8_t(n >> k);
    n = (n & mask) * 10 + c;
  }
  for (; n > 0; n = (n & mask) * 10) {
    if (w < Decimal::kMaxDigits) a.d[w++] = uint8_t(n >> k);
    else if (n >> k) a.trunc = true;
  }
  a.nd = w;
  trim(a);
}

void left_shift(Decimal& a, unsigned k) {  // a *= 2^k, k <= kMaxShift
  // Written from the last digit up, `room` places further on: k * log10(2) + 1 new digits at most.
  const int room = int(k * 77 / 256) + 2;
  int w = a.nd + room;
  uint64_t n = 0;
  for (int r = a.nd - 1; r >= 0; --r) {
    n += uint64_t(a.d[r]) << k;
    a.d[--w] = uint8_t(n % 10);
    n /= 10;
  }
  for (; n > 0; n /= 10) a.d[--w] = uint8_t(n % 10);
  a.nd += room - w;
  a.dp += room - w;
  std::memmove(a.d, a.d + w, size_t(a.nd));
  if (a.nd > Decimal::kMaxDigits) {
    for (int i = Decimal::kMaxDigits; i < a.nd; ++i)
      if (a.d[i]) a.trunc = true;
    a.nd = Decimal::kMaxDigits;
  }
  trim(a);
}

void shift(Decimal& a, int k) {
  if (a.nd == 0) return;
  for (; k > int(kMaxShift); k -= kMaxShift) left_shift(a, kMaxShift);
  for (; k < -int(kMaxShift); k += kMaxShift) right_shift(a, kMaxShift);
  if (k > 0) left_shift(a, unsigned(k));
  if (k < 0) right_shift(a, unsigned(-k));
}

// The integer part of a, rounded half to even on all its digits.
uint64_t rounded_integer(const Decimal& a) {
  uint64_t n = 0;
  int i = 0;
  for (; i < a.dp && i < a.nd; ++i) n = n * 10 + a.d[i];
  for (; i < a.dp; ++i) n *= 10;
  if (a.dp >= 0 && a.dp < a.nd) {
    const bool half = a.d[a.dp] == 5 && a.dp + 1 == a.nd && !a.trunc;
    if (half ? n % 2 == 1 : a.d[a.dp] >= 5) ++n;
  }
  return n;
}

double from_bits(uint64_t bits) {
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// The double nearest a (a.dp within the double's range or far outside it), as IEEE bits.
uint64_t decimal_to_bits(Decimal& a) {
  constexpr int kBias = -1023, kMantBits = 52, kMaxExp = 2047;
  constexpr uint64_t kInf = uint64_t(kMaxExp) << kMantBits;
  if (a.nd == 0 || a.dp < -330) return 0;
  if (a.dp > 310) return kInf;
  // Scale by powers of two into [1/2, 1), counting them in exp; powers[n] * log2(10) < 2^n bits.
  static const uint8_t powers[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
  int exp = 0;
  while (a.dp > 0) {
    const int n = a.dp >= 9 ? 27 : powers[a.dp];
    shift(a, -n);
    exp += n;
  }
  while (a.dp < 0 || (a.dp == 0 && a.d[0] < 5)) {
    const int n = -a.dp >= 9 ? 27 : powers[-a.dp];
    shift(a, n);
    exp -= n;
  }
  --exp;  // a double's mantissa is in [1, 2)
  if (exp < kBias + 1) {  // a denormal: fewer mantissa bits
    const int n = kBias + 1 - exp;
    shift(a, -n);
    exp += n;
  }
  if (exp - kBias >= kMaxExp) return kInf;
  shift(a, 1 + kMantBits);
  uint64_t mant = rounded_integer(a);
  if (mant == uint64_t(2) << kMantBits) {  // rounded up to the next power of two
    mant >>= 1;
    if (++exp - kBias >= kMaxExp) return kInf;
  }
  if (!(mant & (uint64_t(1) << kMantBits))) exp = kBias;  // denormal
  return (mant & ((uint64_t(1) << kMantBits) - 1)) | uint64_t(exp - kBias) << kMantBits;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 32;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// "0x..." after the sign, p at the first hex digit or point; nullptr if there is no digit.
const char* read_hex(const char* p, uint64_t& bits) {
  uint64_t m = 0;   // the first 60 bits of the mantissa
  bool sticky = false;  // a nonzero bit beyond them
  long long exp = 0;  // value = m x 2^exp
  bool any = false, point = false;
  for (;; ++p) {
    if (*p == '.' && !point) {
      point = true;
      continue;
    }
    const int h = hex_digit(*p);
    if (h < 0) break;
    any = true;
    if (m >> 56 == 0) {
      m = m * 16 + unsigned(h);
      if (point) exp -= 4;
    } else {
      sticky |= h != 0;
      if (!point) exp += 4;
    }
  }
  if (!any) return nullptr;
  if ((*p | 32) == 'p') {
    const char* q = p + 1;
    const bool neg = *q == '-';
    if (*q == '+' || *q == '-') ++q;
    if (*q >= '0' && *q <= '9') {
      long long e = 0;
      for (; *q >= '0' && *q <= '9'; ++q)
        if (e < 100000) e = e * 10 + (*q - '0');
      exp += neg ? -e : e;
      p = q;
    }
  }
  bits = 0;
  if (m == 0) return p;
  // Normalize m to [2^59, 2^60): value = 1.xxx x 2^e2. Keep 53 bits (fewer for a denormal, none
  // below 2^-1074) and round half to even, the dropped bits and `sticky` deciding.
  while (m >> 59 == 0) m <<= 1, --exp;
  long long e2 = exp + 59;
  if (e2 > 1023) {
    bits = uint64_t(2047) << 52;
    return p;
  }
  const long long drop = e2 >= -1022 ? 7 : -1015 - e2;
  if (drop > 61) return p;  // below half the smallest denormal: 0
  uint64_t kept = m >> drop;
  const uint64_t rest = m & ((uint64_t(1) << drop) - 1), half = uint64_t(1) << (drop - 1);
  if (rest > half || (rest == half && (sticky || kept % 2 == 1))) ++kept;
  if (e2 < -1022) {
    bits = kept;  // a denormal (2^52 after rounding up: the smallest normal, as it should)
    return p;
  }
  if (kept >> 53) kept >>= 1, ++e2;
  bits = e2 > 1023 ? uint64_t(2047) << 52 : (kept & ((uint64_t(1) << 52) - 1)) | uint64_t(e2 + 1023) << 52;
  return p;
}

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool starts_with_word(const char* p, const char* word) {  // case-insensitive
  for (; *word; ++p, ++word)
    if ((*p | 32) != *word) return false;
  return true;
}

}  // namespace

double gs_strtod(const char* s, char** end) {
  const char* p = s;
  while (is_space(*p)) ++p;
  const bool neg = *p == '-';
  if (*p == '+' || *p == '-') ++p;
  const uint64_t sign = uint64_t(neg) << 63;
  auto done = [&](const char* stop, double v) {
    if (end) *end = const_cast<char*>(stop);
    return v;
  };

  if (starts_with_word(p, "inf"))
    return done(p + (starts_with_word(p, "infinity") ? 8 : 3), from_bits(sign | uint64_t(2047) << 52));
  if (starts_with_word(p, "nan")) {  // musl's NaN: positive whatever the sign
    const char* q = p + 3;
    if (*q == '(') {
      const char* r = q + 1;
      while ((*r >= '0' && *r <= '9') || ((*r | 32) >= 'a' && (*r | 32) <= 'z') || *r == '_') ++r;
      if (*r == ')') q = r + 1;
    }
    return done(q, from_bits(uint64_t(0x7ff8) << 48));
  }
  if (p[0] == '0' && (p[1] | 32) == 'x') {
    uint64_t bits;
    if (const char* q = read_hex(p + 2, bits)) return done(q, from_bits(sign | bits));
    return done(p + 1, from_bits(sign));  // "0x" alone reads as 0
  }

  Decimal a;
  uint64_t m = 0;  // the first 19 significant digits
  int digits = 0;  // significant digits read (capped)
  bool any = false, point = false;
  for (;; ++p) {
    if (*p == '.' && !point) {
      point = true;
      continue;
    }
    if (*p < '0' || *p > '9') break;
    any = true;
    const int c = *p - '0';
    if (c == 0 && a.nd == 0) {  // a leading zero
      if (point) --a.dp;
      continue;
    }
    if (!point) ++a.dp;
    if (a.nd < Decimal::kMaxDigits) a.d[a.nd++] = uint8_t(c);
    else if (c) a.trunc = true;
    if (digits < 20) ++digits;
    if (digits <= 19) m = m * 10 + unsigned(c);
  }
  if (!any) return done(s, 0);
  if ((*p | 32) == 'e') {
    const char* q = p + 1;
    const bool eneg = *q == '-';
    if (*q == '+' || *q == '-') ++q;
    if (*q >= '0' && *q <= '9') {
      int e = 0;
      for (; *q >= '0' && *q <= '9'; ++q)
        if (e < 100000000) e = e * 10 + (*q - '0');
      a.dp += eneg ? -e : e;
      p = q;
    }
  }
  if (a.nd == 0) return done(p, from_bits(sign));

  // Clinger's fast path: m exact, and m and 10^|e| exact doubles, so one rounding.
  const int e10 = a.dp - digits;
  if (digits <= 19 && m <= (uint64_t(1) << 53) && e10 >= -22 && e10 <= 22) {
    double pow10 = 1;
    for (int i = 0; i < (e10 < 0 ? -e10 : e10); ++i) pow10 *= 10;
    const double v = e10 < 0 ? double(m) / pow10 : double(m) * pow10;
    return done(p, neg ? -v : v);
  }
  trim(a);
  return done(p, from_bits(sign | decimal_to_bits(a)));
}

#ifdef __EMSCRIPTEN__
// The browser build links with --wrap=strtod: every call of the C library's strtod (atof's too)
// comes here. (A plain strtod would clash with the C library's, which libc++ pulls in for strtof.)
extern "C" double __wrap_strtod(const char* s, char** end) { return gs_strtod(s, end); }
#endif
