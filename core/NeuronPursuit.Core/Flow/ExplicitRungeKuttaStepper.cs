// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The step of an explicit Runge–Kutta method given by its tableau (Hairer, Nørsett &amp; Wanner,
/// "Solving ODEs I", 2nd ed., §II.1): stages k_i = f(t + c_i h, y + h Σⱼ a_ij k_j), solution
/// y + h Σ b_i k_i, error estimate h Σ e_i k_i. The default dense output is the cubic Hermite
/// interpolant through (y, f(y)) and (y_new, f(y_new)), of order 3; methods with a continuous
/// extension of higher order override <see cref="Interpolate"/>.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public class ExplicitRungeKuttaStepper<T> : IRungeKuttaStepper<T> where T : struct, INumber<T>
{
    private readonly T[] _c;
    private readonly T[][] _a;
    private readonly T[] _b;
    private readonly T[]? _e;
    private readonly bool _fsal;
    private readonly T[] _stageArgument;
    private readonly T[] _sum;

    /// <summary>Allocates the stages and buffers for the dimension.</summary>
    /// <param name="tableau">The method's tableau.</param>
    /// <param name="dimension">The dimension of y.</param>
    public ExplicitRungeKuttaStepper(ExplicitTableau tableau, int dimension)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        _c = TableauCoefficient.Parse<T>(tableau.C);
        _a = TableauCoefficient.Parse<T>(tableau.A);
        _b = TableauCoefficient.Parse<T>(tableau.B);
        _e = tableau.ErrorWeights is null ? null : TableauCoefficient.Parse<T>(tableau.ErrorWeights);
        _fsal = tableau.FirstSameAsLast;
        Dimension = dimension;
        K = new T[tableau.Stages][];
        for (int i = 0; i < K.Length; i++) K[i] = new T[dimension];
        _stageArgument = new T[dimension];
        _sum = new T[dimension];
        Start = new T[dimension];
        End = new T[dimension];
        StartSlope = new T[dimension];
        EndSlope = new T[dimension];
    }

    /// <summary>The dimension of y.</summary>
    protected int Dimension { get; }

    /// <summary>The stages k_i of the last step.</summary>
    protected T[][] K { get; }

    /// <summary>y at the start of the last step.</summary>
    protected T[] Start { get; }

    /// <summary>y at the end of the last step.</summary>
    protected T[] End { get; }

    /// <summary>f at the start of the last step.</summary>
    protected T[] StartSlope { get; }

    /// <summary>f at the end of the last step.</summary>
    protected T[] EndSlope { get; }

    /// <summary>Start time of the last step.</summary>
    protected T StartTime { get; private set; }

    /// <summary>Step size of the last step.</summary>
    protected T StepSize { get; private set; }

    /// <summary>The system of the last step (for continuous extensions that need extra stages).</summary>
    protected IOdeSystem<T>? LastSystem { get; private set; }

    /// <inheritdoc/>
    public int EvaluationsPerStep => _fsal ? K.Length - 1 : K.Length;

    /// <inheritdoc/>
    public void Step(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> error, Span<T> dydtNew)
    {
        int n = Dimension;
        dydt.CopyTo(K[0]);
        if (typeof(T) == typeof(DoubleDouble))
        {
            StepByAxpys(system, t, y, h, yNew, error);
            FinishStep(system, t, y, dydt, h, yNew, dydtNew);
            return;
        }
        // Stages 1 … s−1.
        for (int i = 1; i < K.Length; i++)
        {
            T[] row = _a[i];
            for (int k = 0; k < n; k++)
            {
                T sum = T.Zero;
                for (int j = 0; j < row.Length; j++) sum += row[j] * K[j][k];
                _stageArgument[k] = y[k] + h * sum;
            }
            system.Evaluate(t + _c[i] * h, _stageArgument, K[i]);
        }
        // Solution and error estimate.
        for (int k = 0; k < n; k++)
        {
            T sum = T.Zero;
            for (int j = 0; j < _b.Length; j++) sum += _b[j] * K[j][k];
            yNew[k] = y[k] + h * sum;
            if (_e is null)
            {
                error[k] = T.Zero;
                continue;
            }
            T errorSum = T.Zero;
            for (int j = 0; j < _e.Length; j++) errorSum += _e[j] * K[j][k];
            error[k] = h * errorSum;
        }
        FinishStep(system, t, y, dydt, h, yNew, dydtNew);
    }

    /// <summary>
    /// The stages, solution and error estimate of <see cref="Step"/> as whole-vector updates y ← y + a·x
    /// (<see cref="DenseKernels.Axpy{T}"/>, SIMD for <see cref="DoubleDouble"/>): element k sees the operations of the
    /// loops in <see cref="Step"/> in the same order (a sum from zero, s += a_ij·k_j; then y + h·s), so the results are
    /// the same bits, only the double-double arithmetic runs in vectors.
    /// </summary>
    private void StepByAxpys(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, T h, Span<T> yNew, Span<T> error)
    {
        for (int i = 1; i < K.Length; i++)
        {
            Combine(_a[i], _sum);
            y.CopyTo(_stageArgument);
            DenseKernels.Axpy(h, _sum, _stageArgument);
            system.Evaluate(t + _c[i] * h, _stageArgument, K[i]);
        }
        Combine(_b, _sum);
        y.CopyTo(yNew);
        DenseKernels.Axpy(h, _sum, yNew);
        if (_e is null)
        {
            error.Clear();
            return;
        }
        Combine(_e, _sum);
        for (int k = 0; k < Dimension; k++) error[k] = h * _sum[k];
    }

    /// <summary>
    /// sum ← Σⱼ coefficients[j]·K[j], accumulated from zero in the order of j by <see cref="DenseKernels.Axpy{T}"/>: for
    /// <see cref="DoubleDouble"/> element k has the bits of the loop <c>s = 0; s += coefficients[j] * K[j][k]</c>.
    /// </summary>
    protected void Combine(T[] coefficients, Span<T> sum)
    {
        sum.Fill(T.Zero);
        for (int j = 0; j < coefficients.Length; j++) DenseKernels.Axpy(coefficients[j], K[j], sum);
    }

    /// <summary>f at the new point, and the step's record for the dense output.</summary>
    private void FinishStep(IOdeSystem<T> system, T t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt, T h, Span<T> yNew, Span<T> dydtNew)
    {
        // f at the new point: the last stage when FSAL (its argument is y_new), else one more evaluation.
        if (_fsal) K[^1].CopyTo(dydtNew);
        else system.Evaluate(t + h, yNew, dydtNew);

        y.CopyTo(Start);
        yNew.CopyTo(End);
        dydt.CopyTo(StartSlope);
        dydtNew.CopyTo(EndSlope);
        StartTime = t;
        StepSize = h;
        LastSystem = system;
        OnStepCompleted();
    }

    /// <summary>Called after each step, before any interpolation; prepares a continuous extension.</summary>
    protected virtual void OnStepCompleted()
    {
    }

    /// <summary>Cubic Hermite interpolation (order 3) between the ends of the last step.</summary>
    /// <param name="theta">θ ∈ [0, 1].</param>
    /// <param name="y">Receives y(t + θh).</param>
    public virtual void Interpolate(T theta, Span<T> y) =>
        HermiteInterpolation.Cubic<T>(theta, StepSize, Start, StartSlope, End, EndSlope, y[..Dimension]);
}
