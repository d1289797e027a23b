#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
// Teacher suite for Neuron Pursuit (docs/pursuit.md, "Minimal widths"): bias-free teacher networks of depth 2, 3 and 4
// with ReLU and ReLU², on Gaussian and hypercube inputs, with relevant and irrelevant inputs. For every teacher and data
// seed NP runs with its defaults at the teacher's depth on n training points and reports the final widths against the
// teacher's, the test MSE on fresh points (relative to the labels' variance too), and the largest first-layer weight on
// the irrelevant inputs. Writes bench/teachers/RESULTS.md and results.csv.
// Run from the repository root after `dotnet fsi build.fsx pack` (the surface as a package from artifacts/):
//   dotnet fsi bench/teachers/run.fsx [SEEDS [TEACHER-PREFIX]]
#r "nuget: NeuronPursuit.FSharp, 0.1.0"

open System
open System.Diagnostics
open System.IO
open System.Text
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Pursuit

let root = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", ".."))
let args = fsi.CommandLineArgs |> Array.skip 1
let seeds = if args.Length > 0 then int args.[0] else 3
/// An optional second argument runs only the teachers whose names start with it (e.g. T7).
let only = if args.Length > 1 then args.[1] else ""
let d, relevant, n, testCount = 10, 4, 1000, 5000

/// A teacher: its widths and activation, the rows of its matrices W₁ … W_L (W₁ on the first `relevant` inputs, zeros on
/// the others), the inputs (Gaussian or the hypercube), and why its widths are minimal.
type Teacher =
    { Name: string
      Widths: int list
      Activation: IActivation
      Matrices: float[][] list
      Cube: bool
      Minimal: string }

let relu2 = Activations.ReluPower 2

let gaussianMinimal =
    "depth 2: k ReLU(ᵖ) units with pairwise independent directions and non-zero outputs need k units on Gaussian inputs"

let deepNote =
    "teacher widths (an upper bound; each unit is needed by the teacher's construction, minimality not proved)"

let teachers =
    [ { Name = "T1 relu d2 gauss"
        Widths = [ 2 ]
        Activation = Activations.Relu
        Cube = false
        Minimal = gaussianMinimal
        Matrices =
          [ [| [| 1.0; 1.0; 0.0; 0.0 |]; [| 0.0; 0.0; 1.0; 0.0 |] |]
            [| [| 1.0; -1.0 |] |] ] }
      { Name = "T2 relu d2 gauss (3 units)"
        Widths = [ 3 ]
        Activation = Activations.Relu
        Cube = false
        Minimal = gaussianMinimal
        Matrices =
          [ [| [| 1.0; 0.0; 0.0; 1.0 |]
               [| 0.0; 1.0; -1.0; 0.0 |]
               [| -1.0; 0.0; 1.0; 0.0 |] |]
            [| [| 1.0; 2.0; -1.0 |] |] ] }
      { Name = "T3 relu2 d2 gauss"
        Widths = [ 2 ]
        Activation = relu2
        Cube = false
        Minimal = gaussianMinimal
        Matrices =
          [ [| [| 1.0; -1.0; 0.0; 0.0 |]; [| 0.0; 0.5; 0.5; 1.0 |] |]
            [| [| 1.0; -1.0 |] |] ] }
      { Name = "T4 relu d2 cube"
        Widths = [ 2 ]
        Activation = Activations.Relu
        Cube = true
        Minimal = "cube: a sum of 2 units whose kinks split the cube differently"
        Matrices =
          [ [| [| 1.0; 1.0; 1.0; 0.0 |]; [| 1.0; -1.0; 0.0; 1.0 |] |]
            [| [| 1.0; -1.0 |] |] ] }
      { Name = "T5 relu d3 gauss"
        Widths = [ 2; 1 ]
        Activation = Activations.Relu
        Cube = false
        Minimal = deepNote
        Matrices =
          [ [| [| 1.0; 1.0; 0.0; 0.0 |]; [| 0.0; 0.0; 1.0; -1.0 |] |]
            [| [| 1.0; -1.0 |] |]
            [| [| 1.0 |] |] ] }
      { Name = "T6 relu d3 gauss (2,2)"
        Widths = [ 2; 2 ]
        Activation = Activations.Relu
        Cube = false
        Minimal = deepNote
        Matrices =
          [ [| [| 1.0; 0.0; 1.0; 0.0 |]; [| 0.0; 1.0; 0.0; -1.0 |] |]
            [| [| 1.0; -1.0 |]; [| 1.0; 1.0 |] |]
            [| [| 2.0; -1.0 |] |] ] }
      { Name = "T7 relu2 d3 gauss"
        Widths = [ 2; 1 ]
        Activation = relu2
        Cube = false
        Minimal = deepNote
        Matrices =
          [ [| [| 1.0; 0.0; 0.5; 0.0 |]; [| 0.0; 1.0; 0.0; 0.5 |] |]
            [| [| 1.0; -0.5 |] |]
            [| [| 1.0 |] |] ] }
      { Name = "T8 relu d3 cube (demo)"
        Widths = [ 4; 2 ]
        Activation = Activations.Relu
        Cube = true
        Minimal = "the demo's target: (4, 2) as written, but a (3, 2) network also fits it on the cube (docs/pursuit.md)"
        Matrices =
          [ [| [| 2.0; 0.0; 1.0; 0.0 |]
               [| 0.0; -1.0; 1.0; 0.0 |]
               [| 0.0; 2.0; 0.0; 1.0 |]
               [| 0.0; 0.0; 1.0; 1.0 |] |]
            [| [| 1.0; -1.0; 0.0; 0.0 |]; [| 0.0; 0.0; 1.0; 1.0 |] |]
            [| [| 2.0; -1.0 |] |] ] }
      { Name = "T9 relu d4 gauss"
        Widths = [ 2; 2; 1 ]
        Activation = Activations.Relu
        Cube = false
        Minimal = deepNote
        Matrices =
          [ [| [| 1.0; 1.0; 0.0; 0.0 |]; [| 0.0; -1.0; 1.0; 1.0 |] |]
            [| [| 1.0; -1.0 |]; [| -0.5; 1.0 |] |]
            [| [| 1.0; 1.0 |] |]
            [| [| 1.0 |] |] ] }
      { Name = "T10 relu d4 cube"
        Widths = [ 2; 1; 1 ]
        Activation = Activations.Relu
        Cube = true
        Minimal = deepNote
        Matrices =
          [ [| [| 1.0; 1.0; 0.0; 0.0 |]; [| 0.0; 0.0; 1.0; -1.0 |] |]
            [| [| 1.0; -1.0 |] |]
            [| [| 1.0 |] |]
            [| [| 1.0 |] |] ] } ]

/// The teacher as a network on d inputs and its weights (W₁ padded with zeros on the irrelevant inputs).
let teacherNet (t: Teacher) =
    let net = FeedForwardNetwork(d, List.toArray t.Widths, t.Activation)
    let w = Array.zeroCreate<float> net.ParameterCount

    for b, m in Seq.zip net.Layout.Blocks t.Matrices do
        for r in 0 .. b.Rows - 1 do
            for c in 0 .. m.[r].Length - 1 do
                w.[b.Index(r, c)] <- m.[r].[c]

    net, w

let inputs (cube: bool) (seed: int64) (count: int) =
    let random = SeededRandom seed

    Array.init (count * d) (fun _ ->
        if cube then
            (if random.NextDouble() < 0.5 then -1.0 else 1.0)
        else
            random.NextGaussian())

let dataOf (t: Teacher) (x: float[]) =
    let net, w = teacherNet t

    let y =
        Derivatives.outputs net (DataSet<float>(ReadOnlySpan x, ReadOnlySpan(Array.zeroCreate (x.Length / d)), d)) w

    DataSet<float>(ReadOnlySpan x, ReadOnlySpan y, d)

type Row =
    { Teacher: Teacher
      Seed: int
      Widths: int list
      Minimal: bool
      NoWider: bool
      TestMse: float
      RelativeMse: float
      Irrelevant: float
      Pruned: int
      Seconds: float }

let rows =
    [ for t in teachers |> List.filter (fun t -> t.Name.StartsWith only) do
          for seed in 1..seeds do
              // Labels divided by the training labels' standard deviation (as --standardise does), so that NP's defaults
              // (δ₀, δ, η, tolerances) see unit-scale labels; the relative test MSE does not depend on it.
              let raw = dataOf t (inputs t.Cube (int64 seed) n)

              let sd =
                  let y = raw.Y.ToArray() in sqrt (y |> Array.averageBy (fun v -> v * v) |> fun m2 -> m2 - (Array.average y) ** 2.0)

              let scaled (data: DataSet<float>) =
                  Data.withLabels (data.Y.ToArray() |> Array.map (fun v -> v / sd)) data

              let train = scaled raw
              let test = scaled (dataOf t (inputs t.Cube (int64 (1000 + seed)) testCount))
              let clock = Stopwatch.StartNew()

              let r =
                  Pursuit.learn ignore null Pursuit.defaults t.Widths.Length t.Activation train None

              let seconds = clock.Elapsed.TotalSeconds
              let h = Derivatives.outputs r.Network test r.Weights

              let mse =
                  Array.map2 (fun a b -> (a - b) ** 2.0) h (test.Y.ToArray()) |> Array.average

              let y = test.Y.ToArray()

              let variance =
                  let m = Array.average y in y |> Array.averageBy (fun v -> (v - m) ** 2.0)

              let widths = List.ofSeq r.Network.HiddenWidths

              let row =
                  { Teacher = t
                    Seed = seed
                    Widths = widths
                    Minimal = (widths = t.Widths)
                    NoWider = List.forall2 (<=) widths t.Widths
                    TestMse = mse
                    RelativeMse = mse / variance
                    Irrelevant = Pursuit.maxInputWeight relevant r.Network r.Weights
                    Pruned = r.Removed.Count
                    Seconds = seconds }

              printfn
                  "%-28s seed %d: widths %A (teacher %A), test MSE %.3g (relative %.3g), max irrelevant %.3g, pruned %d, %.1f s"
                  t.Name
                  seed
                  widths
                  t.Widths
                  mse
                  row.RelativeMse
                  row.Irrelevant
                  row.Pruned
                  seconds

              yield row ]

let culture = Globalization.CultureInfo.InvariantCulture
let g (x: float) = x.ToString("G3", culture)
let md = StringBuilder()
let line (s: string) = md.AppendLine s |> ignore
let today = DateTime.UtcNow.ToString("yyyy-MM-dd", culture)
line "# Neuron Pursuit on a suite of teacher networks"
line ""

line
    $"Produced by `dotnet fsi bench/teachers/run.fsx` ({today}). Bias-free teachers on d = {d} inputs of which the first {relevant} are relevant (the teachers' first layers are 0 on x5 … x10); n = {n} training points (Gaussian N(0, I) or uniform on the hypercube, data seed k; labels divided by the training labels' standard deviation), test MSE on {testCount} fresh points (seed 1000 + k), relative MSE = test MSE / variance of the test labels. NP with its defaults at the teacher's depth, grown from one unit per layer. Minimal: the final widths equal the teacher's; no wider: no layer wider than the teacher's. Times are wall seconds on a shared 2-core machine (noisy)."

line ""

line
    "| teacher | activation | inputs | teacher widths | seed | final widths | minimal | no wider | test MSE | relative MSE | max irrelevant weight | pruned | time (s) |"

line "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
let widthsText (w: int list) = "(" + String.Join(",", w) + ")"
let yesNo b = if b then "yes" else "no"

for r in rows do
    let kind = if r.Teacher.Cube then "cube" else "Gaussian"

    line
        $"| {r.Teacher.Name} | {r.Teacher.Activation.Specification} | {kind} | {widthsText r.Teacher.Widths} | {r.Seed} | {widthsText r.Widths} | {yesNo r.Minimal} | {yesNo r.NoWider} | {g r.TestMse} | {g r.RelativeMse} | {g r.Irrelevant} | {r.Pruned} | {r.Seconds:F1} |"

line ""
let count f = rows |> List.filter f |> List.length

line
    $"Minimal widths: {count (fun r -> r.Minimal)} of {rows.Length} runs; no wider than the teacher: {count (fun r -> r.NoWider)} of {rows.Length}; relative test MSE below 1e-4: {count (fun r -> r.RelativeMse < 1e-4)} of {rows.Length}; largest irrelevant weight below 1e-3: {count (fun r -> r.Irrelevant < 1e-3)} of {rows.Length}."

line ""
line "Why the teachers' widths are (believed) minimal:"
line ""

for t in teachers do
    line $"- {t.Name}: {t.Minimal}."

let outDir = Path.Combine(root, "bench", "teachers")
File.WriteAllText(Path.Combine(outDir, "RESULTS.md"), md.ToString())

let csv =
    StringBuilder("teacher,seed,teacher_widths,final_widths,minimal,no_wider,test_mse,relative_mse,max_irrelevant,pruned,seconds\n")

for r in rows do
    csv.Append(
        String.Format(
            culture,
            "\"{0}\",{1},{2},{3},{4},{5},{6:R},{7:R},{8:R},{9},{10:F2}\n",
            r.Teacher.Name,
            r.Seed,
            String.Join(";", r.Teacher.Widths),
            String.Join(";", r.Widths),
            r.Minimal,
            r.NoWider,
            r.TestMse,
            r.RelativeMse,
            r.Irrelevant,
            r.Pruned,
            r.Seconds
        )
    )
    |> ignore

File.WriteAllText(Path.Combine(outDir, "results.csv"), csv.ToString())
printfn "%s" (md.ToString())
