// Tokens of the program language: names, numbers, operators, brackets, line ends.
#pragma once

#include <string>
#include <vector>

#include "error.h"

namespace gs {

// Op: one of = + - * / ** @ ^ ( ) [ ] , . :
enum class Tok { Name, Number, Op, End, Eof };

struct Token {
  Tok kind;
  std::string text;   // the characters as written
  double number = 0;  // Tok::Number
  int line = 1, column = 1;
  size_t begin = 0, end = 0;  // byte span in the source
};

// Splits `source` into tokens. A name may end in apostrophes (c', c''): the names a
// reassigned value is shown with. Line ends inside ( ) or [ ] are skipped so a matrix can
// span lines; ';' also ends a statement; '#' starts a comment to the end of the line.
Result<std::vector<Token>> tokenize(const std::string& source);

}  // namespace gs
