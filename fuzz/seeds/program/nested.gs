w = 0.5
x = 2
f = sum(tanh(sigmoid(exp(log(sqrt(abs(-(w * x)) + 1))))))
