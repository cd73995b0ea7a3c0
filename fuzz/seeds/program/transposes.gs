x = [[1, 2]]
f = sum(x.T.T.T.T.T.T.T.T @ x)
