using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NetOpsBot.Cards;
using NetOpsBot.Core;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Teams.Approvals;
using NetOpsBot.Teams.Auth;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Surface;
using Polly;

namespace NetOpsBot.Teams;

/// <summary>Registration of the Teams surface; the host calls these only when a <c>Teams</c> section exists.</summary>
public static class TeamsServiceCollectionExtensions
{
    private const string OpenIdHttpClient = "NetOpsBot.Teams.OpenId";

    /// <summary>Registers the Teams surface. <paramref name="options"/> must be valid (<see cref="TeamsOptions.Validate"/>).</summary>
    public static IServiceCollection AddNetOpsBotTeams(this IServiceCollection services, TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(TeamsOptions.SectionName, typeof(TeamsOptions), problems);
        }

        services.AddSingleton(options);
        services.AddSingleton(new TeamsStatus(options));
        services.AddHttpClient(OpenIdHttpClient, c => c.Timeout = TimeSpan.FromSeconds(20)).RemoveAllLoggers();
        // Every connector call would otherwise log four lines at Information (HttpClient and each retry attempt).
        services.AddHttpClient(BotConnectorClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddResilienceHandler("teams-connector", (b, context) => ConnectorPipeline(b, options, context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.Teams.Connector")));
        services.AddHttpClient(EntraApproverGroup.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(20)).RemoveAllLoggers();

        var credential = TeamsCredentials.Create(options);
        services.AddSingleton<IConnectorTokenSource>(credential is null ? new NoTokenSource() : new CredentialTokenSource(credential));
        services.AddSingleton(sp => new BotTokenValidator(options, sp.GetRequiredService<IHttpClientFactory>().CreateClient(OpenIdHttpClient)));
        services.AddSingleton(sp => new ReplayGuard(sp.GetService<IConversationStore>(), sp.GetRequiredService<TimeProvider>()));

        // A replayed activity needs a token that is still valid (about an hour plus 5 minutes of skew).
        services.AddSingleton(new ConversationRetention(TeamsPlatform.Key, "activity", TimeSpan.FromDays(1)));
        services.AddSingleton(sp => new ConversationDirectory(sp.GetService<IConversationStore>()));
        services.AddSingleton(sp => new BotConnectorClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(BotConnectorClient.HttpClientName), sp.GetRequiredService<IConnectorTokenSource>()));
        services.AddSingleton(sp => new TeamsApprovers(sp.GetRequiredService<IPeopleDirectory>()));
        services.AddSingleton<ApproverRoster>();
        // One queue for every surface's work after its answer (Slack registers the same one).
        services.TryAddSingleton(sp => BackgroundJobsLog.Create(sp, BackgroundJobs.DefaultConcurrency));
        services.AddSingleton(sp => new TeamsChatSurface(
            sp.GetRequiredService<IncidentCards>(),
            sp.GetRequiredService<IIncidentStore>(),
            sp.GetRequiredService<BotConnectorClient>(),
            sp.GetRequiredService<ConversationDirectory>(),
            sp.GetRequiredService<ApproverRoster>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TeamsChatSurface>>()));
        services.AddSingleton(sp =>
        {
            var sink = sp.GetRequiredService<TeamsChatSurface>();
            // Without a shared store (some tests) the thread is this replica's alone: lines only from its notifications.
            var ledger = sp.GetService<IConversationStore>() is { } claims ? new ThreadLedger(sp.GetRequiredService<IIncidentStore>(), claims) : null;
            return new CardPublisher<TeamsChatSurface>(sink, sp.GetRequiredService<TimeProvider>(), sink.LogPublishFailed, ledger);
        });
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<CardPublisher<TeamsChatSurface>>());
        services.AddSingleton<TeamsActivityHandler>();
        if (options.ApproverGroupId is { Length: > 0 } group)
        {
            services.AddSingleton<IApproverGroup>(sp => new EntraApproverGroup(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(EntraApproverGroup.HttpClientName),
                credential,
                options.GraphBaseUrl,
                group,
                TimeSpan.FromSeconds(options.ApproverGroupCacheSeconds),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EntraApproverGroup>>()));
        }

        return services;
    }

    /// <summary>Maps <c>POST /api/messages</c> when the Teams surface is registered; without it, nothing is served.</summary>
    public static IEndpointRouteBuilder MapNetOpsBotTeams(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<TeamsActivityHandler>() is not { } handler)
        {
            return endpoints;
        }

        var status = endpoints.ServiceProvider.GetRequiredService<TeamsStatus>();
        if (status.Warning is { } warning)
        {
            endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.Teams").LogCritical("{Warning}", warning);
        }

        endpoints.MapPost("/api/messages", (Delegate)((HttpContext http) => handler.HandleAsync(http)));

        // The Agents Playground probes the endpoint with HEAD before it sends anything.
        endpoints.MapMethods("/api/messages", ["HEAD"], () => Results.Ok());
        return endpoints;
    }

    /// <summary>429 (Retry-After honoured), 412 and 5xx retried with jittered exponential backoff; each try bounded.</summary>
    internal static void ConnectorPipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, TeamsOptions options, ILogger log)
    {
        // Successful attempts are routine and Polly would log each at Information; retries are logged below.
        builder.ConfigureTelemetry(new Polly.Telemetry.TelemetryOptions
        {
            LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(options.ConnectorRetries, 0),
            Delay = TimeSpan.FromSeconds(options.ConnectorRetryDelaySeconds),
            MaxDelay = TimeSpan.FromSeconds(60),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result is { } r
                    ? (int)r.StatusCode is 429 or 412 or >= 500
                    : args.Outcome.Exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException),
            OnRetry = args =>
            {
                log.LogWarning("Teams: connector call answered {Status}; retry {Attempt} in {Delay} ms", args.Outcome.Result is { } r ? (int)r.StatusCode : 0, args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(TimeSpan.FromSeconds(30));
    }
}
