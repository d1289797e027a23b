// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Models;

/// <summary>
/// Preallocated buffers for evaluating one network on n samples in scalar type
/// <typeparamref name="T"/>, so that forward, backward and JVP passes allocate nothing. Holds the
/// intermediates of the last forward pass, which a backward pass reuses. Not thread-safe: one
/// workspace per thread.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class NetworkWorkspace<T>
{
    internal NetworkWorkspace(HomogeneousNetwork network, int sampleCount)
    {
        Network = network;
        SampleCount = sampleCount;
        IReadOnlyList<int> widths = network.Layout.HiddenWidths;
        int widest = Math.Max(1, widths.Count == 0 ? 1 : widths.Max());
        Activations = new T[widths.Count][];
        Derivatives = new T[widths.Count][];
        for (int l = 0; l < widths.Count; l++)
        {
            Activations[l] = new T[sampleCount * widths[l]];
            Derivatives[l] = new T[sampleCount * widths[l]];
        }
        ScratchA = new T[sampleCount * widest];
        ScratchB = new T[sampleCount * widest];
        ScratchC = new T[sampleCount * widest];
        BlockScratch = new T[network.Layout.Blocks.Max(b => b.Count)];
    }

    /// <summary>The network these buffers were made for.</summary>
    public HomogeneousNetwork Network { get; }

    /// <summary>The number of samples n these buffers hold.</summary>
    public int SampleCount { get; }

    /// <summary>Whether a forward pass has filled <see cref="Activations"/> and <see cref="Derivatives"/>.</summary>
    public bool HasForwardPass { get; internal set; }

    /// <summary>Post-activations σ(Z_l) of each hidden layer (n × k_l, row-major) from the last forward pass.</summary>
    internal T[][] Activations { get; }

    /// <summary>σ′(Z_l) of each hidden layer (n × k_l, row-major) from the last forward pass.</summary>
    internal T[][] Derivatives { get; }

    /// <summary>Scratch of n × max k_l for pre-activations and back-propagated signals.</summary>
    internal T[] ScratchA { get; }

    /// <summary>Second scratch of n × max k_l.</summary>
    internal T[] ScratchB { get; }

    /// <summary>Third scratch of n × max k_l.</summary>
    internal T[] ScratchC { get; }

    /// <summary>Scratch of the size of the largest weight block, for transposes of W_l or its gradient.</summary>
    internal T[] BlockScratch { get; }
}
