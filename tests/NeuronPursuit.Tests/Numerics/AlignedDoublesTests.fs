// SPDX-License-Identifier: MIT
/// AlignedDoubles, the buffers of the feature-major kernels: whatever the length and however many are allocated, the
/// first element lies on a 64-byte boundary, every element starts at zero, and the spans, slices and indexer see the same
/// memory.
module NeuronPursuit.Tests.Numerics.AlignedDoublesTests

#nowarn "9" // the test reads a pinned address

open System
open Microsoft.FSharp.NativeInterop
open Expecto
open NeuronPursuit.Core.Numerics

let private address (buffer: AlignedDoubles) =
    use first = fixed buffer.Span
    NativePtr.toNativeInt first

let tests =
    testList "64-byte aligned buffers" [
        test "every buffer starts on a 64-byte boundary and holds zeros" {
            // Many lengths in a row, so that the allocator's own offsets take every value modulo 64.
            for length in [ 1..70 ] @ [ 1000; 4096; 100_003 ] do
                let buffer = AlignedDoubles length
                Expect.equal buffer.Length length "length"
                Expect.equal (int64 (address buffer) % 64L) 0L $"length {length}: first element aligned"
                Expect.isTrue (buffer.Span.ToArray() |> Array.forall ((=) 0.0)) $"length {length}: zeros"
        }
        test "the span, its slices and the indexer are the same memory" {
            let buffer = AlignedDoubles 20
            buffer.[3] <- 2.5
            buffer.AsSpan(5).[0] <- -1.0
            buffer.AsSpan(10, 4).[1] <- 7.0
            let seen = buffer.Span.ToArray()
            Expect.equal (seen.[3], seen.[5], seen.[11]) (2.5, -1.0, 7.0) "writes through every view"
            Expect.throwsT<IndexOutOfRangeException> (fun () -> buffer.[20] <- 1.0) "the indexer checks its bound"
        }
    ]
