Z = [[1, -1], [0.5, 2], [-3, 0]]
T = [[1, 0], [0, 1], [0, 0]]
P = [[0.2, 0.9]]
Y = [[0, 1]]
f = cross_entropy(Z, T) + mse(softmax(Z), T) + bce(P, Y) + sum(log_softmax(Z))
