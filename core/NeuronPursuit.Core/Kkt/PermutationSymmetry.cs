// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// The permutation symmetry of a feed-forward network: permuting the hidden neurons of layer l permutes the
/// rows of W_l and the columns of W_{l+1} and leaves H unchanged, so KKT points come in families of up to
/// Π_l k_l! copies. <see cref="Align"/> brings one weight vector as close as it can to another under these
/// permutations, layer by layer from the input: in layer l, neuron k of b is assigned to neuron j of a by
/// minimising Σ_j (‖in_a(j) − in_b(π j)‖² + (‖out_a(j)‖ − ‖out_b(π j)‖)²), where the incoming rows are compared
/// after the previous layer's permutation (exact assignment for k_l ≤ 7, greedy above). In the last hidden layer
/// the outgoing weights are scalars, compared with their signs.
/// </summary>
public static class PermutationSymmetry
{
    private const int ExactAssignmentLimit = 7;

    /// <summary>Applies a permutation to hidden layer l: new neuron j is old neuron perm[j].</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="w">Weights, permuted in place.</param>
    /// <param name="layer">Hidden layer l (1 … L−1).</param>
    /// <param name="permutation">perm, a permutation of 0 … k_l − 1.</param>
    /// <exception cref="ArgumentException">Bad lengths or not a permutation.</exception>
    public static void Permute(ParameterLayout layout, Span<double> w, int layer, IReadOnlyList<int> permutation)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(permutation);
        Guard.Length(w.Length, layout.Count, nameof(w), "the layout's size");
        if (layer < 1 || layer > layout.HiddenWidths.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer: hidden layers are 1..{layout.HiddenWidths.Count}.");
        LayerBlock b = layout.Blocks[layer - 1];
        LayerBlock? next = layer < layout.Blocks.Count ? layout.Blocks[layer] : null;
        if (permutation.Count != b.Rows || permutation.Distinct().Count() != b.Rows || permutation.Any(p => p < 0 || p >= b.Rows))
            throw new ArgumentException($"permutation: must be a permutation of 0..{b.Rows - 1}.", nameof(permutation));
        double[] old = w.ToArray();
        for (int j = 0; j < b.Rows; j++)
        {
            int source = permutation[j];
            for (int c = 0; c < b.Columns; c++) w[b.Index(j, c)] = old[b.Index(source, c)];
            if (next is { } n)
                for (int r = 0; r < n.Rows; r++) w[n.Index(r, j)] = old[n.Index(r, source)];
        }
    }

    /// <summary>A copy of b permuted (layer by layer) to be as close as the heuristic finds to a.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="a">Reference weights.</param>
    /// <param name="b">Weights to permute.</param>
    /// <returns>π(b).</returns>
    public static double[] Align(ParameterLayout layout, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Guard.Length(a.Length, layout.Count, nameof(a), "the layout's size");
        Guard.Length(b.Length, layout.Count, nameof(b), "the layout's size");
        double[] aligned = b.ToArray();
        for (int l = 1; l <= layout.HiddenWidths.Count; l++)
        {
            LayerBlock block = layout.Blocks[l - 1];
            LayerBlock? following = l < layout.Blocks.Count ? layout.Blocks[l] : null;
            int k = block.Rows;
            var cost = new double[k, k];
            bool lastHidden = l == layout.HiddenWidths.Count;
            for (int j = 0; j < k; j++)
                for (int m = 0; m < k; m++)
                {
                    double c = 0.0;
                    for (int col = 0; col < block.Columns; col++)
                    {
                        double d = a[block.Index(j, col)] - aligned[block.Index(m, col)];
                        c += d * d;
                    }
                    if (following is not { } next)
                    {
                    }
                    else if (lastHidden)
                    {
                        double d = a[next.Index(0, j)] - aligned[next.Index(0, m)];
                        c += d * d;
                    }
                    else
                    {
                        double na = 0.0, nb = 0.0;
                        for (int r = 0; r < next.Rows; r++)
                        {
                            na += a[next.Index(r, j)] * a[next.Index(r, j)];
                            nb += aligned[next.Index(r, m)] * aligned[next.Index(r, m)];
                        }
                        double d = Math.Sqrt(na) - Math.Sqrt(nb);
                        c += d * d;
                    }
                    cost[j, m] = c;
                }
            Permute(layout, aligned, l, Assign(cost, k));
        }
        return aligned;
    }

    /// <summary>‖a − π(b)‖ for the permutation π found by <see cref="Align"/>: the distance up to the symmetry.</summary>
    /// <param name="layout">The layout.</param>
    /// <param name="a">First weights.</param>
    /// <param name="b">Second weights.</param>
    /// <returns>The distance (0 when b is a permuted copy of a, up to rounding).</returns>
    public static double Distance(ParameterLayout layout, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double[] aligned = Align(layout, a, b);
        double sum = 0.0;
        for (int i = 0; i < aligned.Length; i++) sum += (a[i] - aligned[i]) * (a[i] - aligned[i]);
        return Math.Sqrt(sum);
    }

    /// <summary>perm with perm[j] = the column assigned to row j, minimising Σ cost[j, perm[j]].</summary>
    private static int[] Assign(double[,] cost, int k)
    {
        if (k <= ExactAssignmentLimit)
        {
            int[] best = Enumerable.Range(0, k).ToArray(), current = (int[])best.Clone();
            double bestCost = double.PositiveInfinity;
            var used = new bool[k];
            void Search(int row, double partial)
            {
                if (partial >= bestCost) return;
                if (row == k)
                {
                    bestCost = partial;
                    current.CopyTo(best, 0);
                    return;
                }
                for (int m = 0; m < k; m++)
                {
                    if (used[m]) continue;
                    used[m] = true;
                    current[row] = m;
                    Search(row + 1, partial + cost[row, m]);
                    used[m] = false;
                }
            }
            Search(0, 0.0);
            return best;
        }
        // Greedy: repeatedly take the cheapest remaining (row, column) pair.
        var perm = new int[k];
        var rowDone = new bool[k];
        var colDone = new bool[k];
        for (int step = 0; step < k; step++)
        {
            double min = double.PositiveInfinity;
            int bi = -1, bm = -1;
            for (int j = 0; j < k; j++)
                if (!rowDone[j])
                    for (int m = 0; m < k; m++)
                        if (!colDone[m] && cost[j, m] < min) { min = cost[j, m]; bi = j; bm = m; }
            perm[bi] = bm;
            rowDone[bi] = colDone[bm] = true;
        }
        return perm;
    }
}

/// <summary>A group of KKT points equal up to the network's permutation symmetry.</summary>
/// <param name="Representative">The member with the largest value (first found on ties).</param>
/// <param name="Restarts">Restart indices of all members.</param>
/// <param name="MaxDistance">Largest distance (up to permutation) of a member to the representative.</param>
public sealed record KktCluster(KktPoint Representative, IReadOnlyList<int> Restarts, double MaxDistance)
{
    /// <summary>Number of restarts that ended in this cluster.</summary>
    public int Count => Restarts.Count;
}

/// <summary>Deduplication of KKT points up to hidden-neuron permutations (<see cref="PermutationSymmetry"/>).</summary>
public static class KktDeduplication
{
    /// <summary>
    /// Groups points: taken in order of decreasing value, a point joins the first cluster whose representative is
    /// within <paramref name="tolerance"/> of it up to permutation (and whose value differs by at most
    /// tolerance·max(1, |N|)); otherwise it starts a new cluster. Unconverged points are grouped too; filter first
    /// if only converged ones should count.
    /// </summary>
    /// <param name="layout">The network's layout (the points are in it).</param>
    /// <param name="points">Unit directions, e.g. from <see cref="KktSearch.Run"/>.</param>
    /// <param name="tolerance">Distance below which two unit vectors are the same point (default 1e-4).</param>
    /// <returns>The clusters, best value first.</returns>
    public static IReadOnlyList<KktCluster> Cluster(ParameterLayout layout, IEnumerable<KktPoint> points, double tolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(points);
        if (!(tolerance > 0)) throw new ArgumentException($"tolerance: must be positive, got {tolerance}.", nameof(tolerance));
        var reps = new List<(KktPoint Rep, List<int> Members, double MaxDistance)>();
        foreach (KktPoint p in points.OrderByDescending(p => p.Value).ThenBy(p => p.Restart))
        {
            int found = -1;
            double distance = 0.0;
            for (int c = 0; c < reps.Count && found < 0; c++)
            {
                KktPoint r = reps[c].Rep;
                if (Math.Abs(r.Value - p.Value) > tolerance * Math.Max(1.0, Math.Abs(r.Value))) continue;
                distance = PermutationSymmetry.Distance(layout, r.Direction, p.Direction);
                if (distance <= tolerance) found = c;
            }
            if (found < 0) reps.Add((p, [p.Restart], 0.0));
            else
            {
                reps[found].Members.Add(p.Restart);
                reps[found] = (reps[found].Rep, reps[found].Members, Math.Max(reps[found].MaxDistance, distance));
            }
        }
        return reps.Select(r => new KktCluster(r.Rep, r.Members, r.MaxDistance)).ToArray();
    }
}
