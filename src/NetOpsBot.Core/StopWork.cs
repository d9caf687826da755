namespace NetOpsBot.Core;

/// <summary>Waiting for background work while the host stops.</summary>
public static class StopWork
{
    /// <summary>
    /// Waits up to <paramref name="grace"/> for <paramref name="tasks"/>. Their failures are not rethrown: each
    /// records its own outcome, and a stop that threw would end the process with an unhandled exception instead of
    /// exit code 0 (what a container orchestrator reads as a clean rolling update).
    /// </summary>
    public static async Task WaitAsync(IEnumerable<Task> tasks, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var all = Task.WhenAll(tasks.ToArray());
        try
        {
            await all.WaitAsync(grace).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // see the summary: the stop itself must not fail
        catch (Exception)
#pragma warning restore CA1031
        {
            // Observed here so a late failure is no unobserved task exception either.
            _ = all.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
