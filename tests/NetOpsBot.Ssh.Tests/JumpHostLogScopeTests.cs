using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh.Tests;

public sealed class JumpScopeLab : LabFixture
{
    protected override string ScenarioName => "healthy";
}

/// <summary>
/// Known defect: the host logged "Jump host lab-jump: connection lost" under an incident that resolved minutes
/// before. The pooled jump connection is not any one incident's: its lifecycle events carry no incident's log scope.
/// </summary>
public sealed class JumpHostLogScopeTests(JumpScopeLab lab) : IClassFixture<JumpScopeLab>
{
    [Fact]
    public async Task JumpConnectionLost_AfterTheIncidentThatOpenedItEnded_NotLoggedUnderThatIncident()
    {
        var log = new ScopedLogger();
        await using var access = lab.Access(logger: log);
        using (log.BeginScope(new Dictionary<string, object> { ["IncidentId"] = "INC-RESOLVED" }))
        {
            await using var session = await access.OpenCliAsync(lab.Device("sw-agg-01"), AccessPath.Ssh(22), CancellationToken.None);
            await session.RunAsync("display version", TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        // The incident is over; later the bastion goes away and the pooled connection with it.
        await lab.Controller.StopJumpHostAsync();
        try
        {
            var lost = await log.WaitForAsync("connection lost", TimeSpan.FromSeconds(20));

            Assert.DoesNotContain("INC-RESOLVED", lost.Scopes, StringComparison.Ordinal);

            // The scope itself works: what the incident did, its login to the jump host included, carries its id.
            Assert.Contains(log.Entries, e => e.Message.Contains("connected (login #1)", StringComparison.Ordinal) && e.Scopes.Contains("INC-RESOLVED", StringComparison.Ordinal));
        }
        finally
        {
            await lab.Controller.StartJumpHostAsync();
        }
    }

    /// <summary>Records each message with the scopes active where it was logged, as the host's providers see them.</summary>
    private sealed class ScopedLogger : ILogger
    {
        private readonly LoggerExternalScopeProvider _scopes = new();
        private readonly List<(string Message, string Scopes)> _entries = [];

        public IReadOnlyList<(string Message, string Scopes)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => _scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            _scopes.ForEachScope((scope, list) => list.Add(scope is IEnumerable<KeyValuePair<string, object>> pairs ? string.Join(",", pairs.Select(p => $"{p.Key}={p.Value}")) : scope?.ToString() ?? string.Empty), scopes);
            lock (_entries)
            {
                _entries.Add((formatter(state, exception), string.Join(";", scopes)));
            }
        }

        public async Task<(string Message, string Scopes)> WaitForAsync(string text, TimeSpan timeout)
        {
            var until = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (Environment.TickCount64 < until)
            {
                if (Entries.FirstOrDefault(e => e.Message.Contains(text, StringComparison.Ordinal)) is { Message: not null } hit)
                {
                    return hit;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"no log line with '{text}' in:\n" + string.Join('\n', Entries.Select(e => e.Message)));
        }
    }
}
