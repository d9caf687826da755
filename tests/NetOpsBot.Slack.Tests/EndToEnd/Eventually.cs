namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>Polls until a condition holds (what the fake Slack has received arrives asynchronously).</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null, Func<string>? context = null)
        where T : class
    {
        var until = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds;
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (Environment.TickCount64 > until)
            {
                throw new TimeoutException($"never: {what}\n{context?.Invoke()}");
            }

            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? context = null) =>
        GetAsync(() => condition() ? "ok" : null, what, timeout, context);
}
