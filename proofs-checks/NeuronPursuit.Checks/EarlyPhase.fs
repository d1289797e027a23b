// SPDX-License-Identifier: MIT
/// The early phase near the origin (Kumar & Haupt, arXiv 2402.09226 and 2403.08121): weights stay O(δ) (claim 1),
/// the direction converges to a KKT point of the constrained NCF (claims 2–3), the collapse branch (claim 4), the
/// first plateau at the origin (claim 7), and logistic against square loss (claim 15). Claims: docs/claims.md.
module NeuronPursuit.Checks.EarlyPhase

open System
open NeuronPursuit
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Checks.Settings

// ---------------------------------------------------------------------------------------------------------------
/// Claim 1 set-up: δ values and the horizon T = fraction·τ* in rescaled time.
type NormBoundSetup =
    { Problem: Problem
      Deltas: float list
      HorizonFraction: float
      Samples: int }

/// Claim 1: for t ≤ T/δ^{L−2} with T < τ*, sup ‖w(t)‖/δ is bounded independently of δ, and the curves ‖w‖/δ against
/// δ^{L−2}t coincide with the NCF flow's ‖u(τ)‖. Judged by the fitted slope of ln sup(‖w‖/δ) against ln δ (95 % CI
/// inside [−0.05, 0.05]) and the collapse of the curves (≤ 1e-3 relative at the smallest δ).
let normBound (s: NormBoundSetup) =
    let p = s.Problem

    let criterion =
        "95% CI of the slope of ln sup(|w|/delta) vs ln delta inside [-0.05, 0.05]; rescaled curves within 1e-3 of the NCF flow's |u(tau)| at the smallest delta (when T < tau*)"

    let parameters =
        [ "problem", p.Description
          "deltas", listed s.Deltas
          "T / tau*", fmt s.HorizonFraction
          "samples", string s.Samples
          "integrator", "dp5, rtol 1e-9, atol 0" ]

    Check.measure criterion parameters (fun () ->
        let w0 = Problem.w0 p
        let degree = Problem.degree p
        let blow = Kkt.blowUp degree (Problem.ncf p) w0
        let tauEnd = s.HorizonFraction * blow.Tau
        let taus = Flow.linearGrid 0.0 tauEnd s.Samples
        let ncfRecorder = Flow.recorder taus [ Flow.normQuantity ]

        if s.HorizonFraction < 1.0 then
            Kkt.ncfFlow (accurate 1e-10) [ ncfRecorder ] [] (Problem.ncf p) w0 tauEnd
            |> ignore

        let reference =
            if s.HorizonFraction < 1.0 then
                ncfRecorder.Column "norm"
            else
                [||]

        let rows =
            [ for delta in s.Deltas ->
                  let scaleT = delta ** float (degree - 2)

                  let recorder =
                      Flow.recorder (taus |> Array.map (fun tau -> tau / scaleT)) [ Flow.quantity "ratio" (fun w -> Vec.norm w / delta) ]

                  flow p (Vec.scale delta w0) (tauEnd / scaleT) 1e-9 [] [ recorder ] |> ignore
                  let ratio = recorder.Column "ratio"

                  let collapse =
                      if reference.Length = ratio.Length then
                          Array.map2 (fun a b -> abs (a - b) / b) ratio reference |> Array.max
                      else
                          nan

                  delta, Array.max ratio, collapse ]

        let fit =
            Analysis.fit (rows |> List.map (fun (d, _, _) -> log d)) (rows |> List.map (fun (_, r, _) -> log r))

        let _, _, lastCollapse = List.last rows

        let verdict =
            Check.allOf [
                fit.SlopeLower >= -0.05 && fit.SlopeUpper <= 0.05,
                $"slope {Analysis.describeSlope fit} is not inside [-0.05, 0.05]: sup |w|/delta depends on delta"
                (s.HorizonFraction >= 1.0 || lastCollapse <= 1e-3), $"rescaled curve deviates by {fmt lastCollapse} from the NCF flow"
            ]

        verdict,
        { Columns = [ "delta"; "sup |w|/delta"; "max rel. dev. from |u(tau)|" ]
          Rows = rows |> List.map (fun (d, r, c) -> [ fmt d; fmt6 r; fmt c ]) },
        [ "tau*", fmt6 blow.Tau; "slope", Analysis.describeSlope fit ],
        [])

let normBoundFast =
    { Problem = Problem.example "two-layer-relu2"
      Deltas = [ 1e-2; 3e-3; 1e-3; 3e-4 ]
      HorizonFraction = 0.9
      Samples = 50 }

let normBoundFull =
    { normBoundFast with
        Deltas = [ 1e-2; 3e-3; 1e-3; 3e-4; 1e-4; 3e-5; 1e-5 ]
        Samples = 200 }

/// Claim 1.
let normBoundCheck =
    Check.define
        "early-norm-bound"
        "early phase"
        "#1 weights stay O(delta) for t <= T/delta^(L-2), T < tau*"
        "arXiv 2402.09226 (A), 2403.08121 (B); docs/claims.md #1"
        (fun mode -> normBound (pick normBoundFast normBoundFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 2 set-up: δ values, levels R (measure when ‖w‖ = Rδ), and the reference direction.
type DirectionSetup =
    { Problem: Problem
      Deltas: float list
      Levels: float list
      ReferenceIsInitialDirection: bool }

/// Claim 2: w/‖w‖ converges to the KKT point reached by the NCF flow from the same w₀: at ‖w‖ = Rδ, 1 − cos(w, u*)
/// decreases with R (fitted slope of ln(1 − cos) against ln R with 95 % CI below 0) and is ≤ 1e-2 at the largest R,
/// for every δ; the KKT residual of w/‖w‖ falls likewise.
let direction (s: DirectionSetup) =
    let p = s.Problem

    let criterion =
        "for every delta: slope of ln(1 - cos) vs ln R has its 95% CI below 0, 1 - cos <= 1e-2 at the largest R"

    let parameters =
        [ "problem", p.Description
          "deltas", listed s.Deltas
          "R", listed s.Levels
          "reference",
          (if s.ReferenceIsInitialDirection then
               "w0 (a wrong prediction, for the negative test)"
           else
               "limit direction of the NCF flow from the same w0") ]

    Check.measure criterion parameters (fun () ->
        let w0 = Problem.w0 p
        let limit = Kkt.limitOf p w0

        let reference =
            if s.ReferenceIsInitialDirection then
                w0
            else
                limit.Direction

        let ncf = Problem.ncf p
        let degree = Problem.degree p

        let results =
            [ for delta in s.Deltas ->
                  let events =
                      s.Levels
                      |> List.map (fun r -> Flow.normReaches $"R={r}" (r = List.last s.Levels) (r * delta))

                  let tEnd =
                      1e3 / (delta ** float (degree - 2))
                      + (if degree = 2 then 50.0 * log (1.0 / delta) else 0.0)

                  let sol = flow p (Vec.scale delta w0) tEnd 1e-10 events []
                  delta, [ for e in sol.Events -> let w = e.State in 1.0 - Vec.cosine w reference, Kkt.residual ncf w ] ]

        let fits =
            results
            |> List.map (fun (delta, values) ->
                if values.Length < s.Levels.Length then
                    delta, None, values
                else
                    delta, Some(Analysis.fit (s.Levels |> List.map log) (values |> List.map (fun (c, _) -> log (max c 1e-300)))), values)

        let conditions =
            [ for delta, fit, values in fits do
                  match fit with
                  | None -> yield false, $"delta = {fmt delta}: |w| did not reach every level"
                  | Some f ->
                      yield f.SlopeUpper < 0.0, $"delta = {fmt delta}: 1 - cos does not decrease with R (slope {Analysis.describeSlope f})"

                      yield
                          fst (List.last values) <= 1e-2,
                          $"delta = {fmt delta}: 1 - cos = {fmt (fst (List.last values))} > 1e-2 at R = {List.last s.Levels}" ]

        let rows =
            [ for delta, _, values in fits do
                  for r, (c, k) in List.zip (List.truncate values.Length s.Levels) values -> [ fmt delta; fmt r; fmt6 (1.0 - c); fmt c; fmt k ] ]

        Check.allOf conditions,
        { Columns = [ "delta"; "R"; "cos(w, u*)"; "1 - cos"; "KKT residual" ]
          Rows = rows },
        [ "N(u*)", fmt6 limit.Value
          "KKT residual of u*", fmt (Kkt.residual ncf limit.Direction) ],
        [ "L = 3 two-layer relu^2: cos = 0.984 / 0.998 / 0.9998 at R = 10 / 100 / 1000, independent of delta (1e-4, 1e-6); same recipe, different random draw" ])

let directionFast =
    { Problem = Problem.example "two-layer-relu2"
      Deltas = [ 1e-6 ]
      Levels = [ 3.0; 10.0; 30.0; 100.0; 300.0; 1000.0 ]
      ReferenceIsInitialDirection = false }

let directionFull =
    { directionFast with
        Deltas = [ 1e-5; 1e-6; 1e-7 ]
        Levels = [ 3.0; 10.0; 30.0; 100.0; 300.0; 1000.0; 3000.0 ] }

/// Claim 2.
let directionCheck =
    Check.define
        "early-direction"
        "early phase"
        "#2 w/|w| converges to a KKT point of the constrained NCF"
        "arXiv 2402.09226 (A), 2403.08121 (B); docs/claims.md #2"
        (fun mode -> direction (pick directionFast directionFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 3 set-up: the initial directions (seeds) and the sign of the labels the NCF is evaluated with.
type LimitSignSetup =
    { Problem: Problem
      Seeds: int64 list
      EvaluateWithFlippedLabels: bool }

/// Claim 3: the NCF value at the limit is ≥ 0, and escape happens only when it is &gt; 0: for every w₀, when the NCF
/// flow blows up its limit direction has N &gt; 0 and KKT residual ≤ 1e-6.
let limitSign (s: LimitSignSetup) =
    let criterion =
        "every blow-up of the NCF flow ends at a direction with N > 0 and KKT residual <= 1e-6; at least one blow-up"

    let parameters =
        [ "problem", s.Problem.Description
          "w0 seeds", String.Join(", ", s.Seeds)
          "labels for N",
          (if s.EvaluateWithFlippedLabels then
               "-y (negative test)"
           else
               "y") ]

    Check.measure criterion parameters (fun () ->
        let rows =
            [ for seed in s.Seeds ->
                  let p = Problem.withSeed seed s.Problem
                  let ncf = Problem.ncf p
                  let r = Kkt.blowUp (Problem.degree p) ncf (Problem.w0 p)

                  let judged =
                      if s.EvaluateWithFlippedLabels then
                          Problem.ncfWith (Array.map (~-) (Problem.labels p)) p
                      else
                          ncf

                  seed, r.BlewUp, r.Tau, value judged r.LimitDirection, Kkt.residual ncf r.LimitDirection ]

        let blown = rows |> List.filter (fun (_, b, _, _, _) -> b)

        Check.allOf [
            not blown.IsEmpty, "no w0 led to a blow-up"
            blown |> List.forall (fun (_, _, _, n, _) -> n > 0.0), "a blow-up ended at a direction with N <= 0"
            blown |> List.forall (fun (_, _, _, _, k) -> k <= 1e-6), "a limit direction is not a KKT point (residual > 1e-6)"
        ],
        { Columns = [ "seed"; "blow-up"; "tau*"; "N(u_lim)"; "KKT residual" ]
          Rows =
            rows
            |> List.map (fun (seed, b, tau, n, k) -> [ string seed; string b; fmt6 tau; fmt6 n; fmt k ]) },
        [ "blow-ups", $"{blown.Length} of {rows.Length}" ],
        [ "L = 3 two-layer relu^2: limit N = 1.1620, tau* = 0.65174 for its w0 (different random draw)" ])

let limitSignFast =
    { Problem = Problem.example "two-layer-relu2"
      Seeds = [ 2L; 3L; 4L; 5L ]
      EvaluateWithFlippedLabels = false }

let limitSignFull =
    { limitSignFast with
        Seeds = [ 1L .. 16L ] }

/// Claim 3.
let limitSignCheck =
    Check.define
        "ncf-limit-nonnegative"
        "early phase"
        "#3 the NCF value at the limit direction is >= 0; escape only when > 0"
        "arXiv 2402.09226 (A), 2403.08121 (B); docs/claims.md #3"
        (fun mode -> limitSign (pick limitSignFast limitSignFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 4 set-up: problems whose labels make N ≤ 0, δ values, and the rescaled horizon.
type CollapseSetup =
    { Problems: Problem list
      Deltas: float list
      TauEnd: float }

/// Claim 4: with N ≤ 0 everywhere ‖w(t)‖/δ never grows and decays — exponentially at rate 2N(û_lim) for L = 2 (fitted
/// slope of ln(‖w‖/δ) against t over the second half, prediction within the CI widened by 5 %), like τ^{−1/(L−2)} for
/// L &gt; 2 (log–log slope over the last third within 5 % of −1/(L−2)); curves for different δ coincide in τ = δ^{L−2}t.
let collapse (s: CollapseSetup) =
    let criterion =
        "|w|/delta non-increasing (1e-9), below 1 at the end; decay slope matches 2N(u_lim) (L = 2) or -1/(L-2) (L > 2) within CI + 5%; curves coincide across delta (1e-3; the difference is O(delta^L))"

    let parameters =
        [ "problems", String.Join(" | ", s.Problems |> List.map (fun p -> p.Description))
          "deltas", listed s.Deltas
          "tau end", $"{fmt s.TauEnd} (L = 2); 1e5 on a log grid (L > 2)" ]

    Check.measure criterion parameters (fun () ->
        let results =
            [ for p in s.Problems do
                  let w0 = Problem.w0 p
                  let degree = Problem.degree p
                  let nLim = (Kkt.limitOf p w0).Value
                  // L > 2 decays polynomially: the asymptotic rate shows once L(L−2)|N*|τ ≫ 1, so its grid runs to τ = 1e5.
                  let taus =
                      if degree = 2 then
                          Flow.linearGrid 0.0 s.TauEnd 201
                      else
                          Flow.logGrid 1e-2 1e5 201

                  let curves =
                      [ for delta in s.Deltas ->
                            let scaleT = delta ** float (degree - 2)

                            let recorder =
                                Flow.recorder (taus |> Array.map (fun tau -> tau / scaleT)) [ Flow.quantity "ratio" (fun w -> Vec.norm w / delta) ]

                            flow p (Vec.scale delta w0) (Array.last taus / scaleT) 1e-10 [] [ recorder ]
                            |> ignore

                            delta, recorder.Column "ratio" ]

                  let _, first = curves.Head
                  let half = taus.Length / 2

                  let fit, predicted =
                      if degree = 2 then
                          Analysis.fit taus.[half..] (first.[half..] |> Array.map log), 2.0 * nLim
                      else
                          let k = taus.Length * 2 / 3
                          Analysis.fit (taus.[k..] |> Array.map log) (first.[k..] |> Array.map log), -1.0 / float (degree - 2)

                  let monotone =
                      curves
                      |> List.forall (fun (_, c) -> c |> Array.pairwise |> Array.forall (fun (a, b) -> b <= a * (1.0 + 1e-9)))

                  let spread =
                      curves
                      |> List.map (fun (_, c) -> Array.map2 (fun a b -> abs (a - b) / b) c first |> Array.max)
                      |> List.max

                  yield p, degree, nLim, fit, predicted, monotone, spread, curves ]

        let conditions =
            [ for p, _, _, fit, predicted, monotone, spread, curves in results do
                  yield monotone, $"{p.Name}: |w|/delta increases somewhere"
                  yield curves |> List.forall (fun (_, c) -> c.[c.Length - 1] < 1.0), $"{p.Name}: |w|/delta ends above 1 (no collapse)"

                  yield
                      Analysis.slopeMatches fit predicted 0.05, $"{p.Name}: decay slope {Analysis.describeSlope fit} does not match {fmt predicted}"

                  yield spread <= 1e-3, $"{p.Name}: curves for different delta differ by {fmt spread} in rescaled time" ]

        Check.allOf conditions,
        { Columns =
            [ "problem"
              "L"
              "N(u_lim)"
              "fitted decay slope"
              "predicted"
              "final |w|/delta"
              "spread over delta" ]
          Rows =
            [ for p, degree, nLim, fit, predicted, _, spread, curves in results ->
                  [ p.Name
                    string degree
                    fmt6 nLim
                    fmt6 fit.Slope
                    fmt6 predicted
                    fmt (snd curves.Head |> Array.last)
                    fmt spread ] ] },
        [],
        [])

let collapseFast =
    { Problems = [ Problem.example "fig1-negative" ]
      Deltas = [ 1e-2; 1e-3; 1e-4; 1e-5 ]
      TauEnd = 2.0 }

let collapseFull =
    { collapseFast with
        Problems =
            [ Problem.example "fig1-negative"
              Problem.example "fig1-negative"
              |> Problem.withActivation (Activation.reluPower 3) ]
        Deltas = [ 1e-2; 1e-3; 1e-4; 1e-5; 1e-6; 1e-7 ] }

/// Claim 4.
let collapseCheck =
    Check.define
        "collapse"
        "early phase"
        "#4 with N <= 0 the weights collapse: |w|/delta decays, no escape"
        "arXiv 2402.09226 (A), 2403.08121 (B); docs/claims.md #4"
        (fun mode -> collapse (pick collapseFast collapseFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 7 set-up: δ values and the level R at which the loss is read (‖w‖ = Rδ, before the escape).
type OriginPlateauSetup =
    { Problem: Problem
      Deltas: float list
      Level: float
      PredictedSlope: int option }

/// Claim 7: before the escape the loss equals ℒ(0) = ½‖y‖² up to O(δ^L): at ‖w‖ = Rδ, ln(ℒ(0) − ℒ(w)) against ln δ
/// has slope L (prediction in the 95 % CI widened by 2 %); L is the problem's degree unless a predicted slope is given
/// (the negative test: a non-homogeneous perturbation of a degree-2 model, judged against 2).
let originPlateau (s: OriginPlateauSetup) =
    let p = s.Problem
    let degree = s.PredictedSlope |> Option.defaultWith (fun () -> Problem.degree p)

    let criterion =
        "slope of ln|L(0) - L(w)| vs ln delta at |w| = R delta matches L (CI + 2%); relative deviation <= 1e-3 at the smallest delta"

    let parameters =
        [ "problem", p.Description
          "deltas", listed s.Deltas
          "R", fmt s.Level
          "predicted slope L", string degree ]

    Check.measure criterion parameters (fun () ->
        let w0 = Problem.w0 p
        let loss0 = 0.5 * (Problem.labels p |> Array.sumBy (fun y -> y * y))
        let f = Problem.loss p

        let rows =
            [ for delta in s.Deltas ->
                  let ev = Flow.normReaches "level" true (s.Level * delta)

                  let sol =
                      flowOf f (Vec.scale delta w0) (1e4 / (delta ** float (degree - 2)) + 1e3) 1e-10 [ ev ] []

                  let w = sol.Events.Head.State
                  delta, loss0 - value f w ]

        let fit =
            Analysis.fit (rows |> List.map (fst >> log)) (rows |> List.map (snd >> abs >> log))

        Check.allOf [
            Analysis.slopeMatches fit (float degree) 0.02, $"slope {Analysis.describeSlope fit} does not match L = {degree}"
            abs (snd (List.last rows)) / loss0 <= 1e-3, "the loss moved by more than 1e-3 relative before the escape"
        ],
        { Columns = [ "delta"; "L(0) - L(w) at |w| = R delta"; "relative" ]
          Rows = rows |> List.map (fun (d, dl) -> [ fmt d; fmt dl; fmt (dl / loss0) ]) },
        [ "L(0)", fmt6 loss0; "slope", Analysis.describeSlope fit ],
        [ "A Fig. 1 reconstruction: L(0) = 1/2 |y|^2 = 210.42, loss 210.4 at iteration 800 (|W| = 0.026); our draw of the 50 inputs differs" ])

let originPlateauFast =
    { Problem = Problem.example "fig1"
      Deltas = [ 1e-2; 1e-3; 1e-4; 1e-5 ]
      Level = 10.0
      PredictedSlope = None }

let originPlateauFull =
    { originPlateauFast with
        Deltas = [ 1e-2; 3e-3; 1e-3; 1e-4; 1e-5; 1e-6; 1e-7 ] }

/// Claim 7.
let originPlateauCheck =
    Check.define
        "origin-plateau"
        "early phase"
        "#7 the first plateau sits at the origin: L = L(0) up to O(delta^L)"
        "arXiv 2402.09226 (A), 2403.08121 (B), 2502.15952 (C); docs/claims.md #7"
        (fun mode -> originPlateau (pick originPlateauFast originPlateauFull mode))

// ---------------------------------------------------------------------------------------------------------------
/// Claim 15 set-up: δ values, the level R, and the logistic factor s in s·ln(1 + e^{−py}).
type LogisticSetup =
    { Problem: Problem
      Deltas: float list
      Level: float
      LogisticScale: float }

/// Claim 15: with ℓ = 2 ln(1 + e^{−py}) the early trajectory equals the square-loss one (same direction at ‖w‖ = Rδ,
/// cos ≥ 1 − 1e-6; max relative distance between the trajectories at equal t ≤ 1e-2 up to that time), for every δ.
let logistic (s: LogisticSetup) =
    let p = s.Problem

    let criterion =
        "for every delta: cos(w_square, w_logistic) >= 1 - 1e-6 at |w| = R delta and max_t |w_sq(t) - w_log(t)|/|w_sq(t)| <= 1e-2 up to then"

    let parameters =
        [ "problem", p.Description
          "deltas", listed s.Deltas
          "R", fmt s.Level
          "logistic loss", $"{s.LogisticScale} ln(1 + exp(-p y))" ]

    Check.measure criterion parameters (fun () ->
        let w0 = Problem.w0 p
        let logisticProblem = Problem.withLoss (Losses.Logistic s.LogisticScale) p

        let rows =
            [ for delta in s.Deltas ->
                  let ev = Flow.normReaches "level" true (s.Level * delta)
                  let square = flow p (Vec.scale delta w0) 1e4 1e-10 [ ev ] []
                  let tR = square.Events.Head.Time
                  let times = Flow.linearGrid 0.0 tR 101
                  let recA = Flow.states times
                  let recB = Flow.states times
                  flow p (Vec.scale delta w0) tR 1e-10 [] [ recA ] |> ignore
                  flow logisticProblem (Vec.scale delta w0) tR 1e-10 [] [ recB ] |> ignore

                  let distance =
                      Seq.map2 (fun (a: float[]) (b: float[]) -> Vec.distance a b / Vec.norm a) recA.States recB.States
                      |> Seq.max

                  delta, tR, Vec.cosine (Seq.last recA.States) (Seq.last recB.States), distance ]

        Check.allOf [
            for delta, _, c, dist in rows do
                yield c >= 1.0 - 1e-6, $"delta = {fmt delta}: directions differ (cos = {fmt6 c})"
                yield dist <= 1e-2, $"delta = {fmt delta}: trajectories differ by {fmt dist} at equal times"
        ],
        { Columns =
            [ "delta"
              "t at |w| = R delta"
              "cos(square, logistic)"
              "max relative distance" ]
          Rows = rows |> List.map (fun (d, t, c, dist) -> [ fmt d; fmt6 t; fmt6 c; fmt dist ]) },
        [],
        [])

let logisticFast =
    { Problem = Problem.example "fig1"
      Deltas = [ 1e-5; 1e-6; 1e-7; 1e-8 ]
      Level = 100.0
      LogisticScale = 2.0 }

let logisticFull =
    { logisticFast with
        Deltas = [ 1e-5; 1e-6; 1e-7; 1e-8; 1e-9; 1e-10 ]
        Level = 1000.0 }

/// Claim 15.
let logisticCheck =
    Check.define
        "logistic-early-direction"
        "early phase"
        "#15 logistic loss (2 ln(1 + e^-py)) gives the same early trajectory and KKT direction as the square loss"
        "arXiv 2402.09226 (A); docs/claims.md #15"
        (fun mode -> logistic (pick logisticFast logisticFull mode))
