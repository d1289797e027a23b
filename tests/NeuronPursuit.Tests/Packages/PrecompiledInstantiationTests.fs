// SPDX-License-Identifier: MIT
/// The published np precompiles the double instantiations that the core reaches only through generic virtual methods
/// (the steppers, the losses, the activations) because `PrecompiledInstantiations.Root` names them; a method, loss or
/// activation added without being named there would be compiled at every start again.
module NeuronPursuit.Tests.Packages.PrecompiledInstantiationTests

open Expecto
open NeuronPursuit.Core
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives

/// The concrete classes of the core that implement the interface.
let private implementations<'Interface> () =
    typeof<PrecompiledInstantiations>.Assembly.GetTypes()
    |> Array.filter (fun t -> t.IsClass && not t.IsAbstract && typeof<'Interface>.IsAssignableFrom t)
    |> Array.sortBy (fun t -> t.FullName)

[<Tests>]
let tests =
    testList "precompiled instantiations" [
        for name, types in
            [ "integration method", implementations<IRungeKuttaMethod>()
              "loss", implementations<ILoss>()
              "activation", implementations<IActivation>() ] do
            test $"every {name} of the core is named for the ReadyToRun compiler" {
                Expect.isNonEmpty types $"the core has {name}s"

                for t in types do
                    Expect.contains PrecompiledInstantiations.Covered t $"{t.Name} is among PrecompiledInstantiations.Covered"
            }
    ]
