// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open System
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Problems

/// One random network with its data, as FsCheck draws it: a shape and a seed. Everything numeric follows from the
/// seed through `Draw`: Gaussian inputs and labels N(0, 1), weights N(0, 1/fan-in) per block, so that outputs are
/// O(1), nothing is NaN or ∞, and no pre-activation sits exactly on a ReLU kink.
type NetworkCase =
    {
        /// The architecture.
        Kind: NetworkKind
        /// Input dimension d.
        InputDimension: int
        /// Hidden widths (one for the single-layer kinds).
        Widths: int list
        /// σ, as a specification (`Activation.forms`).
        ActivationSpec: string
        /// Number of samples n.
        SampleCount: int
        /// Seed of the data, the weights and the sample vectors.
        Seed: int64
    }

    /// σ.
    member this.Activation: IActivation = Activation.parse this.ActivationSpec

    /// The network H.
    member this.Network: HomogeneousNetwork =
        NetworkSpec(this.Kind, List.toArray this.Widths, this.Activation).Build(this.InputDimension)

    /// Gaussian inputs N(0, 1), then labels N(0, 1), from the seed.
    member this.Data: DataSet<float> =
        let random = SeededRandom(this.Seed)
        let x = Array.zeroCreate (this.SampleCount * this.InputDimension)
        let y = Array.zeroCreate this.SampleCount
        random.FillGaussian(Span x)
        random.FillGaussian(Span y)
        DataSet<float>(ReadOnlySpan x, ReadOnlySpan y, this.InputDimension)

    /// The problem: this network on these data with the square loss ½Σ(H − y)², w(0) a unit direction from the seed.
    member this.Problem: Problem =
        Problem.create
            (string this)
            $"n = {this.SampleCount} Gaussian inputs in d = {this.InputDimension} with N(0, 1) labels (seed {this.Seed})"
            this.Network
            this.Data
            this.Seed

    /// The i-th weight vector at a scale: N(0, scale²/fan-in) per block (`Draw.weights`).
    member this.Weights(scale: float, i: int) : float[] =
        Draw.weights scale (this.Seed * 7919L + int64 i + 1L) this.Network

    /// The i-th weight vector at scale 1.
    member this.WeightVector(i: int) : float[] = this.Weights(1.0, i)

    /// The i-th unit direction in weight space, uniform on the sphere.
    member this.Direction(i: int) : float[] =
        Draw.direction (this.Seed * 6151L + int64 i + 1L) this.Network

    /// The i-th vector over the samples, N(0, 1) (cotangents, residuals, labels).
    member this.SampleVector(i: int) : float[] =
        Draw.gaussian (this.Seed * 104729L + int64 i + 1L) this.SampleCount

    /// The case in the problem grammar's words, e.g. `net=ff d=3 widths=4,2 activation=relu samples=5 seed=7`.
    override this.ToString() =
        let widths = this.Widths |> List.map string |> String.concat ","
        $"net={NetworkSpec.NameOf this.Kind} d={this.InputDimension} widths={widths} activation={this.ActivationSpec} samples={this.SampleCount} seed={this.Seed}"
