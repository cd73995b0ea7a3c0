// A native stand-in for <emscripten.h>, so fuzz_api can build web/api.cpp unchanged: the
// exported functions are plain C functions, and calls into the page's JavaScript do nothing.
#pragma once

#define EMSCRIPTEN_KEEPALIVE
#define EM_ASM(...) ((void)0)
