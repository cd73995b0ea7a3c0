x = [[1]]
y = x + 1
f = sum(y)
