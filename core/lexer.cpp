// The tokenizer, with the number rules (no hex, no overflow, no nan literals) in one place.
#include "lexer.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace gs {
namespace {

// A number as quoted in a message: a 5000-digit literal is shown by its start and length.
std::string quoted_number(const std::string& text) {
  if (text.size() <= 32) return text;
  return text.substr(0, 24) + "... (" + std::to_string(text.size()) + " characters)";
}

}  // namespace

Result<std::vector<Token>> tokenize(const std::string& src) {
  std::vector<Token> toks;
  int line = 1;
  size_t line_start = 0;
  int depth = 0;  // open ( and [ : line ends inside them do not end a statement
  auto error = [&](const std::string& msg, size_t at) {
    return Error{msg, line, int(at - line_start) + 1, line_of(src, line)};
  };
  size_t i = 0;
  while (i < src.size()) {
    char c = src[i];
    Token t{Tok::Op, "", 0, line, int(i - line_start) + 1, i, i + 1};
    if (c == '\n' || c == ';') {
      if (depth == 0 && !toks.empty() && toks.back().kind != Tok::End) {
        t.kind = Tok::End;
        t.text = c == ';' ? ";" : "\\n";
        toks.push_back(t);
      }
      if (c == ';' && depth > 0) return error("';' cannot appear inside brackets", i);
      if (c == '\n') ++line, line_start = i + 1;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      // Comments may hold any text but control characters: a NUL or an escape sequence would
      // end the text early in C strings or drive a terminal, so they are refused everywhere.
      for (; i < src.size() && src[i] != '\n'; ++i) {
        unsigned char u = static_cast<unsigned char>(src[i]);
        if ((u < 0x20 && u != '\t' && u != '\r') || u == 0x7F)
          return error("unexpected character '" + shown_text(std::string(1, src[i])) + "' in a comment", i);
      }
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < src.size() && (std::isalnum(static_cast<unsigned char>(src[j])) || src[j] == '_')) ++j;
      while (j < src.size() && src[j] == '\'') ++j;  // c', c'': a reassigned value
      t.kind = Tok::Name;
      t.text = src.substr(i, j - i);
      t.end = j;
      toks.push_back(t);
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < src.size() && std::isdigit(static_cast<unsigned char>(src[i + 1])))) {
      if (c == '0' && i + 1 < src.size() && (src[i + 1] == 'x' || src[i + 1] == 'X'))
        return error("hexadecimal numbers are not supported; write the number in decimal", i);
      size_t j = i;
      while (j < src.size() && std::isdigit(static_cast<unsigned char>(src[j]))) ++j;
      if (j < src.size() && src[j] == '.') {
        ++j;
        while (j < src.size() && std::isdigit(static_cast<unsigned char>(src[j]))) ++j;
      }
      if (j < src.size() && (src[j] == 'e' || src[j] == 'E')) {
        size_t k = j + 1;
        if (k < src.size() && (src[k] == '+' || src[k] == '-')) ++k;
        if (k >= src.size() || !std::isdigit(static_cast<unsigned char>(src[k])))
          return error("malformed number: expected digits after the exponent 'e'", i);
        while (k < src.size() && std::isdigit(static_cast<unsigned char>(src[k]))) ++k;
        j = k;
      }
      if (j < src.size() && (std::isalpha(static_cast<unsigned char>(src[j])) || src[j] == '_'))
        return error("malformed number '" + quoted_number(src.substr(i, j + 1 - i)) + "'", i);
      t.kind = Tok::Number;
      t.text = src.substr(i, j - i);
      t.end = j;
      // Deliberately: a number too small for a double reads as 0 (or a denormal), the nearest
      // double, as in every language; one too large would be inf, which is refused.
      t.number = std::strtod(t.text.c_str(), nullptr);
      if (std::isinf(t.number))
        return error("the number " + quoted_number(t.text) + " is too large for a double", i);
      toks.push_back(t);
      i = j;
    } else if (std::string("=+-*/@^()[],.:").find(c) != std::string::npos) {
      t.text = c == '*' && i + 1 < src.size() && src[i + 1] == '*' ? "**" : std::string(1, c);
      t.end = i + t.text.size();
      if (c == '(' || c == '[') ++depth;
      if ((c == ')' || c == ']') && depth > 0) --depth;
      toks.push_back(t);
      i = t.end;
    } else {
      // One byte at a time: a byte of a UTF-8 character shows as \xNN (shown_text).
      return error("unexpected character '" + shown_text(std::string(1, c)) + "'", i);
    }
  }
  if (!toks.empty() && toks.back().kind != Tok::End) {
    Token t{Tok::End, "\\n", 0, line, int(i - line_start) + 1, i, i};
    toks.push_back(t);
  }
  toks.push_back(Token{Tok::Eof, "", 0, line, int(i - line_start) + 1, i, i});
  return toks;
}

}  // namespace gs
