// SPDX-License-Identifier: MIT
/// The early phase near the origin (Kumar & Haupt, TMLR 2024 and TMLR 2025): weights stay O(δ) (claim 1), the
/// direction converges to a KKT point of the constrained NCF (claims 2–3), the collapse branch (claim 4), the first
/// plateau at the origin (claim 7), and logistic against square loss (claim 15).
module NeuronPursuit.Checks.EarlyPhase

open System
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Checks.CheckTypes
open NeuronPursuit.Checks.Problems

let private norm = Problems.norm

// ---------------------------------------------------------------------------------------------------------------
/// Claim 1 set-up: δ values and the horizon T = fraction·τ* in rescaled time.
type NormBoundSetup = { Problem: Problem; Deltas: float list; HorizonFraction: float; Samples: int }

/// Claim 1 (A, B; digest §4 #1): for t ≤ T/δ^{L−2} with T < τ*, sup ‖w(t)‖/δ is bounded independently of δ, and the
/// curves ‖w‖/δ against δ^{L−2}t coincide with the NCF flow's ‖u(τ)‖. Judged by the fitted slope of ln sup(‖w‖/δ)
/// against ln δ (95 % CI inside [−0.05, 0.05]) and the collapse of the curves (≤ 1e-3 relative at the smallest δ).
let normBound (s: NormBoundSetup) mode =
    let p = s.Problem
    let criterion = "95% CI of the slope of ln sup(|w|/delta) vs ln delta inside [-0.05, 0.05]; rescaled curves within 1e-3 of the NCF flow's |u(tau)| at the smallest delta (when T < tau*)"
    let parameters = [ "problem", p.Description; "deltas", String.Join(", ", s.Deltas |> List.map fmt); "T / tau*", fmt s.HorizonFraction; "samples", string s.Samples; "integrator", "dp5, rtol 1e-9, atol 0" ]
    measure "early-norm-bound" "weights stay O(delta) for t <= T/delta^(L-2), T < tau*" "A + B; small-init-and-saddles.md §4 #1, §2.2 (i)" mode criterion parameters (fun () ->
        let blow = BlowUpTime.Compute(p.Ncf(), p.Degree, ReadOnlySpan p.W0)
        let tauEnd = s.HorizonFraction * blow.Tau
        let taus = ObservationGrid.Linear(0.0, tauEnd, s.Samples)
        let ncfRecorder = QuantityRecorder(taus, [ FlowQuantities.WeightNorm() ])
        if s.HorizonFraction < 1.0 then ncfFlow (p.Ncf()) p.W0 tauEnd 1e-10 [] [ ncfRecorder ] |> ignore
        let reference = if s.HorizonFraction < 1.0 then ncfRecorder.Column "norm" else [||]
        let rows =
            [ for delta in s.Deltas ->
                let scaleT = delta ** float (p.Degree - 2)
                let recorder = QuantityRecorder(taus |> Array.map (fun tau -> tau / scaleT), [ FlowQuantity("ratio", fun w -> norm w / delta) ])
                gradientFlow (p.Loss()) (scale delta p.W0) (tauEnd / scaleT) 1e-9 [] [ recorder ] |> ignore
                let ratio = recorder.Column "ratio"
                let collapse =
                    if reference.Length = ratio.Length then Array.map2 (fun a b -> abs (a - b) / b) ratio reference |> Array.max else nan
                delta, Array.max ratio, collapse ]
        let fit = LinearFit.Fit(rows |> List.map (fun (d, _, _) -> log d) |> List.toArray, rows |> List.map (fun (_, r, _) -> log r) |> List.toArray)
        let _, _, lastCollapse = List.last rows
        let verdict =
            allOf [ fit.SlopeLower >= -0.05 && fit.SlopeUpper <= 0.05, $"slope {describeSlope fit} is not inside [-0.05, 0.05]: sup |w|/delta depends on delta"
                    (s.HorizonFraction >= 1.0 || lastCollapse <= 1e-3), $"rescaled curve deviates by {fmt lastCollapse} from the NCF flow" ]
        verdict,
        { Columns = [ "delta"; "sup |w|/delta"; "max rel. dev. from |u(tau)|" ]; Rows = rows |> List.map (fun (d, r, c) -> [ fmt d; fmt6 r; fmt c ]) },
        [ "tau*", fmt6 blow.Tau; "slope", describeSlope fit ],
        [])

/// Fast and full configurations of claim 1.
let normBoundFast = { Problem = twoLayerL3 2L; Deltas = [ 1e-2; 3e-3; 1e-3; 3e-4 ]; HorizonFraction = 0.9; Samples = 50 }
let normBoundFull = { normBoundFast with Deltas = [ 1e-2; 3e-3; 1e-3; 3e-4; 1e-4; 3e-5; 1e-5 ]; Samples = 200 }

// ---------------------------------------------------------------------------------------------------------------
/// Claim 2 set-up: δ values, levels R (measure when ‖w‖ = Rδ), and the reference direction.
type DirectionSetup = { Problem: Problem; Deltas: float list; Levels: float list; ReferenceIsInitialDirection: bool }

/// Claim 2 (A, B; digest §4 #2): w/‖w‖ converges to the KKT point reached by the NCF flow from the same w₀: at
/// ‖w‖ = Rδ, 1 − cos(w, u*) decreases with R (fitted slope of ln(1 − cos) against ln R with 95 % CI below 0) and is
/// ≤ 1e-2 at the largest R, for every δ; the KKT residual of w/‖w‖ falls likewise.
let direction (s: DirectionSetup) mode =
    let p = s.Problem
    let criterion = "for every delta: slope of ln(1 - cos) vs ln R has its 95% CI below 0, 1 - cos <= 1e-2 at the largest R"
    let parameters = [ "problem", p.Description; "deltas", String.Join(", ", s.Deltas |> List.map fmt); "R", String.Join(", ", s.Levels |> List.map fmt)
                       "reference", (if s.ReferenceIsInitialDirection then "w0 (a wrong prediction, for the negative test)" else "limit direction of the NCF flow from the same w0") ]
    measure "early-direction" "w/|w| converges to a KKT point of the constrained NCF" "A + B; small-init-and-saddles.md §4 #2, §2.2 (ii)" mode criterion parameters (fun () ->
        let uStar, nStar, _ = ncfLimit p p.W0
        let reference = if s.ReferenceIsInitialDirection then p.W0 else uStar
        let ncf = p.Ncf()
        let results =
            [ for delta in s.Deltas ->
                let events = s.Levels |> List.map (fun r -> FlowEvents.NormCrosses(r * delta, terminal = (r = List.last s.Levels), name = $"R={r}"))
                let tEnd = 1e3 / (delta ** float (p.Degree - 2)) + (if p.Degree = 2 then 50.0 * log (1.0 / delta) else 0.0)
                let sol = gradientFlow (p.Loss()) (scale delta p.W0) tEnd 1e-10 events []
                delta, [ for e in sol.Events -> let w = e.State in 1.0 - cosine w reference, kktResidual ncf w ] ]
        let fits =
            results |> List.map (fun (delta, values) ->
                if values.Length < s.Levels.Length then delta, None, values
                else delta, Some(LinearFit.Fit(s.Levels |> List.map log |> List.toArray, values |> List.map (fun (c, _) -> log (max c 1e-300)) |> List.toArray)), values)
        let conditions =
            [ for delta, fit, values in fits do
                match fit with
                | None -> yield false, $"delta = {fmt delta}: |w| did not reach every level"
                | Some f ->
                    yield f.SlopeUpper < 0.0, $"delta = {fmt delta}: 1 - cos does not decrease with R (slope {describeSlope f})"
                    yield fst (List.last values) <= 1e-2, $"delta = {fmt delta}: 1 - cos = {fmt (fst (List.last values))} > 1e-2 at R = {List.last s.Levels}" ]
        let rows = [ for delta, _, values in fits do for r, (c, k) in List.zip (List.truncate values.Length s.Levels) values -> [ fmt delta; fmt r; fmt6 (1.0 - c); fmt c; fmt k ] ]
        allOf conditions,
        { Columns = [ "delta"; "R"; "cos(w, u*)"; "1 - cos"; "KKT residual" ]; Rows = rows },
        [ "N(u*)", fmt6 nStar; "KKT residual of u*", fmt (kktResidual ncf uStar) ],
        [ "L = 3 two-layer relu^2: cos = 0.984 / 0.998 / 0.9998 at R = 10 / 100 / 1000, independent of delta (1e-4, 1e-6); same recipe, different random draw" ])

let directionFast = { Problem = twoLayerL3 2L; Deltas = [ 1e-6 ]; Levels = [ 3.0; 10.0; 30.0; 100.0; 300.0; 1000.0 ]; ReferenceIsInitialDirection = false }
let directionFull = { directionFast with Deltas = [ 1e-5; 1e-6; 1e-7 ]; Levels = [ 3.0; 10.0; 30.0; 100.0; 300.0; 1000.0; 3000.0 ] }

// ---------------------------------------------------------------------------------------------------------------
/// Claim 3 set-up: the initial directions (seeds) and the sign of the labels the NCF is evaluated with.
type LimitSignSetup = { Problem: int64 -> Problem; Seeds: int64 list; EvaluateWithFlippedLabels: bool }

/// Claim 3 (A, B; digest §4 #3): the NCF value at the limit is ≥ 0, and escape happens only when it is &gt; 0: for
/// every w₀, when the NCF flow blows up its limit direction has N &gt; 0 and KKT residual ≤ 1e-6.
let limitSign (s: LimitSignSetup) mode =
    let criterion = "every blow-up of the NCF flow ends at a direction with N > 0 and KKT residual <= 1e-6; at least one blow-up"
    let p0 = s.Problem s.Seeds.Head
    let parameters = [ "problem", p0.Description; "w0 seeds", String.Join(", ", s.Seeds); "labels for N", (if s.EvaluateWithFlippedLabels then "-y (negative test)" else "y") ]
    measure "ncf-limit-nonnegative" "the NCF value at the limit direction is >= 0; escape only when > 0" "A + B; small-init-and-saddles.md §4 #3, §0" mode criterion parameters (fun () ->
        let rows =
            [ for seed in s.Seeds ->
                let p = s.Problem seed
                let r = BlowUpTime.Compute(p.Ncf(), p.Degree, ReadOnlySpan p.W0)
                let ncf = if s.EvaluateWithFlippedLabels then p.NcfWithLabels(Array.map (~-) p.Labels) else p.Ncf()
                seed, r.BlewUp, r.Tau, ncf.Value(ReadOnlySpan r.LimitDirection), kktResidual (p.Ncf()) r.LimitDirection ]
        let blown = rows |> List.filter (fun (_, b, _, _, _) -> b)
        allOf [ not blown.IsEmpty, "no w0 led to a blow-up"
                blown |> List.forall (fun (_, _, _, n, _) -> n > 0.0), "a blow-up ended at a direction with N <= 0"
                blown |> List.forall (fun (_, _, _, _, k) -> k <= 1e-6), "a limit direction is not a KKT point (residual > 1e-6)" ],
        { Columns = [ "seed"; "blow-up"; "tau*"; "N(u_lim)"; "KKT residual" ]
          Rows = rows |> List.map (fun (seed, b, tau, n, k) -> [ string seed; string b; fmt6 tau; fmt6 n; fmt k ]) },
        [ "blow-ups", $"{blown.Length} of {rows.Length}" ],
        [ "L = 3 two-layer relu^2: limit N = 1.1620, tau* = 0.65174 for its w0 (different random draw)" ])

let limitSignFast = { Problem = twoLayerL3; Seeds = [ 2L; 3L; 4L; 5L ]; EvaluateWithFlippedLabels = false }
let limitSignFull = { limitSignFast with Seeds = [ 1L .. 16L ] }

// ---------------------------------------------------------------------------------------------------------------
/// Claim 4 set-up: problems whose labels make N ≤ 0, δ values, and the rescaled horizon.
type CollapseSetup = { Problems: Problem list; Deltas: float list; TauEnd: float }

/// Claim 4 (A, B; digest §4 #4): with N ≤ 0 everywhere ‖w(t)‖/δ never grows and decays — exponentially at rate
/// 2N(û_lim) for L = 2 (fitted slope of ln(‖w‖/δ) against t over the second half, prediction within the CI widened by
/// 5 %), like τ^{−1/(L−2)} for L &gt; 2 (log–log slope over the last decade within 5 % of −1/(L−2)); curves for
/// different δ coincide in τ = δ^{L−2}t.
let collapse (s: CollapseSetup) mode =
    let criterion = "|w|/delta non-increasing (1e-9), below 1 at the end; decay slope matches 2N(u_lim) (L = 2) or -1/(L-2) (L > 2) within CI + 5%; curves coincide across delta (1e-3; the difference is O(delta^L))"
    let parameters = [ "problems", String.Join(" | ", s.Problems |> List.map (fun p -> p.Description)); "deltas", String.Join(", ", s.Deltas |> List.map fmt); "tau end", $"{fmt s.TauEnd} (L = 2); 1e5 on a log grid (L > 2)" ]
    measure "collapse" "with N <= 0 the weights collapse: |w|/delta decays, no escape" "A + B; small-init-and-saddles.md §4 #4, §0 outcome 3" mode criterion parameters (fun () ->
        let results =
            [ for p in s.Problems do
                let _, nLim, _ = ncfLimit p p.W0
                // L > 2 decays polynomially: the asymptotic rate shows once L(L−2)|N*|τ ≫ 1, so its grid runs to τ = 1e5.
                let taus = if p.Degree = 2 then ObservationGrid.Linear(0.0, s.TauEnd, 201) else ObservationGrid.Logarithmic(1e-2, 1e5, 201)
                let curves =
                    [ for delta in s.Deltas ->
                        let scaleT = delta ** float (p.Degree - 2)
                        let recorder = QuantityRecorder(taus |> Array.map (fun tau -> tau / scaleT), [ FlowQuantity("ratio", fun w -> norm w / delta) ])
                        gradientFlow (p.Loss()) (scale delta p.W0) (Array.last taus / scaleT) 1e-10 [] [ recorder ] |> ignore
                        delta, recorder.Column "ratio" ]
                let _, first = curves.Head
                let half = taus.Length / 2
                let fit, predicted =
                    if p.Degree = 2 then LinearFit.Fit(taus.[half..], first.[half..] |> Array.map log), 2.0 * nLim
                    else
                        let k = taus.Length * 2 / 3
                        LinearFit.Fit(taus.[k..] |> Array.map log, first.[k..] |> Array.map log), -1.0 / float (p.Degree - 2)
                let monotone = curves |> List.forall (fun (_, c) -> c |> Array.pairwise |> Array.forall (fun (a, b) -> b <= a * (1.0 + 1e-9)))
                let spread = curves |> List.map (fun (_, c) -> Array.map2 (fun a b -> abs (a - b) / b) c first |> Array.max) |> List.max
                yield p, nLim, fit, predicted, monotone, spread, curves ]
        let conditions =
            [ for p, _, fit, predicted, monotone, spread, curves in results do
                yield monotone, $"{p.Name}: |w|/delta increases somewhere"
                yield curves |> List.forall (fun (_, c) -> c.[c.Length - 1] < 1.0), $"{p.Name}: |w|/delta ends above 1 (no collapse)"
                yield slopeMatches fit predicted 0.05, $"{p.Name}: decay slope {describeSlope fit} does not match {fmt predicted}"
                yield spread <= 1e-3, $"{p.Name}: curves for different delta differ by {fmt spread} in rescaled time" ]
        allOf conditions,
        { Columns = [ "problem"; "L"; "N(u_lim)"; "fitted decay slope"; "predicted"; "final |w|/delta"; "spread over delta" ]
          Rows = [ for p, nLim, fit, predicted, _, spread, curves in results ->
                     [ p.Name; string p.Degree; fmt6 nLim; fmt6 fit.Slope; fmt6 predicted; fmt (snd curves.Head |> Array.last); fmt spread ] ] },
        [],
        [])

let collapseFast = { Problems = [ fig1With 2 -1.0 0.0 3L ]; Deltas = [ 1e-2; 1e-3; 1e-4; 1e-5 ]; TauEnd = 2.0 }
let collapseFull = { collapseFast with Problems = [ fig1With 2 -1.0 0.0 3L; fig1With 3 -1.0 0.0 3L ]; Deltas = [ 1e-2; 1e-3; 1e-4; 1e-5; 1e-6; 1e-7 ] }

// ---------------------------------------------------------------------------------------------------------------
/// Claim 7 set-up: δ values and the level R at which the loss is read (‖w‖ = Rδ, before the escape).
type OriginPlateauSetup = { Problem: Problem; Deltas: float list; Level: float }

/// Claim 7 (all; digest §4 #7): before the escape the loss equals ℒ(0) = ½‖y‖² up to O(δ^L): at ‖w‖ = Rδ,
/// ln(ℒ(0) − ℒ(w)) against ln δ has slope L (prediction in the 95 % CI widened by 2 %).
let originPlateau (s: OriginPlateauSetup) mode =
    let p = s.Problem
    let criterion = "slope of ln|L(0) - L(w)| vs ln delta at |w| = R delta matches L (CI + 2%); relative deviation <= 1e-3 at the smallest delta"
    let parameters = [ "problem", p.Description; "deltas", String.Join(", ", s.Deltas |> List.map fmt); "R", fmt s.Level; "predicted slope L", string p.Degree ]
    measure "origin-plateau" "the first plateau sits at the origin: L = L(0) up to O(delta^L)" "A + B + C; small-init-and-saddles.md §4 #7" mode criterion parameters (fun () ->
        let loss0 = 0.5 * (p.Labels |> Array.sumBy (fun y -> y * y))
        let rows =
            [ for delta in s.Deltas ->
                let f = p.Loss()
                let ev = FlowEvents.NormCrosses(s.Level * delta, name = "level")
                let sol = gradientFlow f (scale delta p.W0) (1e4 / (delta ** float (p.Degree - 2)) + 1e3) 1e-10 [ ev ] []
                let w = sol.Events.[0].State
                delta, loss0 - f.Value(ReadOnlySpan w) ]
        let fit = LinearFit.Fit(rows |> List.map (fst >> log) |> List.toArray, rows |> List.map (snd >> abs >> log) |> List.toArray)
        allOf [ slopeMatches fit (float p.Degree) 0.02, $"slope {describeSlope fit} does not match L = {p.Degree}"
                abs (snd (List.last rows)) / loss0 <= 1e-3, "the loss moved by more than 1e-3 relative before the escape" ],
        { Columns = [ "delta"; "L(0) - L(w) at |w| = R delta"; "relative" ]; Rows = rows |> List.map (fun (d, dl) -> [ fmt d; fmt dl; fmt (dl / loss0) ]) },
        [ "L(0)", fmt6 loss0; "slope", describeSlope fit ],
        [ "A Fig. 1 reconstruction: L(0) = 1/2 |y|^2 = 210.42, loss 210.4 at iteration 800 (|W| = 0.026); our draw of the 50 inputs differs" ])

let originPlateauFast = { Problem = fig1 3L; Deltas = [ 1e-2; 1e-3; 1e-4; 1e-5 ]; Level = 10.0 }
let originPlateauFull = { originPlateauFast with Deltas = [ 1e-2; 3e-3; 1e-3; 1e-4; 1e-5; 1e-6; 1e-7 ] }

// ---------------------------------------------------------------------------------------------------------------
/// Claim 15 set-up: δ values, the level R, and the logistic scaling s in s·ln(1 + e^{−py}).
type LogisticSetup = { Problem: Problem; Deltas: float list; Level: float; LogisticScale: float }

/// Claim 15 (A; digest §4 #15): with ℓ = 2 ln(1 + e^{−py}) the early trajectory equals the square-loss one (same
/// direction at ‖w‖ = Rδ, cos ≥ 1 − 1e-6; max relative distance between the trajectories at equal t ≤ 1e-2 up to that
/// time), for every δ.
let logistic (s: LogisticSetup) mode =
    let p = s.Problem
    let criterion = "for every delta: cos(w_square, w_logistic) >= 1 - 1e-6 at |w| = R delta and max_t |w_sq(t) - w_log(t)|/|w_sq(t)| <= 1e-2 up to then"
    let parameters = [ "problem", p.Description; "deltas", String.Join(", ", s.Deltas |> List.map fmt); "R", fmt s.Level; "logistic loss", $"{s.LogisticScale} ln(1 + exp(-p y))" ]
    measure "logistic-early-direction" "logistic loss (2 ln(1 + e^-py)) gives the same early trajectory and KKT direction as the square loss" "A; small-init-and-saddles.md §4 #15" mode criterion parameters (fun () ->
        let rows =
            [ for delta in s.Deltas ->
                let ev = FlowEvents.NormCrosses(s.Level * delta, name = "level")
                let square = gradientFlow (p.Loss()) (scale delta p.W0) 1e4 1e-10 [ ev ] []
                let tR = square.Events.[0].Time
                let times = ObservationGrid.Linear(0.0, tR, 101)
                let recA = QuantityRecorder(times, [], saveStates = true)
                let recB = QuantityRecorder(times, [], saveStates = true)
                gradientFlow (p.Loss()) (scale delta p.W0) tR 1e-10 [] [ recA ] |> ignore
                gradientFlow (p.LossWith(Logistic s.LogisticScale)) (scale delta p.W0) tR 1e-10 [] [ recB ] |> ignore
                let distance = Seq.map2 (fun (a: float[]) (b: float[]) -> norm (Array.map2 (-) a b) / norm a) recA.States recB.States |> Seq.max
                delta, tR, cosine (Seq.last recA.States) (Seq.last recB.States), distance ]
        allOf [ for delta, _, c, dist in rows do
                    yield c >= 1.0 - 1e-6, $"delta = {fmt delta}: directions differ (cos = {fmt6 c})"
                    yield dist <= 1e-2, $"delta = {fmt delta}: trajectories differ by {fmt dist} at equal times" ],
        { Columns = [ "delta"; "t at |w| = R delta"; "cos(square, logistic)"; "max relative distance" ]
          Rows = rows |> List.map (fun (d, t, c, dist) -> [ fmt d; fmt6 t; fmt6 c; fmt dist ]) },
        [], [])

let logisticFast = { Problem = fig1 3L; Deltas = [ 1e-5; 1e-6; 1e-7; 1e-8 ]; Level = 100.0; LogisticScale = 2.0 }
let logisticFull = { logisticFast with Deltas = [ 1e-5; 1e-6; 1e-7; 1e-8; 1e-9; 1e-10 ]; Level = 1000.0 }
