x = [[1, nan, inf]]
y = 0x1F + 1e+ + 2x
f = sum(x)
