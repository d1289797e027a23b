// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Models;

/// <summary>
/// A bias-free feed-forward network H(x; w) = W_L σ(W_{L−1} σ(… σ(W₁x))) with scalar output, whose
/// weights w live in one contiguous vector (<see cref="Layout"/>). With σ positively homogeneous of
/// degree p, H is positively homogeneous of degree 1 + p + … + p^{L−1} in w
/// (Kumar &amp; Haupt, arXiv 2403.08121). Provides batched outputs H(X; w), the vector–Jacobian product
/// Jᵀc (the gradient of cᵀH(X; w)), and the Jacobian–vector product J t, all exact and generic over
/// the scalar type.
/// <para>
/// Conventions for every method: X is n × d, row-major (sample i is row i); n is deduced from
/// X.Length / d. Every public method validates shapes and finiteness and throws an
/// <see cref="ArgumentException"/> naming the argument and the problem.
/// </para>
/// </summary>
public abstract class HomogeneousNetwork
{
    /// <summary>Initialises the shared parts.</summary>
    /// <param name="layout">Parameter layout.</param>
    /// <param name="activation">The activation σ.</param>
    protected HomogeneousNetwork(ParameterLayout layout, IActivation activation)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(activation);
        Layout = layout;
        Activation = activation;
    }

    /// <summary>The parameter layout.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>The activation σ.</summary>
    public IActivation Activation { get; }

    /// <summary>Input dimension d.</summary>
    public int InputDimension => Layout.InputDimension;

    /// <summary>Number of weights.</summary>
    public int ParameterCount => Layout.Count;

    /// <summary>Hidden widths k₁ … k_{L−1}.</summary>
    public IReadOnlyList<int> HiddenWidths => Layout.HiddenWidths;

    /// <summary>Number of weight matrices L (the depth).</summary>
    public int LayerCount => Layout.LayerCount;

    /// <summary>
    /// The homogeneity degree of H in all weights, 1 + p + … + p^{L−1} for a p-homogeneous σ
    /// (Kumar &amp; Haupt, arXiv 2403.08121); null when σ is not homogeneous.
    /// </summary>
    public virtual int? Degree
    {
        get
        {
            if (Activation.Degree is not int p) return null;
            int degree = 0;
            int power = 1;
            for (int l = 0; l < LayerCount; l++)
            {
                degree += power;
                power *= p;
            }
            return degree;
        }
    }

    /// <summary>A one-line description, e.g. <c>two-layer d=20 m=100 relu</c>.</summary>
    public abstract string Specification { get; }

    /// <summary>Allocates the buffers for evaluating this network on n samples in type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="sampleCount">n ≥ 1.</param>
    /// <returns>A new workspace.</returns>
    public NetworkWorkspace<T> CreateWorkspace<T>(int sampleCount) where T : struct, INumber<T>
    {
        Guard.Positive(sampleCount, nameof(sampleCount));
        return new NetworkWorkspace<T>(this, sampleCount);
    }

    /// <summary>The outputs h = H(X; w) for all n samples; keeps the intermediates in the workspace for <see cref="Backward"/>.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d row-major.</param>
    /// <param name="w">Weights, length <see cref="ParameterCount"/>.</param>
    /// <param name="h">Receives H(xᵢ; w), length n.</param>
    /// <param name="workspace">Buffers made by <see cref="CreateWorkspace"/> for n samples.</param>
    /// <exception cref="ArgumentException">A shape is wrong or a value is NaN or infinite.</exception>
    public void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> h, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>
    {
        int n = SampleCountOf(x);
        ValidateWorkspace(workspace, n);
        ValidateWeights(w, nameof(w));
        Guard.Length(h.Length, n, nameof(h), "one output per sample");
        workspace.HasForwardPass = false;
        ForwardCore(x, w, h, workspace);
        workspace.HasForwardPass = true;
    }

    /// <summary>
    /// The vector–Jacobian product Jᵀc = ∇_w Σᵢ cᵢ H(xᵢ; w), using the intermediates of the last
    /// <see cref="Forward"/> call on the same workspace, which must have been made with the same X and w.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d row-major (as passed to <see cref="Forward"/>).</param>
    /// <param name="w">Weights (as passed to <see cref="Forward"/>).</param>
    /// <param name="c">Cotangent over samples, length n.</param>
    /// <param name="gradient">Receives Jᵀc, length <see cref="ParameterCount"/>.</param>
    /// <param name="workspace">The workspace of the preceding forward pass.</param>
    /// <exception cref="ArgumentException">A shape is wrong, a value is not finite, or no forward pass preceded.</exception>
    public void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> c, Span<T> gradient, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>
    {
        int n = SampleCountOf(x);
        ValidateWorkspace(workspace, n);
        if (!workspace.HasForwardPass)
            throw new ArgumentException("workspace: Backward needs a preceding Forward on this workspace.", nameof(workspace));
        Guard.Length(w.Length, ParameterCount, nameof(w), "one per weight of the network");
        Guard.Length(c.Length, n, nameof(c), "one cotangent per sample");
        Guard.Finite(c, nameof(c));
        Guard.Length(gradient.Length, ParameterCount, nameof(gradient), "one per weight of the network");
        BackwardCore(x, w, c, gradient, workspace);
    }

    /// <summary>Forward then backward: the outputs h and the vector–Jacobian product Jᵀc.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d row-major.</param>
    /// <param name="w">Weights.</param>
    /// <param name="c">Cotangent over samples, length n.</param>
    /// <param name="h">Receives H(X; w), length n.</param>
    /// <param name="gradient">Receives Jᵀc, length <see cref="ParameterCount"/>.</param>
    /// <param name="workspace">Buffers for n samples.</param>
    /// <exception cref="ArgumentException">A shape is wrong or a value is not finite.</exception>
    public void Vjp<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> c, Span<T> h, Span<T> gradient, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>
    {
        Forward(x, w, h, workspace);
        Backward(x, w, c, gradient, workspace);
    }

    /// <summary>
    /// The Jacobian–vector product J t = d/dε H(X; w + ε t) at ε = 0, by forward propagation of
    /// tangents (independent of the backward pass, so ⟨c, J t⟩ = ⟨Jᵀc, t⟩ is a real check). Also
    /// returns the outputs and leaves the forward intermediates in the workspace.
    /// </summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d row-major.</param>
    /// <param name="w">Weights.</param>
    /// <param name="t">Tangent in weight space, length <see cref="ParameterCount"/>.</param>
    /// <param name="h">Receives H(X; w), length n.</param>
    /// <param name="jt">Receives J t, length n.</param>
    /// <param name="workspace">Buffers for n samples.</param>
    /// <exception cref="ArgumentException">A shape is wrong or a value is not finite.</exception>
    public void Jvp<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> t, Span<T> h, Span<T> jt, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>
    {
        int n = SampleCountOf(x);
        ValidateWorkspace(workspace, n);
        ValidateWeights(w, nameof(w));
        Guard.Length(t.Length, ParameterCount, nameof(t), "one per weight of the network");
        Guard.Finite(t, nameof(t));
        Guard.Length(h.Length, n, nameof(h), "one output per sample");
        Guard.Length(jt.Length, n, nameof(jt), "one output per sample");
        workspace.HasForwardPass = false;
        ForwardCore(x, w, h, workspace);
        workspace.HasForwardPass = true;
        JvpCore(x, w, t, jt, workspace);
    }

    /// <summary>The number of samples n = X.Length / d, after checking X's shape and values.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d row-major.</param>
    /// <returns>n.</returns>
    /// <exception cref="ArgumentException">X is empty, not a multiple of d, or holds NaN/∞.</exception>
    public int SampleCountOf<T>(ReadOnlySpan<T> x) where T : struct, INumber<T>
    {
        int d = InputDimension;
        if (x.Length == 0 || x.Length % d != 0)
            throw new ArgumentException($"x: has length {x.Length}, which is not n·d for n ≥ 1 and the network's input dimension d = {d}.", nameof(x));
        Guard.Finite(x, nameof(x));
        return x.Length / d;
    }

    private void ValidateWeights<T>(ReadOnlySpan<T> w, string name) where T : struct, INumber<T>
    {
        Guard.Length(w.Length, ParameterCount, name, "one per weight of the network");
        Guard.Finite(w, name);
    }

    private void ValidateWorkspace<T>(NetworkWorkspace<T> workspace, int n)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Network, this))
            throw new ArgumentException("workspace: was created by another network.", nameof(workspace));
        if (workspace.SampleCount != n)
            throw new ArgumentException($"workspace: was created for n = {workspace.SampleCount} samples, but x has n = {n}.", nameof(workspace));
    }

    /// <summary>Computes h = H(X; w) and fills the workspace's activations and derivatives. Inputs are validated.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d.</param>
    /// <param name="w">Weights.</param>
    /// <param name="h">Outputs, length n.</param>
    /// <param name="workspace">Buffers.</param>
    protected abstract void ForwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> h, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>;

    /// <summary>Computes Jᵀc from the workspace's forward intermediates. Inputs are validated.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d.</param>
    /// <param name="w">Weights.</param>
    /// <param name="c">Cotangent, length n.</param>
    /// <param name="gradient">Receives Jᵀc.</param>
    /// <param name="workspace">Buffers holding the forward intermediates.</param>
    protected abstract void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> c, Span<T> gradient, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>;

    /// <summary>Computes J t from the workspace's forward intermediates. Inputs are validated.</summary>
    /// <typeparam name="T">Scalar type.</typeparam>
    /// <param name="x">X, n × d.</param>
    /// <param name="w">Weights.</param>
    /// <param name="t">Tangent in weight space.</param>
    /// <param name="jt">Receives J t, length n.</param>
    /// <param name="workspace">Buffers holding the forward intermediates.</param>
    protected abstract void JvpCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> t, Span<T> jt, NetworkWorkspace<T> workspace)
        where T : struct, INumber<T>;

    /// <inheritdoc/>
    public override string ToString() => Specification;
}
