x = [[0, 1]]
y = [[0, 0]]
f = sum(x / y) + sum(sqrt(y)) + sum(log(y))
