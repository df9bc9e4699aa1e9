using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Linli.Tests.Support;

/// <summary>What the app logs, kept as written (level, category, message) for a test to read.</summary>
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
