# Reference point of the reliability benchmark: the same figures as baseline-scanner.mjs with
# pandas and numpy, the way an analyst would write it.
import json
import sys

import numpy as np
import pandas as pd

frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
reviewed = frame.groupby(["unit_id", "coder"]).size().unstack(fill_value=0)
both = reviewed.index[(reviewed > 0).all(axis=1)]
coded = frame[frame["code"] != ""]
present = pd.crosstab([coded["unit_id"], coded["coder"]], coded["code"]).clip(upper=1)
coders = sorted(frame["coder"].unique())
a = present.xs(coders[0], level="coder").reindex(both, fill_value=0)
b = present.xs(coders[1], level="coder").reindex(both, fill_value=0)
n = len(both)
pa = a.to_numpy().mean(axis=0)
pb = b.to_numpy().mean(axis=0)
po = (a.to_numpy() == b.to_numpy()).mean(axis=0)
pe = pa * pb + (1 - pa) * (1 - pb)
kappas = (po - pe) / (1 - pe)
pooled = (po.mean() - pe.mean()) / (1 - pe.mean())
print(json.dumps({"n": int(n), "codes": list(a.columns), "kappas": kappas.tolist(), "pooled": float(pooled), "frequencies": a.sum(axis=0).tolist()}))
