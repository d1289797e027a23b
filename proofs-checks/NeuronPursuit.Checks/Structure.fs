// SPDX-License-Identifier: MIT
/// Structure of the early direction: rank-one layers (arXiv 2403.08121, claim 12), layer-norm ratios (claim 13),
/// two-layer balance (arXiv 2402.09226 and 2403.08121, claim 14), and winner-take-all for L &gt; 2 (claim 16).
/// Claims: docs/claims.md.
module NeuronPursuit.Checks.Structure

open System
open NeuronPursuit
open NeuronPursuit.Checks.Settings

/// Claim 12 set-up: δ values, the level of ‖w‖ at which σ₂/σ₁ is read (a multiple of δ when `LevelTimesDelta`), Euler step.
type RankOneSetup =
    { Problem: Problem
      Deltas: float list
      Level: float
      LevelTimesDelta: bool
      Step: float }

/// Claim 12: σ₂/σ₁ of W₁ at a fixed small ‖w‖ → 0 as δ → 0: the slope of ln(σ₂/σ₁) against ln δ has a 95 % CI above 0
/// (explicit Euler, as prescribed for the leaky ReLU's discontinuous gradient).
let rankOne (s: RankOneSetup) =
    let p = s.Problem

    let criterion =
        "slope of ln(sigma2/sigma1 of W1) at |w| = level vs ln delta has its 95% CI above 0"

    let parameters =
        [ "problem", p.Description
          "deltas", listed s.Deltas
          "level",
          (if s.LevelTimesDelta then
               $"{fmt s.Level} delta (negative test)"
           else
               fmt s.Level)
          "integrator", $"explicit Euler, step {fmt s.Step}" ]

    Check.measure criterion parameters (fun () ->
        let w0 = Problem.w0 p

        let rows =
            [ for delta in s.Deltas ->
                  let level = if s.LevelTimesDelta then s.Level * delta else s.Level

                  let sol =
                      Flow.solveWith
                          (Flow.method "euler")
                          (Flow.fixedStep s.Step |> Flow.maxSteps 100_000_000L)
                          []
                          [ Flow.escapeAt level ]
                          (Problem.loss p)
                          (Vec.scale delta w0)
                          (50.0 / delta)

                  let ratios =
                      Analysis.singularValueRatios p.Network sol.Final |> List.map snd |> List.toArray

                  delta, not sol.Events.IsEmpty, ratios ]

        if rows |> List.exists (fun (_, e, _) -> not e) then
            Fail "some delta did not reach the level", Check.noTable, [], []
        else
            let fit =
                Analysis.fit (rows |> List.map (fun (d, _, _) -> log d)) (rows |> List.map (fun (_, _, r) -> log r.[0]))

            Check.allOf [
                fit.SlopeLower > 0.0, $"sigma2/sigma1 of W1 does not fall with delta (slope {Analysis.describeSlope fit})"
            ],
            { Columns = [ "delta"; "sigma2/sigma1 (W1)"; "sigma2/sigma1 (W2)" ]
              Rows = rows |> List.map (fun (d, _, r) -> [ fmt d; fmt r.[0]; fmt r.[1] ]) },
            [ "slope (W1)", Analysis.describeSlope fit ],
            [ "depth-3 leaky ReLU (0.2), d = 4, widths 5,5, n = 20: Euler step 2e-3, delta = 1e-3: sigma2/sigma1 of W1 0.61 -> 0.35 -> 0.034 -> 1.4e-3 as |w| grows to 0.5 (its draw)" ])

let rankOneFast =
    { Problem = Problem.example "deep" |> Problem.withActivation (Activation.leakyRelu 0.2)
      Deltas = [ 1e-2; 5e-3; 2.5e-3; 1.25e-3 ]
      Level = 0.5
      LevelTimesDelta = false
      Step = 2e-3 }

let rankOneFull =
    { rankOneFast with
        Deltas = [ 1e-2; 5e-3; 2.5e-3; 1.25e-3; 6e-4; 3e-4 ] }

/// Claim 12.
let rankOneCheck =
    Check.define
        "rank-one"
        "structure"
        "#12 early weights are rank one: sigma2/sigma1 of each W_l tends to 0 with delta"
        "arXiv 2403.08121 (B); docs/claims.md #12"
        (fun mode -> rankOne (pick rankOneFast rankOneFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// KKT points of a problem's NCF with N &gt; 0 from seeded restarts (seed 17); only converged ones (residual ≤ 1e-7)
/// unless `requireConverged` is false.
let kktPoints (p: Problem) restarts maxSteps requireConverged =
    Kkt.search (Kkt.options 1e-10 maxSteps) restarts 17L (fun () -> Problem.ncf p)
    |> List.filter (fun q -> q.Value > 0.0 && (not requireConverged || q.Converged || q.Residual <= 1e-7))

/// Claim 13 set-up: (problem, p) pairs, restarts, ascent step budget, and whether only certified KKT points count
/// (converged spherical ascent for p ≥ 2; for p = 1 the ascent's end points polished by gradient sampling and certified
/// by the Clarke-stationarity measure). The negative set-up takes the raw end points, uncertified.
type LayerRatioSetup =
    {
        Problems: (Problem * int) list
        Restarts: int
        MaxSteps: int
        RequireConverged: bool
        /// Clarke measure that certifies a point (relative), at sampling radius `ClarkeRadius`.
        ClarkeTolerance: float
        ClarkeRadius: float
        /// Steps of the gradient-sampling ascent per point.
        ClarkeSteps: int
    }

/// The points claim 13 judges for one problem, with their Clarke measures: for p ≥ 2, converged spherical-ascent points
/// (N smooth, the KKT residual certifies them); for p = 1, every ascent end point with N > 0 continued by gradient
/// sampling until its Clarke measure is ≤ the tolerance at the final radius, and only those that get there.
let private ratioPoints (s: LayerRatioSetup) (p: Problem) (power: int) =
    let f = Problem.ncf p

    if power > 1 || not s.RequireConverged then
        [ for q in kktPoints p s.Restarts s.MaxSteps s.RequireConverged -> q.Direction, q.Value, (Kkt.clarke s.ClarkeRadius 1L f q.Direction).Value ]
    else
        [ for q in kktPoints p s.Restarts s.MaxSteps false do
              let c =
                  Kkt.clarkeAscent s.ClarkeTolerance s.ClarkeRadius s.ClarkeSteps 1L f q.Direction

              if c.Converged && c.Value > 0.0 then
                  yield c.Direction, c.Value, c.Measure ]

/// Claim 13: at KKT points with N &gt; 0, ‖W_l‖²/‖W_{l+1}‖² = p for every l (leaky ReLU: equal norms; p = 2, depth 3:
/// 4:2:1), to 1e-4 relative. For the leaky ReLU (p = 1) N is not differentiable at the kinks: its KKT points are
/// Clarke-KKT points, certified by the Clarke-stationarity measure (docs/claims.md #13).
let layerRatio (s: LayerRatioSetup) =
    let criterion =
        "every certified KKT point with N > 0 has |W_l|^2/|W_(l+1)|^2 = p to 1e-4 relative; at least one per problem (p >= 2: KKT residual <= 1e-7; p = 1: Clarke measure <= 1e-6 at radius 1e-7)"

    let parameters =
        [ "problems", String.Join(" | ", s.Problems |> List.map (fun (p, q) -> $"{p.Description} (p = {q})"))
          "restarts", string s.Restarts
          "ascent", $"spherical ascent, KKT tolerance 1e-10, {s.MaxSteps} steps"
          "p = 1",
          $"end points continued by gradient-sampling ascent ({s.ClarkeSteps} steps) to a Clarke measure <= {fmt s.ClarkeTolerance} at radius {fmt s.ClarkeRadius}"
          "points used",
          (if s.RequireConverged then
               "certified KKT points"
           else
               "all end points, uncertified (negative test)") ]

    Check.measure criterion parameters (fun () ->
        let results =
            [ for p, power in s.Problems ->
                  let points = ratioPoints s p power

                  let worst =
                      points
                      |> List.map (fun (u, _, _) ->
                          Analysis.layerNormRatios p.Network u
                          |> Array.map (fun r -> abs (r - float power) / float power)
                          |> Array.max)

                  let squares =
                      points
                      |> List.tryHead
                      |> Option.map (fun (u, _, _) -> Analysis.layerNormsSquared p.Network u)

                  let clarke = points |> List.map (fun (_, _, c) -> c)
                  p, power, points, (if worst.IsEmpty then nan else List.max worst), squares, (if clarke.IsEmpty then nan else List.max clarke) ]

        Check.allOf [
            for p, power, points, worst, _, _ in results do
                yield not points.IsEmpty, $"{p.Name} (p = {power}): no certified KKT point with N > 0"
                yield worst <= 1e-4, $"{p.Name} (p = {power}): a layer-norm ratio deviates from p by {fmt worst} (relative)"
        ],
        { Columns =
            [ "problem"
              "p"
              "KKT points"
              "best N"
              "max Clarke measure"
              "max rel. deviation"
              "|W_l|^2 of the best" ]
          Rows =
            [ for p, power, points, worst, squares, clarke in results ->
                  [ p.Name
                    string power
                    string points.Length
                    (match points with
                     | [] -> "-"
                     | (_, v, _) :: _ -> fmt6 v)
                    fmt clarke
                    fmt worst
                    (match squares with
                     | Some sq -> String.Join(" : ", sq |> Array.map fmt)
                     | None -> "-") ] ] },
        [ for p, power, _, worst, _, clarke in results do
              yield $"{p.Name} p = {power}: max deviation", fmt worst
              yield $"{p.Name} p = {power}: max Clarke measure", fmt clarke ],
        [ "leaky ReLU 0.2 (L = 3): N = 1.1863, squared layer norms 1/3, 1/3, 1/3; leaky ReLU^2 (L = 7): N = 0.1705, 4/7 : 2/7 : 1/7 (its draw)" ])

let layerRatioFast =
    { Problems =
        [ Problem.example "deep"
          |> Problem.withActivation (Activation.leakyReluPower 0.2 2),
          2
          Problem.example "deep" |> Problem.withActivation (Activation.leakyRelu 0.2), 1 ]
      Restarts = 4
      MaxSteps = 20000
      RequireConverged = true
      ClarkeTolerance = 1e-6
      ClarkeRadius = 1e-7
      ClarkeSteps = 2000 }

let layerRatioFull = { layerRatioFast with Restarts = 32 }

/// Claim 13.
let layerRatioCheck =
    Check.define "layer-norm-ratio" "structure" "#13 at KKT points |W_l|^2 / |W_(l+1)|^2 = p" "arXiv 2403.08121 (B); docs/claims.md #13" (fun mode ->
        layerRatio (pick layerRatioFast layerRatioFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 14 set-up: two-layer (problem, p) pairs, restarts, step budget, converged only.
type BalanceSetup =
    { Problems: (Problem * int) list
      Restarts: int
      MaxSteps: int
      RequireConverged: bool }

/// Claim 14: at a KKT point of a two-layer NCF with N ≠ 0, every active neuron has ‖wⱼ‖² = p vⱼ² (to 1e-6, unit
/// direction), and for L = 2 (p = 1) |g(ŵⱼ)| = 2N with g(w) = Σᵢ yᵢσ(wᵀxᵢ) (to 1e-5 relative).
let balance (s: BalanceSetup) =
    let criterion =
        "every active neuron (block > 1e-3) of every KKT point with N > 0: | |w_j|^2 - p v_j^2 | <= 1e-6; for p = 1 also | |g(w_j/|w_j|)| - 2N | <= 1e-5 N"

    let parameters =
        [ "problems", String.Join(" | ", s.Problems |> List.map (fun (p, q) -> $"{p.Description} (p = {q})"))
          "restarts", string s.Restarts
          "points used",
          (if s.RequireConverged then
               "converged"
           else
               "all end points (negative test)") ]

    Check.measure criterion parameters (fun () ->
        let results =
            [ for p, power in s.Problems ->
                  let net = p.Network
                  let m = net.HiddenWidths.[0]
                  let d = net.InputDimension
                  let ncf = Problem.ncf p
                  let points = kktPoints p s.Restarts s.MaxSteps s.RequireConverged

                  let worstBalance, worstG =
                      points
                      |> List.fold
                          (fun (wb, wg) q ->
                              let u = q.Direction
                              let mutable wb, wg = wb, wg

                              for j in 0 .. m - 1 do
                                  let inNorm2 = Array.sumBy (fun k -> u.[j * d + k] * u.[j * d + k]) [| 0 .. d - 1 |]
                                  let v = u.[m * d + j]

                                  if sqrt (inNorm2 + v * v) > 1e-3 then
                                      wb <- max wb (abs (inNorm2 - float power * v * v))

                                      if power = 1 then
                                          let single = Array.zeroCreate u.Length

                                          for k in 0 .. d - 1 do
                                              single.[j * d + k] <- u.[j * d + k] / sqrt inNorm2

                                          single.[m * d + j] <- 1.0
                                          wg <- max wg (abs (abs (value ncf single) - 2.0 * q.Value) / q.Value)

                              wb, wg)
                          (0.0, 0.0)

                  p, power, points, worstBalance, worstG ]

        Check.allOf [
            for p, power, points, wb, wg in results do
                yield not points.IsEmpty, $"{p.Name}: no KKT point with N > 0"
                yield wb <= 1e-6, $"{p.Name}: imbalance {fmt wb}"
                yield (power <> 1 || wg <= 1e-5), $"{p.Name}: |g| deviates from 2N by {fmt wg} (relative)"
        ],
        { Columns =
            [ "problem"
              "p"
              "KKT points"
              "max | |w_j|^2 - p v_j^2 |"
              "max rel. | |g| - 2N |" ]
          Rows =
            [ for p, power, points, wb, wg in results ->
                  [ p.Name
                    string power
                    string points.Length
                    fmt wb
                    (if power = 1 then fmt wg else "-") ] ] },
        [],
        [ "two-layer relu^2 (L = 3): the NCF-flow limit satisfies |w_j|^2 = 2 v_j^2 (its draw)" ])

let balanceFast =
    { Problems =
        [ Problem.example "two-layer-relu2", 2
          Problem.example "two-layer-relu2"
          |> Problem.withActivation (Activation.leakyRelu 0.2),
          1 ]
      Restarts = 4
      MaxSteps = 20000
      RequireConverged = true }

let balanceFull = { balanceFast with Restarts = 32 }

/// Claim 14.
let balanceCheck =
    Check.define
        "two-layer-balance"
        "structure"
        "#14 two-layer KKT points are balanced, |w_j|^2 = p v_j^2; for L = 2 all active neurons have |g| = 2N"
        "arXiv 2402.09226 (A), 2403.08121 (B); docs/claims.md #14"
        (fun mode -> balance (pick balanceFast balanceFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 16 set-up: the problem, the seeds of w₀, δ, and the level of ‖w‖ at which the winners are counted.
type WinnerSetup =
    { Problem: Problem
      Seeds: int64 list
      Delta: float
      Level: float }

/// Claim 16: for L &gt; 2 the escape is usually won by one neuron: at ‖w‖ = level, the number of neurons with block norm
/// &gt; max(10δ, 0.1·largest) is 1 for at least 75 % of the initial directions.
let winner (s: WinnerSetup) =
    let criterion =
        "at |w| = level the count of neurons with block norm > max(10 delta, 0.1 largest) is 1 for >= 75% of the w0 seeds"

    let parameters =
        [ "problem", s.Problem.Description
          "seeds", String.Join(", ", s.Seeds)
          "delta", fmt s.Delta
          "level", fmt s.Level ]

    let degree = Problem.degree s.Problem

    Check.measure criterion parameters (fun () ->
        let rows =
            [ for seed in s.Seeds ->
                  let p = Problem.withSeed seed s.Problem

                  let sol =
                      flow p (Vec.scale s.Delta (Problem.w0 p)) (1e4 / s.Delta ** float (max 1 (degree - 2))) 1e-10 [ Flow.escapeAt s.Level ] []

                  let b = Problem.blockNorms p sol.Final
                  let top = Array.max b

                  seed,
                  degree,
                  b
                  |> Array.filter (fun x -> x > max (10.0 * s.Delta) (0.1 * top))
                  |> Array.length,
                  b ]

        let singles = rows |> List.filter (fun (_, _, c, _) -> c = 1) |> List.length
        let fraction = float singles / float rows.Length

        Check.allOf [
            fraction >= 0.75, $"only {singles} of {rows.Length} escapes had a single winner (L = {degree})"
        ],
        { Columns = [ "seed"; "L"; "neurons >> delta"; "block norms" ]
          Rows =
            rows
            |> List.map (fun (seed, l, c, b) -> [ string seed; string l; string c; String.Join(" ", b |> Array.map fmt) ]) },
        [ "single-winner fraction", fmt fraction ],
        [ "L = 3 two-layer relu^2: one active neuron in the NCF-flow limit; A Fig. 1 (L = 2): the five largest neurons align together (condensation)" ])

let winnerFast =
    { Problem = Problem.example "two-layer-relu2"
      Seeds = [ 2L; 3L; 4L; 5L ]
      Delta = 1e-3
      Level = 0.3 }

let winnerFull =
    { winnerFast with
        Seeds = [ 1L .. 16L ]
        Delta = 1e-4 }

/// Claim 16.
let winnerCheck =
    Check.define
        "winner-take-all"
        "structure"
        "#16 L > 2: one neuron wins the escape"
        "arXiv 2403.08121 (B), 2502.15952 (C); docs/claims.md #16"
        (fun mode -> winner (pick winnerFast winnerFull mode))
