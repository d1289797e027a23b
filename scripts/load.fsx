// SPDX-License-Identifier: MIT
// Loads the built NeuronPursuit assemblies into a script. Build them first:
//   dotnet build core/NeuronPursuit.FSharp -c Release
#r "../core/NeuronPursuit.FSharp/bin/Release/net10.0/NeuronPursuit.Core.dll"
#r "../core/NeuronPursuit.FSharp/bin/Release/net10.0/NeuronPursuit.FSharp.dll"
