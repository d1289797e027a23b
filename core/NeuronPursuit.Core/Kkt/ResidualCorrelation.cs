// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Kkt;

/// <summary>
/// The residual NCF at a saddle: N_r(u) = rᵀH(X; u) with r = y − H(X; w̄) the training residual at the saddle
/// w̄ (Kumar &amp; Haupt, arXiv 2402.09226, saddle theorem, and arXiv 2509.12154; docs/claims.md #8, NP-1).
/// For a separable network H = H_n(w_n) + H_z(w_z) it is the NCF of H_z with
/// labels r; for a general network, <see cref="Restricted"/> gives the full network's residual NCF on the
/// w_z coordinates with w_n frozen at the saddle.
/// </summary>
public static class ResidualCorrelation
{
    /// <summary>The residual r = y − H(X; w̄).</summary>
    /// <param name="network">H.</param>
    /// <param name="data">(X, y).</param>
    /// <param name="saddle">w̄ in the network's layout.</param>
    /// <returns>r, length n.</returns>
    /// <exception cref="ArgumentException">A shape is wrong or a value is not finite.</exception>
    public static double[] Residual(HomogeneousNetwork network, DataSet<double> data, ReadOnlySpan<double> saddle)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        var h = new double[data.Count];
        network.Forward(data.X, saddle, h, network.CreateWorkspace<double>(data.Count));
        for (int i = 0; i < h.Length; i++) h[i] = data.Y[i] - h[i];
        return h;
    }

    /// <summary>The NCF of <paramref name="network"/> with labels replaced by the residual r: N_r(u) = rᵀH(X; u).</summary>
    /// <param name="network">The network whose correlation is taken (for a separable net, H_z).</param>
    /// <param name="data">Inputs X (labels ignored).</param>
    /// <param name="residual">r, length n.</param>
    /// <returns>N_r with its gradient.</returns>
    public static NeuralCorrelationFunction<double> Of(HomogeneousNetwork network, DataSet<double> data, ReadOnlySpan<double> residual)
        => new(network, data.WithLabels(residual));

    /// <summary>
    /// The residual correlation restricted to a subset of coordinates: f(z) = rᵀH(X; w̄ + E z) where E places z on
    /// <paramref name="free"/> and every other weight is frozen at w̄ (whose free coordinates should be 0 at a
    /// saddle (w̄_n, 0)). Its gradient is the free part of Jᵀr. For a feed-forward net this is not homogeneous in
    /// z (docs/claims.md (Notation and background)); its lowest-order part is.
    /// </summary>
    /// <param name="network">H.</param>
    /// <param name="data">Inputs X.</param>
    /// <param name="residual">r = y − H(X; w̄).</param>
    /// <param name="saddle">w̄.</param>
    /// <param name="free">Indices of the free coordinates z (distinct, in range).</param>
    /// <returns>The restricted objective of dimension |free|.</returns>
    public static IObjective<double> Restricted(HomogeneousNetwork network, DataSet<double> data, ReadOnlySpan<double> residual,
        ReadOnlySpan<double> saddle, IReadOnlyList<int> free)
        => new RestrictedObjective(Of(network, data, residual), saddle, free);
}

/// <summary>
/// f(z) = F(w̄ + E z): an objective F restricted to the coordinates <c>free</c>, every other coordinate frozen at w̄.
/// </summary>
public sealed class RestrictedObjective : IObjective<double>
{
    private readonly IObjective<double> _full;
    private readonly double[] _base;
    private readonly int[] _free;
    private readonly double[] _point;
    private readonly double[] _gradient;

    /// <summary>Restricts F to the free coordinates.</summary>
    /// <param name="full">F on ℝᴾ.</param>
    /// <param name="basePoint">w̄, length P.</param>
    /// <param name="free">Free indices, distinct, in [0, P).</param>
    /// <exception cref="ArgumentException">Bad lengths or indices.</exception>
    public RestrictedObjective(IObjective<double> full, ReadOnlySpan<double> basePoint, IReadOnlyList<int> free)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(free);
        Guard.Length(basePoint.Length, full.Dimension, nameof(basePoint), "the full objective's dimension");
        if (free.Count == 0 || free.Any(k => k < 0 || k >= full.Dimension) || free.Distinct().Count() != free.Count)
            throw new ArgumentException("free: the free indices must be distinct, in range, and at least one.", nameof(free));
        _full = full;
        _base = basePoint.ToArray();
        _free = free.ToArray();
        _point = new double[full.Dimension];
        _gradient = new double[full.Dimension];
    }

    /// <summary>The free indices.</summary>
    public IReadOnlyList<int> Free => _free;

    /// <inheritdoc/>
    public int Dimension => _free.Length;

    /// <summary>w̄ + E z.</summary>
    /// <param name="z">Free coordinates.</param>
    /// <returns>The full weight vector.</returns>
    public double[] Embed(ReadOnlySpan<double> z)
    {
        Guard.Length(z.Length, _free.Length, nameof(z), "one per free coordinate");
        var w = (double[])_base.Clone();
        for (int k = 0; k < _free.Length; k++) w[_free[k]] = z[k];
        return w;
    }

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> z)
    {
        Fill(z);
        return _full.Value(_point);
    }

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<double> z, Span<double> gradient)
    {
        Fill(z);
        double value = _full.ValueAndGradient(_point, _gradient);
        for (int k = 0; k < _free.Length; k++) gradient[k] = _gradient[_free[k]];
        return value;
    }

    private void Fill(ReadOnlySpan<double> z)
    {
        _base.CopyTo(_point, 0);
        for (int k = 0; k < _free.Length; k++) _point[_free[k]] = z[k];
    }
}
