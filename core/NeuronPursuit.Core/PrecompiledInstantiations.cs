// SPDX-License-Identifier: MIT
using NeuronPursuit.Core.Flow;
using NeuronPursuit.Core.Flow.Methods;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Objectives;

namespace NeuronPursuit.Core;

/// <summary>
/// The double instantiations of the generic methods that the library reaches only through generic virtual methods —
/// <see cref="IRungeKuttaMethod.CreateStepper{T}"/>, <see cref="ILoss.Evaluate{T}"/>, <see cref="IActivation.Evaluate{T}"/>
/// and their kin — named here in plain calls, so that a ReadyToRun build (the published <c>np</c>) precompiles them: the
/// ReadyToRun compiler compiles the instantiations it sees in method bodies, never those a virtual call resolves at run
/// time, so without these every run compiled the steppers, the losses and the activations afresh (about 25 ms of a short
/// <c>np flow</c>, bench/work-precision/README.md). <see cref="Root"/> is never called; <see cref="Covered"/> lists the
/// types it names, and a test checks that every method, loss and activation of the library is among them.
/// </summary>
internal static class PrecompiledInstantiations
{
    /// <summary>The methods, losses and activations whose double instantiations <see cref="Root"/> names.</summary>
    internal static readonly Type[] Covered =
    [
        typeof(ExplicitEuler), typeof(ClassicRungeKutta4), typeof(DormandPrince54), typeof(Dop853), typeof(LinearlyImplicitEuler2),
        typeof(Rodas4), typeof(RadauIIA5), typeof(AutoSwitching), typeof(SquareLoss), typeof(LogisticLoss),
        typeof(PolynomialLeakyRelu), typeof(PerturbedReluPower),
    ];

    /// <summary>Names the instantiations for the ReadyToRun compiler; never called (it would fail on its arguments).</summary>
    /// <param name="n">A dimension.</param>
    internal static void Root(int n)
    {
        Steppers(n);
        ExplicitSteps(new ExplicitRungeKuttaStepper<double>(null!, n));
        SquareLoss square = new();
        square.Evaluate<double>(default, default, default);
        square.Derivative<double>(default, default, default, 0);
        LogisticLoss logistic = new();
        logistic.Evaluate<double>(default, default, default);
        logistic.Derivative<double>(default, default, default, 0);
        PolynomialLeakyRelu relu = new(0.0, 1);
        relu.Value(0.0);
        relu.Derivative(0.0);
        relu.Evaluate<double>(default, default, default);
        PerturbedReluPower perturbed = new(2, 0.0);
        perturbed.Value(0.0);
        perturbed.Derivative(0.0);
        perturbed.Evaluate<double>(default, default, default);
    }

    private static object[] Steppers(int n) =>
    [
        new ExplicitEuler().CreateStepper<double>(n), new ClassicRungeKutta4().CreateStepper<double>(n),
        new DormandPrince54().CreateStepper<double>(n), new Dop853().CreateStepper<double>(n),
        new LinearlyImplicitEuler2().CreateStepper<double>(n), new Rodas4().CreateStepper<double>(n),
        new RadauIIA5().CreateStepper<double>(n), new AutoSwitching().CreateStepper<double>(n),
    ];

    // The explicit methods' shared stepper: its members are reached through the stepper interface only.
    private static void ExplicitSteps(ExplicitRungeKuttaStepper<double> stepper)
    {
        stepper.Step(null!, 0.0, default, default, 0.0, default, default, default);
        stepper.Interpolate(0.0, default);
    }
}
