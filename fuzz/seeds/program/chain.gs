x = [[1, 2]]
f = sum(x + x + x + x + x + x + x + x + x + x + x + x + x + x + x + x)
