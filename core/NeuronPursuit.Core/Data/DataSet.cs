// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Data;

/// <summary>
/// A training set {(xᵢ, yᵢ)}, i = 1..n, xᵢ ∈ ℝᵈ, stacked as X (n × d, row-major) and y (length n),
/// in scalar type <typeparamref name="T"/>. Validated on construction: shapes agree and every value
/// is finite. Immutable by convention: the arrays are exposed as read-only spans.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class DataSet<T> where T : struct, INumber<T>
{
    private readonly T[] _x;
    private readonly T[] _y;

    /// <summary>Creates a data set from X (n × d, row-major) and y (length n); the arrays are copied.</summary>
    /// <param name="x">X, n·d values, row i holding sample i.</param>
    /// <param name="y">Labels, n values.</param>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <exception cref="ArgumentException">Shapes disagree, n = 0, or a value is NaN or infinite.</exception>
    public DataSet(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int inputDimension)
    {
        Guard.Positive(inputDimension, nameof(inputDimension));
        if (y.Length == 0) throw new ArgumentException("y: the data set has no samples.", nameof(y));
        Guard.Length(x.Length, y.Length * inputDimension, nameof(x), $"n·d with n = {y.Length} labels and d = {inputDimension}");
        Guard.Finite(x, nameof(x));
        Guard.Finite(y, nameof(y));
        _x = x.ToArray();
        _y = y.ToArray();
        InputDimension = inputDimension;
    }

    /// <summary>Input dimension d.</summary>
    public int InputDimension { get; }

    /// <summary>Number of samples n.</summary>
    public int Count => _y.Length;

    /// <summary>X, n × d row-major.</summary>
    public ReadOnlySpan<T> X => _x;

    /// <summary>Labels y, length n.</summary>
    public ReadOnlySpan<T> Y => _y;

    /// <summary>Sample xᵢ.</summary>
    /// <param name="i">Sample index, 0-based.</param>
    /// <returns>Row i of X.</returns>
    public ReadOnlySpan<T> Sample(int i) => _x.AsSpan(i * InputDimension, InputDimension);

    /// <summary>The same data in another scalar type (values converted by <c>TTarget.CreateTruncating</c>).</summary>
    /// <typeparam name="TTarget">Target scalar type.</typeparam>
    /// <returns>A new data set.</returns>
    public DataSet<TTarget> To<TTarget>() where TTarget : struct, INumber<TTarget>
    {
        var x = new TTarget[_x.Length];
        var y = new TTarget[_y.Length];
        for (int k = 0; k < x.Length; k++) x[k] = TTarget.CreateTruncating(_x[k]);
        for (int i = 0; i < y.Length; i++) y[i] = TTarget.CreateTruncating(_y[i]);
        return new DataSet<TTarget>(x, y, InputDimension);
    }

    /// <summary>The same inputs with other labels (e.g. the residual r = y − H(X; w̄) of a saddle).</summary>
    /// <param name="labels">New labels, length n.</param>
    /// <returns>A new data set sharing nothing mutable with this one.</returns>
    /// <exception cref="ArgumentException">Wrong length or non-finite labels.</exception>
    public DataSet<T> WithLabels(ReadOnlySpan<T> labels) => new(_x, labels, InputDimension);
}
