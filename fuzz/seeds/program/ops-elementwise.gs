x = [[0.5, -1], [2, 0]]
a = sigmoid(x) + tanh(x) - relu(x)
b = exp(x) * softplus(x) / (abs(x) + 1)
c = sqrt(abs(x)) + log(abs(x) + 1)
f = sum(a) + mean(b) + norm2(c)
