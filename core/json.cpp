// JSON writing (shortest round-trip numbers in nlohmann/json's layout) and reading (an
// explicit stack of open arrays and objects instead of recursion).
//
// Contents: UTF-8 and string escapes | JsonWriter | JsonValue | parse_json()
#include "json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "matrix.h"

namespace gs {
namespace {

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | cp >> 6);
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | cp >> 12);
    out += char(0x80 | (cp >> 6 & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | cp >> 18);
    out += char(0x80 | (cp >> 12 & 0x3F));
    out += char(0x80 | (cp >> 6 & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    auto c = (unsigned char)s[i];
    if (c >= 0x80) {
      size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for each byte that is not UTF-8
        ++i;
      } else {
        out += s.substr(i, n);
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out += escape;
        } else {
          out += char(c);
        }
    }
  }
  out += '"';
}

}  // namespace

// --- JsonWriter ------------------------------------------------------------------------------

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::string out = std::signbit(v) ? "-" : "";
  v = std::fabs(v);
  if (v == 0) return out + "0.0";
  char buf[32];
  const int precision = round_trip_digits(v);
  std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);  // "d.ddde+XX"
  std::string digits;
  const char* p = buf;
  for (; *p != 'e'; ++p)
    if (*p >= '0' && *p <= '9') digits += *p;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = int(digits.size());
  const int n = std::atoi(p + 1) + 1;  // v = 0.digits * 10^n
  // nlohmann/json's layout: plain decimals from 1e-4 up to below 1e15 (a whole number ends in
  // ".0" so it reads back as a double), scientific with a two-digit exponent outside that.
  if (k <= n && n <= 15) return out + digits + std::string(size_t(n - k), '0') + ".0";
  if (0 < n && n <= 15) return out + digits.substr(0, size_t(n)) + "." + digits.substr(size_t(n));
  if (-4 < n && n <= 0) return out + "0." + std::string(size_t(-n), '0') + digits;
  out += digits[0];
  if (k > 1) out += "." + digits.substr(1);
  const int e = n - 1;
  out += e < 0 ? "e-" : "e+";
  if (std::abs(e) < 10) out += '0';
  return out + std::to_string(std::abs(e));
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (empty_.empty()) return;  // the top-level value
  if (!empty_.back()) out_ += ',';
  empty_.back() = false;
  if (indent_ >= 0) {
    out_ += '\n';
    out_.append(empty_.size() * size_t(indent_), ' ');
  }
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  empty_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  const bool was_empty = empty_.back();
  empty_.pop_back();
  if (indent_ >= 0 && !was_empty) {  // an empty one stays "[]" or "{}", as in nlohmann/json
    out_ += '\n';
    out_.append(empty_.size() * size_t(indent_), ' ');
  }
  out_ += bracket;
  return *this;
}

JsonWriter& JsonWriter::begin_object() { return open('{'); }
JsonWriter& JsonWriter::end_object() { return close('}'); }
JsonWriter& JsonWriter::begin_array() { return open('['); }
JsonWriter& JsonWriter::end_array() { return close(']'); }

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_string(out_, name);
  out_ += indent_ >= 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view s) {
  before_value();
  append_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::number(double v) {
  before_value();
  out_ += json_number(v);
  return *this;
}

JsonWriter& JsonWriter::integer(long long v) {
  before_value();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

// --- JsonValue -------------------------------------------------------------------------------

void JsonValue::move_children_to(std::vector<JsonValue>& pending) {
  if (auto* array = std::get_if<Array>(&v_)) {
    for (JsonValue& v : *array) pending.push_back(std::move(v));
    array->clear();
  } else if (auto* object = std::get_if<Object>(&v_)) {
    for (auto& member : *object) pending.push_back(std::move(member.second));
    object->clear();
  }
}

JsonValue::~JsonValue() {
  auto* array = std::get_if<Array>(&v_);
  auto* object = std::get_if<Object>(&v_);
  if (!(array && !array->empty()) && !(object && !object->empty())) return;
  // Destroying [[[[...]]]] member by member would nest one call per level: flatten instead.
  std::vector<JsonValue> pending;
  move_children_to(pending);
  while (!pending.empty()) {
    JsonValue last = std::move(pending.back());
    pending.pop_back();
    last.move_children_to(pending);
  }  // `last` is empty by now: its own destructor returns at once
}

const JsonValue* JsonValue::find(std::string_view key) const {
  const auto* object = std::get_if<Object>(&v_);
  if (!object) return nullptr;
  for (auto it = object->rbegin(); it != object->rend(); ++it)
    if (it->first == key) return &it->second;
  return nullptr;
}

// --- parse_json() ----------------------------------------------------------------------------

namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}
  Result<JsonValue> run();

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  void skip_whitespace() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++pos_;
  }
  bool fail(const std::string& message);
  bool expected(const char* what);  // "expected <what>, found <what is at pos_>"
  bool scalar(JsonValue& out);
  bool number(JsonValue& out);
  bool string(std::string& out);
  bool hex4(unsigned& code);
  bool key(JsonValue::Object& members);

  std::string_view text_;
  size_t pos_ = 0;
  Error error_;
};

bool JsonParser::fail(const std::string& message) {
  error_.message = message;
  error_.line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos_; ++i)
    if (text_[i] == '\n') {
      ++error_.line;
      line_start = i + 1;
    }
  error_.column = int(pos_ - line_start) + 1;
  return false;
}

bool JsonParser::expected(const char* what) {
  std::string found;
  if (pos_ >= text_.size()) {
    found = "the end of the text";
  } else if (auto c = (unsigned char)text_[pos_]; c > 0x20 && c < 0x7F) {
    found = std::string("'") + char(c) + "'";
  } else {
    char byte[16];
    std::snprintf(byte, sizeof byte, "byte 0x%02X", c);
    found = byte;
  }
  return fail(std::string("expected ") + what + ", found " + found);
}

Result<JsonValue> JsonParser::run() {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a byte order mark, skipped as nlohmann/json does
  std::vector<JsonValue> open;  // the arrays and objects not closed yet, innermost last
  for (;;) {
    skip_whitespace();
    JsonValue done;
    const char c = peek();
    if (c == '[' || c == '{') {
      ++pos_;
      skip_whitespace();
      JsonValue container = c == '[' ? JsonValue(JsonValue::Array()) : JsonValue(JsonValue::Object());
      if (peek() != (c == '[' ? ']' : '}')) {
        open.push_back(std::move(container));
        if (c == '{' && !key(open.back().as_object())) return error_;
        continue;  // on to its first element
      }
      ++pos_;
      done = std::move(container);
    } else if (!scalar(done)) {
      return error_;
    }
    // `done` is complete: it goes into the innermost open container, which may end here too.
    for (;;) {
      if (open.empty()) {
        skip_whitespace();
        if (pos_ < text_.size()) {
          expected("the end of the text after the value");
          return error_;
        }
        return Result<JsonValue>(std::move(done));
      }
      JsonValue& top = open.back();
      if (top.is_array()) top.as_array().push_back(std::move(done));
      else top.as_object().back().second = std::move(done);
      skip_whitespace();
      if (peek() == ',') {
        ++pos_;
        if (top.is_object() && !key(top.as_object())) return error_;
        break;  // on to the next element
      }
      if (peek() != (top.is_array() ? ']' : '}')) {
        expected(top.is_array() ? "',' or ']'" : "',' or '}'");
        return error_;
      }
      ++pos_;
      done = std::move(top);
      open.pop_back();
    }
  }
}

bool JsonParser::key(JsonValue::Object& members) {
  skip_whitespace();
  if (peek() != '"') return expected("a key in double quotes");
  std::string name;
  if (!string(name)) return false;
  skip_whitespace();
  if (peek() != ':') return expected("':' after the key");
  ++pos_;
  members.emplace_back(std::move(name), JsonValue());
  return true;
}

bool JsonParser::scalar(JsonValue& out) {
  const char c = peek();
  if (c == '"') {
    std::string s;
    if (!string(s)) return false;
    out = JsonValue(std::move(s));
    return true;
  }
  if (c == '-' || is_digit(c)) return number(out);
  for (const char* word : {"true", "false", "null"}) {
    std::string_view w(word);
    if (text_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      out = w == "null" ? JsonValue() : JsonValue(w == "true");
      return true;
    }
  }
  return expected("a value");
}

bool JsonParser::number(JsonValue& out) {
  const size_t start = pos_;
  auto digits = [&] {
    const size_t first = pos_;
    while (is_digit(peek())) ++pos_;
    return pos_ > first;
  };
  bool integer = true;
  if (peek() == '-') ++pos_;
  if (peek() == '0') ++pos_;  // no leading zeros: "01" is 0 followed by a stray 1
  else if (!digits()) return expected("a digit");
  if (peek() == '.') {
    ++pos_;
    integer = false;
    if (!digits()) return expected("a digit after the decimal point");
  }
  if (peek() == 'e' || peek() == 'E') {
    ++pos_;
    integer = false;
    if (peek() == '+' || peek() == '-') ++pos_;
    if (!digits()) return expected("a digit in the exponent");
  }
  const std::string token(text_.substr(start, pos_ - start));
  const double v = std::strtod(token.c_str(), nullptr);
  if (!std::isfinite(v)) {
    pos_ = start;
    return fail("the number is too large for a double");
  }
  out = JsonValue(integer && v == 0 ? 0.0 : v);  // nlohmann/json reads an integer -0 as 0
  return true;
}

bool JsonParser::hex4(unsigned& code) {
  code = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = peek();
    const int d = is_digit(c)              ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return expected("4 hex digits after \\u");
    code = code * 16 + unsigned(d);
    ++pos_;
  }
  return true;
}

bool JsonParser::string(std::string& out) {
  ++pos_;  // the opening quote
  for (;;) {
    if (pos_ >= text_.size()) return expected("'\"' to close the string");
    const auto c = (unsigned char)text_[pos_];
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c < 0x20) return fail("control character in a string: write it as an escape such as \\n or \\u001f");
    if (c >= 0x80) {
      const size_t n = utf8_length(text_, pos_);
      if (n == 0) return fail("invalid UTF-8 in a string");
      out += text_.substr(pos_, n);
      pos_ += n;
      continue;
    }
    ++pos_;
    if (c != '\\') {
      out += char(c);
      continue;
    }
    const size_t escape = pos_ - 1;
    const char e = peek();
    ++pos_;
    switch (e) {
      case '"': case '\\': case '/': out += e; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned code = 0;
        if (!hex4(code)) return false;
        if (code >= 0xD800 && code <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
          // The first half of a surrogate pair: the second half must follow.
          const size_t second = pos_;
          pos_ += 2;
          unsigned low = 0;
          if (!hex4(low)) return false;
          if (low >= 0xDC00 && low <= 0xDFFF) code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          else pos_ = second;  // `code` stays unpaired: the error below
        }
        if (code >= 0xD800 && code <= 0xDFFF) {
          pos_ = escape;
          return fail("unpaired surrogate in a string: \\uD800-\\uDBFF must be followed by \\uDC00-\\uDFFF");
        }
        append_utf8(out, code);
        break;
      }
      default:
        pos_ = escape + 1;
        return expected("one of \" \\ / b f n r t u after a backslash");
    }
  }
}

}  // namespace

Result<JsonValue> parse_json(std::string_view text) { return JsonParser(text).run(); }

}  // namespace gs
