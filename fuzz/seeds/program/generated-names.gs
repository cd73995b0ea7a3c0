sigmoid_1 = [[1]]
x = [[2]]
y = sigmoid(x) + sigmoid(sigmoid_1)
f = sum(y)
