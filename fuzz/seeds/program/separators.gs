x = [[1, 2],
     [3, 4]]   # a matrix over two lines
y = x * 2; z = y - 1

f = sum(z) # the output
