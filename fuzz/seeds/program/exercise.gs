#! ask: dZ, dW, y
#! lock: W
#! hide: editor, side
#! tolerance: 0.01
W = [[2, 1], [1, 3]]
x = [[1], [-1]]
Z = W @ x
y = sigmoid(Z)
f = norm2(y)
