// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>A loss ℒ(h, y) = Σᵢ ℓ(hᵢ, yᵢ) (or its mean) of the outputs h against the labels y.</summary>
public interface ILoss
{
    /// <summary>How per-sample losses are combined.</summary>
    LossNormalisation Normalisation { get; }

    /// <summary>The specification that <see cref="Losses.Parse"/> turns back into this loss, e.g. <c>square-mean</c>.</summary>
    string Name { get; }

    /// <summary>A one-line description, e.g. <c>square (½Σ)</c>.</summary>
    string Specification { get; }

    /// <summary>ℒ(h, y) and its derivative ∂ℒ/∂h.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="h">Outputs, length n.</param>
    /// <param name="y">Labels, length n.</param>
    /// <param name="derivative">Receives ∂ℒ/∂hᵢ, length n (may be empty to skip it).</param>
    /// <returns>ℒ(h, y).</returns>
    T Evaluate<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>;

    /// <summary>
    /// ∂ℒ/∂hᵢ for the samples of a range of a data set of <paramref name="sampleCount"/> samples: the values
    /// <see cref="Evaluate"/> writes for them, bit for bit (the mean is over all n), so that a pass over the samples in
    /// chunks needs no loss over the whole data first.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="h">Outputs of the range.</param>
    /// <param name="y">Labels of the range, as long as <paramref name="h"/>.</param>
    /// <param name="derivative">Receives ∂ℒ/∂hᵢ, as long as <paramref name="h"/>.</param>
    /// <param name="sampleCount">n, the number of samples of the whole data set.</param>
    void Derivative<T>(ReadOnlySpan<T> h, ReadOnlySpan<T> y, Span<T> derivative, int sampleCount)
        where T : struct, INumber<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>;
}
