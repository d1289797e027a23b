// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems

/// Problems: built-in examples by name, the one specification grammar (`key=value` pairs named like the
/// command-line flags), and what a problem gives: its loss, NCF, initial point and weight blocks.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Problem =
    /// The built-in examples' names.
    let examples = [ for e in Examples.All -> e.Name ]

    /// A built-in example with its default data seed and n.
    let example (name: string) : Problem = Examples.Problem name

    /// Parses and builds a specification, e.g. `"example=fig1 activation=relu-power:3 init-scale=1e-3"`.
    let parse (text: string) : Problem = ProblemSpec.Parse(text).Build()

    /// Builds a specification record.
    let ofSpec (spec: ProblemSpec) : Problem = spec.Build()

    /// A problem from its parts; w(0) = sphere of radius 1 from `w0Seed` (a unit direction, scaled later).
    let create
        (name: string)
        (description: string)
        (net: HomogeneousNetwork)
        (data: NeuronPursuit.Core.Data.DataSet<float>)
        (w0Seed: int64)
        : Problem =
        Problem(name, name, description, data, net, Losses.Square, Initialisation.Sphere(1.0, w0Seed))

    /// The data (X, y).
    let data (p: Problem) = p.Data
    /// The network H.
    let network (p: Problem) = p.Network
    /// The labels y.
    let labels (p: Problem) = p.Data.Y.ToArray()
    /// The number of weights P.
    let dimension (p: Problem) = p.Dimension
    /// The homogeneity degree L (fails when σ is not homogeneous).
    let degree (p: Problem) = Net.degree p.Network

    /// w(0) (fails when the problem has none).
    let w0 (p: Problem) = p.InitialWeights()

    /// The same problem with another activation (same architecture).
    let withActivation (sigma: IActivation) (p: Problem) =
        let spec = NetworkSpec.Of(p.Network)
        p.WithNetwork(spec.WithActivation(sigma).Build(p.Data.InputDimension))

    /// The same problem with another network.
    let withNetwork (net: HomogeneousNetwork) (p: Problem) = p.WithNetwork net
    /// The same problem with another loss.
    let withLoss (loss: ILoss) (p: Problem) = p.WithLoss loss
    /// The same problem with another initial point.
    let withInit (init: Initialisation) (p: Problem) = p.WithInitialisation init

    /// The same w₀ at scale δ.
    let withScale (delta: float) (p: Problem) =
        match p.Initialisation with
        | null -> p.WithInitialisation(Initialisation.Gaussian(delta))
        | init -> p.WithInitialisation(init.WithScale delta)

    /// The same kind of w₀ from another seed.
    let withSeed (seed: int64) (p: Problem) =
        match p.Initialisation with
        | null -> p.WithInitialisation(Initialisation.Gaussian(1.0, seed))
        | init -> p.WithInitialisation(init.WithSeed seed)

    /// The same inputs with other labels.
    let withLabels (labels: float[]) (description: string) (p: Problem) = p.WithLabels(labels, description)

    /// The training loss ℒ(w) in scalar type 'T, with its Hessian.
    let lossOf<'T
        when 'T: struct
        and 'T: (new: unit -> 'T)
        and 'T :> ValueType
        and 'T :> Numerics.INumber<'T>
        and 'T :> Numerics.IRootFunctions<'T>
        and 'T :> Numerics.IExponentialFunctions<'T>
        and 'T :> Numerics.ILogarithmicFunctions<'T>>
        (p: Problem)
        : Fn<'T> =
        { Objective = p.CreateLoss<'T>()
          Hessian = Some(lazy (p.CreateLossHessian<'T>()))
          Description = $"{p.Loss.Specification} loss of {p.Name}" }

    /// The training loss ℒ(w) in double.
    let loss (p: Problem) : Fn<float> = lossOf<float> p

    /// The NCF N(u) = Σᵢ cᵢH(xᵢ; u) with weights c in place of y (e.g. a residual).
    let ncfWith (c: float[]) (p: Problem) : Fn<float> =
        { Objective = p.CreateNcf<float>(c)
          Hessian = Some(lazy (p.CreateNcfHessian<float>(c)))
          Description = $"correlation of {p.Name} with given weights" }

    /// The NCF N(u) = yᵀH(X; u) (Kumar & Haupt, arXiv 2402.09226).
    let ncf (p: Problem) : Fn<float> =
        { Objective = p.CreateNcf<float>()
          Hessian = Some(lazy (p.CreateNcfHessian<float>()))
          Description = $"NCF of {p.Name}" }

    /// H(X; w).
    let outputs (p: Problem) (w: float[]) = outputs p.Network p.Data w

    /// The residual y − H(X; w).
    let residual (p: Problem) (w: float[]) = Array.map2 (-) (labels p) (outputs p w)

    /// ℒ(0): the loss at the origin, where the first plateau sits (½‖y‖² for the square loss).
    let lossAtOrigin (p: Problem) =
        value (loss p) (Array.zeroCreate p.Dimension)

    /// The hidden neurons' blocks (incoming and outgoing weights), layer by layer.
    let blocks (p: Problem) = List.ofSeq p.NeuronBlocks

    /// The layers' blocks W₁ … W_L.
    let layers (p: Problem) = List.ofSeq p.LayerBlocks

    /// The norm of every neuron's block at w.
    let blockNorms (p: Problem) (w: float[]) =
        [| for b in p.NeuronBlocks -> b.Norm(ReadOnlySpan w) |]

    /// The neurons whose block norm exceeds `fraction` of the largest: the support of w.
    let support (fraction: float) (p: Problem) (w: float[]) =
        let b = blockNorms p w
        let top = Array.max b
        b |> Array.map (fun x -> x > fraction * top)
