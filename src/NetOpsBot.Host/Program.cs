using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using NetOpsBot.Cards;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Host;
using NetOpsBot.Host.Alerts;
using NetOpsBot.Host.Secrets;
using NetOpsBot.Host.WebChat;
using NetOpsBot.Ssh;
using NetOpsBot.Storage;
using NetOpsBot.Runbooks.SshUnreachable;
using Serilog;
using NetOpsBot.Platforms;

// Content root = the build folder: the page and appsettings travel with the binaries, wherever the
// host is started from (the demo script, a test, a container).
if (HealthProbe.IsRequested(args))
{
    Environment.ExitCode = await HealthProbe.RunAsync().ConfigureAwait(false);
    return;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Host.UseNetOpsBotSerilog();

// The web chat's exposure is decided before anything else: without sign-in it may serve demo users only in
// Development on loopback; any other combination stops the host here, naming the key.
var webChatSettings = builder.Configuration.GetSection(NetOpsOptions.Section + ":WebChat").Get<WebChatSettings>() ?? new WebChatSettings();
var webChatPlan = WebChatSecurity.Plan(webChatSettings, builder.Configuration, builder.Environment);
builder.Services.AddSingleton(webChatPlan);
if (webChatPlan.Mode == WebChatMode.OpenIdConnect)
{
    WebChatSignIn.AddServices(builder.Services, webChatSettings);
}

var maxBodyBytes = (builder.Configuration.GetSection(NetOpsOptions.Section + ":Limits").Get<LimitSettings>() ?? new LimitSettings()).MaxRequestBodyBytes;
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBodyBytes);
builder.Services.AddNetOpsBotTelemetry(builder.Configuration);

builder.Services.AddSingleton<IValidateOptions<NetOpsOptions>, NetOpsOptionsValidator>();
builder.Services.AddOptions<NetOpsOptions>().Bind(builder.Configuration.GetSection(NetOpsOptions.Section)).ValidateOnStart();

var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddNetOpsBotStorage(storage, storage.PostgresEntraAuth ? NetOpsBot.Secrets.KeyVault.PostgresEntraPassword.FromEnvironment().GetAsync : null);
builder.Services.AddNetOpsBotSecrets(builder.Configuration);
// Device access and diagnosis: the same registrations and options as `netopsbot diag` (one source for both).
builder.Services.AddNetOpsSsh(builder.Configuration);
builder.Services.AddNetOpsPlatforms(builder.Configuration);
builder.Services.AddNetOpsHostOptions(builder.Configuration);
builder.Services.AddSingleton<WebChatHub>();
builder.Services.AddSingleton(sp => new IncidentCards(sp.GetRequiredService<IIncidentStore>(), sp.GetRequiredService<IDiagnosisRunner>().Steps, CardLinks.None, sp.GetRequiredService<IDeviceInventory>(), sp.GetRequiredService<NetOpsBot.Core.Runbooks.RunbookRegistry>()));
builder.Services.AddSingleton<WebChatCardSink>();
builder.Services.AddSingleton(sp =>
{
    var sink = sp.GetRequiredService<WebChatCardSink>();
    return new CardPublisher<WebChatCardSink>(sink, sp.GetRequiredService<TimeProvider>(), sink.LogPublishFailed);
});
builder.Services.AddSingleton<IChatSurface>(sp => sp.GetRequiredService<CardPublisher<WebChatCardSink>>());
builder.Services.AddSingleton<IIncidentNotifier, SurfaceFanOut>();
builder.Services.AddSingleton(sp =>
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
builder.Services.AddSingleton(sp => new IncidentService(
    sp.GetRequiredService<IIncidentStore>(),
    sp.GetRequiredService<IDiagnosisRunner>(),
    sp.GetRequiredService<IIncidentNotifier>(),
    sp.GetRequiredService<TimeProvider>(),
    sp.GetRequiredService<IncidentServiceOptions>(),
    sp.GetRequiredService<NetOpsBot.Core.Runbooks.RunbookRegistry>(),
    sp.GetRequiredService<NetOpsBot.Core.BackgroundJobs>()));
var approvals = builder.Configuration.GetSection(ApprovalOptions.SectionName).Get<ApprovalOptions>() ?? new ApprovalOptions();
var approvalProblems = approvals.Validate();
if (approvalProblems.Count > 0)
{
    throw new OptionsValidationException(ApprovalOptions.SectionName, typeof(ApprovalOptions), approvalProblems);
}

builder.Services.AddSingleton(approvals);

// The approver directory: who is who across platforms, and the only way an account becomes an approver.
var people = builder.Configuration.GetSection(PersonOptions.SectionName).Get<Dictionary<string, PersonOptions>>() ?? [];
var peopleProblems = PeopleDirectory.Validate(people, approvals);
if (peopleProblems.Count > 0)
{
    throw new OptionsValidationException(PersonOptions.SectionName, typeof(PersonOptions), peopleProblems);
}

builder.Services.AddSingleton<IPeopleDirectory>(sp => new PeopleDirectory(people, approvals, sp.GetServices<IApproverGroup>()));
// Each device's plans run on its platform's executor (DeviceRef.Platform), never another vendor's.
builder.Services.AddSingleton<IRemediationExecutor>(sp => new PlatformRemediationExecutor(KnownPlatforms.All, new RemediationExecutorContext(
    sp.GetRequiredService<IDeviceAccess>(),
    RemediationSessions.Opener(sp.GetRequiredService<SshDeviceAccess>()),
    sp.GetRequiredService<TimeProvider>())));
builder.Services.AddSingleton(sp => new RemediationService(
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
    sp.GetRequiredService<NetOpsBot.Core.BackgroundJobs>()));

// The one click handler every chat surface calls (each keeps only its protocol edge).
builder.Services.AddSingleton<IncidentActions>();
builder.Services.AddSingleton<StepOutputLookup>();
builder.Services.AddSingleton<IChatAuthorizer>(sp => new AllowListAuthorizer(sp.GetRequiredService<IOptions<NetOpsOptions>>().Value.DiagnoseAllowList));
builder.Services.AddSingleton(sp =>
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
// chat surface: teams (services)
if (builder.Configuration.GetSection(NetOpsBot.Teams.TeamsOptions.SectionName) is { } teamsSection && teamsSection.Exists())
{
    NetOpsBot.Teams.TeamsServiceCollectionExtensions.AddNetOpsBotTeams(builder.Services, teamsSection.Get<NetOpsBot.Teams.TeamsOptions>() ?? new NetOpsBot.Teams.TeamsOptions());
}

// chat surface: slack (services)
if (builder.Configuration.GetSection(NetOpsBot.Slack.SlackOptions.SectionName) is { } slackSection && slackSection.Exists())
{
    var slack = slackSection.Get<NetOpsBot.Slack.SlackOptions>() ?? new NetOpsBot.Slack.SlackOptions();
    var slackProblems = slack.Validate();
    if (slackProblems.Count > 0)
    {
        throw new OptionsValidationException(NetOpsBot.Slack.SlackOptions.SectionName, typeof(NetOpsBot.Slack.SlackOptions), slackProblems);
    }

    NetOpsBot.Slack.SlackServiceCollectionExtensions.AddNetOpsBotSlack(builder.Services, slack);
}

// One background mechanism for every long run and every surface's after-the-answer work (Teams/Slack registered it
// already when configured).
Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(builder.Services, HostBackgroundJobs.Create);

// monitoring alerts (Alertmanager, Zabbix, generic JSON) as an inbound surface
builder.AddNetOpsAlerts();

builder.Services.AddHostedService<ConversationRetentionSweeper>();
builder.Services.AddSingleton<InterruptionSweeper>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<InterruptionSweeper>());
builder.Services.AddHostedService<InFlightWorkStop>();

var app = builder.Build();
await app.Services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None).ConfigureAwait(false);
await app.Services.GetRequiredService<InterruptionSweeper>().SweepAtStartupAsync(CancellationToken.None).ConfigureAwait(false);

// Warm the first request's paths (EF queries, event JSON, card renderer) at start-up, so the first /sshdiag in a
// channel answers as fast as the later ones (`benchmarks coldstart` measures it). Reads only: nothing is written.
var warmStore = app.Services.GetRequiredService<IIncidentStore>();
_ = await warmStore.ListAsync(new PageRequest(0, 1), CancellationToken.None).ConfigureAwait(false);
_ = await warmStore.ListForDeviceAsync(DeviceName.Parse("warm-up"), 1, CancellationToken.None).ConfigureAwait(false);
_ = IncidentEventsWarmUp.Run();
_ = AdaptiveCardRenderer.Render(DiagnosisCardViewBuilder.Start("warm-up", "warm-up", "warm-up", DateTimeOffset.UnixEpoch, app.Services.GetRequiredService<IDiagnosisRunner>().Steps));
_ = await app.Services.GetRequiredService<CommandRouter>().HandleAsync(
    new ChatRequest(new ChatUser("warmup", "warmup", "warm-up"), new ChatChannel("warmup", "warmup", null), app.Services.GetRequiredService<NetOpsBot.Core.Runbooks.RunbookRegistry>().Default.Command + " help", "warm-up"),
    CancellationToken.None).ConfigureAwait(false);

var webChat = webChatPlan.Mode != WebChatMode.Off;
var webChatLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NetOpsBot.WebChat");
if (webChatPlan.Warning is { } webChatWarning)
{
    WebChatSignIn.LogWarning(webChatLog, webChatWarning);
}

WebChatSecurity.UseGuards(app, webChatPlan, maxBodyBytes);
if (webChat)
{
    WebChatSignIn.LogMode(webChatLog, webChatPlan.Mode, string.Join(", ", webChatPlan.AllowedHosts));
    if (webChatPlan.Mode == WebChatMode.OpenIdConnect)
    {
        WebChatSignIn.Use(app);
    }

    app.UseDefaultFiles();
    app.UseStaticFiles();
}

// Alive, plus any switch an operator must not miss (Teams accepting unauthenticated loopback activities).
app.MapGet("/healthz", (IServiceProvider sp) => sp.GetService<NetOpsBot.Teams.TeamsStatus>()?.Warning is { } warning
    ? Results.Text("ok\n" + warning + "\n")
    : Results.Text("ok"));
app.UseNetOpsBotAckMetrics();
app.MapGet("/readyz", async (HttpContext http, IStorageInitializer db, InventoryFile inventory, ISecretsReadiness secrets, CancellationToken ct) =>
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
});
if (webChat)
{
    WebChatEndpoints.Map(app);
}

// chat surface: teams (endpoints)
NetOpsBot.Teams.TeamsServiceCollectionExtensions.MapNetOpsBotTeams(app);
// chat surface: slack (endpoints)
NetOpsBot.Slack.SlackEndpoints.MapNetOpsBotSlack(app);
// monitoring alerts (endpoints)
app.MapAlertEndpoints();

await app.RunAsync().ConfigureAwait(false);

/// <summary>Diagnostics allowed for everyone when the list is empty, else only for the listed platform:user ids.</summary>
internal sealed class AllowListAuthorizer(IReadOnlyCollection<string> allowed) : IChatAuthorizer
{
    public bool CanDiagnose(ChatUser user, ChatChannel channel) =>
        allowed.Count == 0 || allowed.Contains(user.Platform + ":" + user.UserId, StringComparer.Ordinal);
}
