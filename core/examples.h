// The built-in example programs: the course notebook's (seed, the default) and a few more.
#pragma once

#include <string>
#include <vector>

namespace gs {

struct Example {
  const char* name;         // "seed": used by --example, links and data-example
  const char* title;        // one line for menus
  const char* source;       // the program text
  bool large = false;       // too many cards for 12 px text in a laptop window: opens whole, zoomed out
};

const std::vector<Example>& examples();
const Example* find_example(const std::string& name);  // nullptr if unknown

// The activations the `deep` example can switch between: sigmoid (its default), tanh, relu.
const std::vector<std::string>& deep_activations();
// The `deep` example's program with every layer's activation `activation` (one of
// deep_activations()), or "" for another name: an 8-layer chain h = act(W h), f = ||h8||^2.
// examples() lists its sigmoid chain as `deep` (large: 25 cards open whole, zoomed out).
std::string deep_chain(const std::string& activation);

}  // namespace gs
