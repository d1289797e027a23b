// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The gradient flow dw/dt = −∇ℒ(w) of an objective (Kumar &amp; Haupt, arXiv 2402.09226, 2403.08121): the ODE the
/// papers' claims are about. Counts its evaluations. Given the objective's Hessian–vector product, it
/// also provides the exact Jacobian −∇²ℒ(w), from <see cref="HessianVectorProduct{T}.Hessian"/> (closed form
/// for two-layer networks, otherwise column by column from P products with unit vectors).
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class GradientFlowSystem<T> : IOdeSystem<T>, IJacobian<T>, ISymmetricJacobianProduct, IReplicableSystem<T>
    where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
{
    private readonly HessianVectorProduct<T>? _hessian;
    private readonly LossObjective<double>? _doubleLoss;

    /// <summary>Wraps an objective ℒ, and optionally its Hessian–vector product for the Jacobian.</summary>
    /// <param name="objective">ℒ with its gradient.</param>
    /// <param name="hessian">∇²ℒ·v, needed by stiff methods; null otherwise.</param>
    public GradientFlowSystem(IObjective<T> objective, HessianVectorProduct<T>? hessian = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (hessian is not null && hessian.Dimension != objective.Dimension)
            throw new ArgumentException($"hessian: has dimension {hessian.Dimension}, the objective {objective.Dimension}.", nameof(hessian));
        Objective = objective;
        _hessian = hessian;
        // The Jacobian's products in double come from the training loss in double (the same loss in any precision).
        if (hessian is not null && objective is LossObjective<T> loss)
        {
            LossObjective<double> inDouble = loss is LossObjective<double> same ? same : new(loss.Network, loss.Loss, loss.Data.To<double>());
            if (inDouble.HasFastHessianProducts) _doubleLoss = inDouble;
        }
    }

    /// <summary>Whether −∇²ℒ can be applied in double to blocks of vectors (a training loss of a network in the feed-forward layout).</summary>
    public bool HasJacobianProduct => _doubleLoss is not null;

    /// <summary>−∇²ℒ(w)·vᵣ in double, by forward-over-reverse passes (no Hessian is formed).</summary>
    /// <param name="y">w in double.</param>
    /// <param name="vectors">The vᵣ as rows of <paramref name="leading"/> entries.</param>
    /// <param name="count">The number of vectors.</param>
    /// <param name="leading">The distance between rows.</param>
    /// <param name="products">Receives −∇²ℒ(w)·vᵣ in the same layout.</param>
    /// <exception cref="InvalidOperationException">The objective is not a training loss with the fast passes.</exception>
    public void JacobianProducts(ReadOnlySpan<double> y, ReadOnlySpan<double> vectors, int count, int leading, Span<double> products)
    {
        if (_doubleLoss is null)
            throw new InvalidOperationException("this gradient flow has no Jacobian products in double; use its dense Jacobian.");
        _doubleLoss.HessianVectorProducts(y, vectors, count, leading, products);
        int p = Dimension;
        for (int r = 0; r < count; r++)
        {
            Span<double> row = products.Slice(r * leading, p);
            for (int k = 0; k < p; k++) row[k] = -row[k];
        }
    }

    /// <inheritdoc/>
    public long JacobianEvaluations { get; private set; }

    /// <summary>Whether the Hessian–vector product was given, so that −∇²ℒ can be evaluated.</summary>
    public bool HasJacobian => _hessian is not null;

    /// <summary>−∇²ℒ(w).</summary>
    /// <param name="t">Time (unused: the flow is autonomous).</param>
    /// <param name="y">w.</param>
    /// <param name="jacobian">Receives −∇²ℒ(w), row-major P × P.</param>
    /// <exception cref="InvalidOperationException">No Hessian–vector product was given.</exception>
    public void Jacobian(T t, ReadOnlySpan<T> y, Span<T> jacobian)
    {
        if (_hessian is null)
            throw new InvalidOperationException("this gradient flow was built without a Hessian–vector product; stiff methods need one.");
        _hessian.Hessian(y, jacobian);
        for (int k = 0; k < jacobian.Length; k++) jacobian[k] = -jacobian[k];
        JacobianEvaluations++;
    }

    /// <summary>The objective ℒ.</summary>
    public IObjective<T> Objective { get; }

    /// <inheritdoc/>
    public int Dimension => Objective.Dimension;

    /// <summary>The number of evaluations of −∇ℒ by this system so far (a stiff method may evaluate some of its stages on a
    /// replica; its statistics count them all).</summary>
    public long Evaluations { get; private set; }

    /// <summary>ℒ at the argument of the last evaluation.</summary>
    public T LastValue { get; private set; }

    /// <inheritdoc/>
    public void Evaluate(T t, ReadOnlySpan<T> y, Span<T> dydt)
    {
        LastValue = Objective.ValueAndGradient(y, dydt);
        for (int k = 0; k < dydt.Length; k++) dydt[k] = -dydt[k];
        Evaluations++;
    }

    /// <summary>One loss and gradient of a training loss (<see cref="FeatureMajorNetwork.EvaluationWork"/>, ≈ 6nP flop); 0
    /// for other objectives (no replica).</summary>
    double IReplicableSystem<T>.EvaluationWork =>
        Objective is LossObjective<T> loss ? FeatureMajorNetwork.EvaluationWork(loss.Data.Count, Dimension) : 0.0;

    /// <summary>The flow of a new <see cref="LossObjective{T}"/> of the same network, loss and data (its passes are
    /// deterministic and fixed by the shapes, so it computes the same bits); null for other objectives, and for a loss
    /// whose evaluations already split their samples between the two processors.</summary>
    IOdeSystem<T>? IReplicableSystem<T>.CreateReplica() =>
        Objective is LossObjective<T> { SplitsSamples: false } loss
            ? new GradientFlowSystem<T>(new LossObjective<T>(loss.Network, loss.Loss, loss.Data))
            : null;
}
