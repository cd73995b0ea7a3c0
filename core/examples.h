// The built-in example programs: the course notebook's (seed, the default) and a few more.
#pragma once

#include <string>
#include <vector>

namespace gs {

struct Example {
  const char* name;         // "seed": used by --example, links and data-example
  const char* title;        // one line for menus
  const char* source;       // the program text
};

const std::vector<Example>& examples();
const Example* find_example(const std::string& name);  // nullptr if unknown

}  // namespace gs
