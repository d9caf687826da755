using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NetOpsBot.Cards;
using NetOpsBot.Core;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Host.Alerts;
using NetOpsBot.Host.Secrets;
using NetOpsBot.Host.WebChat;
using NetOpsBot.Platforms;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Ssh;
using NetOpsBot.Storage;

namespace NetOpsBot.Host;

/// <summary>
/// The host's own registrations, one method per concern, so <c>Program.cs</c> reads as the list of what the host is
/// made of. Device access and diagnosis are not here: the host and <c>netopsbot diag</c> share those
/// (<c>AddNetOpsSsh</c>, <c>AddNetOpsPlatforms</c>).
/// </summary>
internal static class HostComposition
{
    /// <summary>
    /// Decides the web chat's exposure before anything else: without sign-in it may serve demo users only in Development
    /// on loopback; any other combination stops the host here, naming the key. Also caps request bodies.
    /// </summary>
    public static WebChatExposure AddNetOpsWebChatExposure(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(NetOpsOptions.Section + ":WebChat").Get<WebChatSettings>() ?? new WebChatSettings();
        var plan = WebChatSecurity.Plan(settings, builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(plan);
        if (plan.Mode == WebChatMode.OpenIdConnect)
        {
            WebChatSignIn.AddServices(builder.Services, settings);
        }

        var maxBodyBytes = (builder.Configuration.GetSection(NetOpsOptions.Section + ":Limits").Get<LimitSettings>() ?? new LimitSettings()).MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBodyBytes);
        return new WebChatExposure(plan, maxBodyBytes);
    }

    /// <summary>The <c>NetOps</c> section, validated at start with the failing key named.</summary>
    public static IServiceCollection AddNetOpsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<NetOpsOptions>, NetOpsOptionsValidator>();
        services.AddOptions<NetOpsOptions>().Bind(configuration.GetSection(NetOpsOptions.Section)).ValidateOnStart();
        return services;
    }

    /// <summary>The incident store (SQLite by default, PostgreSQL for several replicas) and the clock everything reads.</summary>
    public static IServiceCollection AddNetOpsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(TimeProvider.System);
        return services.AddNetOpsBotStorage(storage, storage.PostgresEntraAuth ? NetOpsBot.Secrets.KeyVault.PostgresEntraPassword.FromEnvironment().GetAsync : null);
    }

    /// <summary>Incidents: the service that runs diagnoses, the web chat's card publisher, and the fan-out to every surface.</summary>
    public static IServiceCollection AddNetOpsIncidents(this IServiceCollection services)
    {
        services.AddSingleton<WebChatHub>();
        services.AddSingleton(sp => new IncidentCards(sp.GetRequiredService<IIncidentStore>(), sp.GetRequiredService<IDiagnosisRunner>().Steps, CardLinks.None, sp.GetRequiredService<IDeviceInventory>(), sp.GetRequiredService<RunbookRegistry>()));
        services.AddSingleton<WebChatCardSink>();
        services.AddSingleton(sp =>
        {
            var sink = sp.GetRequiredService<WebChatCardSink>();
            return new CardPublisher<WebChatCardSink>(sink, sp.GetRequiredService<TimeProvider>(), sink.LogPublishFailed);
        });
        services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<CardPublisher<WebChatCardSink>>());
        services.AddSingleton<IIncidentNotifier, SurfaceFanOut>();
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.Incidents");
            var diagnosis = sp.GetRequiredService<IOptions<DiagnosisOptions>>().Value;
            return new IncidentServiceOptions
            {
                InstanceId = $"{Environment.ProcessId}-{Guid.NewGuid():N}",
                LeaseDuration = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<IncidentSettings>>().Value.LeaseSeconds),
                LogScope = id => log.BeginScope(new Dictionary<string, object> { ["IncidentId"] = id.Value }),
                MaxConcurrentDiagnoses = diagnosis.MaxConcurrent,
                MaxDiagnosesPerDevice = diagnosis.MaxConcurrentPerDevice,
            };
        });
        return services.AddSingleton(sp => new IncidentService(
            sp.GetRequiredService<IIncidentStore>(),
            sp.GetRequiredService<IDiagnosisRunner>(),
            sp.GetRequiredService<IIncidentNotifier>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IncidentServiceOptions>(),
            sp.GetRequiredService<RunbookRegistry>(),
            sp.GetRequiredService<BackgroundJobs>()));
    }

    /// <summary>
    /// The two-person rule, the approver directory (who is who across platforms, and the only way an account becomes an
    /// approver) and the remediation service; each device's plans run on its platform's executor, never another vendor's.
    /// </summary>
    public static IServiceCollection AddNetOpsApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        var approvals = configuration.GetSection(ApprovalOptions.SectionName).Get<ApprovalOptions>() ?? new ApprovalOptions();
        if (approvals.Validate() is { Count: > 0 } approvalProblems)
        {
            throw new OptionsValidationException(ApprovalOptions.SectionName, typeof(ApprovalOptions), approvalProblems);
        }

        services.AddSingleton(approvals);
        var people = configuration.GetSection(PersonOptions.SectionName).Get<Dictionary<string, PersonOptions>>() ?? [];
        if (PeopleDirectory.Validate(people, approvals) is { Count: > 0 } peopleProblems)
        {
            throw new OptionsValidationException(PersonOptions.SectionName, typeof(PersonOptions), peopleProblems);
        }

        services.AddSingleton<IPeopleDirectory>(sp => new PeopleDirectory(people, approvals, sp.GetServices<IApproverGroup>()));
        services.AddSingleton<IRemediationExecutor>(sp => new PlatformRemediationExecutor(KnownPlatforms.All, new RemediationExecutorContext(
            sp.GetRequiredService<IDeviceAccess>(),
            RemediationSessions.Opener(sp.GetRequiredService<SshDeviceAccess>()),
            sp.GetRequiredService<TimeProvider>())));
        return services.AddSingleton(sp => new RemediationService(
            sp.GetRequiredService<IRemediationRequestStore>(),
            sp.GetRequiredService<IIncidentStore>(),
            sp.GetRequiredService<IDeviceInventory>(),
            sp.GetRequiredService<IncidentService>(),
            sp.GetRequiredService<IRemediationExecutor>(),
            approvals,
            sp.GetRequiredService<IOptions<RemediationSettings>>().Value.ToExecutionOptions(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IncidentServiceOptions>().InstanceId,
            sp.GetRequiredService<IPeopleDirectory>(),
            sp.GetRequiredService<BackgroundJobs>()));
    }

    /// <summary>What every chat surface calls: the command router (allow list, rate limits) and the one click handler.</summary>
    public static IServiceCollection AddNetOpsChatCommands(this IServiceCollection services)
    {
        services.AddSingleton<IncidentActions>();
        services.AddSingleton<StepOutputLookup>();
        services.AddSingleton<IChatAuthorizer>(sp => new AllowListAuthorizer(sp.GetRequiredService<IOptions<NetOpsOptions>>().Value.DiagnoseAllowList));
        return services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<NetOpsOptions>>().Value.Limits;
            var time = sp.GetRequiredService<TimeProvider>();
            return new CommandRouter(
                sp.GetRequiredService<IncidentService>(),
                sp.GetRequiredService<IDeviceInventory>(),
                sp.GetRequiredService<IIncidentStore>(),
                sp.GetRequiredService<IChatAuthorizer>(),
                new RateLimiter(time, limits.PerUserBurst, TimeSpan.FromSeconds(limits.PerUserRefillSeconds)),
                new RateLimiter(time, limits.PerChannelBurst, TimeSpan.FromSeconds(limits.PerChannelRefillSeconds)),
                time);
        });
    }

    /// <summary>
    /// Teams and Slack, each only when its section exists, and the one background mechanism for every long run and
    /// every surface's after-the-answer work (a Teams or Slack section registers it first).
    /// </summary>
    public static IServiceCollection AddNetOpsChatSurfaces(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection(NetOpsBot.Teams.TeamsOptions.SectionName) is { } teamsSection && teamsSection.Exists())
        {
            NetOpsBot.Teams.TeamsServiceCollectionExtensions.AddNetOpsBotTeams(services, teamsSection.Get<NetOpsBot.Teams.TeamsOptions>() ?? new NetOpsBot.Teams.TeamsOptions());
        }

        if (configuration.GetSection(NetOpsBot.Slack.SlackOptions.SectionName) is { } slackSection && slackSection.Exists())
        {
            var slack = slackSection.Get<NetOpsBot.Slack.SlackOptions>() ?? new NetOpsBot.Slack.SlackOptions();
            if (slack.Validate() is { Count: > 0 } slackProblems)
            {
                throw new OptionsValidationException(NetOpsBot.Slack.SlackOptions.SectionName, typeof(NetOpsBot.Slack.SlackOptions), slackProblems);
            }

            NetOpsBot.Slack.SlackServiceCollectionExtensions.AddNetOpsBotSlack(services, slack);
        }

        services.TryAddSingleton(HostBackgroundJobs.Create);
        return services;
    }

    /// <summary>Housekeeping: conversation retention, interrupted runs after a crash, and in-flight work at stop.</summary>
    public static IServiceCollection AddNetOpsLifecycle(this IServiceCollection services)
    {
        services.AddHostedService<ConversationRetentionSweeper>();
        services.AddSingleton<InterruptionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<InterruptionSweeper>());
        return services.AddHostedService<InFlightWorkStop>();
    }

    /// <summary>
    /// Creates or migrates the store, marks runs a crash interrupted, then warms the first request's paths (EF queries,
    /// event JSON, card renderer) so the first <c>/sshdiag</c> in a channel answers as fast as the later ones
    /// (<c>benchmarks coldstart</c> measures it). The warm-up only reads: nothing is written.
    /// </summary>
    public static async Task PrepareNetOpsAsync(this WebApplication app)
    {
        var services = app.Services;
        await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None).ConfigureAwait(false);
        await services.GetRequiredService<InterruptionSweeper>().SweepAtStartupAsync(CancellationToken.None).ConfigureAwait(false);

        var store = services.GetRequiredService<IIncidentStore>();
        _ = await store.ListAsync(new PageRequest(0, 1), CancellationToken.None).ConfigureAwait(false);
        _ = await store.ListForDeviceAsync(DeviceName.Parse("warm-up"), 1, CancellationToken.None).ConfigureAwait(false);
        _ = IncidentEventsWarmUp.Run();
        _ = AdaptiveCardRenderer.Render(DiagnosisCardViewBuilder.Start("warm-up", "warm-up", "warm-up", DateTimeOffset.UnixEpoch, services.GetRequiredService<IDiagnosisRunner>().Steps));
        _ = await services.GetRequiredService<CommandRouter>().HandleAsync(
            new ChatRequest(new ChatUser("warmup", "warmup", "warm-up"), new ChatChannel("warmup", "warmup", null), services.GetRequiredService<RunbookRegistry>().Default.Command + " help", "warm-up"),
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The web chat's guards (always: they also refuse the page when it is off), sign-in and static page.</summary>
    public static void UseNetOpsWebChat(this WebApplication app, WebChatExposure exposure)
    {
        var plan = exposure.Plan;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.WebChat");
        if (plan.Warning is { } warning)
        {
            WebChatSignIn.LogWarning(log, warning);
        }

        WebChatSecurity.UseGuards(app, plan, exposure.MaxRequestBodyBytes);
        if (!exposure.Enabled)
        {
            return;
        }

        WebChatSignIn.LogMode(log, plan.Mode, string.Join(", ", plan.AllowedHosts));
        if (plan.Mode == WebChatMode.OpenIdConnect)
        {
            WebChatSignIn.Use(app);
        }

        app.UseDefaultFiles();
        app.UseStaticFiles();
    }

    /// <summary>
    /// <c>/healthz</c> (alive, plus any switch an operator must not miss: Teams accepting unauthenticated loopback
    /// activities), the acknowledgement metrics and <c>/readyz</c> (store, jump hosts, secrets).
    /// </summary>
    public static void MapNetOpsOperations(this WebApplication app)
    {
        app.MapGet("/healthz", (IServiceProvider sp) => sp.GetService<NetOpsBot.Teams.TeamsStatus>()?.Warning is { } warning
            ? Results.Text("ok\n" + warning + "\n")
            : Results.Text("ok"));
        app.UseNetOpsBotAckMetrics();
        app.MapGet("/readyz", ReadyAsync);
    }

    /// <summary>Every inbound surface's endpoints: the web chat (when on), Teams, Slack and monitoring alerts.</summary>
    public static void MapNetOpsSurfaces(this WebApplication app, WebChatExposure exposure)
    {
        if (exposure.Enabled)
        {
            WebChatEndpoints.Map(app);
        }

        NetOpsBot.Teams.TeamsServiceCollectionExtensions.MapNetOpsBotTeams(app);
        NetOpsBot.Slack.SlackEndpoints.MapNetOpsBotSlack(app);
        app.MapAlertEndpoints();
    }

    private static async Task<IResult> ReadyAsync(HttpContext http, IStorageInitializer db, InventoryFile inventory, ISecretsReadiness secrets, CancellationToken ct)
    {
        var storageOk = await db.CanConnectAsync(ct).ConfigureAwait(false);
        var jumpOk = true;
        foreach (var jump in inventory.JumpHosts.Values)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await socket.ConnectAsync(jump.Address, jump.Port, cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                jumpOk = false;
            }
        }

        var secretsReport = secrets.Report();
        var ready = storageOk && jumpOk && secretsReport.Ready;
        // The details name vault URIs, secret names and what is down: for an operator on this machine only. A probe
        // from anywhere else (load balancer, the internet) learns the status code and one word.
        object body = Operations.IsLocalOperator(http)
            ? new { storage = storageOk ? "ok" : "down", jumpHost = jumpOk ? "ok" : "unreachable", secrets = secretsReport }
            : new { status = ready ? "ready" : "not ready" };
        return ready ? Results.Json(body) : Results.Json(body, statusCode: 503);
    }
}

/// <summary>How the web chat is exposed (decided at start) and the request body cap its guards enforce.</summary>
internal sealed record WebChatExposure(WebChatSecurityPlan Plan, long MaxRequestBodyBytes)
{
    public bool Enabled => Plan.Mode != WebChatMode.Off;
}

/// <summary>Diagnostics allowed for everyone when the list is empty, else only for the listed platform:user ids.</summary>
internal sealed class AllowListAuthorizer(IReadOnlyCollection<string> allowed) : IChatAuthorizer
{
    public bool CanDiagnose(ChatUser user, ChatChannel channel) =>
        allowed.Count == 0 || allowed.Contains(user.Platform + ":" + user.UserId, StringComparer.Ordinal);
}
