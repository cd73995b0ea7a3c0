W = [[1]]
f = sum(q) + sigmod(W)
