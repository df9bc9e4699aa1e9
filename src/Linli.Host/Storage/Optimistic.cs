using Linli.Hosting;

namespace Linli.Storage;

/// <summary>
/// Writes over a version read: read, work out the change, write it unless another write landed since the read; when
/// one did, the whole attempt runs again on what is stored now, its rules checked anew. An attempt therefore only
/// computes until its write lands: it may run more than once, and acts (audits, publishes) only once saved.
/// </summary>
public static class Optimistic
{
    /// <summary>
    /// Tries before giving up. A lost try means another person's change to the same thing landed first, so among n
    /// people changing one thing at once nobody loses more than n - 1 times in a row: ten covers the most that change
    /// one thing together (a new ticket claimed by everyone on duty), and beyond that the person is asked to try again.
    /// </summary>
    public const int Attempts = 10;

    /// <summary>What an attempt returns when another write landed first: run it again.</summary>
    public static readonly LostRace Lost;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it returns a result rather than <see cref="Lost"/>, at most
    /// <see cref="Attempts"/> times; then refuses with <paramref name="tooBusy"/> (a 409). What the attempt throws
    /// (a rule broken, nothing found) ends it at once.
    /// </summary>
    public static T Retry<T>(Func<Outcome<T>> attempt, Func<DomainProblem> tooBusy)
    {
        for (var tried = 0; tried < Attempts; tried++)
            if (attempt() is { Won: true } outcome) return outcome.Result;
        throw tooBusy();
    }

    /// <summary>See <see cref="Lost"/>.</summary>
    public readonly struct LostRace;

    /// <summary>An attempt's result (any value converts to one), or <see cref="Lost"/>.</summary>
    public readonly struct Outcome<T>
    {
        private Outcome(T result) => (Won, Result) = (true, result);

        public bool Won { get; }
        public T Result { get; }

        public static implicit operator Outcome<T>(T result) => new(result);
        public static implicit operator Outcome<T>(LostRace lost) => default;
    }
}
