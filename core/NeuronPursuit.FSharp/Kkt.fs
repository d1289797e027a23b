// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives

/// KKT points of the constrained NCF max N(u) s.t. ‖u‖ = 1 (Kumar & Haupt, arXiv 2402.09226, 2403.08121): spherical
/// ascent with seeded restarts, the KKT residual, the second-order test on the sphere, the NCF flows, their
/// blow-up time τ*, and the limit direction a small-initialisation flow converges to.
module Kkt =
    /// Ascent settings: KKT tolerance and step budget (the other settings at their defaults).
    let options (tolerance: float) (maxSteps: int) =
        SphericalAscentOptions(KktTolerance = tolerance, MaxSteps = maxSteps)

    /// The relative KKT residual ‖∇N(û) − ⟨∇N(û), û⟩û‖/‖∇N(û)‖ of û = w/‖w‖.
    let residual (f: Fn<float>) (w: float[]) =
        let u = Vec.unit w
        let g = grad f u
        KktResidual.Of(ReadOnlySpan u, ReadOnlySpan g)

    /// The KKT residual of w/‖w‖ with ∇f taken at w itself: the same as `residual` for a homogeneous f; for a
    /// non-homogeneous f (a residual NCF restricted at a saddle) the gradient where the weights actually are.
    let residualAtPoint (f: Fn<float>) (w: float[]) =
        let g = grad f w
        KktResidual.Of(ReadOnlySpan(Vec.unit w), ReadOnlySpan g)

    /// The Clarke-stationarity measure of w/‖w‖ for max f s.t. ‖u‖ = 1 (`ClarkeStationarity`): the smallest norm in
    /// the convex hull of the tangential gradients sampled within the geodesic radius ε (2P + 1 samples, seeded),
    /// relative to ‖∇f(û)‖; 0 at a Clarke-KKT point, near the KKT residual at a smooth non-stationary point.
    let clarke (radius: float) (seed: int64) (f: Fn<float>) (w: float[]) =
        ClarkeStationarity.Measure(f.Objective, ReadOnlySpan w, radius, 0, seed)

    /// Gradient-sampling ascent on the sphere from u₀ to a Clarke-KKT point (`GradientSamplingAscent`): for a non-smooth
    /// N where spherical ascent stalls; stops when the Clarke measure is ≤ `tolerance` at the radius `radius`.
    let clarkeAscent (tolerance: float) (radius: float) (maxSteps: int) (seed: int64) (f: Fn<float>) (u0: float[]) =
        GradientSamplingAscent.Run(f.Objective, ReadOnlySpan u0, tolerance, radius, maxSteps, seed)

    /// Projected gradient ascent on the sphere from u₀ (Armijo backtracking) to a KKT point.
    let ascent (settings: SphericalAscentOptions) (f: Fn<float>) (u0: float[]) =
        SphericalAscent.Run(f.Objective, ReadOnlySpan u0, settings)

    /// Ascents from `restarts` seeded random starts (fresh objectives from `make`, so they may run in parallel),
    /// best value first; the results depend on the seed only.
    let search (settings: SphericalAscentOptions) (restarts: int) (seed: int64) (make: unit -> Fn<float>) =
        KktSearch.Run(Func<IObjective<float>>(fun () -> (make ()).Objective), restarts, seed, settings)
        |> List.ofSeq

    /// The best of `search`.
    let best (settings: SphericalAscentOptions) (restarts: int) (seed: int64) (make: unit -> Fn<float>) =
        (search settings restarts seed make).Head

    /// Points within `tolerance` of each other up to neuron permutations, clustered.
    let deduplicate (layout: ParameterLayout) (tolerance: float) (points: KktPoint list) =
        KktDeduplication.Cluster(layout, points, tolerance) |> List.ofSeq

    /// The second-order test at a KKT point u: the extreme eigenvalues of ∇²N(u) − λI on u⊥ (λ = L·N(u)).
    let secondOrder (f: Fn<float>) (u: float[]) =
        match f.Hessian with
        | Some h -> SecondOrderTest.Run(h.Value, ReadOnlySpan u)
        | None -> invalidOp $"{f.Description} has no Hessian–vector product for the second-order test."

    /// The NCF flow du/dτ = ∇N(u) from u₀ to τ_end (dp5 under the options).
    let ncfFlow (options: NeuronPursuit.Core.Flow.IntegrationOptions) observers events (f: Fn<float>) (u0: float[]) (tauEnd: float) =
        Flow.solveSystem Flow.dp5 options observers events (NcfFlowSystem<float>(f.Objective)) 0.0 u0 tauEnd

    /// The spherical NCF flow du/dτ = ∇N(u) − ⟨∇N(u), u⟩u from a unit u₀ (it stays on the sphere).
    let sphericalNcfFlow (options: NeuronPursuit.Core.Flow.IntegrationOptions) observers events (f: Fn<float>) (u0: float[]) (tauEnd: float) =
        Flow.solveSystem Flow.dp5 options observers events (SphericalNcfFlowSystem<float>(f.Objective)) 0.0 u0 tauEnd

    /// The blow-up time τ* of the NCF flow of an L-homogeneous N from u₀ (L > 2), with the limit direction.
    let blowUp (degree: int) (f: Fn<float>) (u0: float[]) =
        BlowUpTime.Compute(f.Objective, degree, ReadOnlySpan u0)

    /// The direction the NCF flow of N from w₀ converges to: for L > 2 the blow-up direction (with τ*); for L = 2
    /// the end of the spherical NCF flow run for τ = 200 from w₀/‖w₀‖, refined by spherical ascent to a KKT residual
    /// of 1e-12 (the same limit), with τ* = ∞.
    let limit (degree: int) (f: Fn<float>) (w0: float[]) : NcfLimit =
        if degree > 2 then
            let r = blowUp degree f w0

            { Direction = r.LimitDirection
              Value = r.LimitValue
              BlowUpTime = r.Tau }
        else
            let s =
                sphericalNcfFlow (Flow.relative 1e-10 |> Flow.maxSteps 2_000_000L) [] [] f (Vec.unit w0) 200.0

            let p = ascent (SphericalAscentOptions(KktTolerance = 1e-12)) f s.Final

            { Direction = p.Direction
              Value = p.Value
              BlowUpTime = Double.PositiveInfinity }

    /// `limit` for a problem's NCF and degree.
    let limitOf (p: Problem) (w0: float[]) =
        limit (Problem.degree p) (Problem.ncf p) w0

    /// f restricted to the coordinates `free`, the others fixed at `basePoint` (no Hessian).
    let restrict (basePoint: float[]) (free: int[]) (f: Fn<float>) : Fn<float> =
        objective $"{f.Description} restricted to {free.Length} coordinates" (RestrictedObjective(f.Objective, ReadOnlySpan basePoint, free))

    /// The residual NCF at a saddle w̄: N(u) = Σᵢ rᵢH(xᵢ; u) with r = y − H(X; w̄) (Kumar & Haupt, arXiv 2402.09226's
    /// saddle theorem; Neuron Pursuit, arXiv 2509.12154).
    let residualNcf (p: Problem) (saddle: float[]) =
        Problem.ncfWith (Problem.residual p saddle) p
