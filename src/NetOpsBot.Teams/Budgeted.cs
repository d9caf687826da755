namespace NetOpsBot.Teams;

/// <summary>
/// Lookups an invoke answer would like but must not wait for (is the clicker an approver: Microsoft Graph; who
/// are the approvers here: the connector's roster). Teams shows "Something went wrong" for a click answered
/// late, and either service can be slow; the answer then goes out with the fallback, which is never more than
/// the channel-wide card: the click itself is authorised again, and the PUT update for everyone waits for the
/// full lookup.
/// </summary>
internal static class Budgeted
{
    /// <summary>
    /// The lookup's result if it succeeds within <paramref name="budget"/>, else <paramref name="fallback"/>. The
    /// lookup should not be tied to the request: a late one runs on and fills the caches the next answer reads.
    /// </summary>
    public static async Task<T> WithinAsync<T>(Task<T> lookup, TimeSpan budget, T fallback, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var first = await Task.WhenAny(lookup, Task.Delay(budget, timer.Token)).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        if (first == lookup && lookup.IsCompletedSuccessfully)
        {
            return lookup.Result;
        }

        // Observed here so that a late failure is not an unobserved task exception; its own code logs it.
        _ = lookup.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return fallback;
    }
}
