using NetOpsBot.Core;

namespace NetOpsBot.Host;

/// <summary>
/// The host's one <see cref="BackgroundJobs"/>, with its failures in the log: diagnoses, executions, recovery watches
/// and alert re-checks in its long lane, chat surfaces' after-the-answer work in its queue. A Teams or Slack section
/// registers it first (Slack's Workers can widen the queue); without either, this one.
/// </summary>
internal static partial class HostBackgroundJobs
{
    public static BackgroundJobs Create(IServiceProvider services)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.Background");
        return new BackgroundJobs(BackgroundJobs.DefaultConcurrency, (what, ex) => LogFailed(log, ex, what, ex.Message));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed: {Error}")]
    private static partial void LogFailed(ILogger log, Exception ex, string what, string error);
}
