using Microsoft.Extensions.Logging;

namespace NetOpsBot.Testing;

/// <summary>
/// Collects every log message as "Level message | exception" (all levels), for asserting on what an operator
/// would read and on what must never appear (secrets, tokens).
/// </summary>
public class CapturingLogger : ILogger
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lines)
        {
            _lines.Add($"{logLevel} {formatter(state, exception)}{(exception is null ? string.Empty : " | " + exception)}");
        }
    }

    /// <summary>A provider that hands out this logger for every category (for <c>AddLogging</c>).</summary>
    public ILoggerProvider AsProvider() => new Provider(this);

    private sealed class Provider(CapturingLogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}

/// <summary>The same, for code that asks for a typed logger.</summary>
public sealed class CapturingLogger<T> : CapturingLogger, ILogger<T>;
