#! ask: q
#! lock: f
#! hide: everything
#! tolerance: -1
#! nothing
x = [[1]]
f = sum(x)
