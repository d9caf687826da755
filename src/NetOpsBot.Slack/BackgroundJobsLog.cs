using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core;

namespace NetOpsBot.Slack;

/// <summary>The shared <see cref="BackgroundJobs"/> with its failures in the log (Core has no logging of its own).</summary>
internal static partial class BackgroundJobsLog
{
    public static BackgroundJobs Create(IServiceProvider services, int maxConcurrency)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.Background");
        return new BackgroundJobs(maxConcurrency, (what, ex) => LogFailed(log, ex, what, ex.Message));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed: {Error}")]
    private static partial void LogFailed(ILogger log, Exception ex, string what, string error);
}
