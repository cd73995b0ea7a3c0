x = [[1e308, -1e308], [1e-320, -0]]
y = 1e-999
f = sum(exp(x) + log(x) + softmax(x * 1e300)) + y
