x = [[0]]
u = log(x)
f = sum(x + 1)
