// sinf and cosf for the browser build. ImGui calls them for its arcs and circles, always with
// angles of a few radians; the C library's handle any float, exactly, with a 1.8 KB argument
// reduction (__rem_pio2f) for huge ones that those angles never need. These reduce in double
// precision by the nearest multiple of pi/2 (musl's own reduction for |x| below 2^28) and
// evaluate musl's kernels (__sindf, __cosdf: minimax polynomials on [-pi/4, pi/4], accurate to
// float precision), 2 KB less in all. Beyond 2^28 the reduction loses digits: ImGui never goes there.
#include "web/trig.h"

#include <algorithm>
#include <cmath>

namespace {

double sin_kernel(double x) {  // |x| <= pi/4 (musl's __sindf)
  const double z = x * x, w = z * z;
  const double r = 0x16cd878c3b46a7.0p-71 * z - 0x1a00f9e2cae774.0p-65;
  return (x + x * z * (-0x15555554cbac77.0p-55 + 0x111110896efbb2.0p-59 * z)) + x * z * w * r;
}

double cos_kernel(double x) {  // |x| <= pi/4 (musl's __cosdf)
  const double z = x * x, w = z * z;
  const double r = -0x16c087e80f1e27.0p-62 + 0x199342e0ee5069.0p-68 * z;
  return ((1.0 + z * -0x1ffffffd0c5e81.0p-54) + w * 0x155553e1053a42.0p-57) + (w * z) * r;
}

// sin (cos: quadrant + 1) of x: y = x - k pi/2 with |y| <= pi/4, and the kernel of quadrant k.
float sin_in_quadrant(float x, int shift) {
  if (!std::isfinite(x)) return x - x;  // nan
  if (x == 0) return shift ? 1.f : x;  // sin(-0) is -0
  const double k = std::nearbyint(double(x) * 0x1.45f306dc9c883p-1);  // x * 2/pi
  double y = (double(x) - k * 0x1.921fb5p+0) - k * 0x1.110b4611a6263p-26;  // pi/2 in two parts
  y = std::clamp(y, -0.7854, 0.7854);  // (beyond 2^28 the reduction misses: still a value in [-1, 1])
  const int quadrant = int(k - 4 * std::floor(k * 0.25));  // k mod 4, for any k (no overflow)
  switch ((quadrant + shift) & 3) {
    case 0: return float(sin_kernel(y));
    case 1: return float(cos_kernel(y));
    case 2: return float(-sin_kernel(y));
    default: return float(-cos_kernel(y));
  }
}

}  // namespace

float gs_sinf(float x) { return sin_in_quadrant(x, 0); }
float gs_cosf(float x) { return sin_in_quadrant(x, 1); }

// ImGui's logarithmic slider (the learning rate) calls powf and logf; the ops link pow and
// log for doubles anyway, so those serve, without the float versions' code and tables.
float gs_powf(float x, float y) { return float(std::pow(double(x), double(y))); }
float gs_logf(float x) { return float(std::log(double(x))); }

#ifdef __EMSCRIPTEN__
// The browser build links with --wrap for each: ImGui's calls come here.
extern "C" float __wrap_sinf(float x) { return gs_sinf(x); }
extern "C" float __wrap_cosf(float x) { return gs_cosf(x); }
extern "C" float __wrap_powf(float x, float y) { return gs_powf(x, y); }
extern "C" float __wrap_logf(float x) { return gs_logf(x); }
#endif
