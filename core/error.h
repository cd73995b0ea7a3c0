// Errors as values: every user-facing failure carries a message and where it happened.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gs {

struct Error {
  std::string message;
  int line = 0;            // 1-based; 0 when the error has no place in the program text
  int column = 0;          // 1-based byte column
  std::string source_line; // the program line the error points at, without its newline

  // "prog.gs:3:5: error: unknown name 'q'\n    Z = q @ x\n        ^"; control characters in
  // every part are shown escaped (see shown_text), so a message never drives the terminal.
  std::string format(const std::string& file = "<program>") const;
  // The source line and a caret under the column, each line starting with `indent`:
  // "    Z = q @ x\n        ^" ("" when there is no line). The line is shown_text(source_line)
  // and the caret counts an escaped character as the width it is shown with.
  std::string excerpt(const std::string& indent = "    ") const;
};

// `text` as safe to print: control characters (C0 other than tab, DEL, C1) and bytes that are
// not UTF-8 become \xNN (C1 code points \u0080..\u009F), everything else is kept.
// "a\x1b]0;x\x07" -> "a\\x1B]0;x\\x07".
std::string shown_text(const std::string& text);

// The length of the valid UTF-8 sequence at s[i] (1 for ASCII), or 0 (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF).
size_t utf8_length(std::string_view s, size_t i);

// Either a value or an Error; the core never throws on user input.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// The 1-based line `line` of `text` (without newline), "" if out of range.
std::string line_of(const std::string& text, int line);

}  // namespace gs
