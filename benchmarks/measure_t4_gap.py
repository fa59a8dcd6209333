import numpy as np, ga_relu as gr, warnings
warnings.simplefilter("ignore")
gaps=[]
for d, n in [(2, 10), (3, 8)]:
    for seed in range(6):
        r = np.random.default_rng(seed); X = r.standard_normal((n, d)); y = r.standard_normal(n)
        w = gr.fit(X, y, beta=0.1, penalty="l2", method="wedge"); e = gr.fit(X, y, beta=0.1, penalty="l2", method="exact")
        gaps.append((d, seed, w.objective / e.objective - 1))
for g in gaps: print("d=%d seed=%d wedge/exact-1 = %.3f" % g)
print("max", max(g[2] for g in gaps), "median", np.median([g[2] for g in gaps]))
