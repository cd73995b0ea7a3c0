// The parser (tokens -> statement trees) and the lowering of trees into graph nodes with
// shape checks. Every failure is an Error pointing at the token responsible.
#include "compile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <set>

#include "lexer.h"
#include "limits.h"

namespace gs {
namespace {

struct Expr {
  // Index: args are the indexed expression, then one or two index expressions or Slices.
  enum Kind { Number, Literal, Name, Unary, Binary, Power, Transpose, Call, Index, Slice, Range } kind;
  const Token* tok;            // the token to point at: the operator, name or bracket
  std::string text;            // name, operator or function
  double number = 0;           // Number, the exponent of Power, a Slice's start
  double stop = 0;             // a Slice's end
  bool has_start = false, has_stop = false;  // a Slice's written bounds (a:b, a:, :b, :)
  Matrix literal;              // Literal, and Range's column 0..n-1
  std::vector<std::unique_ptr<Expr>> args;
  const Token* keyword = nullptr;  // the name of a call's argument written name=value (axis=0)
  size_t begin = 0, end = 0;   // source span
};
using ExprPtr = std::unique_ptr<Expr>;

struct Statement {
  const Token* name;
  ExprPtr rhs;
  const Token* compound = nullptr;  // the '+' of "name += ...", or its - * /
};

// Edit distance for "did you mean"; small strings only.
int distance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = int(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = int(i);
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// "1 entry", "3 entries".
std::string count(size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  int best_d = 3;
  for (const auto& c : candidates) {
    int d = distance(word, c);
    if (d < best_d && d < int(std::max(word.size(), c.size()))) best_d = d, best = c;
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

class Parser {
 public:
  Parser(const std::string& src, const std::vector<Token>& toks, bool section = false)
      : src_(src), toks_(toks), section_(section) {}

  Result<std::vector<Statement>> program() {
    std::vector<Statement> out;
    while (peek().kind != Tok::Eof) {
      if (peek().kind == Tok::End) { ++pos_; continue; }
      const Token& name = peek();
      if (name.kind != Tok::Name) return fail(name, "expected a statement 'name = ...', found " + describe(name));
      ++pos_;
      const Token* compound = (is_op("+") || is_op("-") || is_op("*") || is_op("/")) &&
                                      toks_[pos_ + 1].kind == Tok::Op && toks_[pos_ + 1].text == "=" &&
                                      toks_[pos_ + 1].begin == peek().end
                                  ? &toks_[pos_++] : nullptr;
      if (!is_op("=")) {
        return fail(peek(), "expected '=' after '" + name.text + "': every line is 'name = expression'");
      }
      ++pos_;
      auto rhs = expression();
      if (!rhs) return rhs.error();
      if (peek().kind != Tok::End) return fail(peek(), "unexpected " + describe(peek()) + " after the expression");
      out.push_back({&name, std::move(rhs.value()), compound});
    }
    return out;
  }

  Result<ExprPtr> expression() { return additive(); }

  // One expression and nothing after it (a --set value, a text field).
  Result<ExprPtr> lone_expression() {
    auto e = expression();
    if (e && peek().kind != Tok::Eof && !(peek().kind == Tok::End && toks_[pos_ + 1].kind == Tok::Eof))
      return fail(peek(), "unexpected " + describe(peek()) + " after the value");
    return e;
  }

 private:
  Result<ExprPtr> additive() {
    auto lhs = multiplicative();
    if (!lhs) return lhs;
    while (is_op("+") || is_op("-")) {
      const Token* op = &toks_[pos_++];
      auto rhs = multiplicative();
      if (!rhs) return rhs;
      lhs = binary(op, std::move(lhs.value()), std::move(rhs.value()));
      if (ops_ > kMaxNodes) return fail(*op, too_many_nodes_message());
    }
    return lhs;
  }

  Result<ExprPtr> multiplicative() {
    auto lhs = unary();
    if (!lhs) return lhs;
    while (is_op("*") || is_op("/") || is_op("@")) {
      const Token* op = &toks_[pos_++];
      auto rhs = unary();
      if (!rhs) return rhs;
      lhs = binary(op, std::move(lhs.value()), std::move(rhs.value()));
      if (ops_ > kMaxNodes) return fail(*op, too_many_nodes_message());
    }
    return lhs;
  }

  Result<ExprPtr> unary() {
    if (is_op("-") || is_op("+")) {
      const Token* op = &toks_[pos_++];
      if (++depth_ > kMaxNesting) return fail(*op, nesting_message());
      auto operand = unary();
      --depth_;
      if (!operand) return operand;
      if (op->text == "+") return operand;
      ExprPtr& e = operand.value();
      if (e->kind == Expr::Number) {  // fold "-2" into a number
        e->number = -e->number;
        e->begin = op->begin;
        return operand;
      }
      auto u = make(Expr::Unary, op, op->begin, e->end);
      u->text = "-";
      u->args.push_back(std::move(e));
      return u;
    }
    return power();
  }

  // base ** exponent and base ^ exponent, as in Python: binds tighter than a unary minus on
  // its left (-x ** 2 is -(x ** 2)), groups to the right, and its exponent is a unary
  // expression of numbers, folded here into one constant.
  Result<ExprPtr> power() {
    auto base = postfix();
    if (!base) return base;
    if (!is_op("**") && !is_op("^")) return base;
    const Token* op = &toks_[pos_++];
    if (at_statement_end())
      return fail(*op, "the exponent of '" + op->text + "' is missing, as in x " + op->text + " 2");
    if (++depth_ > kMaxNesting) return fail(*op, nesting_message());
    auto exponent = unary();
    --depth_;
    if (!exponent) return exponent;
    auto p = constant_value(*exponent.value(), *op);
    if (!p) return p.error();
    auto e = make(Expr::Power, op, base.value()->begin, exponent.value()->end);
    e->number = p.value();
    e->args.push_back(std::move(base.value()));
    return e;
  }

  // The value of an exponent made of numbers, + - * / and powers; anything else (a name, a
  // call, a matrix) is refused with the reason. Post-order with an explicit stack, as in
  // Lowering::lower: a chain such as 1 + 1 + ... costs no C++ frame per link.
  Result<double> constant_value(const Expr& root, const Token& op) const {
    return constant_value(root, "the exponent of '" + op.text + "' must be a constant (numbers with + - * / **), as in x " +
                                    op.text + " 2 or x " + op.text + " (1/3)", op);
  }
  Result<double> constant_value(const Expr& root, const std::string& rule, const Token& op) const {
    std::vector<std::pair<const Expr*, bool>> todo{{&root, false}};
    std::vector<double> values;
    while (!todo.empty()) {
      auto [e, ready] = todo.back();
      todo.pop_back();
      bool arithmetic = e->kind == Expr::Number || e->kind == Expr::Unary || e->kind == Expr::Power ||
                        (e->kind == Expr::Binary && e->text != "@");
      if (!arithmetic) {
        const Token& at = *e->tok;
        return fail(at, rule + "; '" + src_.substr(e->begin, e->end - e->begin) + "' is not a number");
      }
      if (!ready) {
        todo.push_back({e, true});
        for (size_t i = e->args.size(); i-- > 0;) todo.push_back({e->args[i].get(), false});
        continue;
      }
      double v = e->number;
      if (e->kind == Expr::Unary) v = -values.back(), values.pop_back();
      if (e->kind == Expr::Power) v = std::pow(values.back(), e->number), values.pop_back();
      if (e->kind == Expr::Binary) {
        double b = values.back();
        values.pop_back();
        double a = values.back();
        values.pop_back();
        v = e->text == "+" ? a + b : e->text == "-" ? a - b : e->text == "*" ? a * b : a / b;
      }
      values.push_back(v);
    }
    if (!std::isfinite(values.back()))
      return fail(op, (rule.rfind("the exponent", 0) == 0 ? "the exponent of '" + op.text + "'" : std::string("it")) +
                          " is " + format_number(values.back()) + ", not a finite number");
    return values.back();
  }

  // A whole number written in the program: a slice bound, range's length.
  Result<double> whole_number(const Expr& e, const std::string& rule) const {
    auto v = constant_value(e, rule, *e.tok);
    if (v && v.value() != std::floor(v.value()))
      return fail(*e.tok, rule + "; '" + src_.substr(e.begin, e.end - e.begin) + "' is " + format_number(v.value()));
    if (v && std::abs(v.value()) > kMaxDim)
      return fail(*e.tok, rule + "; " + format_number(v.value()) + " is beyond any dimension (at most " +
                              std::to_string(kMaxDim) + ")");
    return v;
  }

  Result<ExprPtr> postfix() {
    auto e = primary();
    if (!e) return e;
    while (is_op(".") || is_op("[")) {
      if (is_op("[")) {
        e = index(std::move(e.value()));
        if (!e) return e;
        continue;
      }
      const Token* dot = &toks_[pos_++];
      if (peek().kind != Tok::Name || peek().text != "T")
        return fail(peek().kind == Tok::End ? *dot : peek(), "expected 'T' after '.' (transpose is written x.T)");
      const Token& t = toks_[pos_++];
      auto tr = make(Expr::Transpose, dot, e.value()->begin, t.end);
      tr->args.push_back(std::move(e.value()));
      e = std::move(tr);
      if (ops_ > kMaxNodes) return fail(*dot, too_many_nodes_message());
    }
    return e;
  }

  // X[i], X[I, J], X[a:b, :]: one or two indices, each an expression or a slice.
  Result<ExprPtr> index(ExprPtr base) {
    const Token& open = toks_[pos_++];
    if (++depth_ > kMaxNesting) return fail(open, nesting_message());
    auto e = make(Expr::Index, &open, base->begin, open.end);
    e->args.push_back(std::move(base));
    while (true) {
      auto spec = index_spec();
      if (!spec) return spec;
      e->args.push_back(std::move(spec.value()));
      if (!is_op(",")) break;
      ++pos_;
    }
    if (!is_op("]"))
      return fail(at_statement_end() ? open : peek(),
                  "expected ']' to close the '[' at column " + std::to_string(open.column) + ", found " + describe_next());
    if (e->args.size() > 3) return fail(open, "a matrix has two dimensions: index it as X[i] or X[i, j]");
    e->end = toks_[pos_++].end;
    --depth_;
    return e;
  }

  // One index: an expression, or a slice a:b with either bound left out (Python's rules).
  Result<ExprPtr> index_spec() {
    const std::string rule = "a slice bound must be a whole number, as in X[0:2] or X[-3:]";
    ExprPtr start;
    if (!is_op(":")) {
      auto e = expression();
      if (!e || !is_op(":")) return e;
      start = std::move(e.value());
    }
    const Token& colon = toks_[pos_++];
    auto s = make(Expr::Slice, &colon, start ? start->begin : colon.begin, colon.end);
    if (start) {
      auto v = whole_number(*start, rule);
      if (!v) return v.error();
      s->has_start = true, s->number = v.value();
    }
    if (is_op(":")) return fail(peek(), "a slice takes no step: write a:b");
    if (!is_op(",") && !is_op("]")) {
      auto stop = expression();
      if (!stop) return stop;
      auto v = whole_number(*stop.value(), rule);
      if (!v) return v.error();
      s->has_stop = true, s->stop = v.value(), s->end = stop.value()->end;
      if (is_op(":")) return fail(peek(), "a slice takes no step: write a:b");
    }
    return s;
  }

  // range(n): the integer column 0..n-1, with n written in the program.
  Result<ExprPtr> range() {
    const Token& name = toks_[pos_++];
    const Token& open = toks_[pos_++];
    const std::string rule = "range(n) takes a whole number written in the program, as in range(8)";
    if (is_op(")")) return fail(peek(), rule);
    auto n = expression();
    if (!n) return n;
    auto v = whole_number(*n.value(), rule);
    if (!v) return v.error();
    if (v.value() < 1) return fail(*n.value()->tok, "range(" + format_number(v.value()) + ") is empty: " + rule);
    if (!is_op(")"))
      return fail(at_statement_end() ? open : peek(), "expected ')' to close the call to 'range', found " + describe_next());
    auto e = make(Expr::Range, &name, name.begin, toks_[pos_++].end);
    e->literal.resize(Eigen::Index(v.value()), 1);  // (n, 1)
    for (Eigen::Index i = 0; i < e->literal.rows(); ++i) e->literal(i, 0) = double(i);
    return e;
  }

  Result<ExprPtr> primary() {
    const Token& t = peek();
    if (t.kind == Tok::Name && t.text == "range" && toks_[pos_ + 1].kind == Tok::Op && toks_[pos_ + 1].text == "(")
      return range();
    if (t.kind == Tok::Number) {
      ++pos_;
      auto e = make(Expr::Number, &t, t.begin, t.end);
      e->number = t.number;
      return e;
    }
    if (t.kind == Tok::Name) {
      ++pos_;
      if (!is_op("(")) {
        auto e = make(Expr::Name, &t, t.begin, t.end);
        e->text = t.text;
        return e;
      }
      const Token& open = toks_[pos_++];
      if (++depth_ > kMaxNesting) return fail(open, nesting_message());
      auto call = make(Expr::Call, &t, t.begin, t.end);
      call->text = t.text;
      if (!is_op(")")) {
        while (true) {
          const Token* keyword = nullptr;  // sum(X, axis=0)
          if (peek().kind == Tok::Name && toks_[pos_ + 1].kind == Tok::Op && toks_[pos_ + 1].text == "=")
            keyword = &toks_[pos_], pos_ += 2;
          auto arg = expression();
          if (!arg) return arg;
          arg.value()->keyword = keyword;
          call->args.push_back(std::move(arg.value()));
          if (is_op(",")) { ++pos_; continue; }
          break;
        }
      }
      if (!is_op(")"))
        return fail(at_statement_end() ? open : peek(),
                    "expected ')' to close the call to '" + t.text + "', found " + describe_next());
      call->end = toks_[pos_++].end;
      --depth_;
      return call;
    }
    if (is_op("(")) {
      const Token& open = toks_[pos_++];
      if (++depth_ > kMaxNesting) return fail(open, nesting_message());
      auto e = expression();
      if (!e) return e;
      if (!is_op(")"))
        return fail(at_statement_end() ? open : peek(),
                    "expected ')' to close the '(' at column " + std::to_string(open.column) + ", found " +
                        describe_next());
      e.value()->begin = open.begin;
      e.value()->end = toks_[pos_++].end;
      --depth_;
      return e;
    }
    if (is_op("[")) return literal();
    return fail(t, "expected a value (a name, a number, a matrix or '('), found " + describe(t));
  }

  // [[1, 2], [3, 4]] or [1, 2] (one row); entries are numbers with an optional sign.
  Result<ExprPtr> literal() {
    const Token& open = toks_[pos_++];
    std::vector<std::vector<double>> rows;
    std::vector<const Token*> row_tokens;
    bool nested = is_op("[");
    auto read_row = [&](std::vector<double>& row) -> Result<bool> {
      while (true) {
        double sign = 1;
        while (is_op("-") || is_op("+")) sign *= toks_[pos_++].text == "-" ? -1 : 1;
        if (is_op("[")) return fail(peek(), "a matrix has two dimensions: write [[1, 2], [3, 4]]");
        if (peek().kind != Tok::Number) {
          if (peek().kind == Tok::Name && (peek().text == "nan" || peek().text == "inf"))
            return fail(peek(), "matrix entries must be finite numbers, not '" + peek().text + "'");
          return fail(peek(), "expected a number in the matrix, found " + describe(peek()));
        }
        row.push_back(sign * toks_[pos_++].number);
        if (is_op(",")) { ++pos_; if (is_op("]")) break; continue; }
        break;
      }
      if (!is_op("]")) return fail(peek(), "expected ',' or ']' in the matrix, found " + describe(peek()));
      ++pos_;
      return true;
    };
    if (is_op("]")) return fail(peek(), "a matrix needs at least one entry");
    if (!nested) {
      rows.emplace_back();
      row_tokens.push_back(&open);
      auto r = read_row(rows.back());
      if (!r) return r.error();
    } else {
      while (true) {
        if (!is_op("[")) return fail(peek(), "expected '[' to start the next row, found " + describe(peek()));
        row_tokens.push_back(&toks_[pos_++]);
        if (is_op("]")) return fail(peek(), "a matrix row needs at least one entry");
        rows.emplace_back();
        auto r = read_row(rows.back());
        if (!r) return r.error();
        if (rows.back().size() != rows.front().size())
          return fail(*row_tokens.back(), "row " + std::to_string(rows.size()) + " has " +
                                              count(rows.back().size(), "entry", "entries") + " but row 1 has " +
                                              count(rows.front().size(), "entry", "entries"));
        if (is_op(",")) { ++pos_; if (is_op("]")) break; continue; }
        break;
      }
      if (!is_op("]")) return fail(peek(), "expected ',' or ']' after a row, found " + describe(peek()));
      ++pos_;
    }
    long long n = static_cast<long long>(rows.size()) * static_cast<long long>(rows.front().size());
    if (rows.size() > size_t(kMaxDim) || rows.front().size() > size_t(kMaxDim) || n > kMaxElements)
      return fail(open, "the matrix is too large (limit " + std::to_string(kMaxDim) + " rows or columns)");
    auto e = make(Expr::Literal, &open, open.begin, toks_[pos_ - 1].end);
    e->literal.resize(Eigen::Index(rows.size()), Eigen::Index(rows.front().size()));
    for (size_t r = 0; r < rows.size(); ++r)
      for (size_t c = 0; c < rows[r].size(); ++c) e->literal(Eigen::Index(r), Eigen::Index(c)) = rows[r][c];
    return e;
  }

  ExprPtr binary(const Token* op, ExprPtr a, ExprPtr b) {
    auto e = make(Expr::Binary, op, a->begin, b->end);
    e->text = op->text;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  ExprPtr make(Expr::Kind k, const Token* t, size_t begin, size_t end) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->tok = t;
    e->begin = begin;
    e->end = end;
    if (k != Expr::Number && k != Expr::Literal && k != Expr::Name) ++ops_;
    return e;
  }

  const Token& peek() const { return toks_[pos_]; }
  // Line ends inside brackets are skipped, so reaching a statement's end inside one means it
  // was never closed: point at the opening bracket, not at the empty end of the file.
  bool at_statement_end() const { return peek().kind == Tok::End || peek().kind == Tok::Eof; }
  std::string describe_next() const {
    bool last = peek().kind == Tok::Eof || (peek().kind == Tok::End && toks_[pos_ + 1].kind == Tok::Eof);
    return last ? "the end of the program" : describe(peek());
  }
  bool is_op(const char* s) const { return peek().kind == Tok::Op && peek().text == s; }
  static std::string describe(const Token& t) {
    if (t.kind == Tok::End) return t.text == ";" ? "';'" : "the end of the line";
    if (t.kind == Tok::Eof) return "the end of the program";
    return "'" + t.text + "'";
  }
  static std::string too_many_nodes_message() {
    return "the program has too many nodes (limit " + std::to_string(kMaxNodes) + ")";
  }
  static std::string nesting_message() {
    return "the expression is nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)";
  }
  Error fail(const Token& t, const std::string& msg) const {
    return Error{msg, t.line, t.column, line_of(src_, t.line)};
  }

  const std::string& src_;
  const std::vector<Token>& toks_;
  size_t pos_ = 0;
  bool section_ = false;  // the backward section: '+=' is allowed
  int depth_ = 0;
  // Operators and calls so far: each becomes a graph node, so a chain (a + a + ..., x.T.T...)
  // longer than the node limit is refused here, before its tree (whose destructor recurses
  // once per link) grows past kMaxNodes links.
  int ops_ = 0;
};

// Turns statement trees into graph nodes, checking names, shapes and limits on the way.
class Lowering {
 public:
  Lowering(Graph& g, const Overrides& ov) : g_(g), overrides_(ov) {}

  // The forward program. A name assigned again (c = c + 1, c += 1, b = a) gets a new node each
  // time, shown as c, c', c'' ...; later statements read the newest.
  Result<bool> run(std::vector<Statement>& program) {
    for (auto& s : program) declared_.insert(s.name->text);
    for (auto& s : program) {
      const Token& name = *s.name;
      current_ = &name;
      if (name.text.back() == '\'') {
        std::string plain = name.text.substr(0, name.text.find('\''));
        return fail(name, "'" + name.text + "' cannot be assigned: " + plain + "', " + plain +
                              "'' ... name the values of a reassigned " + plain + "; write '" + plain + " = ...'");
      }
      if (find_op(name.text) && !find_op(name.text)->symbol)
        return fail(name, "'" + name.text + "' is a function name; choose another name");
      auto prev = bound_.find(name.text);
      std::string shown = name.text;
      if (prev != bound_.end()) shown += std::string(size_t(++versions_[name.text]), '\'');
      Expr& rhs = *s.rhs;
      int id;
      if (!s.compound && (rhs.kind == Expr::Literal || rhs.kind == Expr::Number)) {
        id = input(shown, name, rhs);
        if (id < 0) return error_;
      } else {
        auto r = s.compound ? compound(s, prev == bound_.end() ? -1 : prev->second) : lower(rhs);
        if (!r) return r.error();
        id = r.value();
        if (g_.node(id).kind != NodeKind::Op || !g_.node(id).generated_name) {  // b = a: a node of its own
          r = apply(rhs, find_operator("=", 1), {id});
          if (!r) return r.error();
          id = r.value();
        }
        Node& n = g_.node(id);
        --generated_[n.op->name];
        n.name = shown;
        n.generated_name = false;
        n.line = name.line;
        n.column = name.column;
        n.expr = s.compound ? compound_text(s, prev->second) : g_.source.substr(rhs.begin, rhs.end - rhs.begin);
      }
      bound_[name.text] = id;
      last_ = id;
      last_stmt_ = &name;
    }
    for (const auto& [name, value] : overrides_)
      if (used_overrides_.count(name) == 0) {
        std::string inputs;
        for (int i : g_.input_ids()) inputs += (inputs.empty() ? "" : ", ") + g_.node(i).name;
        return Error{"there is no input named '" + shown_text(name) + "' to set (the inputs are " + inputs + ")"};
      }
    if (last_ < 0) return Error{"the program is empty: declare inputs and end with a 1x1 output, e.g. f = norm2(W @ x)"};
    Shape out = g_.node(last_).shape();
    if (out != Shape{1, 1})
      return fail(*last_stmt_, "the output '" + g_.node(last_).name + "' must be 1x1 (a scalar) but has shape " +
                                   to_string(out) + "; end with a scalar such as sum(...) or norm2(...)");
    g_.output = last_;
    return true;
  }

  // The backward section (compile_section): a statement may rebind a name, '+=' adds to a
  // claim, and a name reads the newest statement's value, else the forward node's.
  Result<bool> run_section(std::vector<Statement>& program, const Graph& forward, Section& out) {
    forward_ = &forward;
    for (auto& s : program) declared_.insert(s.name->text);
    for (auto& s : program) {
      const Token& name = *s.name;
      current_ = nullptr;  // rebinding is allowed: "dW = dW + ..." reads the previous dW
      SectionStatement st{name.text, "", s.compound != nullptr, -1, name.line, name.column, names_read(*s.rhs)};
      if (forward_node(name.text) >= 0)
        return fail(name, "'" + name.text + "' is a node of the forward program; give the helper another name");
      if (find_op(name.text) && !find_op(name.text)->symbol)
        return fail(name, "'" + name.text + "' is a function name; choose another name");
      if (name.text.size() > 1 && name.text[0] == 'd') {
        st.node = name.text.substr(1);
        if (forward_node(st.node) < 0)
          return fail(name, "there is no node " + st.node + ": a name that starts with 'd' claims the gradient " +
                                derivative_label(forward_->node(forward_->output).name, st.node) +
                                "; give a helper another name");
      }
      auto r = lower(*s.rhs);
      if (!r) return r.error();
      st.id = r.value();
      auto prev = bound_.find(name.text);
      // A claim's first '+=' starts it; every other compound statement needs an earlier value.
      if (s.compound && prev == bound_.end() && (st.node.empty() || s.compound->text != "+"))
        return fail(name, no_value_message(s));
      if (s.compound && prev != bound_.end()) {  // name op (rhs), as an op node
        Expr sum{Expr::Binary, s.compound, s.compound->text};
        sum.begin = name.begin;
        sum.end = s.rhs->end;
        auto added = apply(sum, find_operator(s.compound->text, 2), {prev->second, st.id});
        if (!added) return added.error();
        st.id = added.value();
      }
      Node& n = g_.node(st.id);
      if (n.kind == NodeKind::Op && n.generated_name) n.name = name.text, n.generated_name = false;
      bound_[name.text] = st.id;
      out.statements.push_back(std::move(st));
    }
    for (auto [section_id, forward_id] : forward_inputs_) out.inputs.push_back({section_id, forward_id});
    return true;
  }

  // `c op= rhs` as the expression `c op (rhs)` with c the value it had so far.
  Result<int> compound(Statement& s, int prev) {
    const Token& name = *s.name;
    if (prev < 0) return fail(name, no_value_message(s));
    Expr e{Expr::Binary, s.compound, s.compound->text};
    e.begin = name.begin;
    e.end = s.rhs->end;
    auto c = std::make_unique<Expr>();
    *c = Expr{Expr::Name, &name, name.text};
    c->begin = name.begin;
    c->end = name.end;
    e.args.push_back(std::move(c));
    e.args.push_back(std::move(s.rhs));
    auto r = lower(e);
    s.rhs = std::move(e.args[1]);
    return r;
  }

  // "c' + (a - b)": what `c += a - b` computes, naming the value it starts from.
  std::string compound_text(const Statement& s, int prev) const {
    std::string rhs = g_.source.substr(s.rhs->begin, s.rhs->end - s.rhs->begin);
    if (s.rhs->kind == Expr::Binary) rhs = "(" + rhs + ")";
    return g_.node(prev).name + " " + s.compound->text + " " + rhs;
  }

  static std::string no_value_message(const Statement& s) {
    const std::string& t = s.compound->text;
    const char* verb = t == "+" ? "add to" : t == "-" ? "subtract from" : t == "*" ? "multiply" : "divide";
    return "'" + s.name->text + "' has no value to " + verb + " yet: write '" + s.name->text + " = ...' first";
  }

 private:
  // A named node of the forward program, or -1.
  int forward_node(const std::string& name) const {
    int id = forward_->find(name);
    return id >= 0 && !forward_->node(id).generated_name ? id : -1;
  }

  // Every name an expression reads, left to right (an explicit stack: no recursion per link).
  static std::vector<std::string> names_read(const Expr& root) {
    std::vector<std::string> names;
    std::vector<const Expr*> todo{&root};
    while (!todo.empty()) {
      const Expr* e = todo.back();
      todo.pop_back();
      if (e->kind == Expr::Name) names.push_back(e->text);
      for (size_t i = e->args.size(); i-- > 0;) todo.push_back(e->args[i].get());
    }
    return names;
  }

  // A name in the backward section: the newest statement's value, a forward node (copied in
  // as an input of the section's graph), or df/df = 1 when the student did not write it.
  Result<int> section_name(const Expr& e) {
    if (auto it = bound_.find(e.text); it != bound_.end()) return it->second;
    if (int f = forward_node(e.text); f >= 0) {
      for (auto [section_id, forward_id] : forward_inputs_)
        if (forward_id == f) return section_id;
      const Node& src = forward_->node(f);
      int id = add_node(e.text, NodeKind::Input, nullptr, {}, src.shape(), *e.tok, e);
      if (id < 0) return error_;
      g_.node(id).value = src.value;
      forward_inputs_.push_back({id, f});
      return id;
    }
    if (e.text == "d" + forward_->node(forward_->output).name) {
      int id = constant(Matrix::Ones(1, 1), "1", *e.tok, e);
      if (id < 0) return error_;
      return id;
    }
    if (declared_.count(e.text))
      return fail(*e.tok, "'" + e.text + "' is used before it is defined (it is defined on a later line)");
    std::vector<std::string> known;
    for (const auto& [name, id] : bound_) known.push_back(name);
    for (const Node& n : forward_->nodes) if (!n.generated_name) known.push_back(n.name);
    return fail(*e.tok, "unknown name '" + e.text + "'" + suggestion(e.text, known));
  }

  // An input called `shown` (c, or c' when c is assigned a second literal).
  int input(const std::string& shown, const Token& name, const Expr& rhs) {
    Matrix lit = rhs.kind == Expr::Number ? Matrix::Constant(1, 1, rhs.number) : rhs.literal;
    const Matrix* value = &lit;
    if (auto it = overrides_.find(shown); it != overrides_.end()) {
      value = &it->second;
      used_overrides_.insert(shown);
    }
    int id = add_node(shown, NodeKind::Input, nullptr, {}, shape_of(*value), name, rhs);
    if (id < 0) return id;
    Node& n = g_.node(id);
    n.value = *value;
    n.literal_begin = rhs.begin;
    n.literal_end = rhs.end;
    n.literal_value = std::move(lit);
    return id;
  }

  // A number or matrix written inside an expression: one shared node per distinct value.
  int constant(const Matrix& value, const std::string& name, const Token& at, const Expr& e) {
    if (int existing = g_.find(name); existing >= 0) return existing;
    int id = add_node(name, NodeKind::Constant, nullptr, {}, shape_of(value), at, e);
    if (id < 0) return id;
    Node& n = g_.node(id);
    n.value = value;
    n.expr = name;
    n.generated_name = true;
    return id;
  }

  // A call resolved to its op, with the numbers written after its matrices.
  struct Call {
    const OpDef* op = nullptr;
    size_t matrices = 0;  // the leading arguments that are matrices
    double attr = 0;      // one number (an axis, k): the node's attr
    Shape request;        // "rows, cols": the shape asked for, (0, 0) when none
  };

  // Post-order over the expression tree with an explicit stack instead of recursion: a chain
  // such as a + a + ... or x.T.T... (as long as the node limit allows) must not cost a C++
  // frame per link. Natively those frames took about 1 KB each, enough to overflow a 512 KiB
  // stack, and the WebAssembly build has 1 MiB in all.
  Result<int> lower(const Expr& root) {
    struct Pending {
      const Expr* e;
      size_t matrices;         // the arguments that become nodes (a call's numbers do not)
      Call call;               // a call's op and numbers
      std::vector<int> ids;    // the node ids of the arguments lowered so far
    };
    std::vector<Pending> stack;
    auto visit = [&](const Expr& e) -> Result<bool> {  // checks that come before the arguments'
      Call call;
      if (e.kind == Expr::Call) {
        auto c = resolve_call(e);
        if (!c) return c.error();
        call = c.value();
      }
      stack.push_back({&e, e.kind == Expr::Call ? call.matrices : e.args.size(), call, {}});
      return true;
    };
    if (auto ok = visit(root); !ok) return ok.error();
    while (true) {
      Pending& top = stack.back();
      if (top.ids.size() < top.matrices) {
        if (auto ok = visit(*top.e->args[top.ids.size()]); !ok) return ok.error();
        continue;
      }
      auto r = lower_one(*top.e, top.ids, top.call);
      if (!r) return r;
      stack.pop_back();
      if (stack.empty()) return r;
      stack.back().ids.push_back(r.value());
    }
  }

  // A call's op, chosen by its number of arguments (sum(X) or sum(X, axis)), and the numbers
  // it passes after its matrices (OpDef::params), each checked where it is written.
  Result<Call> resolve_call(const Expr& e) const {
    const std::vector<const OpDef*> ops = find_calls(e.text);
    if (ops.empty()) {
      const OpDef* op = find_op(e.text);
      if (op && op->symbol)
        return fail(*e.tok, "'" + e.text + "' is the operator '" + op->symbol + "': write it as " + op->usage);
      return fail(*e.tok, "unknown function '" + e.text + "'" + suggestion(e.text, function_names()));
    }
    const size_t n = e.args.size();
    Call call;
    for (const OpDef* op : ops)
      if (op->arity == kAnyArity ? n >= 1 : n == size_t(op->arity) + param_names(*op).size()) call.op = op;
    if (!call.op) {
      const OpDef& first = *ops.front();
      if (ops.size() == 1 && !first.params)
        return fail(*e.tok, "'" + e.text + "' takes " +
                                (first.arity == kAnyArity ? "one or more arguments"
                                                          : count(size_t(first.arity), "argument", "arguments")) +
                                " but was given " + std::to_string(n));
      std::string counts, forms;  // "1 or 2", "sum(a) or sum(a, axis)"
      for (size_t i = 0; i < ops.size(); ++i) {
        counts += (i ? " or " : "") + std::to_string(size_t(ops[i]->arity) + param_names(*ops[i]).size());
        forms += (i ? " or " : "") + std::string(ops[i]->usage);
      }
      return fail(*e.tok, "'" + e.text + "' takes " + counts + (counts == "1" ? " argument" : " arguments") +
                              ", as in " + forms + ", but was given " + std::to_string(n));
    }
    const OpDef& op = *call.op;
    call.matrices = op.arity == kAnyArity ? n : size_t(op.arity);
    const std::vector<std::string> params = param_names(op);
    for (size_t i = 0; i < n; ++i) {
      const Expr& a = *e.args[i];
      if (i < call.matrices) {
        if (a.keyword)
          return fail(*a.keyword, "'" + e.text + "' takes a matrix here, not '" + a.keyword->text + "=': write " +
                                      op.usage);
        continue;
      }
      const std::string& name = params[i - call.matrices];
      const std::string what = "the " + name + " of '" + e.text + "'";
      if (a.keyword && a.keyword->text != name)
        return fail(*a.keyword, "'" + e.text + "' has no argument '" + a.keyword->text + "': write " + op.usage);
      if (a.kind != Expr::Number)
        return fail(*a.tok, what + " must be a number written in the call, as in " + op.usage + ", not '" +
                                g_.source.substr(a.begin, a.end - a.begin) + "'");
      double v = a.number;
      if (v != std::floor(v)) return fail(*a.tok, what + " must be a whole number, not " + format_number(v));
      if (name == "axis") {
        if (v < 0) v += 2;  // -1 is the last axis, as in NumPy
        if (v != 0 && v != 1)
          return fail(*a.tok, what + " must be 0 (down each column: one result per column) or 1 (along each "
                                     "row: one result per row), not " + format_number(a.number));
      } else if (v < 1 || v > kMaxDim) {
        return fail(*a.tok, what + " must be from 1 to " + std::to_string(kMaxDim) + ", not " + format_number(v));
      }
      if (name == "rows") call.request.rows = int(v);
      else if (name == "cols") call.request.cols = int(v);
      else call.attr = v;
    }
    return call;
  }

  // One expression whose arguments are already the nodes `ids`.
  Result<int> lower_one(const Expr& e, const std::vector<int>& ids, const Call& call) {
    switch (e.kind) {
      case Expr::Number: {
        int id = constant(Matrix::Constant(1, 1, e.number), format_number(e.number), *e.tok, e);
        if (id < 0) return error_;
        g_.node(id).line = g_.node(id).column = 0;  // a number is shared by every place that writes it
        return id;
      }
      case Expr::Literal: {
        int id = constant(e.literal, format_matrix(e.literal), *e.tok, e);
        if (id < 0) return error_;
        return id;
      }
      case Expr::Name: {
        if (forward_) return section_name(e);
        if (auto it = bound_.find(e.text); it != bound_.end()) return it->second;  // the newest c
        int id = g_.find(e.text);  // c', c'': an earlier value by the name it is shown with
        if (id >= 0 && !g_.node(id).generated_name) return id;
        if (current_ && e.text == current_->text)
          return fail(*e.tok, "'" + e.text + "' is used in its own definition; give the new value another name");
        if (declared_.count(e.text))
          return fail(*e.tok, "'" + e.text + "' is used before it is defined (it is defined on a later line)");
        std::string lower_text = e.text;
        for (char& c : lower_text) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (lower_text == "nan" || lower_text == "inf" || lower_text == "infinity")
          return fail(*e.tok, "numbers must be finite: '" + e.text + "' is not allowed (write a number such as 1e300)");
        std::vector<std::string> known;
        for (const Node& n : g_.nodes) if (!n.generated_name) known.push_back(n.name);
        return fail(*e.tok, "unknown name '" + e.text + "'" + suggestion(e.text, known));
      }
      case Expr::Unary: return apply(e, find_operator("-", 1), ids);
      case Expr::Transpose: return apply(e, find_operator(".T", 1), ids);
      case Expr::Power: return apply(e, find_operator("**", 1), ids);  // x ** p and x ^ p
      case Expr::Binary:
        if (const OpDef* op = find_operator(e.text, 2)) return apply(e, op, ids);
        return fail(*e.tok, "unknown operator '" + e.text + "'");
      case Expr::Call: return apply(e, call.op, ids, &call);  // resolved by lower()'s visit
      case Expr::Index: return index(e, ids);
      case Expr::Slice: return -1;  // read by its Index
      case Expr::Range: {
        int id = constant(e.literal, g_.source.substr(e.begin, e.end - e.begin), *e.tok, e);
        if (id < 0) return error_;
        return id;
      }
    }
    return fail(*e.tok, "unsupported expression");
  }

  // X[...] as gathers: an index expression picks rows (columns) by its entries, a slice by a
  // constant column of positions; X[I, J] with two index expressions picks single entries.
  Result<int> index(const Expr& e, const std::vector<int>& ids) {
    const Expr& base = *e.args[0];
    const std::string x = g_.source.substr(base.begin, base.end - base.begin);
    const Shape xs = g_.node(ids[0]).shape();
    struct Axis { int node = -1; bool full = true; };  // an index node, or a slice as a constant node
    Axis axes[2];
    for (size_t k = 1; k < e.args.size(); ++k) {
      const Expr& spec = *e.args[k];
      const bool rows = k == 1;
      const int n = rows ? xs.rows : xs.cols;
      const char* what = rows ? "row" : "column";
      Axis& a = axes[k - 1];
      if (spec.kind == Expr::Slice) {  // Python's rules: negative from the end, clamped to 0..n
        auto bound = [&](bool has, double v, double otherwise) {
          if (!has) return otherwise;
          if (v < 0) v += n;
          return std::clamp(v, 0.0, double(n));
        };
        double from = bound(spec.has_start, spec.number, 0), to = bound(spec.has_stop, spec.stop, n);
        if (to <= from)
          return fail(*spec.tok, "the slice " + g_.source.substr(spec.begin, spec.end - spec.begin) + " selects no " +
                                     what + "s of " + x + ", which has " + count(size_t(n), what, rows ? "rows" : "columns"));
        if (from == 0 && to == n) continue;
        Matrix positions(Eigen::Index(to - from), 1);  // (to - from, 1)
        for (Eigen::Index i = 0; i < positions.rows(); ++i) positions(i, 0) = from + double(i);
        a.node = constant(positions, format_number(from) + ":" + format_number(to), *spec.tok, spec);
        if (a.node < 0) return error_;
        a.full = false;
        continue;
      }
      a = {ids[k], false};
      const Node& in = g_.node(a.node);
      const std::string name = g_.source.substr(spec.begin, spec.end - spec.begin);
      if (in.value.rows() != 1 && in.value.cols() != 1)
        return fail(*spec.tok, "a " + std::string(what) + " index must be a number or an integer column (k, 1); " +
                                   name + " is " + to_string(in.shape()));
      for (; forwarded_ < g_.nodes.size(); ++forwarded_) g_.forward_node(int(forwarded_));  // its values
      for (Eigen::Index i = 0; i < in.value.size(); ++i) {
        double v = in.value.data()[i];
        std::string where = in.value.size() == 1 ? "" : " (" + name + "[" + std::to_string(in.value.rows() == 1 ? 0 : i) +
                                                           "][" + std::to_string(in.value.rows() == 1 ? i : 0) + "])";
        if (v != std::floor(v))
          return fail(*spec.tok, std::string(what) + " index " + format_number(v) + where + " is not a whole number");
        if (v < -n || v >= n)
          return fail(*spec.tok, std::string(what) + " index " + format_number(v) + where + " is out of range: " + x +
                                     " has " + count(size_t(n), what, rows ? "rows" : "columns") + " (0 to " +
                                     std::to_string(n - 1) + ", or -" + std::to_string(n) + " to -1 from the end)");
      }
    }
    const bool picks = e.args.size() == 3 && e.args[1]->kind != Expr::Slice && e.args[2]->kind != Expr::Slice;
    if (picks) return apply(e, find_operator("[", 3), {ids[0], axes[0].node, axes[1].node});
    int id = ids[0];
    if (!axes[0].full) {
      auto r = apply(e, find_operator("[", 2), {id, axes[0].node});
      if (!r) return r;
      id = r.value();
    }
    if (!axes[1].full) {
      auto r = apply(e, find_operator("[:,", 2), {id, axes[1].node});
      if (!r) return r;
      id = r.value();
    }
    if (id == ids[0]) return apply(e, find_operator("=", 1), {id});  // X[:, :] or X[:]
    return id;
  }

  Result<int> apply(const Expr& e, const OpDef* op, const std::vector<int>& ids, const Call* call = nullptr) {
    std::vector<Shape> in;
    for (int id : ids) in.push_back(g_.node(id).shape());
    if (call && call->request.rows > 0) in.push_back(call->request);  // "rows, cols": after the inputs
    const double attr = op->arity == kAnyArity ? double(ids.size()) : call ? call->attr : e.number;
    Shape out;
    std::string why = op->shape(in.data(), attr, out);
    if (!why.empty()) {
      std::string shapes;  // "(3, 1)", "(3, 1) and (2, 2)", "(3, 1), (2, 2) and (1, 1)"
      for (size_t k = 0; k < ids.size(); ++k)
        shapes += (k == 0 ? "" : k + 1 == ids.size() ? " and " : ", ") + to_string(in[k]);
      std::string what = op->symbol && in.size() == 2 ? op->symbol : op->name;
      return fail(*e.tok, "cannot apply '" + what + "' to " + shapes + ": " + why);
    }
    std::string name = std::string(op->name) + "_" + std::to_string(++generated_[op->name]);
    while (declared_.count(name) || g_.find(name) >= 0)
      name = std::string(op->name) + "_" + std::to_string(++generated_[op->name]);
    int id = add_node(name, NodeKind::Op, op, ids, out, *e.tok, e);
    if (id < 0) return error_;
    // Ops whose cost grows faster than their operands (the matrix product: (n, k) @ (k, m)
    // takes n k m multiply-adds, and the backward pass twice that). Every other op is linear
    // in its entries, which kMaxTotalElements already bounds.
    if (op->multiply_adds) {
      multiply_adds_ += op->multiply_adds(in.data());
      if (multiply_adds_ > kMaxMultiplyAdds)
        return fail(*e.tok, "the matrix products would take " + std::to_string(multiply_adds_) +
                                " multiply-adds per evaluation, more than the limit of " +
                                std::to_string(kMaxMultiplyAdds));
    }
    Node& n = g_.node(id);
    n.value.resize(out.rows, out.cols);  // filled by the first forward pass
    n.attr = attr;
    n.generated_name = true;
    n.differentiable = !op->no_grad && (ids.empty() || std::any_of(ids.begin(), ids.end(), [&](int i) {
                         return g_.node(i).differentiable;
                       }));
    return id;
  }

  // Checks every limit on the node's shape before anything of that size is allocated, then
  // appends it with a zero gradient; the caller sets its value. Returns -1 and sets error_.
  int add_node(const std::string& name, NodeKind kind, const OpDef* op, std::vector<int> inputs, Shape shape,
               const Token& at, const Expr& e) {
    if (int(g_.nodes.size()) >= kMaxNodes) {
      error_ = fail(at, "the program has too many nodes (limit " + std::to_string(kMaxNodes) + ")");
      return -1;
    }
    if (shape.rows > kMaxDim || shape.cols > kMaxDim || shape.size() > kMaxElements) {
      error_ = fail(at, "the result would be " + to_string(shape) + ", larger than the limit of " +
                            std::to_string(kMaxElements) + " entries");
      return -1;
    }
    total_ += shape.size();
    if (total_ > kMaxTotalElements) {
      error_ = fail(at, "the graph would hold more than " + std::to_string(kMaxTotalElements) + " entries in all");
      return -1;
    }
    Node n;
    n.name = name;
    n.kind = kind;
    n.op = op;
    n.inputs = std::move(inputs);
    n.grad = Matrix::Zero(shape.rows, shape.cols);
    n.line = at.line;
    n.column = at.column;
    n.expr = g_.source.substr(e.begin, e.end - e.begin);
    g_.nodes.push_back(std::move(n));
    return int(g_.nodes.size()) - 1;
  }

  Error fail(const Token& t, const std::string& msg) const {
    return Error{msg, t.line, t.column, line_of(g_.source, t.line)};
  }

  Graph& g_;
  const Overrides& overrides_;
  std::set<std::string> declared_, used_overrides_;
  std::map<std::string, int> generated_;
  std::map<std::string, int> versions_;  // per name: how often it was assigned again
  size_t forwarded_ = 0;                  // nodes whose values index() has computed
  long long total_ = 0;          // entries over all nodes so far
  long long multiply_adds_ = 0;  // work of all matrix products so far, forward pass
  int last_ = -1;
  const Token* last_stmt_ = nullptr;
  const Token* current_ = nullptr;  // the statement being lowered
  Error error_;
  // What each name is bound to now (the newest c). The backward section only: the forward
  // program and the forward nodes copied in as inputs.
  std::map<std::string, int> bound_;
  const Graph* forward_ = nullptr;
  std::vector<std::pair<int, int>> forward_inputs_;
};

// The longest text format_number() writes for a finite double: "-2.2250738585072014e-308".
constexpr long long kLongestNumber = 24;

// The most bytes program_text() can ever write for this graph, whatever finite values its
// inputs take later: every input literal at its longest (format_number or format_matrix).
long long longest_program_text(const Graph& g) {
  long long bytes = static_cast<long long>(g.source.size());
  for (const Node& n : g.nodes) {
    if (n.kind != NodeKind::Input || n.literal_end <= n.literal_begin) continue;
    long long r = n.value.rows(), c = n.value.cols();
    bool scalar = r * c == 1 && g.source[n.literal_begin] != '[';
    long long longest = scalar ? kLongestNumber  // "[[a, b], [c, d]]": brackets, numbers, ", " within and between rows
                               : 2 + 2 * r + 2 * (r - 1) + r * c * kLongestNumber + 2 * r * (c - 1);
    bytes += std::max(0LL, longest - static_cast<long long>(n.literal_end - n.literal_begin));
  }
  return bytes;
}

}  // namespace

Result<Graph> compile(const std::string& source, const Overrides& overrides) {
  if (source.size() > size_t(kMaxSourceBytes))
    return Error{"the program is " + std::to_string(source.size()) + " bytes; the limit is " +
                 std::to_string(kMaxSourceBytes)};
  for (const auto& [name, value] : overrides)
    if (value.size() == 0 || !value.allFinite())
      return Error{"the value given for '" + name + "' must be a non-empty matrix of finite numbers"};
  auto toks = tokenize(source.substr(0, backward_section(source)));  // the forward program only
  if (!toks) return toks.error();
  Parser parser(source, toks.value());
  auto program = parser.program();
  if (!program) return program.error();
  Graph g;
  g.source = source;
  Lowering lowering(g, overrides);
  auto ok = lowering.run(program.value());
  if (!ok) return ok.error();
  // Whatever values the inputs take later, the program text that saves them (file, link,
  // browser storage) must compile again: refuse now what could not be reopened then.
  if (long long longest = longest_program_text(g); longest > kMaxSourceBytes) {
    long long numbers = 0;
    for (int id : g.input_ids()) numbers += g.node(id).value.size();
    return Error{"the inputs hold " + std::to_string(numbers) + " numbers, too many to save: written out in full, " +
                 "as files and links store them, the program could reach " + std::to_string(longest) +
                 " bytes (the limit is " + std::to_string(kMaxSourceBytes) + ")"};
  }
  for (Node& n : g.nodes) n.feeds_output = false;  // marked back from the output, inputs before users
  g.node(g.output).feeds_output = true;
  for (int i = g.output; i >= 0; --i)
    for (int k = 0; g.node(i).feeds_output && k < g.node(i).arity(); ++k) g.node(g.node(i).inputs[k]).feeds_output = true;
  g.evaluate();
  for (const Node& n : g.nodes) {  // values an op cannot use, such as an index out of range
    if (n.kind != NodeKind::Op || !n.op->check) continue;
    std::vector<const Matrix*> in;
    for (int id : n.inputs) in.push_back(&g.node(id).value);
    if (std::string why = n.op->check(in.data(), n.attr); !why.empty())
      return Error{why, n.line, n.column, line_of(source, n.line)};
  }
  return g;
}

size_t backward_section(const std::string& source) {
  for (size_t begin = 0; begin < source.size();) {
    size_t end = std::min(source.find('\n', begin), source.size());
    size_t start = source.find_first_not_of(" \t", begin);
    if (start < end && source.compare(start, 2, "#!") == 0) {
      size_t word = source.find_first_not_of(" \t", start + 2);
      size_t after = word + 8;
      if (word < end && source.compare(word, 8, "backward") == 0 &&
          (after >= end || source.find_first_not_of(" \t\r", after) >= end))
        return begin;
    }
    begin = end + 1;
  }
  return std::string::npos;
}

Result<Section> compile_section(const Graph& forward) {
  Section out;
  const std::string& source = forward.source;
  size_t begin = backward_section(source);
  if (begin == std::string::npos || forward.output < 0) return out;
  // The section starts at a line start: only lines and byte offsets need shifting.
  int lines_before = int(std::count(source.begin(), source.begin() + long(begin), '\n'));
  auto toks = tokenize(source.substr(begin));
  if (!toks) {
    Error e = toks.error();
    if (e.line > 0) e.line += lines_before;
    return e;
  }
  for (Token& t : toks.value()) t.line += lines_before, t.begin += begin, t.end += begin;
  Parser parser(source, toks.value(), /*section=*/true);
  auto program = parser.program();
  if (!program) return program.error();
  out.graph.source = source;
  Overrides none;
  Lowering lowering(out.graph, none);
  auto ok = lowering.run_section(program.value(), forward, out);
  if (!ok) return ok.error();
  out.graph.forward();
  return out;
}

Result<Matrix> parse_matrix(const std::string& text) {
  if (text.size() > size_t(kMaxSourceBytes))
    return Error{"the value is " + std::to_string(text.size()) + " bytes; the limit is " +
                 std::to_string(kMaxSourceBytes)};
  auto toks = tokenize(text);
  if (!toks) return toks.error();
  Parser parser(text, toks.value());
  auto e = parser.lone_expression();
  if (!e) return e.error();
  const Expr& x = *e.value();
  if (x.kind == Expr::Number) return Matrix(Matrix::Constant(1, 1, x.number));
  if (x.kind == Expr::Literal) return x.literal;
  return Error{"expected a number or a matrix such as [[1, 2], [3, 4]]", x.tok->line, x.tok->column,
               line_of(text, x.tok->line)};
}

}  // namespace gs
