// web/strtod.h: the browser build's strtod against the C library's (glibc's, correctly rounded)
// on edge cases and on many generated strings: the same double, bit for bit, and the same end.
//
// Contents: edge cases | random decimals | printed doubles | halfway cases | long mantissas
#include <doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "web/strtod.h"

namespace {

// Same value bit for bit (any NaN matches any NaN: musl reads "-nan" as +nan, glibc as -nan) and
// the same number of characters read.
void same_as_libc(const std::string& s) {
  CAPTURE(s);
  char *libc_end, *our_end;
  const double libc = std::strtod(s.c_str(), &libc_end), ours = gs_strtod(s.c_str(), &our_end);
  if (std::isnan(libc)) CHECK(std::isnan(ours));
  else CHECK(std::memcmp(&libc, &ours, sizeof libc) == 0);
  CHECK(our_end - s.c_str() == libc_end - s.c_str());
}

std::string digits(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += char('0' + rng() % 10);
  return s;
}

double random_double(std::mt19937_64& rng) {
  uint64_t bits = rng() >> 1;
  if (rng() % 4 == 0) bits >>= rng() % 64;  // small and denormal numbers too
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return std::isfinite(v) ? v : 1.5;
}

}  // namespace

TEST_CASE("strtod: the same doubles and ends as the C library") {
  std::mt19937_64 rng(20261201);

  SUBCASE("edge cases") {
    const char* cases[] = {"", " ", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1.e5", ".5", "5.",
      "0", "-0", "+0", "-0.0e10", "0.000", "00000000000000000000000001.5", "1.5.5", "1..5", "12e-3x", " \t\n\v\f\r1.5",
      "0x", "0X", "0x.", "0x.p1", "0x1p", "0x1p+", "0x1P-2", "0x1.8p3", "-0x1.fffffffffffff8p1023",
      "0x1.fffffffffffff7p1023", "0x1p1024", "0x1p-1074", "0x1p-1075", "0x1.0000000000001p-1075", "0x1.8p-1075",
      "0x1p-1076", "0x0.0000000000001p-1022", "0x1.ffffffffffffffp-1023", "0xffffffffffffffffffffp0", "0x.8", "0xg",
      "0x1g", "0x1.00000000000008p0", "0x1.00000000000008000000001p0", "0x1.00000000000018p0",
      "inf", "INF", "-inf", "infinity", "-Infinity", "infinit", "infx", "in", "nan", "NaN", "-nan", "nan(",
      "nan()", "nan(abc_12)", "nan(a b)", "nanx",
      "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.7976931348623158079e308",
      "1e308", "1e309", "-1e400", "1e999999999999", "1e-999999999999", "1e-400", "-1e-400",
      "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
      "2.2250738585072011e-308", "2.2250738585072012e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
      "9007199254740992", "9007199254740993", "9007199254740993.0000000001", "18014398509481985",
      "123456789012345678901234567890", "1e22", "1e23", "0.1", "0.3", "6.8813735870195432", "1e-5",
      "1.00000000000000011102230246251565404236316680908203125",  // halfway between 1 and the next double
      "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126"};
    for (const char* s : cases) same_as_libc(s);
  }
  SUBCASE("random decimals") {
    for (int i = 0; i < 20000; ++i) {
      std::string s = rng() % 4 == 0 ? "-" : "";
      s += digits(rng, int(rng() % 22));
      if (rng() % 2) s += "." + digits(rng, int(rng() % 22));
      if (rng() % 2) s += (rng() % 2 ? "e" : "E") + std::string(rng() % 3 == 0 ? "-" : "+") + std::to_string(rng() % 360);
      same_as_libc(s);
    }
  }
  SUBCASE("printed doubles") {
    const char* formats[] = {"%.17g", "%.16g", "%.15g", "%a", "%.20e", "%.3e", "%.25g"};
    for (int i = 0; i < 20000; ++i) {
      char buf[64];
      std::snprintf(buf, sizeof buf, formats[i % 7], random_double(rng));
      same_as_libc(buf);
    }
  }
  SUBCASE("halfway between two doubles, and just below and above") {
    // x86's long double has 64 mantissa bits: the midpoint of two doubles is exact, and glibc prints
    // it exactly (up to 767 significant digits for the smallest).
    for (int i = 0; i < 3000; ++i) {
      const double v = random_double(rng);
      const long double mid = ((long double)v + (long double)std::nextafter(v, INFINITY)) / 2;
      static char buf[1200];
      std::snprintf(buf, sizeof buf, "%.1100Le", mid);
      std::string text = buf;
      const size_t e = text.find('e');
      std::string mantissa = text.substr(0, e);
      while (mantissa.back() == '0') mantissa.pop_back();
      same_as_libc(mantissa + text.substr(e));
      same_as_libc(mantissa.substr(0, mantissa.size() - 1) + text.substr(e));
      same_as_libc(mantissa + "0000001" + text.substr(e));
    }
  }
  SUBCASE("mantissas longer than the 800 digits kept") {
    for (int i = 0; i < 300; ++i)
      same_as_libc(digits(rng, 1 + int(rng() % 900)) + "." + digits(rng, int(rng() % 50)) + "e" +
                   std::to_string(int(rng() % 700) - 350));
  }
}
