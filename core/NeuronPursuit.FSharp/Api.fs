// SPDX-License-Identifier: MIT
/// The scripting surface: curried functions over the core, in DiffSharp's naming grammar
/// (`grad f w`, `hvp f w v`; `f…` also returns the value, `num…` is the finite-difference twin),
/// so that a script reads like the paper. Everything in scripts, checks, CLI and tests goes through it.
[<AutoOpen>]
module NeuronPursuit.Api

open System
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives

/// Activations σ of the papers.
module Activation =
    /// σ(z) = max(z, 0).
    let relu = Activations.Relu
    /// σ(z) = max(z, αz).
    let leakyRelu (alpha: float) = Activations.LeakyRelu alpha
    /// σ(z) = max(z, 0)ᵖ.
    let reluPower (p: int) = Activations.ReluPower p
    /// σ(z) = max(z, αz)ᵖ.
    let leakyReluPower (alpha: float) (p: int) = Activations.LeakyReluPower(alpha, p)
    /// Parses `relu | leaky-relu:α | relu-power:p | leaky-relu-power:α:p`.
    let parse (spec: string) = Activations.Parse spec

/// Homogeneous networks.
module Net =
    /// H(x; W, v) = Σⱼ vⱼ σ(wⱼᵀx) with d inputs and m hidden neurons.
    let twoLayer (d: int) (m: int) (sigma: IActivation) : HomogeneousNetwork = TwoLayerNetwork(d, m, sigma)
    /// H(x) = W_L σ(… σ(W₁x)) with d inputs and hidden widths k₁ … k_{L−1}.
    let feedForward (d: int) (widths: int list) (sigma: IActivation) : HomogeneousNetwork =
        FeedForwardNetwork(d, List.toArray widths, sigma)
    /// The homogeneity degree L of H in its weights (fails for a non-homogeneous σ).
    let degree (net: HomogeneousNetwork) =
        if net.Degree.HasValue then net.Degree.Value
        else invalidArg "net" $"net: {net.Specification} is not positively homogeneous."
    /// The number of weights P.
    let parameterCount (net: HomogeneousNetwork) = net.ParameterCount

/// Data sets.
module Data =
    /// A data set from rows xᵢ and labels yᵢ.
    let ofRows (rows: float[][]) (y: float[]) =
        if rows.Length = 0 then invalidArg "rows" "rows: the data set has no samples."
        let d = rows.[0].Length
        rows |> Array.iteri (fun i r ->
            if r.Length <> d then invalidArg "rows" $"rows: row {i} has {r.Length} values, row 0 has {d}.")
        DataSet<float>(ReadOnlySpan(Array.concat rows), ReadOnlySpan y, d)
    /// Reads a CSV data set (header x1..xd,y).
    let readCsv (path: string) = CsvDataReader.Read path
    /// Writes a CSV data set.
    let writeCsv (path: string) (data: DataSet<float>) = CsvDataReader.Write(path, data)
    /// The same data in double-double.
    let toDoubleDouble (data: DataSet<float>) = data.To<DoubleDouble>()
    /// The same inputs with labels replaced (e.g. by a residual).
    let withLabels (labels: float[]) (data: DataSet<float>) = data.WithLabels(ReadOnlySpan labels)
    /// A built-in example by name.
    let example (name: string) (seed: int64) = ExampleData.Get(name, seed)

/// Weight vectors in a network's layout.
module Weights =
    /// δ · w₀ with w₀ having i.i.d. N(0, 1) entries from the seed: the papers' small initialisation.
    let gaussian (seed: int64) (delta: float) (net: HomogeneousNetwork) =
        let w = Array.zeroCreate<float> net.ParameterCount
        SeededRandom(seed).FillGaussian(Span w, delta)
        w
    /// Reads a weights file for a network (one number per line, layout of the network).
    let read (net: HomogeneousNetwork) (path: string) = WeightsFile.Read<float>(path, Nullable net.ParameterCount)
    /// Writes a weights file with the network recorded in a comment line.
    let write (net: HomogeneousNetwork) (path: string) (w: float[]) =
        WeightsFile.Write<float>(path, ReadOnlySpan w, [| net.Specification |])
    /// Converts to double-double.
    let toDoubleDouble (w: float[]) = Scalar.ToArray<DoubleDouble>(ReadOnlySpan w)
    /// Rounds to double.
    let toDouble (w: 'T[]) = Scalar.ToDoubleArray<'T>(ReadOnlySpan w)

/// Vector helpers.
module Vec =
    /// ⟨x, y⟩.
    let dot (x: 'T[]) (y: 'T[]) =
        if x.Length <> y.Length then invalidArg "y" $"y: has length {y.Length}, but x has length {x.Length}."
        DenseKernels.Dot<'T>(ReadOnlySpan x, ReadOnlySpan y)
    /// ‖x‖₂ in double.
    let norm (x: 'T[]) = Math.Sqrt(Scalar.ToDouble(DenseKernels.Dot<'T>(ReadOnlySpan x, ReadOnlySpan x)))

/// H(X; w) for every sample of the data set.
let outputs (net: HomogeneousNetwork) (data: DataSet<'T>) (w: 'T[]) =
    let h = Array.zeroCreate<'T> data.Count
    net.Forward<'T>(data.X, ReadOnlySpan w, Span h, net.CreateWorkspace<'T>(data.Count))
    h

/// The Jacobian–vector product J t = d/dε H(X; w + ε t) (forward mode).
let jacobianv (net: HomogeneousNetwork) (data: DataSet<'T>) (w: 'T[]) (t: 'T[]) =
    let h = Array.zeroCreate<'T> data.Count
    let jt = Array.zeroCreate<'T> data.Count
    net.Jvp<'T>(data.X, ReadOnlySpan w, ReadOnlySpan t, Span h, Span jt, net.CreateWorkspace<'T>(data.Count))
    jt

/// The vector–Jacobian product Jᵀc = ∇_w Σᵢ cᵢ H(xᵢ; w) (reverse mode).
let jacobianTv (net: HomogeneousNetwork) (data: DataSet<'T>) (w: 'T[]) (c: 'T[]) =
    let h = Array.zeroCreate<'T> data.Count
    let g = Array.zeroCreate<'T> net.ParameterCount
    net.Vjp<'T>(data.X, ReadOnlySpan w, ReadOnlySpan c, Span h, Span g, net.CreateWorkspace<'T>(data.Count))
    g

/// Square loss ½Σᵢ(hᵢ − yᵢ)² (the papers' normalisation).
let squareLoss : ILoss = SquareLoss(LossNormalisation.Sum)
/// Square loss ½·(1/n)Σᵢ(hᵢ − yᵢ)².
let squareLossMean : ILoss = SquareLoss(LossNormalisation.Mean)
/// Logistic loss Σᵢ ln(1 + exp(−yᵢhᵢ)).
let logisticLoss : ILoss = LogisticLoss(LossNormalisation.Sum)

/// The training loss ℒ(w) = ℓ(H(X; w), y) of a network on data, with gradient and HVP.
let lossWith (loss: ILoss) (net: HomogeneousNetwork) (data: DataSet<'T>) : Fn<'T> =
    { Objective = LossObjective<'T>(net, loss, data)
      Hessian = Some(lazy (Objective.LossHessian<'T>(net, loss, data)))
      Description = $"{loss.Specification} loss of {net.Specification}" }

/// The square-loss training objective ½Σᵢ(H(xᵢ; w) − yᵢ)².
let loss (net: HomogeneousNetwork) (data: DataSet<'T>) = lossWith squareLoss net data

/// The neural correlation function N(u) = yᵀH(X; u) (Kumar & Haupt, TMLR 2024, eq. 5).
let ncf (net: HomogeneousNetwork) (data: DataSet<'T>) : Fn<'T> =
    { Objective = NeuralCorrelationFunction<'T>(net, data)
      Hessian = Some(lazy (Objective.CorrelationHessian<'T>(net, data)))
      Description = $"NCF of {net.Specification}" }

/// f(w).
let value (f: Fn<'T>) (w: 'T[]) = f.Objective.Value(ReadOnlySpan w)

/// f(w) and ∇f(w).
let fgrad (f: Fn<'T>) (w: 'T[]) =
    let g = Array.zeroCreate<'T> f.Objective.Dimension
    let v = f.Objective.ValueAndGradient(ReadOnlySpan w, Span g)
    v, g

/// ∇f(w).
let grad (f: Fn<'T>) (w: 'T[]) = snd (fgrad f w)

/// ∇²f(w)·v, exact (forward-over-reverse).
let hvp (f: Fn<'T>) (w: 'T[]) (v: 'T[]) =
    match f.Hessian with
    | None -> invalidOp $"{f.Description} has no Hessian–vector product."
    | Some h ->
        let product = Array.zeroCreate<'T> f.Objective.Dimension
        h.Value.Apply(ReadOnlySpan w, ReadOnlySpan v, Span product, Span.Empty) |> ignore
        product

/// Central finite-difference gradient with step h (the twin of `grad`).
let numgrad (h: 'T) (f: Fn<'T>) (w: 'T[]) =
    let g = Array.zeroCreate<'T> f.Objective.Dimension
    FiniteDifference.Gradient<'T>(f.Objective, ReadOnlySpan w, h, Span g)
    g

/// Central finite difference of gradients along v with step h (the twin of `hvp`).
let numhvp (h: 'T) (f: Fn<'T>) (w: 'T[]) (v: 'T[]) =
    let product = Array.zeroCreate<'T> f.Objective.Dimension
    FiniteDifference.HessianVector<'T>(f.Objective, ReadOnlySpan w, ReadOnlySpan v, h, Span product)
    product

/// Gradient flow dw/dt = −∇f(w) of an objective, integrated to a stated accuracy.
module Flow =
    /// Default step control (rtol 1e-8, atol 1e-12).
    let defaults = IntegrationOptions()
    /// Purely relative step control with tolerance rtol (atol = 0): for weights many orders below 1.
    let relative (rtol: float) = IntegrationOptions(RelativeTolerance = rtol, AbsoluteTolerance = 0.0)
    /// A method by name: euler | rk4 | dp5 | …
    let method (name: string) = MethodRegistry.Get name
    /// A recorder of named quantities at the given times.
    let recorder (times: float seq) (quantities: FlowQuantity list) = QuantityRecorder(times, quantities)
    /// Integrates the gradient flow of f from w₀ at t = 0 to t_end with the method and options, feeding the
    /// observers and locating the events.
    let solveWith (m: IRungeKuttaMethod) (options: IntegrationOptions) (observers: IFlowObserver list) (events: FlowEvent list)
                  (f: Fn<'T>) (w0: 'T[]) (tEnd: float) =
        FlowSolver.Solve<'T>(GradientFlowSystem<'T>(f.Objective), m, Scalar.FromDouble<'T> 0.0, ReadOnlySpan w0, Scalar.FromDouble<'T> tEnd,
                             options, List.toArray events, List.toArray observers)
    /// Integrates the gradient flow of f from w₀ to t_end with Dormand–Prince 5(4) under the given options.
    let solve (options: IntegrationOptions) (f: Fn<'T>) (w0: 'T[]) (tEnd: float) =
        solveWith (DormandPrince54()) options [] [] f w0 tEnd
    /// A terminal event: ‖w‖ rises through the level r (escape from the origin).
    let escapeAt (r: float) =
        FlowEvents.NormCrosses(r)
