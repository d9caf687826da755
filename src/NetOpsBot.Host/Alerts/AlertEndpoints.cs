using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using NetOpsBot.Alerts;
using NetOpsBot.Core;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Host.WebChat;
using NetOpsBot.Ssh;

namespace NetOpsBot.Host.Alerts;

/// <summary>
/// Monitoring as an inbound surface: Alertmanager's webhook and generic JSON receivers (Zabbix). Each is
/// authenticated (bearer or basic, compared in constant time) and off without a secret; an alert opens its
/// incident through the incident service exactly as /sshdiag does, and never runs a remediation.
/// </summary>
internal static partial class AlertEndpoints
{
    /// <summary>Runbooks an alert may name: the registered ones.</summary>
    private static readonly string[] KnownRunbooks = [.. NetOpsBot.Platforms.KnownRunbooks.Definitions.Select(d => d.Id)];

    public static WebApplicationBuilder AddNetOpsAlerts(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AlertOptions.SectionName).Get<AlertOptions>() ?? new AlertOptions();
        var surfaces = new List<string> { "webchat" };
        if (builder.Configuration.GetSection(NetOpsBot.Slack.SlackOptions.SectionName).Exists())
        {
            surfaces.Add("slack");
        }

        if (builder.Configuration.GetSection(NetOpsBot.Teams.TeamsOptions.SectionName).Exists())
        {
            surfaces.Add("teams");
        }

        var problems = options.Validate(KnownRunbooks, surfaces);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(AlertOptions.SectionName, typeof(AlertOptions), problems);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new AlertRouting(options, sp.GetRequiredService<InventoryFile>().Devices, sp.GetRequiredService<NetOpsBot.Core.Runbooks.RunbookRegistry>().Default.Id));
        builder.Services.AddSingleton<IAlertIncidents, IncidentServiceAlerts>();
        builder.Services.AddSingleton<IAlertChannelNotice, HostAlertNotice>();
        builder.Services.AddSingleton<IGatewayCheck, HostGatewayCheck>();
        builder.Services.AddSingleton(sp => new GatewayDownBoard(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp =>
        {
            var inventory = sp.GetRequiredService<InventoryFile>();
            return new AlertStorms(options.Storm, sp.GetRequiredService<IGatewayCheck>(), name => inventory.FindAsync(name, CancellationToken.None).GetAwaiter().GetResult(), sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton(sp => new AlertProcessor(
            sp.GetRequiredService<AlertRouting>(),
            sp.GetRequiredService<IAlertLinkStore>(),
            sp.GetRequiredService<IAlertIncidents>(),
            sp.GetRequiredService<IAlertChannelNotice>(),
            sp.GetRequiredService<TimeProvider>(),
            options,
            sp.GetRequiredService<AlertStorms>(),
            sp.GetRequiredService<GatewayDownBoard>()));
        DecorateRunner(builder.Services);
        return builder;
    }

    /// <summary>
    /// Wraps whatever runner the host registered (any platform) so that a storm's devices behind a silent gateway
    /// get the gateway's evidence instead of a run through it; every other run is unchanged.
    /// </summary>
    private static void DecorateRunner(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(NetOpsBot.Core.Diagnosis.IDiagnosisRunner));
        if (registered is null)
        {
            return;
        }

        services.Remove(registered);
        services.AddSingleton<NetOpsBot.Core.Diagnosis.IDiagnosisRunner>(sp =>
        {
            var inner = (NetOpsBot.Core.Diagnosis.IDiagnosisRunner)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!));
            // The registry is built from this runner, so its runbook is read from the definitions: the registered
            // runner is the default (first) runbook's, as KnownRunbooks.Create takes it.
            return new GatewayFirstRunner(inner, NetOpsBot.Platforms.KnownRunbooks.Definitions[0], sp.GetRequiredService<GatewayDownBoard>(), sp.GetRequiredService<TimeProvider>());
        });
    }

    public static WebApplication MapAlertEndpoints(this WebApplication app)
    {
        var alerts = app.MapGroup("/api/alerts");
        alerts.MapPost("/alertmanager", (HttpContext http, AlertOptions o, AlertProcessor p, ILoggerFactory logs, CancellationToken ct) =>
            ReceiveAsync(http, o, p, logs, o.Alertmanager, "Alertmanager", "NetOps:Alerts:Alertmanager:BearerToken", (body, max) => AlertmanagerPayload.Parse(body, max), ct));
        alerts.MapPost("/generic/{source}", (string source, HttpContext http, AlertOptions o, AlertProcessor p, ILoggerFactory logs, CancellationToken ct) =>
            o.Generic.TryGetValue(source, out var receiver)
                ? ReceiveAsync(http, o, p, logs, receiver, $"generic receiver '{source}'", $"NetOps:Alerts:Generic:{source}:BearerToken", (body, max) => receiver.Mapping.Parse(source.ToLowerInvariant(), body, max), ct)
                : Task.FromResult(Results.Json(new { error = $"No generic alert receiver '{Safe(source)}' is configured (NetOps:Alerts:Generic:<source>)." }, statusCode: StatusCodes.Status404NotFound)));
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        AlertOptions options,
        AlertProcessor processor,
        ILoggerFactory logs,
        ReceiverSecret secret,
        string receiver,
        string secretKey,
        Func<ReadOnlyMemory<byte>, int, AlertParseResult> parse,
        CancellationToken ct)
    {
        var log = logs.CreateLogger("NetOpsBot.Alerts");
        if (!secret.Enabled)
        {
            LogOff(log, receiver);
            return Results.Json(new { error = $"The {receiver} is off: set {secretKey} (or BasicUser and BasicPassword) to turn it on." }, statusCode: StatusCodes.Status404NotFound);
        }

        if (!Authenticated(http.Request, secret))
        {
            LogUnauthenticated(log, receiver, http.Connection.RemoteIpAddress?.ToString() ?? "?");
            http.Response.Headers.WWWAuthenticate = string.IsNullOrEmpty(secret.BearerToken) ? "Basic realm=\"netopsbot-alerts\"" : "Bearer realm=\"netopsbot-alerts\"";
            return Results.Json(new { error = "Unauthenticated: send the configured credentials (Authorization: Bearer … or Basic …)." }, statusCode: StatusCodes.Status401Unauthorized);
        }

        // Kestrel's host-wide cap (NetOps:Limits:MaxRequestBodyBytes) is for chat; an alert group may be larger.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.MaxBodyBytes;
        }

        if (http.Request.ContentLength > options.MaxBodyBytes)
        {
            return TooLarge(options);
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await http.Request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > options.MaxBodyBytes)
                {
                    return TooLarge(options);
                }

                buffer.Write(chunk, 0, n);
            }

            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(options);
        }

        var parsed = parse(body, options.MaxAlertsPerNotification);
        if (!parsed.Ok)
        {
            LogMalformed(log, receiver, parsed.Error!);
            var status = parsed.Error!.Contains("alerts in one notification", StringComparison.Ordinal) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            return Results.Json(new { error = parsed.Error }, statusCode: status);
        }

        var outcome = await processor.ProcessAsync(parsed.Alerts, ct).ConfigureAwait(false);
        LogReceived(log, receiver, outcome.Received, outcome.Opened.Count, outcome.Repeated, outcome.Resolved, outcome.UnknownDevice, outcome.Maintenance, outcome.Unrouted, outcome.Deferred);
        var answer = new
        {
            received = outcome.Received,
            opened = outcome.Opened,
            repeated = outcome.Repeated,
            refired = outcome.Refired,
            resolved = outcome.Resolved,
            unknownDevice = outcome.UnknownDevice,
            maintenance = outcome.Maintenance,
            unrouted = outcome.Unrouted,
            deferred = outcome.Deferred,
            notes = outcome.Notes,
        };
        if (outcome.Deferred > 0)
        {
            // A limit stopped some alerts; the sender retries the whole notification and deduplication skips the rest.
            http.Response.Headers.RetryAfter = "30";
            return Results.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(answer);
    }

    private static IResult TooLarge(AlertOptions options) =>
        Results.Json(new { error = $"Notification larger than {options.MaxBodyBytes} bytes (NetOps:Alerts:MaxBodyBytes)." }, statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>Constant-time comparison of what was sent against the configured secret (hashes of equal length).</summary>
    internal static bool Authenticated(HttpRequest request, ReceiverSecret secret)
    {
        var header = request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(secret.BearerToken) && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Same(header["Bearer ".Length..].Trim(), secret.BearerToken);
        }

        if (!string.IsNullOrEmpty(secret.BasicUser) && !string.IsNullOrEmpty(secret.BasicPassword) && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            }
            catch (FormatException)
            {
                return false;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            // Both halves are always compared, so the time does not tell which one was wrong.
            var userOk = Same(colon < 0 ? decoded : decoded[..colon], secret.BasicUser);
            var passwordOk = Same(colon < 0 ? string.Empty : decoded[(colon + 1)..], secret.BasicPassword);
            return userOk & passwordOk;
        }

        return false;
    }

    private static bool Same(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string Safe(string text) => new([.. text.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '?')]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alerts: {Receiver} refused an unauthenticated notification from {Remote}")]
    private static partial void LogUnauthenticated(ILogger log, string receiver, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alerts: {Receiver} is off (no secret configured); a notification was refused")]
    private static partial void LogOff(ILogger log, string receiver);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alerts: {Receiver} refused a malformed notification: {Error}")]
    private static partial void LogMalformed(ILogger log, string receiver, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "alerts: {Receiver} notification of {Received} alerts: {Opened} incidents opened, {Repeated} repeated, {Resolved} resolved, {Unknown} for unknown devices, {Maintenance} in maintenance, {Unrouted} without a runbook, {Deferred} deferred")]
    private static partial void LogReceived(ILogger log, string receiver, int received, int opened, int repeated, int resolved, int unknown, int maintenance, int unrouted, int deferred);
}

/// <summary>Alerts open incidents through the same service as /sshdiag; their thread lines are ordinary notes.</summary>
internal sealed partial class IncidentServiceAlerts(IncidentService incidents, IIncidentStore store, BackgroundJobs jobs, ILogger<IncidentServiceAlerts> log) : IAlertIncidents
{
    public async Task RecheckAsync(IncidentId incident, DeviceRef device, CancellationToken cancellationToken)
    {
        // The claim (Diagnosed -> Running, leased to this instance) is the compare-and-set that lets one replica re-check.
        if (!await store.UpdateStateAsync(incident, new StateTransition(IncidentState.Diagnosed, IncidentState.Running) { Lease = incidents.NewLease() }, cancellationToken).ConfigureAwait(false)
            || await store.GetAsync(incident, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return;
        }

        // The re-check outlives the receiver's answer: it runs in the long lane, which a stop cancels and reports.
        _ = jobs.Start(
            $"alert re-check of {incident.Value} on {device.Name.Value}",
            async stopping =>
            {
                using var lease = incidents.HoldLease(incident);
                try
                {
                    var report = await incidents.RediagnoseAsync(found, device, stopping).ConfigureAwait(false);
                    var healthy = report.RootCauseCodes.Count == 1 && NetOpsBot.Core.Diagnosis.RootCause.IsHealthyCode(report.RootCauseCodes[0]);
                    await incidents.TransitionWithEventsAsync(
                        found,
                        new StateTransition(IncidentState.Running, healthy ? IncidentState.Resolved : IncidentState.Diagnosed) { RootCauseCodes = report.RootCauseCodes, ReleaseLease = true },
                        [new(
                            new ResolutionEvent(healthy ? ResolutionEvent.Resolved : ResolutionEvent.StillOpen, healthy ? [] : report.RootCauseCodes),
                            "netopsbot",
                            healthy ? $"The bot's re-check of {device.Name.Value} is healthy too: incident resolved" : $"The bot's re-check still finds: {string.Join(" + ", report.RootCauseCodes)} (incident stays open)")],
                        CancellationToken.None).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // a background re-check must end in a stored state whatever failed
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRecheckFailed(log, ex, incident.Value);
                    await store.UpdateStateAsync(incident, new StateTransition(IncidentState.Running, IncidentState.Diagnosed) { ReleaseLease = true }, CancellationToken.None).ConfigureAwait(false);
                }
            });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alerts: the re-check of {IncidentId} after monitoring's resolved failed")]
    private static partial void LogRecheckFailed(ILogger log, Exception ex, string incidentId);

    public async Task<AlertStart> StartAsync(DeviceRef device, string runbookId, ChatUser requester, ChatChannel channel, string requestKey, string summary, AlertOrigin alert, CancellationToken cancellationToken)
    {
        var creation = await incidents.StartDiagnosisAsync(device, runbookId, requester, channel, requestKey, new RequestOrigin(summary, alert), cancellationToken).ConfigureAwait(false);
        return new AlertStart(creation.Incident.Id, creation.Created);
    }

    public async Task NoteAsync(IncidentId incident, string actor, string summary, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(incident, cancellationToken).ConfigureAwait(false) is { } found)
        {
            await incidents.AppendAsync(found, new NoteEvent(), actor, summary, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A line with no incident (unknown device, maintenance) in the routed channel.</summary>
internal sealed partial class HostAlertNotice(WebChatHub hub, IServiceProvider services, ILogger<HostAlertNotice> log) : IAlertChannelNotice
{
    public async Task PostAsync(ChatChannel channel, string text, CancellationToken cancellationToken)
    {
        LogNotice(log, channel.Platform, channel.ChannelId, text);
        switch (channel.Platform)
        {
            case "webchat":
                hub.Publish(new WebChatEvent("reply", null, new { replyTo = (string?)null, text, accepted = false, incidentId = (string?)null }));
                break;
            case "slack" when services.GetService<NetOpsBot.Slack.WebApi.SlackApiClient>() is { } slack:
                var posted = await slack.PostMessageAsync(channel.ChannelId, new System.Text.Json.Nodes.JsonObject { ["text"] = NetOpsBot.Cards.ChatText.Slack(text) }, null, cancellationToken).ConfigureAwait(false);
                if (!posted.Ok)
                {
                    LogNotPosted(log, channel.Platform, channel.ChannelId, posted.Error ?? "?");
                }

                break;
            case "teams" when services.GetService<NetOpsBot.Teams.Connector.ConversationDirectory>() is { } conversations
                && services.GetService<NetOpsBot.Teams.Connector.BotConnectorClient>() is { } connector:
                await PostTeamsAsync(conversations, connector, channel, text, cancellationToken).ConfigureAwait(false);
                break;
            default:
                LogNotPosted(log, channel.Platform, channel.ChannelId, "this surface is not configured");
                break;
        }
    }

    /// <summary>A proactive message, as the incident cards are posted: a new thread in a channel, a message in a chat.</summary>
    private async Task PostTeamsAsync(NetOpsBot.Teams.Connector.ConversationDirectory conversations, NetOpsBot.Teams.Connector.BotConnectorClient connector, ChatChannel channel, string text, CancellationToken cancellationToken)
    {
        var conversation = await conversations.FindAsync(channel.ChannelId, cancellationToken).ConfigureAwait(false);
        if (conversation is null)
        {
            LogNotPosted(log, channel.Platform, channel.ChannelId, "the bot has not learned this conversation yet (install it in the team, or mention it there once)");
            return;
        }

        var message = new System.Text.Json.Nodes.JsonObject { ["type"] = "message", ["textFormat"] = "markdown", ["text"] = NetOpsBot.Cards.ChatText.TeamsMessage(text) };
        try
        {
            if (conversation.IsChannel)
            {
                await connector.CreateConversationAsync(conversation, new System.Text.Json.Nodes.JsonObject
                {
                    ["isGroup"] = true,
                    ["channelData"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["channel"] = new System.Text.Json.Nodes.JsonObject { ["id"] = conversation.ConversationId },
                        ["tenant"] = new System.Text.Json.Nodes.JsonObject { ["id"] = conversation.TenantId },
                    },
                    ["activity"] = message,
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await connector.SendAsync(conversation, conversation.ConversationId, message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (NetOpsBot.Teams.Connector.ConnectorException e)
        {
            LogNotPosted(log, channel.Platform, channel.ChannelId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alerts: line for {Platform}:{Channel} not posted: {Error}")]
    private static partial void LogNotPosted(ILogger log, string platform, string channel, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "alerts: line for {Platform}:{Channel}: {Text}")]
    private static partial void LogNotice(ILogger log, string platform, string channel, string text);
}

/// <summary>The storm's one gateway check: a TCP connect to the gateway's SSH port from the jump host, as the access step probes.</summary>
internal sealed class HostGatewayCheck(NetOpsBot.Core.Access.IDeviceAccess access) : IGatewayCheck
{
    public async Task<GatewayCheck> CheckAsync(DeviceRef gateway, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probe = await access.ProbeAsync(gateway, gateway.SshPort, timeout, cancellationToken).ConfigureAwait(false);
        var evidence = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"TCP {gateway.ManagementAddress}:{probe.Port} from the jump host: {probe.Outcome.ToString().ToLowerInvariant()}, {probe.Detail}");
        return probe.Outcome switch
        {
            NetOpsBot.Core.Access.ProbeOutcome.Open or NetOpsBot.Core.Access.ProbeOutcome.Refused => new GatewayCheck(GatewayAnswer.Answers, evidence),
            NetOpsBot.Core.Access.ProbeOutcome.Timeout => new GatewayCheck(GatewayAnswer.Silent, evidence),
            _ => new GatewayCheck(GatewayAnswer.Unknown, evidence),
        };
    }
}
