# The competitor of the reliability benchmark: per-code Cohen's kappa, pooled kappa (De Vries et
# al. 2008) and code frequencies from a long CSV (unit_id,coder,code; an empty code means "reviewed,
# no code"), written the way a competent analyst writes it with pandas and numpy: the C CSV
# reader with categorical columns, integer codes from pd.factorize, and np.bincount over a
# code x coder x unit index. No groupby().apply, no crosstab of strings, no Python loop per row.
#
# Given two or more files, each is one coder's stored file (unit_id,code[,memo], as
# annotations/<coder>.csv of a workspace), the coder named by the file name; their code columns
# are joined with union_categoricals, so no string is factorised twice.
#
#   /usr/bin/python3 bench/pandas_baseline.py long.csv
#   /usr/bin/python3 bench/pandas_baseline.py annotations/a.csv annotations/b.csv
import json
import os
import sys

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

if len(sys.argv) == 2:
    frame = pd.read_csv(
        sys.argv[1],
        dtype={"unit_id": str, "coder": "category", "code": "category"},
        keep_default_na=False,
        na_filter=False,
    )
    unit_ids = frame["unit_id"]
    coder_index = frame["coder"].cat.codes.to_numpy()
    coders = list(frame["coder"].cat.categories)
    code_column = frame["code"]
else:
    frames = [
        pd.read_csv(
            file,
            usecols=["unit_id", "code"],
            dtype={"unit_id": str, "code": "category"},
            keep_default_na=False,
            na_filter=False,
        )
        for file in sys.argv[1:]
    ]
    coders = [os.path.splitext(os.path.basename(file))[0] for file in sys.argv[1:]]
    unit_ids = pd.concat([part["unit_id"] for part in frames], ignore_index=True)
    coder_index = np.repeat(np.arange(len(frames), dtype=np.int8), [len(part) for part in frames])
    code_column = pd.Series(union_categoricals([part["code"] for part in frames]))
unit_index, units = pd.factorize(unit_ids, sort=False)
code_categories = list(code_column.cat.categories)
code_raw = code_column.cat.codes.to_numpy()
n_units = len(units)
n_coders = len(coders)

# Which coder reviewed which unit (a row with or without a code).
reviewed = np.bincount(coder_index * n_units + unit_index, minlength=n_coders * n_units)
reviewed = reviewed.reshape(n_coders, n_units) > 0

# Codes proper, sorted by id, and their presence per coder and unit.
codes = sorted(code for code in code_categories if code != "")
code_position = np.array([codes.index(code) if code != "" else -1 for code in code_categories])
code_index = code_position[code_raw]
has_code = code_index >= 0
presence = np.bincount(
    (code_index[has_code] * n_coders + coder_index[has_code]) * n_units + unit_index[has_code],
    minlength=len(codes) * n_coders * n_units,
)
presence = presence.reshape(len(codes), n_coders, n_units) > 0

first, second = coders.index(sorted(coders)[0]), coders.index(sorted(coders)[1])
both = reviewed[first] & reviewed[second]
a = presence[:, first, both]
b = presence[:, second, both]
n = int(both.sum())
pa = a.mean(axis=1)
pb = b.mean(axis=1)
po = (a == b).mean(axis=1)
pe = pa * pb + (1 - pa) * (1 - pb)
kappas = (po - pe) / (1 - pe)
pooled = (po.mean() - pe.mean()) / (1 - pe.mean())
print(
    json.dumps(
        {
            "n": n,
            "codes": codes,
            "kappas": kappas.tolist(),
            "pooled": float(pooled),
            "frequencies": a.sum(axis=1).tolist(),
        }
    )
)
