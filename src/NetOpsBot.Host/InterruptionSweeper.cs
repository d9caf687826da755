using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage;

namespace NetOpsBot.Host;

/// <summary>
/// Incidents a host left "running" must not stay so forever. At start-up every lease from before
/// this process is treated as dead (with SQLite there is only one host); afterwards expired leases
/// are swept periodically, which is what several replicas on PostgreSQL rely on.
/// </summary>
internal sealed partial class InterruptionSweeper(IncidentService incidents, IncidentServiceOptions options, StorageOptions storage, TimeProvider time, ILogger<InterruptionSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.LeaseDuration, time, stoppingToken).ConfigureAwait(false);
            try
            {
                foreach (var id in await incidents.RecoverInterruptedAsync([], stoppingToken).ConfigureAwait(false))
                {
                    LogInterrupted(log, id.Value);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(log, ex.Message);
            }
        }
    }

    /// <summary>Runs once before the host takes requests.</summary>
    public async Task SweepAtStartupAsync(CancellationToken ct)
    {
        // With SQLite there is one host, and it just started: whatever is still running belonged to
        // the previous process, whatever its lease says. With PostgreSQL other replicas may be alive,
        // so only expired leases count.
        var before = storage.Provider == StorageProvider.Sqlite ? time.GetUtcNow() + options.LeaseDuration + TimeSpan.FromSeconds(1) : time.GetUtcNow();
        foreach (var id in await incidents.RecoverInterruptedAsync([], ct, before).ConfigureAwait(false))
        {
            LogInterrupted(log, id.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} was left running by a stopped host; marked interrupted")]
    private static partial void LogInterrupted(ILogger log, string incidentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Interruption sweep failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger log, string reason);
}
