using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Inbound;
using NetOpsBot.Slack.Signing;
using NetOpsBot.Slack.SocketMode;
using NetOpsBot.Slack.Surface;
using NetOpsBot.Slack.WebApi;
using Polly;

namespace NetOpsBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Slack as a chat surface. The Host binds <see cref="SlackOptions"/> and calls
    /// <see cref="SlackOptions.Validate"/> first; this expects valid options and needs the Host's
    /// <see cref="CommandRouter"/>, <see cref="IncidentActions"/>, <see cref="Cards.IncidentCards"/>,
    /// <see cref="IConversationStore"/> and <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddNetOpsBotSlack(this IServiceCollection services, SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new SlackSignatureVerifier(options.SigningSecret!, sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.SignatureWindowSeconds)));

        // Default HttpClient logging writes full URLs, and a response_url is a bearer capability: no loggers.
        services.AddSingleton<SlackApiClient>();

        // Delivery ids are kept against Slack's retries and replays, which the 5-minute signature window
        // bounds; a day leaves room for clock trouble and costs little.
        services.AddSingleton(new ConversationRetention(SlackInbound.Platform, "cmd:", TimeSpan.FromDays(1)));
        services.AddSingleton(new ConversationRetention(SlackInbound.Platform, "act:", TimeSpan.FromDays(1)));
        services.AddSingleton(new ConversationRetention(SlackInbound.Platform, "resume:", TimeSpan.FromDays(1)));
        services.AddHttpClient(SlackApiClient.HttpClientName)
            .RemoveAllLoggers()
            .AddResilienceHandler("slack", pipeline =>
            {
                // 429 is Slack's back-pressure with its own wait (Retry-After per method): SlackApiClient handles it.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(300),
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException
                        || (args.Outcome.Result is { } r && (int)r.StatusCode >= 500)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(15));
            });

        services.AddSingleton<SlackUsers>();
        services.AddSingleton<SlackCardSink>();
        services.AddSingleton(sp =>
        {
            var sink = sp.GetRequiredService<SlackCardSink>();
            return new CardPublisher<SlackCardSink>(sink, sp.GetRequiredService<TimeProvider>(), sink.LogPublishFailed, new ThreadLedger(sp.GetRequiredService<IIncidentStore>(), sp.GetRequiredService<IConversationStore>()));
        });
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<CardPublisher<SlackCardSink>>());
        services.AddSingleton<IApproverGroup, SlackApproverGroup>();
        // One queue for every surface's work after its answer (Teams registers the same one); Workers can widen it.
        services.TryAddSingleton(sp => BackgroundJobsLog.Create(sp, Math.Max(BackgroundJobs.DefaultConcurrency, options.Workers)));
        services.AddSingleton<SlackCommandWorker>();
        services.AddSingleton<SlackActionWorker>();
        services.AddSingleton<RecentDeliveries>();
        services.AddSingleton(new SlackWorkspace(options));
        services.AddSingleton<SlackInbound>();
        services.AddHostedService<SlackCommandRecovery>();
        if (options.Mode == SlackMode.SocketMode)
        {
            services.AddSingleton<SlackSocketModeClient>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackSocketModeClient>());
        }

        return services;
    }
}
