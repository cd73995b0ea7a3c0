// libFuzzer target for the two matrix readers: parse_matrix (--set values, the UI's text
// fields) and matrix_from_json (the JS API's set()). Whatever either accepts is a non-empty,
// finite matrix within the limits that reads back bit for bit from its own formatting; when
// both accept the same text they agree.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "check.h"
#include "core/compile.h"
#include "core/limits.h"
#include "core/serialize.h"

using namespace gs;
using gs::fuzz::identical;

namespace {

void check_matrix(const Matrix& m, const char* reader) {
  FUZZ_CHECK(m.rows() >= 1 && m.cols() >= 1, "%s: empty (%ld, %ld)", reader, long(m.rows()), long(m.cols()));
  FUZZ_CHECK(m.rows() <= kMaxDim && m.cols() <= kMaxDim && m.size() <= kMaxElements, "%s: too large", reader);
  FUZZ_CHECK(m.allFinite(), "%s: accepted a non-finite entry", reader);
}

std::string as_json(const Matrix& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(row);
  }
  return rows.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  auto literal = parse_matrix(text);
  if (literal) {
    const Matrix& m = literal.value();
    check_matrix(m, "parse_matrix");
    auto again = parse_matrix(format_matrix(m));
    FUZZ_CHECK(again.ok() && identical(again.value(), m), "parse_matrix(format_matrix(m)) != m for %s",
               format_matrix(m).c_str());
    if (m.size() == 1) {
      auto number = parse_matrix(format_number(m(0, 0)));
      FUZZ_CHECK(number.ok() && identical(number.value(), m), "the number %s does not read back",
                 format_number(m(0, 0)).c_str());
    }
  } else {
    FUZZ_CHECK(!literal.error().message.empty(), "empty message");
    const std::string told = literal.error().format("--set x");  // "--set x[:LINE:COL]: error: ..."
    FUZZ_CHECK(told.rfind("--set x", 0) == 0 && told.find(": error: ") != std::string::npos,
               "the error does not name where it is: %s", told.c_str());
  }

  auto json = matrix_from_json(text);
  if (json) {
    const Matrix& m = json.value();
    check_matrix(m, "matrix_from_json");
    auto again = matrix_from_json(as_json(m));
    // JSON has one zero: -0 may come back as 0, so compare values here, not bits.
    FUZZ_CHECK(again.ok() && again.value() == m, "matrix_from_json does not read back %s", as_json(m).c_str());
    if (literal) FUZZ_CHECK(literal.value() == m, "parse_matrix and matrix_from_json disagree on the same text");
  } else {
    FUZZ_CHECK(!json.error().message.empty(), "empty message");
  }
  return 0;
}
