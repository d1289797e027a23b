// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Torch;

/// <summary>
/// libtorch could not be initialised. The message is one line naming the cause (for example the
/// dynamic loader's "version `GLIBCXX_3.4.32' not found") and what to do about it.
/// </summary>
public sealed class TorchUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: the cause and the remedy.</param>
    /// <param name="inner">The exception TorchSharp raised, if any.</param>
    public TorchUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
