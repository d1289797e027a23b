// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// The logarithmic time variable s = ln(1 + (t − t₀)/τ), t = t₀ + τ(eˢ − 1), for long horizons whose
/// interesting times are spread over decades (escape from a small initialisation after ~ln(1/δ), long
/// plateaus): dy/ds = τ eˢ f(t(s), y). Steps that are uniform in s are geometric in t.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
internal sealed class LogarithmicTimeSystem<T> : IOdeSystem<T> where T : struct, INumber<T>, IExponentialFunctions<T>
{
    private readonly IOdeSystem<T> _system;
    private readonly T _t0;
    private readonly T _scale;

    internal LogarithmicTimeSystem(IOdeSystem<T> system, T t0, T scale)
    {
        _system = system;
        _t0 = t0;
        _scale = scale;
    }

    public int Dimension => _system.Dimension;

    public void Evaluate(T s, ReadOnlySpan<T> y, Span<T> dydt)
    {
        T growth = T.Exp(s);
        _system.Evaluate(_t0 + _scale * (growth - T.One), y, dydt);
        T factor = _scale * growth;
        for (int k = 0; k < dydt.Length; k++) dydt[k] *= factor;
    }
}

/// <summary>The map between t and s = ln(1 + (t − t₀)/τ) for observers and events.</summary>
/// <param name="T0">t₀.</param>
/// <param name="Scale">τ &gt; 0.</param>
internal sealed record LogarithmicTimeMap(double T0, double Scale)
{
    internal double ToS(double t) => CompensatedElementary.LogOnePlus((t - T0) / Scale);

    internal double ToT(double s) => T0 + Scale * CompensatedElementary.ExpMinusOne(s);
}

/// <summary>
/// An observer in t seen from an integration in s. Observations arrive in the order of <see cref="Times"/>,
/// so each is reported at the requested t itself rather than at t(s(t)), which differs by rounding.
/// </summary>
internal sealed class LogarithmicTimeObserver(IFlowObserver inner, LogarithmicTimeMap map) : IFlowObserver
{
    private int _next;

    public IReadOnlyList<double> Times { get; } = inner.Times.Select(map.ToS).ToArray();

    public void Observe(double s, ReadOnlySpan<double> y) => inner.Observe(inner.Times[_next++], y);
}
