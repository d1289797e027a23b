// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>
/// Hairer's DOP853: the explicit Runge–Kutta method of order 8 of Dormand &amp; Prince (Prince &amp; Dormand 1981,
/// "High order embedded Runge–Kutta formulae", J. Comput. Appl. Math. 7), with the 5th-order error estimator
/// and the 7th-order continuous extension of Hairer, Nørsett &amp; Wanner ("Solving ODEs I", 2nd ed., §II.10);
/// coefficients transcribed with every digit of Hairer's dop853.f (version of 25 April 1996, corrected
/// 4 March 2002).
/// </summary>
/// <remarks>
/// <para>Stages. The method proper has 12 stages, the 12th at c = 1 but not at y(t + h). As in dop853.f,
/// f(t + h, y(t + h)) is one more evaluation; here it is the tableau's 13th stage, whose row of A is b, so the
/// stepper treats it as "first same as last": 12 evaluations per step.</para>
/// <para>Error estimate. As dop853.f, the step is controlled by the combined norm
/// |h|·‖err₅‖² / √(n(‖err₅‖² + 0.01 ‖err₃‖²)) of the 5th-order estimate err₅ = Σ eᵢ kᵢ (weights er) and the
/// 3rd-order estimate err₃ = Σ bᵢ kᵢ − (bhh₁ k₁ + bhh₂ k₉ + bhh₃ k₁₂), norms scaled by the tolerances
/// (<see cref="IScaledErrorNorm"/>). It behaves like h⁸, hence <see cref="EmbeddedOrder"/> = 7 for the
/// controller's exponent. The error vector returned by a step is h·err₅ alone (order h⁶), for diagnostics.</para>
/// <para>Dense output. The continuous extension needs 3 more stages (c = 1/10, 1/5, 7/9). They are evaluated
/// only when the step is first interpolated, so steps that are never interpolated cost 12 evaluations.
/// The interpolant is dop853.f's CONTD8: y(t + θh) = r₀ + θ(r₁ + (1−θ)(r₂ + θ(r₃ + (1−θ)(r₄ + θ(r₅ + (1−θ)(r₆ + θ r₇))))))
/// with r₀ = y₀, r₁ = y₁ − y₀, r₂ = h k₁ − r₁, r₃ = r₁ − h f(y₁) − r₂ and rₘ = h Σⱼ dₘⱼ kⱼ for m = 4…7.</para>
/// </remarks>
public sealed class Dop853 : IRungeKuttaMethod
{
    /// <summary>
    /// The tableau: 12 stages plus the FSAL stage f(t + h, y(t + h)) (row 13 of A is b). Decimals as printed in
    /// dop853.f (up to 30 significant digits); c₁₂ = c₁₃ = 1 are implied there.
    /// </summary>
    public static ExplicitTableau Tableau { get; } = new(
        [
            "0",
            "0.526001519587677318785587544488e-01",
            "0.789002279381515978178381316732e-01",
            "0.118350341907227396726757197510e+00",
            "0.281649658092772603273242802490e+00",
            "0.333333333333333333333333333333e+00",
            "0.25e+00",
            "0.307692307692307692307692307692e+00",
            "0.651282051282051282051282051282e+00",
            "0.6e+00",
            "0.857142857142857142857142857142e+00",
            "1",
            "1",
        ],
        [
            [],
            ["5.26001519587677318785587544488e-2"],
            ["1.97250569845378994544595329183e-2", "5.91751709536136983633785987549e-2"],
            ["2.95875854768068491816892993775e-2", "0", "8.87627564304205475450678981324e-2"],
            ["2.41365134159266685502369798665e-1", "0", "-8.84549479328286085344864962717e-1",
             "9.24834003261792003115737966543e-1"],
            ["3.7037037037037037037037037037e-2", "0", "0", "1.70828608729473871279604482173e-1",
             "1.25467687566822425016691814123e-1"],
            ["3.7109375e-2", "0", "0", "1.70252211019544039314978060272e-1", "6.02165389804559606850219397283e-2",
             "-1.7578125e-2"],
            ["3.70920001185047927108779319836e-2", "0", "0", "1.70383925712239993810214054705e-1",
             "1.07262030446373284651809199168e-1", "-1.53194377486244017527936158236e-2",
             "8.27378916381402288758473766002e-3"],
            ["6.24110958716075717114429577812e-1", "0", "0", "-3.36089262944694129406857109825e0",
             "-8.68219346841726006818189891453e-1", "2.75920996994467083049415600797e1",
             "2.01540675504778934086186788979e1", "-4.34898841810699588477366255144e1"],
            ["4.77662536438264365890433908527e-1", "0", "0", "-2.48811461997166764192642586468e0",
             "-5.90290826836842996371446475743e-1", "2.12300514481811942347288949897e1",
             "1.52792336328824235832596922938e1", "-3.32882109689848629194453265587e1",
             "-2.03312017085086261358222928593e-2"],
            ["-9.3714243008598732571704021658e-1", "0", "0", "5.18637242884406370830023853209e0",
             "1.09143734899672957818500254654e0", "-8.14978701074692612513997267357e0",
             "-1.85200656599969598641566180701e1", "2.27394870993505042818970056734e1",
             "2.49360555267965238987089396762e0", "-3.0467644718982195003823669022e0"],
            ["2.27331014751653820792359768449e0", "0", "0", "-1.05344954667372501984066689879e1",
             "-2.00087205822486249909675718444e0", "-1.79589318631187989172765950534e1",
             "2.79488845294199600508499808837e1", "-2.85899827713502369474065508674e0",
             "-8.87285693353062954433549289258e0", "1.23605671757943030647266201528e1",
             "6.43392746015763530355970484046e-1"],
            // FSAL stage: its argument is y(t + h).
            ["5.42937341165687622380535766363e-2", "0", "0", "0", "0", "4.45031289275240888144113950566e0",
             "1.89151789931450038304281599044e0", "-5.8012039600105847814672114227e0",
             "3.1116436695781989440891606237e-1", "-1.52160949662516078556178806805e-1",
             "2.01365400804030348374776537501e-1", "4.47106157277725905176885569043e-2"],
        ],
        ["5.42937341165687622380535766363e-2", "0", "0", "0", "0", "4.45031289275240888144113950566e0",
         "1.89151789931450038304281599044e0", "-5.8012039600105847814672114227e0",
         "3.1116436695781989440891606237e-1", "-1.52160949662516078556178806805e-1",
         "2.01365400804030348374776537501e-1", "4.47106157277725905176885569043e-2", "0"],
        // e = b − b̂ with b̂ of order 5 (er1 … er12 of dop853.f).
        ["0.1312004499419488073250102996e-01", "0", "0", "0", "0", "-0.1225156446376204440720569753e+01",
         "-0.4957589496572501915214079952e+00", "0.1664377182454986536961530415e+01",
         "-0.3503288487499736816886487290e+00", "0.3341791187130174790297318841e+00",
         "0.8192320648511571246570742613e-01", "-0.2235530786388629525884427845e-01", "0"],
        true);

    /// <summary>Nodes c₁₄, c₁₅, c₁₆ of the stages of the continuous extension.</summary>
    public static string[] DenseStageNodes { get; } =
        ["0.1e+00", "0.2e+00", "0.777777777777777777777777777778e+00"];

    /// <summary>Rows 14–16 of A (stages of the continuous extension; row i holds a_{i,1..i−1}).</summary>
    public static string[][] DenseStages { get; } =
    [
        ["5.61675022830479523392909219681e-2", "0", "0", "0", "0", "0", "2.53500210216624811088794765333e-1",
         "-2.46239037470802489917441475441e-1", "-1.24191423263816360469010140626e-1",
         "1.5329179827876569731206322685e-1", "8.20105229563468988491666602057e-3",
         "7.56789766054569976138603589584e-3", "-8.298e-3"],
        ["3.18346481635021405060768473261e-2", "0", "0", "0", "0", "2.83009096723667755288322961402e-2",
         "5.35419883074385676223797384372e-2", "-5.49237485713909884646569340306e-2", "0", "0",
         "-1.08347328697249322858509316994e-4", "3.82571090835658412954920192323e-4",
         "-3.40465008687404560802977114492e-4", "1.41312443674632500278074618366e-1"],
        ["-4.28896301583791923408573538692e-1", "0", "0", "0", "0", "-4.69762141536116384314449447206e0",
         "7.68342119606259904184240953878e0", "4.06898981839711007970213554331e0",
         "3.56727187455281109270669543021e-1", "0", "0", "0", "-1.39902416515901462129418009734e-3",
         "2.9475147891527723389556272149e0", "-9.15095847217987001081870187138e0"],
    ];

    /// <summary>Coefficients d₄ … d₇ of the continuous extension, each over the 16 stages (stage 13 is f(y₁)).</summary>
    public static string[][] DenseOutput { get; } =
    [
        ["-0.84289382761090128651353491142e+01", "0", "0", "0", "0", "0.56671495351937776962531783590e+00",
         "-0.30689499459498916912797304727e+01", "0.23846676565120698287728149680e+01",
         "0.21170345824450282767155149946e+01", "-0.87139158377797299206789907490e+00",
         "0.22404374302607882758541771650e+01", "0.63157877876946881815570249290e+00",
         "-0.88990336451333310820698117400e-01", "0.18148505520854727256656404962e+02",
         "-0.91946323924783554000451984436e+01", "-0.44360363875948939664310572000e+01"],
        ["0.10427508642579134603413151009e+02", "0", "0", "0", "0", "0.24228349177525818288430175319e+03",
         "0.16520045171727028198505394887e+03", "-0.37454675472269020279518312152e+03",
         "-0.22113666853125306036270938578e+02", "0.77334326684722638389603898808e+01",
         "-0.30674084731089398182061213626e+02", "-0.93321305264302278729567221706e+01",
         "0.15697238121770843886131091075e+02", "-0.31139403219565177677282850411e+02",
         "-0.93529243588444783865713862664e+01", "0.35816841486394083752465898540e+02"],
        ["0.19985053242002433820987653617e+02", "0", "0", "0", "0", "-0.38703730874935176555105901742e+03",
         "-0.18917813819516756882830838328e+03", "0.52780815920542364900561016686e+03",
         "-0.11573902539959630126141871134e+02", "0.68812326946963000169666922661e+01",
         "-0.10006050966910838403183860980e+01", "0.77771377980534432092869265740e+00",
         "-0.27782057523535084065932004339e+01", "-0.60196695231264120758267380846e+02",
         "0.84320405506677161018159903784e+02", "0.11992291136182789328035130030e+02"],
        ["-0.25693933462703749003312586129e+02", "0", "0", "0", "0", "-0.15418974869023643374053993627e+03",
         "-0.23152937917604549567536039109e+03", "0.35763911791061412378285349910e+03",
         "0.93405324183624310003907691704e+02", "-0.37458323136451633156875139351e+02",
         "0.10409964950896230045147246184e+03", "0.29840293426660503123344363579e+02",
         "-0.43533456590011143754432175058e+02", "0.96324553959188282948394950600e+02",
         "-0.39177261675615439165231486172e+02", "-0.14972683625798562581422125276e+03"],
    ];

    /// <summary>bhh₁, bhh₂, bhh₃ of dop853.f: the weights of k₁, k₉, k₁₂ in the 3rd-order solution (31/127, …, 3/136).</summary>
    public static string[] ThirdOrderWeights { get; } =
        ["0.244094488188976377952755905512e+00", "0.733846688281611857341361741547e+00", "0.220588235294117647058823529412e-01"];

    /// <inheritdoc/>
    public string Name => "dop853";

    /// <inheritdoc/>
    public int Order => 8;

    /// <inheritdoc/>
    public int? EmbeddedOrder => 7;

    /// <inheritdoc/>
    public int DenseOutputOrder => 7;

    /// <inheritdoc/>
    public string Reference => "Prince & Dormand (1981); error estimator and dense output of Hairer's DOP853 (HNW I, §II.10)";

    /// <inheritdoc/>
    public bool RequiresJacobian => false;

    /// <inheritdoc/>
    public IRungeKuttaStepper<T> CreateStepper<T>(int dimension)
        where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
        => new Stepper<T>(dimension);

    /// <summary>The DOP853 step with its 7th-order interpolant, whose 3 extra stages are evaluated on demand.</summary>
    private sealed class Stepper<T> : ExplicitRungeKuttaStepper<T>, IScaledErrorNorm where T : struct, INumber<T>
    {
        private readonly T[] _er = TableauCoefficient.Parse<T>(Tableau.ErrorWeights!);
        private readonly T[] _bhh = TableauCoefficient.Parse<T>(ThirdOrderWeights);

        private readonly T[] _cDense = TableauCoefficient.Parse<T>(DenseStageNodes);
        private readonly T[][] _aDense = TableauCoefficient.Parse<T>(DenseStages);
        private readonly T[][] _d = TableauCoefficient.Parse<T>(DenseOutput);
        private readonly T[][] _kDense;
        private readonly T[] _stageArgument;
        private readonly T[][] _r;
        private bool _prepared;

        public Stepper(int dimension) : base(Tableau, dimension)
        {
            _kDense = new T[_cDense.Length][];
            for (int i = 0; i < _kDense.Length; i++) _kDense[i] = new T[dimension];
            _stageArgument = new T[dimension];
            _r = new T[8][];
            for (int m = 0; m < _r.Length; m++) _r[m] = new T[dimension];
        }

        protected override void OnStepCompleted() => _prepared = false;

        /// <summary>dop853.f's combined estimate |h|·err5² / √(n·(err5² + 0.01·err3²)) from the stages of the last step.</summary>
        public double ScaledErrorNorm(ReadOnlySpan<double> scale)
        {
            double err5 = 0.0, err3 = 0.0;
            for (int k = 0; k < Dimension; k++)
            {
                T e5 = T.Zero;
                for (int j = 0; j < _er.Length; j++) e5 += _er[j] * K[j][k];
                // Σ bᵢ kᵢ is the increment (y₁ − y₀)/h of the step.
                T increment = (End[k] - Start[k]) / StepSize;
                T e3 = increment - (_bhh[0] * K[0][k] + _bhh[1] * K[8][k] + _bhh[2] * K[11][k]);
                double r5 = ErrorScaling.Ratio(Scalar.ToDouble(e5), scale[k]);
                double r3 = ErrorScaling.Ratio(Scalar.ToDouble(e3), scale[k]);
                err5 += r5 * r5;
                err3 += r3 * r3;
            }
            double denominator = err5 + 0.01 * err3;
            if (denominator <= 0.0) denominator = 1.0;
            if (double.IsPositiveInfinity(denominator)) return double.PositiveInfinity;
            return Math.Abs(Scalar.ToDouble(StepSize)) * err5 / Math.Sqrt(Dimension * denominator);
        }

        public override void Interpolate(T theta, Span<T> y)
        {
            if (!_prepared) Prepare();
            T theta1 = T.One - theta;
            T[] r0 = _r[0], r1 = _r[1], r2 = _r[2], r3 = _r[3], r4 = _r[4], r5 = _r[5], r6 = _r[6], r7 = _r[7];
            for (int k = 0; k < Dimension; k++)
            {
                T inner = r4[k] + theta * (r5[k] + theta1 * (r6[k] + theta * r7[k]));
                y[k] = r0[k] + theta * (r1[k] + theta1 * (r2[k] + theta * (r3[k] + theta1 * inner)));
            }
        }

        /// <summary>Evaluates stages 14–16 and the coefficients r₀ … r₇ of the interpolant (dop853.f, CONT).</summary>
        private void Prepare()
        {
            IOdeSystem<T> system = LastSystem ?? throw new InvalidOperationException("Interpolate called before the first step.");
            int n = Dimension;
            T h = StepSize;
            int baseStages = K.Length;

            // Stages 14, 15, 16: each may use every stage before it, those of the step and the earlier extra ones.
            for (int i = 0; i < _kDense.Length; i++)
            {
                T[] row = _aDense[i];
                for (int k = 0; k < n; k++)
                {
                    T sum = T.Zero;
                    for (int j = 0; j < row.Length; j++) sum += row[j] * StageValue(j, baseStages)[k];
                    _stageArgument[k] = Start[k] + h * sum;
                }
                system.Evaluate(StartTime + _cDense[i] * h, _stageArgument, _kDense[i]);
            }

            // Hermite part r₀ … r₃ and the corrections r₄ … r₇ = h Σⱼ dₘⱼ kⱼ.
            for (int k = 0; k < n; k++)
            {
                T difference = End[k] - Start[k];
                T spline = h * StartSlope[k] - difference;
                _r[0][k] = Start[k];
                _r[1][k] = difference;
                _r[2][k] = spline;
                _r[3][k] = difference - h * EndSlope[k] - spline;
                for (int m = 0; m < _d.Length; m++)
                {
                    T[] dm = _d[m];
                    T sum = T.Zero;
                    for (int j = 0; j < dm.Length; j++) sum += dm[j] * StageValue(j, baseStages)[k];
                    _r[4 + m][k] = h * sum;
                }
            }
            _prepared = true;
        }

        /// <summary>Stage j (0-based) of the 16: the step's 13 stages, then the 3 extra ones.</summary>
        private T[] StageValue(int j, int baseStages) => j < baseStages ? K[j] : _kDense[j - baseStages];
    }
}
