"""Global one-to-one assignment of old to new units over a sparse set of candidate pairs.

Greedy pairing (best pair first) lets one strong-looking pair take the partner of two
others; the assignment here maximises the summed score over the whole document. Only
the blocked candidate pairs are edges, so the work follows the number of candidates,
not the product of the two sizes: scipy's sparse LAPJV
(``min_weight_full_bipartite_matching``) on a square graph padded with one "stays
unpaired" node per unit, the usual construction that always admits a full matching.
"""

from __future__ import annotations

# Leaving a unit unpaired costs UNPAIRED; pairing two costs 2 * UNPAIRED - score, so a
# pair is taken exactly when it raises the summed score. Scores stay below 2.
UNPAIRED = 1.0
_EPS = 1e-9          # sparse matrices drop zeros: the free dummy-dummy edges cost this


def assign(n_old: int, n_new: int, scores: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The pairs (i, j) of a maximum-score matching; every score must be in (0, 2)."""
    if not scores:
        return []
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    keys = sorted(scores)
    ei = np.fromiter((i for i, _ in keys), np.int64, len(keys))
    ej = np.fromiter((j for _, j in keys), np.int64, len(keys))
    cost = 2 * UNPAIRED - np.fromiter((scores[k] for k in keys), np.float64, len(keys))
    # Rows: old units, then one dummy per new unit; columns: new units, then one dummy
    # per old unit. Dummy row of j to dummy column of i exists where (i, j) is an edge,
    # so that both dummies are free to pair when i and j pair with each other.
    ar_o, ar_n = np.arange(n_old), np.arange(n_new)
    rows = np.concatenate([ei, ar_o, n_old + ar_n, n_old + ej])
    cols = np.concatenate([ej, n_new + ar_o, ar_n, n_new + ei])
    vals = np.concatenate([cost, np.full(n_old, UNPAIRED), np.full(n_new, UNPAIRED),
                           np.full(len(keys), _EPS)])
    size = n_old + n_new
    graph = coo_matrix((vals, (rows, cols)), shape=(size, size)).tocsr()
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    return sorted((int(r), int(c)) for r, c in zip(row_ind, col_ind)
                  if r < n_old and c < n_new)
