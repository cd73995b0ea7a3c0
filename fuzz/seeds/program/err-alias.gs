x = [[1]]
y = x
f = sum(y)
