# Karpathy's "backprop ninja" MLP,
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
#! backward
# Every gradient by hand, from the loss back to the embeddings, as in the exercise.
dlogprobs = -onehot(Yb, 5) / 8
dprobs = dlogprobs / probs
dcounts_sum_inv = sum(counts * dprobs, 1)
dcounts = counts_sum_inv * dprobs
dcounts_sum = -counts_sum ** -2 * dcounts_sum_inv
dcounts += ones_like(counts) * dcounts_sum
dnorm_logits = counts * dcounts
dlogit_maxes = sum(-dnorm_logits, 1)
dlogits = dnorm_logits
dlogits += onehot(argmax(logits, 1), 5) * dlogit_maxes
dh = dlogits @ W2.T
dW2 = h.T @ dlogits
db2 = sum(dlogits, 0)
dhpreact = (1 - h ** 2) * dh
dbngain = sum(bnraw * dhpreact, 0)
dbnraw = bngain * dhpreact
dbnbias = sum(dhpreact, 0)
dbndiff = bnvar_inv * dbnraw
dbnvar_inv = sum(bndiff * dbnraw, 0)
dbnvar = -0.5 * (bnvar + 1e-5) ** -1.5 * dbnvar_inv
dbndiff2 = ones_like(bndiff2) * dbnvar / 7
dbndiff += 2 * bndiff * dbndiff2
dhprebn = dbndiff
dbnmeani = sum(-dbndiff, 0)
dhprebn += ones_like(hprebn) * dbnmeani / 8
dembcat = dhprebn @ W1.T
dW1 = embcat.T @ dhprebn
db1 = sum(dhprebn, 0)
demb0 = dembcat[:, 0:2]
demb1 = dembcat[:, 2:4]
demb2 = dembcat[:, 4:6]
dC = onehot(X0, 5).T @ demb0 + onehot(X1, 5).T @ demb1 + onehot(X2, 5).T @ demb2
