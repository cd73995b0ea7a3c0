// doctest main: the only code here; test_<module>.cpp files hold the tests.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest.h>
