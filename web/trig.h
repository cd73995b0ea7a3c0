// The browser build's sinf, cosf, powf and logf (web/trig.cpp): smaller than the C library's.
#pragma once

// As std::sin and std::cos of a float, to within 1 ulp for |x| below 2^28 (ImGui's angles are
// below 4 pi); beyond that the argument reduction loses digits (the result stays finite).
float gs_sinf(float x);
float gs_cosf(float x);

// As std::pow and std::log of floats: the double functions, rounded to float (within 1 ulp).
float gs_powf(float x, float y);
float gs_logf(float x);
