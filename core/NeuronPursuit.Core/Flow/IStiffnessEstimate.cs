// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Flow;

/// <summary>A stepper that estimates, for its last step, the product hρ of the step and the size ρ of the Jacobian.</summary>
public interface IStiffnessEstimate
{
    /// <summary>hρ of the last step; 0 when it cannot be estimated.</summary>
    double StiffnessRatio { get; }
}
