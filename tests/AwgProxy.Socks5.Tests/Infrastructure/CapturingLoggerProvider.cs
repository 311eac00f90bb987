using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Socks5.Tests.Infrastructure;

/// <summary>Keeps every log record at every level, with its formatted message, structured values and exception text.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<CapturedLog> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>All text a log sink could see: messages, structured values, exceptions.</summary>
    public string AllText() => string.Join("\n", Records.Select(static r => r.ToString()));

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                values.AddRange(pairs.Select(static p => $"{p.Key}={p.Value}"));
            }

            provider.Records.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<string> Values, string? Exception)
{
    public override string ToString() => $"{Level} {EventId.Id}/{EventId.Name} {Message} [{string.Join(", ", Values)}] {Exception}";
}
