// SPDX-License-Identifier: MIT
/// Neuron Pursuit's near-saddle theorem and its post-escape observations (arXiv 2509.12154; docs/claims.md NP-1, NP-2).
/// The residual NCF used here is the full network's residual NCF restricted to the w_z coordinates (w_n frozen at the
/// saddle), evaluated at the actual small w_z so that its lowest-order (homogeneous) part dominates; the per-layer
/// objective of the Pursuit module is not used.
module NeuronPursuit.Checks.NearSaddle

open System
open NeuronPursuit
open NeuronPursuit.Core.Models
open NeuronPursuit.Checks.Settings

/// The saddle: a (1, 1) three-layer network trained to a stationary point on the "deep" example's data, embedded as
/// neuron 0 of each hidden layer of a (3, 2) network. Returns (the (3, 2) problem, w̄ embedded, indices of w_n,
/// indices of w_z, ℒ(w̄)).
let saddle (activation: IActivation) =
    let p = Problem.example "deep" |> Problem.withActivation activation
    let small = p |> Problem.withNetwork (Net.feedForward 4 [ 1; 1 ] activation)
    // Train the (1, 1) net from 0.5·(unit Gaussian): it escapes the origin and settles at a stationary point.
    let w0 = Vec.scale 0.5 (Vec.unitRandom 31L small.Dimension)
    let wbar, _, _ = Flow.minimise 1e-11 (Problem.loss small) w0 1e6
    let big = p |> Problem.withNetwork (Net.feedForward 4 [ 3; 2 ] activation)
    let layout = big.Network.Layout

    let wn =
        [| for k in 0..3 -> layout.Block(1).Index(0, k) |]
        |> Array.append [| layout.Block(2).Index(0, 0); layout.Block(3).Index(0, 0) |]

    let embedded = Array.zeroCreate big.Dimension

    for k in 0..3 do
        embedded.[layout.Block(1).Index(0, k)] <- wbar.[k]

    embedded.[layout.Block(2).Index(0, 0)] <- wbar.[4]
    embedded.[layout.Block(3).Index(0, 0)] <- wbar.[5]

    let wz =
        [| 0 .. big.Dimension - 1 |]
        |> Array.filter (fun k -> not (Array.contains k wn))

    big, embedded, wn, wz, value (Problem.loss big) embedded

/// NP-1 set-up: δ values, the perturbation of w_n at the start (0 for the claim), the level ρ = ‖w_z‖/δ at which to measure.
type NearSaddleSetup =
    { Activation: IActivation
      Deltas: float list
      Perturbation: float
      Rho: float
      RhoEarly: float }

/// NP-1: started at (w̄_n, δz₀) next to a saddle (w̄_n, 0), the flow stays near the saddle (max e(t) = ‖w_n − w̄_n‖ ≤ 0.05
/// until ‖w_z‖ = ρδ) while w_z converges in direction (KKT residual of the restricted residual NCF ≤ 0.05 at ‖w_z‖ = ρδ,
/// for every δ), and the plateau length T(ρ) grows like δ^{−(K−2)} with K = 3 the degree of the leading term (slope of
/// ln T against ln(1/δ) within CI + 10 % of 1).
let nearSaddle (s: NearSaddleSetup) =
    let criterion =
        "for every delta: max_t |w_n - w̄_n| <= 0.05; the KKT residual falls from |w_z| = rho_early delta to rho delta and is <= 0.05 there; slope of ln T vs ln(1/delta) matches K - 2 = 1 (CI + 10%)"

    let parameters =
        [ "network", $"(1,1) ff d = 4 trained to a stationary point, embedded in (3,2), {s.Activation.Specification}"
          "data", "the deep example's data (n = 20 on S^3)"
          "deltas", listed s.Deltas
          "rho_early, rho", $"{fmt s.RhoEarly}, {fmt s.Rho}"
          "w_n perturbation", fmt s.Perturbation
          "objective", "full-network residual NCF restricted to w_z (w_n frozen at the saddle), gradient at the actual w_z" ]

    Check.measure criterion parameters (fun () ->
        let big, wbar, wn, wz, lossBar = saddle s.Activation
        let restricted = Kkt.residualNcf big wbar |> Kkt.restrict wbar wz
        let f = Problem.loss big
        let z0 = Vec.unitRandom 37L wz.Length
        let perturbation = Vec.unitRandom 38L wn.Length

        let rows =
            [ for delta in s.Deltas ->
                  let w0 = Array.copy wbar
                  wz |> Array.iteri (fun i k -> w0.[k] <- delta * z0.[i])

                  wn
                  |> Array.iteri (fun i k -> w0.[k] <- w0.[k] + s.Perturbation * perturbation.[i])

                  let e (w: float[]) =
                      sqrt (wn |> Array.sumBy (fun k -> (w.[k] - wbar.[k]) ** 2.0))

                  let ev = Flow.blockNormReaches "rho" true wz (s.Rho * delta)
                  let early = Flow.blockNormReaches "rho-early" false wz (s.RhoEarly * delta)

                  let recorder =
                      Flow.recorder (Flow.logGrid 1e-3 (1e4 / delta) 300) [ Flow.quantity "e" e ]

                  let sol = flowOf f w0 (1e4 / delta) 1e-10 [ early; ev ] [ recorder ]

                  let residualOf (w: float[]) =
                      Kkt.residualAtPoint restricted (wz |> Array.map (fun k -> w.[k]))

                  let w = sol.Final

                  let residualEarly =
                      if sol.Events.Length > 1 then
                          residualOf sol.Events.Head.State
                      else
                          nan

                  let maxE =
                      max
                          (e w)
                          (if recorder.Rows.Count > 0 then
                               Array.max (recorder.Column "e")
                           else
                               0.0)

                  delta, sol.Events.Length > 1, sol.FinalTime, maxE, (residualEarly, residualOf w) ]

        let reached = rows |> List.filter (fun (_, r, _, _, _) -> r)

        let fit =
            if reached.Length >= 2 then
                Some(Analysis.fit (reached |> List.map (fun (d, _, _, _, _) -> log (1.0 / d))) (reached |> List.map (fun (_, _, t, _, _) -> log t)))
            else
                None

        Check.allOf [
            yield
                lossBar > 0.0
                && lossBar < 0.5 * (Problem.labels big |> Array.sumBy (fun y -> y * y)),
                "the (1,1) net did not leave the origin"
            for d, r, _, maxE, (k0, k) in rows do
                yield r, $"delta = {fmt d}: |w_z| never reached rho delta"
                yield maxE <= 0.05, $"delta = {fmt d}: w_n moved {fmt maxE} from the saddle"
                yield k < k0, $"delta = {fmt d}: the KKT residual does not fall from rho = {s.RhoEarly} to {s.Rho} ({fmt k0} -> {fmt k})"
                yield k <= 0.05, $"delta = {fmt d}: KKT residual {fmt k} > 0.05 at |w_z| = rho delta"
            match fit with
            | Some f -> yield Analysis.slopeMatches f 1.0 0.1, $"plateau length slope {Analysis.describeSlope f} does not match K - 2 = 1"
            | None -> yield false, "too few deltas reached rho"
        ],
        { Columns =
            [ "delta"
              "T(|w_z| = rho delta)"
              "max |w_n - w̄_n|"
              "KKT residual at rho_early"
              "KKT residual at rho" ]
          Rows =
            rows
            |> List.map (fun (d, _, t, e, (k0, k)) -> [ fmt d; fmt6 t; fmt e; fmt k0; fmt k ]) },
        [ "L(w̄) of the (1,1) net", fmt6 lossBar
          "plateau slope",
          (match fit with
           | Some f -> Analysis.describeSlope f
           | None -> "-") ],
        [ "NP video (3-layer ReLU, GD): the old neuron's weights barely move for thousands of epochs while the new neuron's weights stay small and become sparse (not the same set-up)" ])

let nearSaddleFast =
    { Activation = Activation.reluPower 2
      Deltas = [ 1e-3; 7e-4; 5e-4; 3.5e-4 ]
      Perturbation = 0.0
      Rho = 100.0
      RhoEarly = 10.0 }
// The plateau is stiff (w_n relaxes at an O(1) rate while w_z grows at O(δ)), so explicit steps scale like 1/δ:
// the full sweep stops at δ = 1e-4.
let nearSaddleFull =
    { nearSaddleFast with
        Deltas = [ 1e-3; 5e-4; 3e-4; 2e-4; 1e-4 ] }

/// NP-1.
let nearSaddleCheck =
    Check.define
        "near-saddle"
        "neuron pursuit"
        "near a sparse saddle (w_n, 0) the small weights stay small and converge in direction; w_n stays near the saddle"
        "arXiv 2509.12154 (NP), near-saddle theorem; docs/claims.md NP-1"
        (fun mode -> nearSaddle (pick nearSaddleFast nearSaddleFull mode))

/// NP-2 set-up: δ, the window after ‖w_z‖ = ρδ.
type PostEscapeSetup =
    { Activation: IActivation
      Delta: float
      Window: float }

/// NP-2: after w_z escapes the saddle, the flow reaches a new stationary point (‖∇ℒ‖ ≤ 1e-3 of its maximum, loss below
/// ℒ(w̄)), the neurons outside the support of the escaping direction stay ≤ 10δ, and each neuron's ‖in_j‖² − p‖out_j‖²
/// is conserved (drift ≤ 1e-7).
let postEscape (s: PostEscapeSetup) =
    let criterion =
        "a new stationary point after the escape (first local minimum of |grad L| below 1e-3 of its maximum, loss below L(w̄)); up to it neurons outside the support of w_z at |w_z| = 100 delta stay <= 10 delta; conservation drift <= 1e-7"

    let parameters =
        [ "network", $"(1,1) embedded in (3,2), {s.Activation.Specification}"
          "delta", fmt s.Delta
          "window", fmt s.Window
          "support", "blocks above 1e-2 of the largest w_z block at |w_z| = 100 delta" ]

    Check.measure criterion parameters (fun () ->
        let big, wbar, _, wz, lossBar = saddle s.Activation
        let f = Problem.loss big
        let z0 = Vec.unitRandom 37L wz.Length
        let w0 = Array.copy wbar
        wz |> Array.iteri (fun i k -> w0.[k] <- s.Delta * z0.[i])
        let ev = Flow.blockNormReaches "rho" true wz (100.0 * s.Delta)
        let first = flowOf f w0 (1e4 / s.Delta) 1e-10 [ ev ] []
        let wMid = first.Final
        let blocks = Problem.blocks big
        let blockOf (w: float[]) (b: NeuronPursuit.Core.Problems.WeightBlock) = b.Norm(ReadOnlySpan w)
        // The saddle's own neurons (index 0 in each layer) are w_n; the others are candidates.
        let candidates = blocks |> List.filter (fun b -> b.Neuron.Value <> 0)
        let top = candidates |> List.map (blockOf wMid) |> List.max
        let outside = candidates |> List.filter (fun b -> blockOf wMid b <= 1e-2 * top)
        let p = float s.Activation.Degree.Value
        let layout = big.Network.Layout

        let conserved (w: float[]) =
            blocks
            |> List.map (fun b ->
                let a, o =
                    layout.IncomingIndices(b.Layer, b.Neuron.Value), layout.OutgoingIndices(b.Layer, b.Neuron.Value)

                (a |> Array.sumBy (fun k -> w.[k] * w.[k]))
                - p * (o |> Array.sumBy (fun k -> w.[k] * w.[k])))
            |> List.toArray

        let recorder =
            Flow.recorderWithStates (Flow.linearGrid 0.0 s.Window 4000) [
                Flow.lossQuantity f
                Flow.gradientNormQuantity (Problem.loss big)
                Flow.quantity "outside" (fun w ->
                    if outside.IsEmpty then
                        0.0
                    else
                        outside |> List.map (blockOf w) |> List.max)
            ]

        flowOf f wMid s.Window 1e-11 [] [ recorder ] |> ignore

        let losses, grads, outs =
            recorder.Column "loss", recorder.Column "grad_norm", recorder.Column "outside"
        // The new stationary point: the first local minimum of |grad L| below 1e-3 of its maximum, after the loss fell below L(w̄).
        let gmax = Array.max grads

        let found =
            [ 1 .. grads.Length - 2 ]
            |> List.tryFind (fun i ->
                losses.[i] < lossBar - 1e-3 * lossBar
                && grads.[i] <= 1e-3 * gmax
                && grads.[i] <= grads.[i - 1]
                && grads.[i] <= grads.[i + 1])

        match found with
        | None -> Fail "no new stationary point (|grad L| <= 1e-3 of its maximum) after the escape within the window", Check.noTable, [], []
        | Some i ->
            let wEnd = recorder.States.[i]
            let lossEnd, gEnd = losses.[i], grads.[i]

            let drift =
                Array.map2 (fun a b -> abs (a - b)) (conserved w0) (conserved wEnd) |> Array.max

            let outsideMax = Array.max outs.[..i]

            Check.allOf [
                lossEnd < lossBar, $"the loss did not drop below the saddle's ({fmt6 lossEnd} vs {fmt6 lossBar})"
                outsideMax <= 10.0 * s.Delta, $"a neuron outside the support grew to {fmt outsideMax}"
                drift <= 1e-7, $"conservation drifted by {fmt drift}"
            ],
            { Columns = [ "quantity"; "value" ]
              Rows =
                [ [ "L(w̄)"; fmt6 lossBar ]
                  [ "time of the new stationary point"; fmt6 recorder.Rows.[i].[0] ]
                  [ "L there"; fmt6 lossEnd ]
                  [ "|grad L| there"; fmt gEnd ]
                  [ "max |grad L| in the window"; fmt gmax ]
                  [ "neurons outside the support"; string outside.Length ]
                  [ "max outside block norm / delta"; fmt (outsideMax / s.Delta) ]
                  [ "conservation drift"; fmt drift ]
                  [ "T(|w_z| = 100 delta)"; fmt6 first.FinalTime ] ] },
            [],
            [ "NP video: after the escape GD settles again (iteration 2 ends at epoch 13000), weights on irrelevant inputs stay ~0, per-neuron norms balanced (ReLU; not the same set-up)" ])

let postEscapeFast =
    { Activation = Activation.reluPower 2
      Delta = 3e-3
      Window = 2e4 }

let postEscapeFull =
    { postEscapeFast with
        Delta = 1e-3
        Window = 5e4 }

/// NP-2.
let postEscapeCheck =
    Check.define
        "post-escape"
        "neuron pursuit"
        "after escaping the saddle the flow settles at a new stationary point, sparsity and balance preserved"
        "arXiv 2509.12154 (NP), observations after the escape; docs/claims.md NP-2"
        (fun mode -> postEscape (pick postEscapeFast postEscapeFull mode))
