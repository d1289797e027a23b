// SPDX-License-Identifier: MIT
// Loads the core, the F# surface and the property-testing library (with FsCheck) into a script. Build them first:
//   dotnet build core/NeuronPursuit.Testing -c Release
#r "../core/NeuronPursuit.Testing/bin/Release/net10.0/NeuronPursuit.Core.dll"
#r "../core/NeuronPursuit.Testing/bin/Release/net10.0/NeuronPursuit.FSharp.dll"
#r "../core/NeuronPursuit.Testing/bin/Release/net10.0/FsCheck.dll"
#r "../core/NeuronPursuit.Testing/bin/Release/net10.0/NeuronPursuit.Testing.dll"
