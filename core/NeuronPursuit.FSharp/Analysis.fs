// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Models

/// What a trajectory shows: least-squares fits with 95 % intervals, escape times, plateaus, singular-value and
/// layer-norm ratios, neuron blocks.
module Analysis =
    /// The least-squares line y ≈ a + b x with standard errors and the Student-t quantile of its 95 % intervals.
    let fit (x: float seq) (y: float seq) =
        LinearFit.Fit(Array.ofSeq x, Array.ofSeq y)

    /// "b ± se (95% CI [lo, hi])" in 4 significant digits.
    let describeSlope (f: LinearFitResult) =
        $"{Format.g4 f.Slope} ± {Format.g4 f.SlopeStandardError} (95%% CI [{Format.g4 f.SlopeLower}, {Format.g4 f.SlopeUpper}])"

    /// Whether a predicted slope lies in the fit's 95 % interval widened by a relative tolerance.
    let slopeMatches (f: LinearFitResult) (predicted: float) (relativeTolerance: float) =
        abs (f.Slope - predicted)
        <= f.TQuantile * f.SlopeStandardError + relativeTolerance * abs predicted

    /// The first time a sampled curve rises through a level (linear interpolation), or None.
    let firstCrossing (times: float[]) (values: float[]) (level: float) =
        EscapeTime.FirstCrossing(times, values, level) |> Option.ofNullable

    /// Plateaus of a loss curve: maximal intervals where ‖∇ℒ‖ ≤ threshold, each with its saddle time.
    let plateaus (threshold: float) (times: float[]) (loss: float[]) (gradientNorm: float[]) =
        PlateauDetection.Detect(times, loss, gradientNorm, threshold) |> List.ofSeq

    /// (l, σ₂/σ₁ of W_l) for every layer with at least two rows and columns.
    let singularValueRatios (net: HomogeneousNetwork) (w: float[]) =
        SingularValues.RatiosPerLayer(net.Layout, ReadOnlySpan w)
        |> Seq.map (fun struct (l, r) -> l, r)
        |> List.ofSeq

    /// The singular values of an r × c row-major matrix, descending.
    let singularValues (rows: int) (columns: int) (matrix: float[]) =
        SingularValues.Of(ReadOnlySpan matrix, rows, columns)

    /// ‖W_l‖²_F for every layer.
    let layerNormsSquared (net: HomogeneousNetwork) (w: float[]) =
        LayerNorms.Squared(net.Layout, ReadOnlySpan w)

    /// ‖W_l‖²_F / ‖W_{l+1}‖²_F for consecutive layers (= p at KKT points of a p-homogeneous σ, arXiv 2403.08121).
    let layerNormRatios (net: HomogeneousNetwork) (w: float[]) =
        LayerNorms.Ratios(net.Layout, ReadOnlySpan w)

    /// Every hidden neuron's incoming and outgoing norms.
    let neurons (net: HomogeneousNetwork) (w: float[]) =
        SparsityPattern.Blocks(net.Layout, ReadOnlySpan w) |> List.ofSeq

    /// The eigenvalues of a symmetric n × n matrix (Jacobi), ascending.
    let symmetricEigenvalues (n: int) (matrix: float[]) =
        SymmetricEigen.Eigenvalues(ReadOnlySpan matrix, n)
