// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Dormand–Prince 5(4) (Dormand &amp; Prince 1980, "A family of embedded Runge–Kutta formulae", J. Comput.
/// Appl. Math. 6), FSAL, 6 evaluations per step, with Shampine's 4th-order continuous extension
/// (Shampine 1986, "Some practical Runge–Kutta formulas", Math. Comp. 46; the coefficients d_i of Hairer's
/// DOPRI5). The propagated solution is the 5th-order one (local extrapolation).
/// </summary>
public sealed class DormandPrince54 : IRungeKuttaMethod
{
    /// <summary>The tableau, all coefficients exact rationals.</summary>
    public static ExplicitTableau Tableau { get; } = new(
        ["0", "1/5", "3/10", "4/5", "8/9", "1", "1"],
        [
            [],
            ["1/5"],
            ["3/40", "9/40"],
            ["44/45", "-56/15", "32/9"],
            ["19372/6561", "-25360/2187", "64448/6561", "-212/729"],
            ["9017/3168", "-355/33", "46732/5247", "49/176", "-5103/18656"],
            ["35/384", "0", "500/1113", "125/192", "-2187/6784", "11/84"],
        ],
        ["35/384", "0", "500/1113", "125/192", "-2187/6784", "11/84", "0"],
        // e = b − b̂ with b̂ = (5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40).
        ["71/57600", "0", "-71/16695", "71/1920", "-17253/339200", "22/525", "-1/40"],
        true);

    /// <summary>Coefficients d_i of the continuous extension (d₂ = 0).</summary>
    public static string[] DenseOutput { get; } =
        ["-12715105075/11282082432", "0", "87487479700/32700410799", "-10690763975/1880347072",
         "701980252875/199316789632", "-1453857185/822651844", "69997945/29380423"];

    /// <inheritdoc/>
    public string Name => "dp5";

    /// <inheritdoc/>
    public int Order => 5;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 4;

    /// <inheritdoc/>
    public int DenseOutputOrder => 4;

    /// <inheritdoc/>
    public string Reference => "Dormand & Prince (1980); dense output Shampine (1986) as in Hairer's DOPRI5";

    /// <inheritdoc/>
    public bool RequiresJacobian => false;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    /// <summary>The DP5 step with its 4th-order interpolant.</summary>
    private sealed class Stepper<T> : ExplicitRungeKuttaStepper<T>, IStiffnessEstimate where T : struct, INumber<T>
    {
        private readonly T[] _d = TableauCoefficient.Parse<T>(DenseOutput);
        private readonly T[] _a6 = TableauCoefficient.Parse<T>(Tableau.A[5]);

        /// <summary>
        /// Hairer's stiffness estimate of DOPRI5 (HNW II, §IV.2): h‖k₇ − k₆‖ / ‖y₇ − y₆‖ with the last two stages,
        /// both at c = 1; near the stability boundary their difference is dominated by the stiff components.
        /// </summary>
        public double StiffnessRatio
        {
            get
            {
                Prepare();
                return _stiffnessRatio;
            }
        }

        private double _stiffnessRatio;
        private bool _prepared = true;  // nothing to prepare before the first step
        private readonly T[] _difference;
        private readonly T[] _spline;
        private readonly T[] _spline2;
        private readonly T[] _correction;
        private readonly T[] _y6;

        public Stepper(int dimension) : base(Tableau, dimension)
        {
            _y6 = new T[dimension];
            _difference = new T[dimension];
            _spline = new T[dimension];
            _spline2 = new T[dimension];
            _correction = new T[dimension];
        }

        /// <summary>
        /// The interpolant and the stiffness estimate are formed from the step's stages at their first use after the
        /// step (<see cref="Prepare"/>), not at every step: a run that interpolates at a few observation times and
        /// never asks for the estimate (dp5 on its own) skips their O(P) work on most steps.
        /// </summary>
        protected override void OnStepCompleted() => _prepared = false;

        /// <summary>
        /// Hairer's form of the interpolant: y(t + θh) = y₀ + θ(Δ + (1−θ)(r₃ + θ(r₄ + (1−θ) r₅))) with
        /// Δ = y₁ − y₀, r₃ = h k₁ − Δ, r₄ = Δ − h k₇ − r₃, r₅ = h Σ dᵢ kᵢ, and the stiffness estimate, from the last
        /// step's stages (which stay as they are until the next step): the same values as formed at the step's end.
        /// </summary>
        private void Prepare()
        {
            if (_prepared) return;
            _prepared = true;
            T h = StepSize;
            // Σⱼ a₆ⱼkⱼ and Σᵢ dᵢkᵢ: by whole-vector axpys in double-double (the same bits as the loops, only in vectors).
            if (typeof(T) == typeof(DoubleDouble))
            {
                Combine(_a6, _y6);
                Combine(_d, _correction);
            }
            else
            {
                for (int k = 0; k < Dimension; k++)
                {
                    T y6Sum = T.Zero;
                    for (int j = 0; j < _a6.Length; j++) y6Sum += _a6[j] * K[j][k];
                    _y6[k] = y6Sum;
                    T sum = T.Zero;
                    for (int j = 0; j < _d.Length; j++) sum += _d[j] * K[j][k];
                    _correction[k] = sum;
                }
            }
            double numerator = 0.0, denominator = 0.0;
            for (int k = 0; k < Dimension; k++)
            {
                T y6 = Start[k] + h * _y6[k];
                double dk = Scalar.ToDouble(K[6][k] - K[5][k]);
                double dy = Scalar.ToDouble(End[k] - y6);
                numerator += dk * dk;
                denominator += dy * dy;
            }
            _stiffnessRatio = denominator > 0.0 ? Math.Abs(Scalar.ToDouble(h)) * Math.Sqrt(numerator / denominator) : 0.0;
            for (int k = 0; k < Dimension; k++)
            {
                T delta = End[k] - Start[k];
                T r3 = h * K[0][k] - delta;
                _difference[k] = delta;
                _spline[k] = r3;
                _spline2[k] = delta - h * K[6][k] - r3;
                _correction[k] = h * _correction[k];
            }
        }

        public override void Interpolate(T theta, Span<T> y)
        {
            Prepare();
            T theta1 = T.One - theta;
            for (int k = 0; k < Dimension; k++)
                y[k] = Start[k] + theta * (_difference[k] + theta1 * (_spline[k] + theta * (_spline2[k] + theta1 * _correction[k])));
        }
    }
}
