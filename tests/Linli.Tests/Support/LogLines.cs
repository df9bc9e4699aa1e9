using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Linli.Tests.Support;

/// <summary>
/// What the app logs at Information and above, kept as written (level, category, message) for a test to read. The
/// app's own filters (its <c>Logging</c> configuration) apply first: a category they silence is not seen here either.
/// </summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> All => [.. _lines];

    public IReadOnlyList<string> AtLeast(LogLevel level) =>
        [.. _lines.Where(l => l.Level >= level).Select(l => l.Message)];

    public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Writer(LogLines lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lines._lines.Enqueue((logLevel, category, formatter(state, exception)));
        }
    }
}
