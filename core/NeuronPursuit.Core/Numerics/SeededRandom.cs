// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Numerics;

/// <summary>
/// A seeded pseudo-random generator whose stream depends only on the seed, on every platform and
/// .NET version: xoshiro256** (Blackman &amp; Vigna 2018, "Scrambled linear pseudorandom number
/// generators") seeded through SplitMix64 (Steele, Lea &amp; Flood 2014). Gaussian variates use the
/// Marsaglia polar method (Marsaglia &amp; Bray 1964). Not thread-safe: give each thread its own.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator; equal seeds give equal streams.</summary>
    /// <param name="seed">Any 64-bit value.</param>
    public SeededRandom(long seed)
    {
        Seed = seed;
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The seed this generator was created with.</summary>
    public long Seed { get; }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = unchecked(x += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit integer.</returns>
    public ulong NextUInt64()
    {
        ulong result = unchecked(ulong.RotateLeft(_s1 * 5, 7) * 9);
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>A value u with 0 ≤ u &lt; 1.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    /// <param name="exclusiveMax">Upper bound, at least 1.</param>
    /// <returns>An integer k with 0 ≤ k &lt; exclusiveMax.</returns>
    public int NextInt(int exclusiveMax)
    {
        Guard.Positive(exclusiveMax, nameof(exclusiveMax));
        ulong bound = (ulong)exclusiveMax;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do { r = NextUInt64(); } while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>A standard normal variate N(0, 1).</summary>
    /// <returns>A Gaussian sample.</returns>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    /// <summary>Fills a span with independent N(0, σ²) samples.</summary>
    /// <param name="destination">Span to fill.</param>
    /// <param name="standardDeviation">σ ≥ 0.</param>
    public void FillGaussian(Span<double> destination, double standardDeviation = 1.0)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = standardDeviation * NextGaussian();
    }

    /// <summary>A point drawn uniformly from the unit sphere S^{k−1} (normalised Gaussian vector).</summary>
    /// <param name="destination">Receives the point; its length k ≥ 1 is the dimension of the ambient space.</param>
    public void FillUnitSphere(Span<double> destination)
    {
        double norm2;
        do
        {
            FillGaussian(destination);
            norm2 = 0.0;
            foreach (double v in destination) norm2 += v * v;
        } while (norm2 == 0.0);
        double inv = 1.0 / Math.Sqrt(norm2);
        for (int i = 0; i < destination.Length; i++) destination[i] *= inv;
    }
}
