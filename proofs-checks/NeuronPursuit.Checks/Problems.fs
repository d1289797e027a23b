// SPDX-License-Identifier: MIT
/// The test problems of the checks, after the digest's reference simulations (`small-init-and-saddles.md`
/// §1.3, §2.4, §3.3), and the flow helpers they share. Random draws use the core's SeededRandom, not numpy's,
/// so samples differ from the reference simulation's: its numbers are compared in distribution, not digit by digit.
module NeuronPursuit.Checks.Problems

open System
open NeuronPursuit
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives

/// The loss of the sum-of-powers model.
type LossKind =
    /// ½Σ(H − y)².
    | Square
    /// s·Σ ln(1 + e^{−Hy}); A's scaling is s = 2 (−∂ℓ/∂H at 0 is y), s = 1 runs twice as slowly early on.
    | Logistic of scale: float

/// A's Figure-1 model H(x; W) = Σⱼ relu(wⱼᵀx)ᵖ + ε Σⱼ wⱼᵀx (Kumar & Haupt, TMLR 2024, §1.3 of the digest: p = 2, ε = 0,
/// a "single-layer squared ReLU network"), with W (m × d) row-major. For ε = 0 it is (p)-homogeneous and its output is
/// ≥ 0, so labels ≤ 0 make N ≤ 0 everywhere (the collapse branch). ε ≠ 0 adds a degree-1 part: a non-homogeneous
/// perturbation used to show that checks fail where homogeneity fails. `weights` are the labels for the loss, or the
/// correlation weights for the NCF (`ncf = true`: value Σ yᵢHᵢ, gradient Jᵀy).
type SumOfPowers(x: float[], weights: float[], d: int, m: int, p: int, eps: float, kind: LossKind, ncf: bool) =
    let n = weights.Length
    let h = Array.zeroCreate<float> n
    let c = Array.zeroCreate<float> n
    let forward (w: ReadOnlySpan<float>) =
        for i in 0 .. n - 1 do
            let mutable s = 0.0
            for j in 0 .. m - 1 do
                let mutable z = 0.0
                for k in 0 .. d - 1 do z <- z + w.[j * d + k] * x.[i * d + k]
                s <- s + (if z > 0.0 then pown z p else 0.0) + eps * z
            h.[i] <- s
    let value () =
        if ncf then
            let mutable s = 0.0
            for i in 0 .. n - 1 do
                s <- s + weights.[i] * h.[i]
                c.[i] <- weights.[i]
            s
        else
            match kind with
            | Square ->
                let mutable s = 0.0
                for i in 0 .. n - 1 do
                    let e = h.[i] - weights.[i]
                    s <- s + 0.5 * e * e
                    c.[i] <- -e
                s
            | Logistic scale ->
                let mutable s = 0.0
                for i in 0 .. n - 1 do
                    let margin = h.[i] * weights.[i]
                    s <- s + scale * (if margin > 0.0 then log (1.0 + exp -margin) else -margin + log (1.0 + exp margin))
                    c.[i] <- scale * weights.[i] / (1.0 + exp margin)
                s
    member _.Degree = p
    interface IObjective<float> with
        member _.Dimension = m * d
        member _.Value(w) =
            forward w
            value ()
        /// For the loss the gradient is ∇ℒ = −Jᵀc with c = −∂ℓ/∂H; for the NCF it is Jᵀy.
        member _.ValueAndGradient(w, gradient) =
            forward w
            let v = value ()
            gradient.Clear()
            for i in 0 .. n - 1 do
                for j in 0 .. m - 1 do
                    let mutable z = 0.0
                    for k in 0 .. d - 1 do z <- z + w.[j * d + k] * x.[i * d + k]
                    let slope = (if z > 0.0 then float p * pown z (p - 1) else 0.0) + eps
                    let coefficient = c.[i] * slope * (if ncf then 1.0 else -1.0)
                    for k in 0 .. d - 1 do gradient.[j * d + k] <- gradient.[j * d + k] + coefficient * x.[i * d + k]
            v

/// A problem: data, a model, its loss and NCF, its homogeneity degree, the initial direction w₀ (unit norm), and
/// the index blocks of its neurons (each hidden neuron's incoming + outgoing weights: the zero-preserving sets).
type Problem =
    { Name: string
      Description: string
      Degree: int
      Dimension: int
      Labels: float[]
      Loss: unit -> IObjective<float>
      LossWith: LossKind -> IObjective<float>
      Ncf: unit -> IObjective<float>
      NcfWithLabels: float[] -> IObjective<float>
      Blocks: int[] list
      Network: HomogeneousNetwork option
      Data: DataSet<float> option
      W0: float[] }

let private unitVector (v: float[]) =
    let n = sqrt (Array.sumBy (fun x -> x * x) v)
    Array.map (fun x -> x / n) v

/// A unit vector drawn from the seed.
let unitGaussian (seed: int64) (k: int) =
    let v = Array.zeroCreate k
    SeededRandom(seed).FillUnitSphere(Span v)
    v

let private relu2 z = if z > 0.0 then z * z else 0.0

/// A problem on a HomogeneousNetwork of the core.
let ofNetwork name description (net: HomogeneousNetwork) (data: DataSet<float>) (w0Seed: int64) =
    let blocks =
        [ for l in 1 .. net.HiddenWidths.Count do
            for j in 0 .. net.HiddenWidths.[l - 1] - 1 ->
                Array.append (net.Layout.IncomingIndices(l, j)) (net.Layout.OutgoingIndices(l, j)) ]
    { Name = name; Description = description; Degree = Net.degree net; Dimension = net.ParameterCount
      Labels = data.Y.ToArray()
      Loss = fun () -> LossObjective<float>(net, squareLoss, data) :> IObjective<float>
      LossWith = fun kind ->
        match kind with
        | Square -> LossObjective<float>(net, squareLoss, data) :> IObjective<float>
        | Logistic _ -> invalidArg "kind" "the network problems use the square loss only"
      Ncf = fun () -> NeuralCorrelationFunction<float>(net, data) :> IObjective<float>
      NcfWithLabels = fun y -> NeuralCorrelationFunction<float>(net, Data.withLabels y data) :> IObjective<float>
      Blocks = blocks; Network = Some net; Data = Some data
      W0 = unitGaussian w0Seed net.ParameterCount }

/// B's escape-time set-up (digest §2.4 [REFSIM]): H = Σ_{j=1}^{6} vⱼ relu(wⱼᵀx)² (L = 3), d = 3, n = 30 points on
/// S², y = relu(x₁)² + 0.5 relu(x₂)², w₀ a unit Gaussian vector.
let twoLayerL3 (w0Seed: int64) =
    let random = SeededRandom(11L)
    let rows = Array.init 30 (fun _ -> let v = Array.zeroCreate 3 in random.FillUnitSphere(Span v); v)
    let y = rows |> Array.map (fun x -> relu2 x.[0] + 0.5 * relu2 x.[1])
    let data = Data.ofRows rows y
    ofNetwork "two-layer-relu2" "H = sum_{j<=6} v_j relu(w_j.x)^2 (L = 3), d = 3, n = 30 on S^2 (seed 11), y = relu(x1)^2 + 0.5 relu(x2)^2"
              (Net.twoLayer 3 6 (Activation.reluPower 2)) data w0Seed

/// B's rank-one set-up (digest §2.4 [REFSIM]): depth-3 feed-forward, no biases, d = 4, widths 5 and 5, n = 20 on
/// S³, target relu(a·x)² − 0.5 relu(b·x)².
let deep (activation: IActivation) (w0Seed: int64) =
    let random = SeededRandom(21L)
    let rows = Array.init 20 (fun _ -> let v = Array.zeroCreate 4 in random.FillUnitSphere(Span v); v)
    let a, b = unitGaussian 22L 4, unitGaussian 23L 4
    let dot (u: float[]) (v: float[]) = Array.fold2 (fun s p q -> s + p * q) 0.0 u v
    let y = rows |> Array.map (fun x -> relu2 (dot a x) - 0.5 * relu2 (dot b x))
    ofNetwork $"deep-{activation.Specification}" $"ff d = 4, widths 5,5, {activation.Specification}, n = 20 on S^3 (seed 21), y = relu(a.x)^2 - 0.5 relu(b.x)^2"
              (Net.feedForward 4 [ 5; 5 ] activation) (Data.ofRows rows y) w0Seed

/// A's Figure-1 set-up (digest §1.3 [REFSIM]): m = 10 neurons Σⱼ relu(wⱼᵀx)ᵖ in d = 2, 50 unit inputs at angles
/// θᵢ ~ U[0, 2π) (seed 0), y = sign·(5 relu(x₁)² + 4 relu(x₂)²); ε adds the non-homogeneous part ε Σⱼ wⱼᵀx.
let fig1With (power: int) (sign: float) (eps: float) (w0Seed: int64) =
    let random = SeededRandom(0L)
    let x = Array.zeroCreate 100
    for i in 0 .. 49 do
        let theta = 2.0 * Math.PI * random.NextDouble()
        x.[2 * i] <- cos theta
        x.[2 * i + 1] <- sin theta
    let y = Array.init 50 (fun i -> sign * (5.0 * relu2 x.[2 * i] + 4.0 * relu2 x.[2 * i + 1]))
    let m, d = 10, 2
    { Name = (if power = 2 then "fig1" else $"fig1-p{power}") + (if sign < 0.0 then "-negative" else "") + (if eps <> 0.0 then $"-eps{eps}" else "")
      Description = (let extra = (if eps <> 0.0 then sprintf " + %g sum_j w_j.x" eps else "") in $"H = sum_(j<=10) relu(w_j.x)^{power}{extra} (L = {power}), d = 2, 50 unit inputs (seed 0), y = {sign} (5 relu(x1)^2 + 4 relu(x2)^2)")
      Degree = power; Dimension = m * d; Labels = y
      Loss = fun () -> SumOfPowers(x, y, d, m, power, eps, Square, false) :> IObjective<float>
      LossWith = fun kind -> SumOfPowers(x, y, d, m, power, eps, kind, false) :> IObjective<float>
      Ncf = fun () -> SumOfPowers(x, y, d, m, power, eps, Square, true) :> IObjective<float>
      NcfWithLabels = fun labels -> SumOfPowers(x, labels, d, m, power, eps, Square, true) :> IObjective<float>
      Blocks = [ for j in 0 .. m - 1 -> [| j * d .. j * d + d - 1 |] ]
      Network = None; Data = None
      W0 = unitGaussian w0Seed (m * d) }

/// A's Figure-1 problem (p = 2, positive labels, homogeneous).
let fig1 (w0Seed: int64) = fig1With 2 1.0 0.0 w0Seed

/// Block norms of every neuron.
let blockNorms (problem: Problem) (w: float[]) =
    problem.Blocks |> List.map (fun idx -> sqrt (idx |> Array.sumBy (fun k -> w.[k] * w.[k]))) |> List.toArray

/// ‖x‖ (the scripting surface's Vec.norm).
let norm (w: float[]) = NeuronPursuit.Api.Vec.norm w

/// The scaled vector c·w.
let scale (c: float) (w: float[]) = Array.map ((*) c) w

/// Purely relative step control.
let relative rtol = IntegrationOptions(RelativeTolerance = rtol, AbsoluteTolerance = 0.0, MaxSteps = 2_000_000L)

/// Gradient flow of the problem's loss from w₀ with dp5 (relative tolerance), events and observers.
let gradientFlow (objective: IObjective<float>) (w0: float[]) (tEnd: float) (rtol: float) (events: FlowEvent list) (observers: IFlowObserver list) =
    FlowSolver.Solve<float>(GradientFlowSystem<float>(objective), DormandPrince54(), 0.0, ReadOnlySpan w0, tEnd, relative rtol,
                            List.toArray events, List.toArray observers)

/// The NCF flow du/dτ = ∇N(u) from u₀.
let ncfFlow (ncf: IObjective<float>) (u0: float[]) (tauEnd: float) (rtol: float) (events: FlowEvent list) (observers: IFlowObserver list) =
    FlowSolver.Solve<float>(NcfFlowSystem<float>(ncf), DormandPrince54(), 0.0, ReadOnlySpan u0, tauEnd, relative rtol,
                            List.toArray events, List.toArray observers)

/// The direction the NCF flow from w₀ converges to: the blow-up direction for L > 2; for L = 2 the end point of
/// the spherical NCF flow run for τ = 200 (then refined by spherical ascent), which is the same limit.
let ncfLimit (problem: Problem) (w0: float[]) =
    if problem.Degree > 2 then
        let r = BlowUpTime.Compute(problem.Ncf(), problem.Degree, ReadOnlySpan w0)
        r.LimitDirection, r.LimitValue, r.Tau
    else
        let f = problem.Ncf()
        let s = FlowSolver.Solve<float>(SphericalNcfFlowSystem<float>(f), DormandPrince54(), 0.0, ReadOnlySpan(unitVector w0), 200.0, relative 1e-10)
        let p = SphericalAscent.Run(f, ReadOnlySpan s.FinalState, SphericalAscentOptions(KktTolerance = 1e-12))
        p.Direction, p.Value, Double.PositiveInfinity

/// The KKT residual of w/‖w‖ for an NCF.
let kktResidual (ncf: IObjective<float>) (w: float[]) =
    let u = unitVector w
    let g = Array.zeroCreate u.Length
    ncf.ValueAndGradient(ReadOnlySpan u, Span g) |> ignore
    KktResidual.Of(ReadOnlySpan u, ReadOnlySpan g)

/// cos(a, b).
let cosine (a: float[]) (b: float[]) = Alignment.Cosine(ReadOnlySpan a, ReadOnlySpan b)

/// Minimises an objective by gradient flow from w₀ until ‖∇‖ ≤ tol or t = tEnd; returns (w, value, ‖∇‖).
let minimise (objective: IObjective<float>) (w0: float[]) (tEnd: float) =
    let gnorm = FlowQuantities.GradientNorm(objective)
    let stop = FlowEvents.GradientNormBelow(objective, 1e-11, terminal = true, name = "converged")
    let s = gradientFlow objective w0 tEnd 1e-10 [ stop ] []
    let w = s.FinalState
    w, objective.Value(ReadOnlySpan w), gnorm.Evaluate.Invoke w

/// The unit vector of w.
let unit (w: float[]) = unitVector w
