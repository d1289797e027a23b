// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open FsCheck
open FsCheck.FSharp
open NeuronPursuit

/// A counterexample: the case FsCheck drew first, the one it shrank it to, and why the property failed there.
type Counterexample =
    {
        /// Tests run before the failure, the failing one included.
        Tests: int
        /// Successful shrinks.
        Shrinks: int
        /// The failing arguments as drawn.
        Original: string
        /// The failing arguments after shrinking: a minimal case.
        Shrunk: string
        /// The exception's message (FsCheck's "Expected true, got false." for a false result).
        Reason: string
    }

/// The outcome of checking a property.
type PropertyResult =
    /// Every test passed.
    | Passed of tests: int
    /// A counterexample was found (and shrunk).
    | Falsified of Counterexample
    /// Too many cases were discarded before the number of tests was reached.
    | Exhausted of tests: int

/// Properties over random problems, in a few lines: `Property.forAllProblems shapes (fun problem w -> …)
/// |> Property.check 100`. A property returns a bool, or throws with a reason (e.g. `expectClose`).
module Property =
    /// A property of network cases within the shapes.
    let forAllCases (shapes: Shapes) (property: NetworkCase -> 'Testable) : Property =
        Prop.forAll (Arbitraries.networkCases shapes) property

    /// A property of a problem (network, Gaussian data, square loss) and a well-scaled point w (`Draw.weights` at
    /// scale 1); a counterexample is shown as the case it was built from.
    let forAllProblems (shapes: Shapes) (property: Problem -> float[] -> 'Testable) : Property =
        forAllCases shapes (fun case -> property case.Problem (case.WeightVector 0))

    let private show (args: obj list) =
        args |> List.map string |> String.concat " "

    /// Keeps FsCheck's last result instead of printing it.
    type private Recorder() =
        member val Result: TestResult option = None with get, set

        interface IRunner with
            member _.OnStartFixture _ = ()
            member _.OnArguments(_, _, _) = ()
            member _.OnShrink(_, _) = ()
            member this.OnFinished(_, result) = this.Result <- Some result

    /// Checks a property on `tests` random cases from a replay seed (the same seed gives the same cases),
    /// shrinking a counterexample; prints nothing.
    let checkSeeded (seed: uint64) (tests: int) (property: Property) : PropertyResult =
        let recorder = Recorder()

        let config =
            Config.Quick
                .WithMaxTest(tests)
                .WithRunner(recorder)
                .WithReplay(
                    Some
                        { Rnd = Rnd(seed, 0x9E3779B97F4A7C15UL)
                          Size = None }
                )

        Check.One(config, property)

        match recorder.Result with
        | Some(TestResult.Passed(data, _)) -> Passed data.NumberOfTests
        | Some(TestResult.Failed(data, original, shrunk, outcome, _, _, _)) ->
            let reason =
                match outcome with
                | Outcome.Failed e -> e.Message
                | other -> string other

            Falsified
                { Tests = data.NumberOfTests
                  Shrinks = data.NumberOfShrinks
                  Original = show original
                  Shrunk = show shrunk
                  Reason = reason }
        | Some(TestResult.Exhausted data) -> Exhausted data.NumberOfTests
        | None -> invalidOp "FsCheck reported no result."

    /// Checks a property on `tests` random cases (replay seed 1).
    let check (tests: int) (property: Property) = checkSeeded 1UL tests property

    let private tests (n: int) =
        if n = 1 then "1 test" else $"{n} tests"

    /// The result in a few lines: passed, or the shrunk counterexample with its reason and the original.
    let describe (result: PropertyResult) =
        match result with
        | Passed n -> $"passed {tests n}"
        | Exhausted n -> $"gave up after {tests n} (too many cases discarded)"
        | Falsified c ->
            let shrinks = if c.Shrinks = 1 then "1 shrink" else $"{c.Shrinks} shrinks"
            $"falsified after {tests c.Tests} and {shrinks}\n  shrunk:   {c.Shrunk}\n  reason:   {c.Reason}\n  original: {c.Original}"
