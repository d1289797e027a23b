// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// The deep bias-free feed-forward network H(x) = W_L σ(W_{L−1} σ(… σ(W₁x))) with scalar output,
/// W_l of size k_l × k_{l−1}, k₀ = d, k_L = 1 (Kumar &amp; Haupt, arXiv 2403.08121). Derivatives by
/// backpropagation (reverse mode) and by forward tangent propagation (forward mode).
/// </summary>
public sealed class FeedForwardNetwork : HomogeneousNetwork
{
    /// <summary>Creates a feed-forward network.</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <param name="hiddenWidths">k₁ … k_{L−1}, at least one hidden layer, each width ≥ 1.</param>
    /// <param name="activation">σ.</param>
    /// <exception cref="ArgumentException">No hidden layer, or a dimension is not positive.</exception>
    public FeedForwardNetwork(int inputDimension, IReadOnlyList<int> hiddenWidths, IActivation activation)
        : base(new ParameterLayout(inputDimension, RequireHidden(hiddenWidths)), activation)
    {
    }

    private static IReadOnlyList<int> RequireHidden(IReadOnlyList<int> hiddenWidths)
    {
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        if (hiddenWidths.Count == 0)
            throw new ArgumentException("hiddenWidths: a feed-forward network needs at least one hidden layer.", nameof(hiddenWidths));
        return hiddenWidths;
    }

    /// <inheritdoc/>
    public override string Specification =>
        $"ff d={InputDimension} widths={string.Join(',', HiddenWidths)} {Activation.Specification}";

    /// <inheritdoc/>
    protected override void ForwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> h, NetworkWorkspace<T> workspace)
    {
        int n = h.Length;
        int hidden = HiddenWidths.Count;
        ReadOnlySpan<T> input = x;
        for (int l = 0; l < hidden; l++)
        {
            LayerBlock block = Layout.Blocks[l];
            Span<T> z = workspace.ScratchA.AsSpan(0, n * block.Rows);
            // Z_l = A_{l−1} W_lᵀ, then A_l = σ(Z_l) and D_l = σ′(Z_l).
            DenseKernels.MultiplyTransposed(input, w.Slice(block.Offset, block.Count), z, n, block.Rows, block.Columns, workspace.BlockScratch);
            Activation.Evaluate<T>(z, workspace.Activations[l], workspace.Derivatives[l]);
            input = workspace.Activations[l];
        }
        LayerBlock output = Layout.Blocks[hidden];
        DenseKernels.MultiplyTransposed(input, w.Slice(output.Offset, output.Count), h, n, 1, output.Columns, workspace.BlockScratch);
    }

    /// <inheritdoc/>
    protected override void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> c, Span<T> gradient, NetworkWorkspace<T> workspace)
    {
        int n = c.Length;
        int hidden = HiddenWidths.Count;
        gradient.Clear();

        // G is ∂(cᵀH)/∂Z_l, the signal arriving at the pre-activations of layer l; at the output it is c.
        ReadOnlySpan<T> signal = c;
        T[] current = workspace.ScratchA;
        T[] next = workspace.ScratchB;
        for (int l = hidden; l >= 0; l--)
        {
            LayerBlock block = Layout.Blocks[l];
            ReadOnlySpan<T> input = l == 0 ? x : workspace.Activations[l - 1];
            // ∇W_l = G_lᵀ A_{l−1}.
            DenseKernels.AddTransposedTimes(signal, input, gradient.Slice(block.Offset, block.Count), n, block.Rows, block.Columns, workspace.BlockScratch);
            if (l == 0) break;

            // G_{l−1} = (G_l W_l) ⊙ σ′(Z_{l−1}).
            Span<T> previous = next.AsSpan(0, n * block.Columns);
            DenseKernels.Multiply(signal, w.Slice(block.Offset, block.Count), previous, n, block.Columns, block.Rows);
            T[] derivative = workspace.Derivatives[l - 1];
            for (int k = 0; k < previous.Length; k++) previous[k] *= derivative[k];
            signal = previous;
            (current, next) = (next, current);
        }
    }

    /// <inheritdoc/>
    protected override void JvpCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> t, Span<T> jt, NetworkWorkspace<T> workspace)
    {
        int n = jt.Length;
        int hidden = HiddenWidths.Count;

        // Tangents dA_l of the post-activations; dA₀ = dX = 0, so the first layer has only the T₁ term.
        Span<T> tangentInput = default;
        T[] current = workspace.ScratchB;
        T[] spare = workspace.ScratchC;
        for (int l = 0; l <= hidden; l++)
        {
            LayerBlock block = Layout.Blocks[l];
            ReadOnlySpan<T> input = l == 0 ? x : workspace.Activations[l - 1];
            Span<T> dz = l == hidden ? jt : current.AsSpan(0, n * block.Rows);
            // dZ_l = dA_{l−1} W_lᵀ + A_{l−1} T_lᵀ.
            DenseKernels.MultiplyTransposed(input, t.Slice(block.Offset, block.Count), dz, n, block.Rows, block.Columns, workspace.BlockScratch);
            if (l > 0)
                DenseKernels.MultiplyTransposed<T>(tangentInput, w.Slice(block.Offset, block.Count), dz, n, block.Rows, block.Columns, workspace.BlockScratch, accumulate: true);
            if (l == hidden) break;

            // dA_l = σ′(Z_l) ⊙ dZ_l.
            T[] derivative = workspace.Derivatives[l];
            for (int k = 0; k < dz.Length; k++) dz[k] *= derivative[k];
            tangentInput = dz;
            (current, spare) = (spare, current);
        }
    }
}
