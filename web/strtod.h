// The browser build's strtod (web/strtod.cpp): the same doubles as the C library's, smaller.
#pragma once

// As std::strtod: reads a number after any blanks; `end` (if not null) gets where it stopped.
double gs_strtod(const char* s, char** end);
