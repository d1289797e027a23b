// SPDX-License-Identifier: MIT
/// Neuron Pursuit (Kumar & Haupt, arXiv 2509.12154; docs/claims.md NP-1 to NP-3): the feature-major kernels against the core networks, the
/// residual-NCF objective's gradient against finite differences and its identity with the loss gradient (so a
/// duplicate of an existing neuron at a stationary point has value 0), the first direction against a brute-force
/// NCF maximiser, recovery of a two-ReLU target with width 2, the inner stop rule on the post-addition plateau, the
/// screened KKT search against the full one, network growth, and bit-for-bit reproducibility with 1 and 2 threads.
module NeuronPursuit.Tests.Pursuit.PursuitTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Pursuit
open NeuronPursuit.Testing

let private gaussianData (seed: int64) (n: int) (d: int) (target: float[] -> float) =
    let random = SeededRandom seed
    let x = Array.zeroCreate<float>(n * d)
    random.FillGaussian(Span x)
    let y = Array.init n (fun i -> target x.[i * d .. i * d + d - 1])
    DataSet<float>(ReadOnlySpan x, ReadOnlySpan y, d)

let private relu (z: float) = max z 0.0

/// Data as a problem with a bias-free ReLU network of `depth` hidden layers (Neuron Pursuit grows its own widths).
let private reluProblem (depth: int) (data: DataSet<float>) =
    Problem.create "pursuit" "test data" (Net.feedForward data.InputDimension (List.replicate depth 1) Activation.relu) data 1L

/// The built-in teacher data y = relu(x1 + x2) − relu(x3) (n = 100, d = 5).
let private teacherData () =
    (Problem.example "two-relu-teacher").Data

/// Central finite differences of an objective's value along every coordinate.
let private numericGradient (f: IObjective<float>) (u: float[]) (h: float) =
    Array.init u.Length (fun k ->
        let up = Array.copy u
        let down = Array.copy u
        up.[k] <- up.[k] + h
        down.[k] <- down.[k] - h
        (f.Value(ReadOnlySpan up) - f.Value(ReadOnlySpan down)) / (2.0 * h))

let private gradientOf (f: IObjective<float>) (u: float[]) =
    let g = Array.zeroCreate<float> f.Dimension
    let value = f.ValueAndGradient(ReadOnlySpan u, Span g)
    value, g

let private randomWeights (seed: int64) (count: int) =
    let w = Array.zeroCreate<float> count
    SeededRandom(seed).FillGaussian(Span w, 0.7)
    w

/// A (3, 2) net in d = 5 on Gaussian data, with random weights and a label vector unrelated to it.
let private deepCase (activation: string) =
    let net = FeedForwardNetwork(5, [| 3; 2 |], Activations.Parse activation)

    let data =
        gaussianData 11L 40 5 (fun x -> relu (x.[0] - x.[1]) - 0.5 * relu (x.[2] + x.[4]))

    net, data, randomWeights 5L net.ParameterCount

let private lossGradient (net: FeedForwardNetwork) (data: DataSet<float>) (w: float[]) =
    let kernel = SquareLossKernel(net, data)
    let g = Array.zeroCreate<float> w.Length
    kernel.ValueAndGradient(ReadOnlySpan w, Span g) |> ignore
    g

/// Asserts the kernel's (1/(2n))Σ(H − y)² and its gradient equal to the core's square loss up to rounding; returns the
/// kernel and the core's value.
let private expectSquareLossMatchesCore (net: FeedForwardNetwork) (data: DataSet<float>) (w: float[]) (label: string) =
    let kernel = SquareLossKernel(net, data)
    let core = LossObjective<float>(net, SquareLoss(LossNormalisation.Mean), data)
    let g = Array.zeroCreate<float> w.Length
    let gCore = Array.zeroCreate<float> w.Length
    let valueCore = core.ValueAndGradient(ReadOnlySpan w, Span gCore)
    let value = kernel.ValueAndGradient(ReadOnlySpan w, Span g)
    expectCloseScalar 1e-13 valueCore value valueCore $"loss{label}"
    expectClose 1e-12 (max (maxAbs gCore) 1e-300) g gCore $"gradient{label}"
    kernel, valueCore

let private kernelTests =
    testList "feature-major kernels" [
        for activation in [ "relu"; "relu-power:2"; "leaky-relu:0.1" ] do
            test $"match the core network's forward and backward passes ({activation})" {
                let net, data, w = deepCase activation
                let n = data.Count
                let evaluator = FeatureMajorEvaluator(net, data.X)
                evaluator.Forward(ReadOnlySpan w)
                let workspace = net.CreateWorkspace<float> n
                let h = Array.zeroCreate<float> n
                let c = Array.init n (fun i -> sin (float i))
                let expected = Array.zeroCreate<float> w.Length
                net.Vjp(data.X, ReadOnlySpan w, ReadOnlySpan c, Span h, Span expected, workspace)
                expectClose 1e-13 (maxAbs h) (evaluator.Outputs.ToArray()) h "outputs"
                let actual = Array.zeroCreate<float> w.Length
                evaluator.Backward(ReadOnlySpan w, ReadOnlySpan c, Span actual)
                expectClose 1e-13 (maxAbs expected) actual expected "Jᵀc"
            }
        test "an evaluator loaded with other inputs computes what a new one on them computes; other shapes are refused" {
            let net, data, w = deepCase "relu-power:2"
            let other = Array.init data.X.Length (fun i -> cos (float i))
            let loaded = FeatureMajorEvaluator(net, data.X)
            loaded.Forward(ReadOnlySpan w)
            loaded.Load(ReadOnlySpan other)
            loaded.Forward(ReadOnlySpan w)
            let fresh = FeatureMajorEvaluator(net, other)
            fresh.Forward(ReadOnlySpan w)
            Expect.equal (loaded.Outputs.ToArray()) (fresh.Outputs.ToArray()) "outputs"
            let c = Array.init data.Count (fun i -> sin (float i))
            let gLoaded = Array.zeroCreate<float> w.Length
            let gFresh = Array.zeroCreate<float> w.Length
            loaded.Backward(ReadOnlySpan w, ReadOnlySpan c, Span gLoaded)
            fresh.Backward(ReadOnlySpan w, ReadOnlySpan c, Span gFresh)
            Expect.equal gLoaded gFresh "Jᵀc"

            Expect.throwsT<ArgumentException> (fun () -> loaded.Load(ReadOnlySpan other.[net.InputDimension ..])) "one sample fewer"
        }
        test "the square loss is (1/(2n))Σ(H − y)² with its gradient" {
            let net, data, w = deepCase "relu-power:2"
            expectSquareLossMatchesCore net data w "" |> ignore
        }
        test "the square loss and its gradient match the core's at every tail length, with and without the gradient" {
            // The errors are summed by vector accumulators, then the samples after the last full vector one by one.
            let net = FeedForwardNetwork(5, [| 3; 2 |], Activations.Relu)
            let w = randomWeights 5L net.ParameterCount

            for n in [ 1; 3; 4; 5; 8; 9; 37; 43 ] do
                let data =
                    gaussianData 11L n 5 (fun x -> relu (x.[0] - x.[1]) - 0.5 * relu (x.[2] + x.[4]))

                let kernel, valueCore = expectSquareLossMatchesCore net data w $", n = {n}"
                expectCloseScalar 1e-13 valueCore (kernel.Value(ReadOnlySpan w)) valueCore $"loss without the gradient, n = {n}"
        }
        test "output sensitivities J_{l+1} are ∂H/∂z_{l+1}" {
            // J ≡ 1 for the last hidden layer; for layer 1, J₂ = W₃ ⊙ σ′(z₂) computed by hand per sample.
            let net, data, w = deepCase "relu"
            let n = data.Count
            let evaluator = FeatureMajorEvaluator(net, data.X)
            evaluator.Forward(ReadOnlySpan w)
            let j2 = Array.zeroCreate<float> n
            evaluator.OutputSensitivities(ReadOnlySpan w, 2, Span j2)
            Expect.allEqual j2 1.0 "J ≡ 1 for the last hidden layer"
            let j1 = Array.zeroCreate<float>(2 * n)
            evaluator.OutputSensitivities(ReadOnlySpan w, 1, Span j1)
            let w3 = w.[w.Length - 2 ..]
            let w2 = w.[15..20]

            for i in 0 .. n - 1 do
                let x = data.Sample(i).ToArray()

                let h1 =
                    Array.init 3 (fun j -> relu (Array.sum (Array.init 5 (fun k -> w.[j * 5 + k] * x.[k]))))

                for m in 0..1 do
                    let z = Array.sum (Array.init 3 (fun j -> w2.[m * 3 + j] * h1.[j]))
                    let expected = if z > 0.0 then w3.[m] else 0.0
                    Expect.floatClose Accuracy.veryHigh j1.[m * n + i] expected $"J₂[{m}, {i}]"
        }
    ]

let private objectiveTests =
    testList "residual NCF" [
        for activation in [ "relu"; "relu-power:2"; "leaky-relu-power:0.2:2" ] do
            for layer in [ 1; 2 ] do
                test $"gradient matches central finite differences ({activation}, layer {layer})" {
                    let net, data, w = deepCase activation
                    let objective = CandidateSearch(net, data, ReadOnlySpan w).Objective(layer).Invoke()
                    let u = randomWeights (100L + int64 layer) objective.Dimension
                    let _, g = gradientOf objective u
                    let fd = numericGradient objective u 1e-6
                    expectClose 1e-6 (maxAbs g) g fd "∇N_l"
                }
        test "the initial NCF's gradient matches central finite differences" {
            let net, data, _ = deepCase "relu-power:2"
            let f = NetworkNcf(net, data)
            let u = randomWeights 9L f.Dimension
            let _, g = gradientOf f u
            expectClose 1e-6 (maxAbs g) g (numericGradient f u 1e-6) "∇N"
        }
        for layer in [ 1; 2 ] do
            test $"N_l(row j, b) = −⟨b, ∂ℒ/∂W_(l+1)[:, j]⟩ for every existing neuron j (layer {layer})" {
                // So a duplicate of an existing neuron has N_l = 0 wherever ℒ is stationary in W_{l+1}.
                let net, data, w = deepCase "relu"
                let objective = CandidateSearch(net, data, ReadOnlySpan w).Objective(layer).Invoke()
                let g = lossGradient net data w
                let incoming = net.Layout.Blocks.[layer - 1]
                let outgoing = net.Layout.Blocks.[layer]

                for j in 0 .. incoming.Rows - 1 do
                    let a = w.[incoming.Index(j, 0) .. incoming.Index(j, 0) + incoming.Columns - 1]
                    let b = randomWeights (int64 j) outgoing.Rows
                    let value = objective.Value(ReadOnlySpan(Array.append a b))

                    let expected =
                        -(Array.sum (Array.init outgoing.Rows (fun m -> b.[m] * g.[outgoing.Index(m, j)])))

                    expectCloseScalar 1e-12 (abs expected + 1e-3) value expected $"neuron {j}"
            }
        test "a duplicate of the last hidden neuron at a stationary point has value 0 to rounding" {
            // (1, 1) net; W₃ set to its least-squares value makes ℒ stationary in W₃ exactly, and every layer-2
            // candidate a > 0 duplicates the one neuron of layer 2.
            let net = FeedForwardNetwork(20, [| 1; 1 |], Activations.Relu)
            let data = HypercubeExample.TrainingSet(3L, 200)
            let w = randomWeights 4L net.ParameterCount
            w.[20] <- abs w.[20]
            let evaluator = FeatureMajorEvaluator(net, data.X)
            evaluator.Forward(ReadOnlySpan w)
            let h2 = evaluator.PostActivations(2).ToArray()

            w.[21] <-
                Array.sum (Array.map2 (*) h2 (data.Y.ToArray()))
                / Array.sum (Array.map (fun v -> v * v) h2)

            let objective = CandidateSearch(net, data, ReadOnlySpan w).Objective(2).Invoke()

            let nonStationary =
                CandidateSearch(net, data, ReadOnlySpan(Array.append w.[..20] [| w.[21] * 0.9 |])).Objective(2).Invoke()

            for b in [ 0.6; -0.8 ] do
                let u = [| 0.8; b |]
                Expect.isLessThan (abs (objective.Value(ReadOnlySpan u))) 1e-15 $"N₂ of the duplicate, b = {b}"
                Expect.isGreaterThan (abs (nonStationary.Value(ReadOnlySpan u))) 1e-3 "away from stationarity it is not 0"
        }
    ]

/// Brute force: for a one-neuron two-layer net H = v·relu(aᵀx) in d = 2, max N on a² + v² = 1 is
/// max over the angle of a of |g(a)|/2, g(a) = (1/n)Σ yᵢ relu(aᵀxᵢ), at (a/√2, sign g/√2).
let private bruteForceMaximiser (data: DataSet<float>) =
    let n = data.Count

    let g (theta: float) =
        let a0, a1 = cos theta, sin theta
        let mutable s = 0.0

        for i in 0 .. n - 1 do
            let x = data.Sample i
            s <- s + data.Y.[i] * relu (a0 * x.[0] + a1 * x.[1])

        s / float n

    let grid = Array.init 200_000 (fun k -> 2.0 * Math.PI * float k / 200_000.0)
    let best = grid |> Array.maxBy (fun t -> abs (g t))
    let value = g best
    let r = 1.0 / sqrt 2.0
    [| r * cos best; r * sin best; r * float (sign value) |], abs value / 2.0

/// Iteration 1's δ₀·u* (never null there).
let private initialWeights (it: PursuitIteration) =
    match it.InitialWeights with
    | null -> failwith "iteration 1 records its initial weights"
    | w -> w

let private algorithmTests =
    testList "algorithm" [
        test "the first iteration starts at δ₀ times the NCF maximiser" {
            let data =
                gaussianData 21L 60 2 (fun x -> relu (x.[0] + 0.5 * x.[1]) - relu (-x.[1]))

            let expected, value = bruteForceMaximiser data
            let options = PursuitOptions(MaxIterations = 1, InitialScale = 0.2)
            let r = Pursuit.run options (reluProblem 1 data)
            let first = r.Iterations.[0]
            expectClose 1e-4 0.2 (initialWeights first) (Array.map ((*) 0.2) expected) "w(0) = δ₀·u*"
            expectCloseScalar 1e-6 value first.LayerValues.[0] value "N(u*)"
        }
        test "the initial sign option picks the best restart with that output sign" {
            let data =
                gaussianData 21L 60 2 (fun x -> relu (x.[0] + 0.5 * x.[1]) - relu (-x.[1]))

            let best =
                (Pursuit.run (PursuitOptions(MaxIterations = 1)) (reluProblem 1 data)).Iterations.[0]

            let sign = -(Math.Sign (initialWeights best).[2])

            let forced =
                (Pursuit.run (PursuitOptions(MaxIterations = 1, InitialSign = sign)) (reluProblem 1 data)).Iterations.[0]

            Expect.equal (Math.Sign (initialWeights forced).[2]) sign "output weight sign"
            Expect.isLessThan forced.LayerValues.[0] best.LayerValues.[0] "a smaller KKT value than the maximiser"
        }
        test "recovers a sum of two ReLUs with a two-layer net of width 2" {
            let r = Pursuit.run Pursuit.defaults (reluProblem 1 (teacherData ()))
            Expect.equal (List.ofSeq r.Network.HiddenWidths) [ 2 ] "width 2"
            Expect.equal r.StopReason PursuitStopReason.LossTolerance "stopped by the loss tolerance"
            Expect.isLessThan r.FinalLoss 1e-6 "exact fit"
            // The two neurons are the teacher's up to a positive rescaling (ReLU): compare directions of incoming rows.
            let rows = [ for j in 0..1 -> r.Weights.[j * 5 .. j * 5 + 4] ]

            let unit (v: float[]) =
                let s = sqrt (Array.sumBy (fun x -> x * x) v) in Array.map (fun x -> x / s) v

            let teacher = [ unit [| 1.0; 1.0; 0.0; 0.0; 0.0 |]; [| 0.0; 0.0; 1.0; 0.0; 0.0 |] ]

            for t in teacher do
                let best =
                    rows
                    |> List.map (fun row -> Array.sum (Array.map2 (*) (unit row) t))
                    |> List.max

                Expect.isGreaterThan best 0.999 "a learned neuron points along each teacher neuron"
        }
        test "a (1, 1) net after GD: the layer-2 candidate is ≈ 0 and layer 1 is chosen (demo, before iteration 2)" {
            // docs/claims.md NP-3 expects ~0 (1e-16 to 1e-6): the inner stop rule leaves ‖∇ℒ‖ small, not 0.
            let r =
                Pursuit.run (PursuitOptions(MaxIterations = 2)) (Problem.example "hypercube")

            let second = r.Iterations.[1]
            Expect.isLessThan (abs second.LayerValues.[1]) 1e-6 "layer-2 value (a duplicate is useless at stationarity)"
            Expect.isGreaterThan second.LayerValues.[0] 0.05 "layer-1 value"
            Expect.equal (List.ofSeq second.ChosenLayers) [ 1 ] "layer 1 chosen"
        }
    ]

let private plateauTests =
    testList "inner stop rule" [
        test "waits through a flat plateau and stops after the drop; the rule without the decrease test stops on the plateau" {
            // ℒ = 1 − 1e-12·t for 5000 epochs (a plateau), then falls to 0.5, then is flat.
            let loss (t: int) =
                if t < 5000 then 1.0 - 1e-12 * float t
                elif t < 5100 then 1.0 - 0.005 * float (t - 5000)
                else 0.5

            let stopAt (options: PursuitOptions) =
                let rule = InnerStopRule options
                let mutable reason = InnerStopReason.EpochCap
                let mutable t = 0

                while not (rule.ShouldStop(int64 t, loss t, &reason)) do
                    t <- t + 1

                t, reason

            let t, reason = stopAt (PursuitOptions())
            Expect.equal reason InnerStopReason.Converged "converged"
            Expect.equal t 6100 "one window after the loss stopped changing"
            let tNaive, _ = stopAt (PursuitOptions(DecreaseFactor = 1.0))
            Expect.equal tNaive 1000 "the naive rule fires one window into the plateau"
        }
        test "on data: every addition escapes its plateau by default; a naive rule stops on it" {
            // δ = 1e-5 makes the plateau after the addition long and flat (ℒ changes by ~1e-9 per 1000 epochs).
            let data = HypercubeExample.TrainingSet(1L, 300)
            let options = PursuitOptions(MaxIterations = 2, NeuronScale = 1e-5)

            let run (o: PursuitOptions) =
                NeuronPursuitTrainer.Run(data, 2, Activations.Relu, o).Iterations.[1].Minimisation

            let good = run options
            Expect.isLessThan good.LossAfter (0.97 * good.LossBefore) "escaped: the loss fell"
            Expect.isGreaterThan good.Epochs 1000L "after more than one window"

            let naive =
                run (PursuitOptions(MaxIterations = 2, NeuronScale = 1e-5, DecreaseFactor = 1.0))

            Expect.equal naive.Reason InnerStopReason.Converged "the naive rule declares convergence"
            Expect.isGreaterThan naive.LossAfter (0.999 * naive.LossBefore) "while still on the plateau"
        }
        test "GD and the Euler flow minimiser take the same steps" {
            let data = teacherData ()
            let net = FeedForwardNetwork(5, [| 2 |], Activations.Relu)
            let w0 = randomWeights 3L net.ParameterCount |> Array.map ((*) 0.1)
            let wGd = Array.copy w0

            let gd =
                GradientDescentMinimiser.Minimise(net, data, Span wGd, PursuitOptions(MaxEpochs = 3000))

            let wFlow = Array.copy w0

            let flow =
                GradientFlowMinimiser.Minimise(net, data, Span wFlow, PursuitOptions(MaxEpochs = 3000, Minimiser = MinimiserKind.GradientFlow))

            Expect.equal flow.Epochs gd.Epochs "epochs"
            expectClose 1e-10 (maxAbs wGd) wFlow wGd "weights"
        }
    ]

let private screeningTests =
    testList "screened KKT search" [
        test "finds the full search's best value on the demo's stalled ridge with a fraction of the ascent steps, for any thread count" {
            // Data seed 1 of the demo after iteration 1: every restart of the layer-1 search creeps along one ReLU ridge.
            let data = HypercubeExample.TrainingSet(1L, 1000)
            let o = PursuitOptions(MaxIterations = 1, PruneEpochs = 0)
            let r = NeuronPursuitTrainer.Run(data, 2, Activations.Relu, o)
            let search = CandidateSearch(r.Network, data, ReadOnlySpan r.Weights)
            let create = search.Objective 1
            let objective () = create.Invoke() :> IObjective<float>
            let seed = NeuronPursuitTrainer.SearchSeed(1L, 2, 1)

            let full =
                NeuronPursuit.Core.Kkt.KktSearch.Run(Func<_> objective, o.Restarts, seed, o.Ascent, 2)

            let screened =
                ScreenedKktSearch.Run(Func<_> objective, o.Restarts, seed, o.Ascent, 2)

            let one = ScreenedKktSearch.Run(Func<_> objective, o.Restarts, seed, o.Ascent, 1)
            let steps (points: NeuronPursuit.Core.Kkt.KktPoint seq) = points |> Seq.sumBy (fun p -> p.Steps)
            Expect.floatClose Accuracy.medium screened.[0].Value full.[0].Value "best value"
            Expect.isLessThan (steps screened) (steps full / 2) "less than half the steps (5,850 of 17,244 when measured)"
            Expect.equal [ for p in one -> p.Direction, p.Value ] [ for p in screened -> p.Direction, p.Value ] "1 or 2 threads"
        }
    ]

let private descentTests =
    testList "fixed budget" [
        test "descend runs its epoch budget of full-batch gradient descent w <- w - eta grad L on (1/(2n))Σ(H − y)²" {
            let data = teacherData ()
            let net = FeedForwardNetwork(5, [| 2 |], Activations.Relu)
            let w0 = randomWeights 3L net.ParameterCount |> Array.map ((*) 0.1)
            let w = Array.copy w0
            let r = Pursuit.descend 50 Pursuit.defaults net data w
            Expect.equal r.Epochs 50L "the whole budget (no stop rule)"
            let f = lossWith squareLossMean net data

            let manual =
                Seq.fold (fun (v: float[]) _ -> Array.map2 (fun vi gi -> vi - Pursuit.defaults.LearningRate * gi) v (grad f v)) w0 [ 1..50 ]

            expectClose 1e-12 (maxAbs manual) w manual "w after 50 epochs"
            expectCloseScalar 1e-12 r.LossAfter r.LossAfter (value f w) "the reported loss"
        }
    ]

let private growthTests =
    testList "growth and reproducibility" [
        test "a new neuron goes last in its layer with row δa and column δb; the old weights keep their places" {
            let net, data, w = deepCase "relu"

            let grown, w2 =
                NetworkGrowth.AddNeuron(net, ReadOnlySpan w, 1, ReadOnlySpan [| 1.0; 2.0; 3.0; 4.0; 5.0 |], ReadOnlySpan [| 0.0; 0.0 |])

            Expect.equal (List.ofSeq grown.HiddenWidths) [ 4; 2 ] "widths"
            Expect.equal w2.[15..19] [| 1.0; 2.0; 3.0; 4.0; 5.0 |] "new row"
            Expect.equal w2.[..14] w.[..14] "old rows"
            // With a zero outgoing column the function is unchanged.
            let before = SquareLossKernel(net, data).Value(ReadOnlySpan w)
            let after = SquareLossKernel(grown, data).Value(ReadOnlySpan w2)
            Expect.equal after before "same function"

            let grown2, w3 =
                NetworkGrowth.AddNeuron(grown, ReadOnlySpan w2, 2, ReadOnlySpan [| 1.0 |], ReadOnlySpan [| 7.0 |])

            Expect.equal (List.ofSeq grown2.HiddenWidths) [ 4; 3 ] "widths"
            Expect.equal w3.[w3.Length - 1] 7.0 "new outgoing weight last"
            Expect.equal w3.[20 + 8 .. 20 + 11] [| 1.0; 0.0; 0.0; 0.0 |] "new row padded with zeros"
        }
        test "runs are reproducible bit for bit, with 1 or 2 threads" {
            let data = HypercubeExample.TrainingSet(2L, 200)

            let run threads =
                NeuronPursuitTrainer.Run(data, 2, Activations.Relu, PursuitOptions(MaxIterations = 3, MaxEpochs = 4000, Parallelism = threads))

            let a, b, c = run 1, run 2, run 2
            Expect.equal b.Weights a.Weights "weights, 2 vs 1 threads"
            Expect.equal c.Weights b.Weights "weights, two runs"

            let values (r: PursuitResult) =
                [ for i in r.Iterations -> List.ofSeq i.LayerValues, i.Minimisation.Epochs ]

            Expect.equal (values b) (values a) "log"

            let other =
                NeuronPursuitTrainer.Run(data, 2, Activations.Relu, PursuitOptions(MaxIterations = 3, MaxEpochs = 4000, Seed = 2L))

            Expect.notEqual other.Weights a.Weights "another seed gives another run"
        }
        test "several neurons per iteration: the best candidates of distinct layers" {
            let data = HypercubeExample.TrainingSet(1L, 200)

            let r =
                NeuronPursuitTrainer.Run(data, 2, Activations.Relu, PursuitOptions(MaxIterations = 2, MaxEpochs = 3000, NeuronsPerIteration = 2))

            let second = r.Iterations.[1]
            let positive = second.LayerValues |> Seq.filter (fun v -> v > 1e-8) |> Seq.length
            Expect.equal second.ChosenLayers.Count positive "one per layer with a positive value"
            Expect.equal (Seq.sum r.Network.HiddenWidths) (2 + positive) "widths grew by that many"
        }
        test "the hypercube target is the (4, 2) teacher network; vertex 0 is (1, …, 1)" {
            let net = HypercubeExample.TeacherNetwork
            let w = HypercubeExample.TeacherWeights()
            let chunk = HypercubeExample.Vertices(1000, 3000)
            let kernel = SquareLossKernel(net, chunk)
            Expect.equal (kernel.Value(ReadOnlySpan w)) 0.0 "teacher fits f exactly"
            let x = Array.zeroCreate<float> 20
            HypercubeExample.Vertex(0, Span x)
            Expect.allEqual x 1.0 "first vertex"
            HypercubeExample.Vertex(HypercubeExample.VertexCount - 1, Span x)
            Expect.allEqual x -1.0 "last vertex"
            HypercubeExample.Vertex(1, Span x)
            Expect.equal x.[19] -1.0 "x20 is the least significant bit"
        }
        test "bad options are rejected with the option's name" {
            let data = HypercubeExample.TrainingSet(1L, 50)

            for o, name in
                [ PursuitOptions(NeuronScale = 0.0), "delta"
                  PursuitOptions(LearningRate = -1.0), "eta"
                  PursuitOptions(InitialSign = 2), "initial-sign"
                  PursuitOptions(DecreaseFactor = 1.5), "decrease-factor" ] do
                let message =
                    try
                        NeuronPursuitTrainer.Run(data, 2, Activations.Relu, o) |> ignore
                        "no exception"
                    with :? ArgumentException as e ->
                        e.Message

                Expect.stringStarts message name "names the option"
        }
    ]

let private statisticsTests =
    testList "network statistics" [
        test "effective neurons count ‖in‖·‖out‖ > threshold per hidden layer, invariant under (c·in, out/c)" {
            // d = 2, widths (2, 1): layer-1 neuron 0 has ‖in‖ = 5, ‖out‖ = 0.01 (product 0.05, effective);
            // neuron 1 has ‖in‖ = 1, ‖out‖ = 0.005 (product 0.005, not); the layer-2 neuron has ‖in‖ = ‖(0.01, 0.005)‖
            // and ‖out‖ = 3 (product ≈ 0.034, effective).
            let net = FeedForwardNetwork(2, [| 2; 1 |], Activations.Parse "relu")
            let w = [| 3.0; 4.0; 1.0; 0.0; 0.01; 0.005; 3.0 |]
            Expect.equal (Pursuit.effectiveNeurons net w) [ 1; 1 ] "counts"
            let rescaled = [| 300.0; 400.0; 1.0; 0.0; 0.0001; 0.005; 3.0 |] // neuron 0: in × 100, out / 100
            Expect.equal (Pursuit.effectiveNeurons net rescaled) [ 1; 1 ] "same after rescaling"
            Expect.equal (NetworkStatistics.EffectiveNeurons(net, ReadOnlySpan w, 1e-3)) [| 2; 1 |] "lower threshold"
        }
    ]

let tests =
    testList "Pursuit" [
        kernelTests
        objectiveTests
        algorithmTests
        plateauTests
        screeningTests
        descentTests
        growthTests
        statisticsTests
    ]
