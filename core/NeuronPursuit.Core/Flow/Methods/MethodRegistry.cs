// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow.Methods;

/// <summary>The integration methods by their command-line names.</summary>
public static class MethodRegistry
{
    private static readonly IRungeKuttaMethod[] Methods = [new ExplicitEuler(), new ClassicRungeKutta4(), new DormandPrince54(), new Dop853(), new LinearlyImplicitEuler2(), new Rodas4(), new RadauIIA5(), new AutoSwitching()];

    /// <summary>All methods.</summary>
    public static IReadOnlyList<IRungeKuttaMethod> All => Methods;

    /// <summary>The names, for help texts and error messages.</summary>
    public static string Names => string.Join(" | ", Methods.Select(m => m.Name));

    /// <summary>The method with a name.</summary>
    /// <param name="name">e.g. "dp5".</param>
    /// <returns>The method.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IRungeKuttaMethod Get(string name) =>
        Methods.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"method: '{name}' is not a method; expected {Names}.", nameof(name));
}
