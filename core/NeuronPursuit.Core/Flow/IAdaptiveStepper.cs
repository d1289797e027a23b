// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>
/// A stepper that changes its method during an integration (automatic stiffness switching): it tells the
/// integrator the order of its current error estimate, and learns which of its steps were accepted.
/// </summary>
public interface IAdaptiveStepper
{
    /// <summary>The order of the error estimate of the last step (the controller's exponent is 1/(order + 1)).</summary>
    int ErrorOrder { get; }

    /// <summary>Called after the last step was accepted, before the next step.</summary>
    void Accepted();
}
