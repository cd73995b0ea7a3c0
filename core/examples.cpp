// Example programs. Each must compile and pass its gradient check: tests/test_graph.cpp
// ("gradient_check agrees with backward() on every example") and tests/test_cli.cpp check every one.
#include "examples.h"

#include <algorithm>

namespace gs {

const std::vector<std::string>& deep_activations() {
  static const std::vector<std::string> names = {"sigmoid", "tanh", "relu"};
  return names;
}

std::string deep_chain(const std::string& activation) {
  const auto& names = deep_activations();
  if (std::find(names.begin(), names.end(), activation) == names.end()) return "";
  // The `deep` example with each "sigmoid(W" (the title's and every layer's) renamed.
  std::string s = find_example("deep")->source;
  for (size_t at = 0; (at = s.find("sigmoid(W", at)) != std::string::npos; at += activation.size())
    s.replace(at, 7, activation);
  return s;
}

const std::vector<Example>& examples() {
  static const std::vector<Example> list = {
      // Every line fits the program editor beside the graph at 1280x800 (40 characters).
      {"seed", "The course notebook: f = ||sigmoid(W x)||^2",
       R"(# The notebook's f = ||sigmoid(W x)||^2
W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]
x = [[1], [0], [-1]]
Z = W @ x
y = sigmoid(Z)
f = norm2(y)    # ||y||^2, the output
)"},
      {"mlp", "Two-layer MLP with a mean squared error loss",
       R"(# A two-layer MLP on a batch of 4
# examples (one per column of X), with
# mean squared error. b1 is added to
# every column of W1 @ X.
X = [[0.5, -1.0, 1.5, 0.0],
     [1.0, 0.5, -0.5, 2.0]]
W1 = [[0.1, -0.2],
      [0.4, 0.3],
      [-0.5, 0.2]]
b1 = [[0.0], [0.1], [-0.1]]
W2 = [[0.3, -0.6, 0.2]]
b2 = 0.05
Y = [[1.0, 0.0, 1.0, 0.0]]    # targets
H = relu(W1 @ X + b1)
P = W2 @ H + b2
L = mse(P, Y)
)"},
      {"softmax", "Softmax classifier with cross-entropy",
       R"(# A softmax classifier: 3 classes,
# 2 features, 3 examples (the columns
# of X), one-hot targets T.
X = [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]]
W = [[0.2, -0.1],
     [0.5, 0.3],
     [-0.4, 0.6]]
b = [[0.0], [0.1], [-0.1]]
T = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
Z = W @ X + b    # logits
L = cross_entropy(Z, T)
)"},
      {"neuron", "A single tanh neuron (micrograd's example)",
       R"(# One neuron, all scalars:
# o = tanh(x1 w1 + x2 w2 + b)
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1 * w1 + x2 * w2 + b
o = tanh(n)
)"},
      {"slip", "The notebook's derivation with its numpy sigmoid, checked in derive mode",
       R"(# The course notebook derived df/dW by
# hand in numpy and checked it against
# PyTorch. Its numpy sigmoid was
# 1 / (1 + exp(Z)): that is sigmoid(-Z).
# The check passed only because Z = 0
# at the notebook's point: derive mode
# tries other points too.
W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]
x = [[1], [0], [-1]]
Z = W @ x
y = sigmoid(Z)
f = norm2(y)
#! backward
s = 1 / (1 + exp(Z))    # sigmoid(-Z)
dy = 2 * s
dZ = dy * s * (1 - s)
dW = dZ @ x.T
dx = W.T @ dZ
)"},
      {"ninja", "Backprop ninja: an MLP with batch norm, to derive by hand",
       R"(# Karpathy's "backprop ninja" MLP,
# small: from 3 characters (a
# vocabulary of 5) predict the next,
# on a batch of 8 examples. Derive
# every gradient by hand: see
# examples/ninja.gs.
# The embeddings, (5, 2):
C = [[-0.4, -0.7],
     [0.3, -0.9],
     [0.1, -0.3],
     [-0.9, 0.0],
     [-0.9, -0.1]]
# Each example's 1st, 2nd and 3rd
# character, and the one that follows:
X0 = [[1], [1], [0], [1],
      [0], [4], [4], [4]]
X1 = [[0], [1], [3], [2],
      [1], [2], [2], [4]]
X2 = [[1], [1], [4], [2],
      [3], [4], [1], [0]]
Yb = [[3], [4], [0], [2],
      [1], [3], [0], [2]]
W1 = [[-0.8, -0.7, -0.1,
       0.6, -0.7, -0.5],
      [0.2, 0.8, 0.1,
       -0.2, 0.9, -0.8],
      [0.6, -0.4, -0.6,
       -0.7, -0.3, 0.6],
      [-0.6, 0.1, 0.3,
       -0.2, 0.1, -0.8],
      [-0.8, -0.5, 0.3,
       -0.1, -0.3, 0.2],
      [-0.1, -0.4, 0.5,
       0.4, -0.5, 0.1]]
b1 = [[0.0, 0.2, 0.1, -0.1, 0.3, -0.2]]
bngain = [[0.9, 1.2, 0.7, 1, 0.6, 1.1]]
bnbias = [[0.1, 0, 0.2, -0.1, 0.1, 0]]
W2 = [[0.2, -0.1, 0.7, 0.9, -0.1],
      [0.3, -0.9, 0.4, 0.3, 1.0],
      [0.6, -0.4, -0.2, 0.3, -1.0],
      [-0.1, -0.7, -0.8, -0.9, 0.5],
      [-0.7, -0.5, -0.2, 0.7, -0.8],
      [-0.1, 0.1, 0.8, 0.6, 0.7]]
b2 = [[-0.1, 0.0, -0.1, 0.2, 0.2]]
# Embedding lookups, (8, 2) each:
emb0 = C[X0]
emb1 = C[X1]
emb2 = C[X2]
embcat = hstack(emb0, emb1, emb2)
hprebn = embcat @ W1 + b1
# Batch norm: the batch's mean,
bnmeani = sum(hprebn, 0) / 8
bndiff = hprebn - bnmeani
bndiff2 = bndiff ** 2
# its variance with 1/(n-1),
bnvar = sum(bndiff2, 0) / 7
bnvar_inv = (bnvar + 1e-5) ** -0.5
bnraw = bndiff * bnvar_inv
# then a gain and a bias.
hpreact = bngain * bnraw + bnbias
h = tanh(hpreact)
# (8, 5); the row's maximum is
# subtracted for stability.
logits = h @ W2 + b2
logit_maxes = max(logits, 1)
norm_logits = logits - logit_maxes
counts = exp(norm_logits)
counts_sum = sum(counts, 1)
counts_sum_inv = counts_sum ** -1
probs = counts * counts_sum_inv
logprobs = log(probs)
loss = -mean(logprobs[range(8), Yb])
)", true},
      // Positive weights of spectral radius about 1 on a positive input: relu passes every
      // entry, so its gradients keep their size; sigmoid's slope (at most 0.25) shrinks them
      // about fourfold a layer on the way back. deep_chain() makes its tanh and relu versions.
      {"deep", "Eight sigmoid layers: vanishing gradients",
       R"(# Eight layers h = sigmoid(W h).
# Try each activation (sigmoid, tanh,
# relu) and compare the gradients
# layer by layer: sigmoid's shrink
# about fourfold a layer on the way
# back, relu's keep their size.
# The input, (2, 1):
x = [[1], [0.5]]
W1 = [[0.9, 0.3], [0.2, 0.8]]
W2 = [[0.7, 0.4], [0.5, 0.6]]
W3 = [[1.0, 0.1], [0.3, 0.7]]
W4 = [[0.6, 0.5], [0.4, 0.7]]
W5 = [[0.8, 0.2], [0.3, 0.9]]
W6 = [[0.5, 0.6], [0.6, 0.5]]
W7 = [[0.9, 0.1], [0.2, 0.8]]
W8 = [[0.7, 0.3], [0.4, 0.6]]
h1 = sigmoid(W1 @ x)
h2 = sigmoid(W2 @ h1)
h3 = sigmoid(W3 @ h2)
h4 = sigmoid(W4 @ h3)
h5 = sigmoid(W5 @ h4)
h6 = sigmoid(W6 @ h5)
h7 = sigmoid(W7 @ h6)
h8 = sigmoid(W8 @ h7)
f = norm2(h8)
)", true},
  };
  return list;
}

const Example* find_example(const std::string& name) {
  for (const Example& e : examples())
    if (name == e.name) return &e;
  return nullptr;
}

}  // namespace gs
