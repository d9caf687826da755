using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Alerts;

/// <summary>What became of one notification; the receiver's answer to the monitoring system.</summary>
public sealed record AlertOutcome
{
    public int Received { get; init; }

    public List<string> Opened { get; init; } = [];

    public int Repeated { get; init; }

    public int Refired { get; init; }

    public int Resolved { get; init; }

    public int UnknownDevice { get; init; }

    public int Maintenance { get; init; }

    public int Unrouted { get; init; }

    /// <summary>Alerts not handled now because a limit was reached; the sender should retry (deduplication makes that safe).</summary>
    public int Deferred { get; init; }

    public List<string> Notes { get; init; } = [];
}

/// <summary>
/// From parsed alerts to incidents: routes each alert, resolves its device, respects maintenance, deduplicates by
/// the alert's identity, and opens one incident per device through <see cref="IAlertIncidents"/>. It never runs a
/// remediation: an alert only ever starts the read-only diagnosis, and offers wait for approvals as always.
/// </summary>
public sealed class AlertProcessor(AlertRouting routing, IAlertLinkStore links, IAlertIncidents incidents, IAlertChannelNotice notice, TimeProvider time, AlertOptions options, AlertStorms? storms = null, GatewayDownBoard? gatewayDown = null)
{
    /// <summary>Longest list of unknown device names quoted in one thread line.</summary>
    private const int NamesShown = 5;

    /// <summary>Links read or written per database round trip (keeps SQL parameter counts small).</summary>
    private const int Chunk = 500;

    public async Task<AlertOutcome> ProcessAsync(IReadOnlyList<Alert> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var now = time.GetUtcNow();
        var outcome = new AlertOutcome { Received = alerts.Count };
        var repeated = 0;
        var refired = 0;
        var resolved = 0;
        var unrouted = 0;
        var deferred = 0;
        var unknown = new List<(Alert Alert, ChatChannel Channel, string? Named)>();
        var maintenance = new List<(Alert Alert, DeviceRef Device, MaintenanceWindow Window, ChatChannel Channel)>();
        var actionable = new List<(Alert Alert, DeviceRef Device, ChatChannel Channel)>();

        // Within one notification the last word on an identity counts (a group can carry both states).
        foreach (var alert in alerts.GroupBy(a => (a.Source, a.Identity)).Select(g => g.Last()))
        {
            if (routing.Runbook(alert) is null)
            {
                unrouted++;
                continue;
            }

            var channel = routing.Channel(alert);
            var device = routing.Device(alert, out var named);
            if (device is null)
            {
                if (alert.Status == AlertStatus.Firing)
                {
                    unknown.Add((alert, channel, named));
                }

                continue;
            }

            if (alert.Status == AlertStatus.Firing && routing.Maintenance(device, alert, now) is { } window)
            {
                maintenance.Add((alert, device, window, channel));
                continue;
            }

            actionable.Add((alert, device, channel));
        }

        var known = new Dictionary<(string, string), AlertLink>();
        foreach (var bySource in actionable.GroupBy(a => a.Alert.Source))
        {
            foreach (var chunk in bySource.Select(a => a.Alert.Identity).Distinct(StringComparer.Ordinal).Chunk(Chunk))
            {
                foreach (var (identity, link) in await links.GetAsync(bySource.Key, chunk, cancellationToken).ConfigureAwait(false))
                {
                    known[(bySource.Key, identity)] = link;
                }
            }
        }

        var flapWindow = TimeSpan.FromSeconds(options.FlapWindowSeconds);
        var toOpen = new List<(Alert Alert, DeviceRef Device, ChatChannel Channel, int Generation)>();
        foreach (var (alert, device, channel) in actionable)
        {
            var link = known.GetValueOrDefault((alert.Source, alert.Identity));
            if (alert.Status == AlertStatus.Resolved)
            {
                if (link is { Status: AlertLinkStatus.Firing }
                    && await links.TransitionAsync(alert.Source, alert.Identity, AlertLinkStatus.Firing, AlertLinkStatus.Resolved, now, cancellationToken).ConfigureAwait(false))
                {
                    var at = alert.EndsAt is { } end && end <= now ? end : now;
                    await incidents.NoteAsync(link.Incident, Actor(alert), $"monitoring reports resolved at {Time(at)}: {Describe(alert)}", cancellationToken).ConfigureAwait(false);
                    await incidents.RecheckAsync(link.Incident, device, cancellationToken).ConfigureAwait(false);
                    resolved++;
                }
                else
                {
                    repeated++;
                }

                continue;
            }

            switch (link)
            {
                case { Status: AlertLinkStatus.Firing }:
                    repeated++;
                    break;
                case { Status: AlertLinkStatus.Resolved } when now - link.UpdatedAt <= flapWindow:
                    // Flapping: the same incident hears about it again rather than a second one opening.
                    if (await links.TransitionAsync(alert.Source, alert.Identity, AlertLinkStatus.Resolved, AlertLinkStatus.Firing, now, cancellationToken).ConfigureAwait(false))
                    {
                        await incidents.NoteAsync(link.Incident, Actor(alert), $"monitoring reports firing again at {Time(alert.StartsAt ?? now)}: {Describe(alert)}", cancellationToken).ConfigureAwait(false);
                        refired++;
                    }
                    else
                    {
                        repeated++;
                    }

                    break;
                default:
                    toOpen.Add((alert, device, channel, (link?.Generation ?? 0) + 1));
                    break;
            }
        }

        // One incident per device, whatever number of alerts name it; the group's first identity (in a fixed
        // order, so every replica picks the same one) keys the incident, and every identity links to it.
        var groups = toOpen.GroupBy(a => a.Device.Name.Value, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(a => a.Alert.Source, StringComparer.Ordinal).ThenBy(a => a.Alert.Identity, StringComparer.Ordinal).ToList())
            .ToList();
        var storm = (IReadOnlyDictionary<string, StormVerdict>)new Dictionary<string, StormVerdict>(StringComparer.OrdinalIgnoreCase);
        if (storms is not null && groups.Count > 0)
        {
            // The gateway first: its one check is awaited here, before any incident behind it opens.
            (storm, var announce) = await storms.AdmitAsync([.. groups.Select(g => g[0].Device)], cancellationToken).ConfigureAwait(false);
            foreach (var a in announce)
            {
                var first = groups.First(g => storm.TryGetValue(g[0].Device.Name.Value, out var v) && ReferenceEquals(v.Gateway, a.Verdict.Gateway))[0];
                var text = AlertStorms.AnnouncementLine(a, first.Alert.Name, first.Alert.SourceDisplayName);
                await notice.PostAsync(first.Channel, text, cancellationToken).ConfigureAwait(false);
                outcome.Notes.Add(text);
            }

            // A storm's gateway alerting too opens its incident before the devices behind it.
            var gateways = storm.Values.Select(v => v.Gateway.Name.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            groups = [.. groups.OrderBy(g => gateways.Contains(g[0].Device.Name.Value) ? 0 : 1)];
        }

        foreach (var members in groups)
        {
            var (alert, device, channel, generation) = members[0];
            var requester = Requester(alert);
            var summary = $"opened by alert {alert.Name} from {alert.SourceDisplayName}: diagnosing SSH on {device.Name.Value}";
            if (gatewayDown is not null && storm.TryGetValue(device.Name.Value, out var verdict) && verdict.GatewayDownLine is { } down)
            {
                // The run that picks this up reports the gateway's silence instead of timing out behind it.
                gatewayDown.Mark(device, verdict);
                summary = $"opened by alert {alert.Name} from {alert.SourceDisplayName}: {down}";
            }

            IncidentId incident;
            bool created;
            try
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"alert:{alert.Source}:{alert.Identity}:{generation}");
                // Only routed alerts get here, so there is a runbook; the incident runs (and re-runs) that one.
                var runbook = routing.Runbook(alert) ?? throw new InvalidOperationException($"alert {alert.Name} has no runbook");
                var start = await incidents.StartAsync(device, runbook, requester, channel, key, summary, Origin(alert), cancellationToken).ConfigureAwait(false);
                (incident, created) = (start.Incident, start.Created);
            }
            catch (DiagnosisLimitException limit) when (limit.Running is { } running)
            {
                // Someone (a person, another alert) is diagnosing this device right now: that incident hears of it.
                gatewayDown?.Forget(device);
                incident = running;
                created = false;
                await incidents.NoteAsync(running, Actor(alert), $"alert {alert.Name} from {alert.SourceDisplayName} fired for {device.Name.Value} while this diagnosis runs: {Describe(alert)}", cancellationToken).ConfigureAwait(false);
            }
            catch (DiagnosisLimitException)
            {
                gatewayDown?.Forget(device);
                deferred += members.Count;
                continue;
            }
            catch
            {
                gatewayDown?.Forget(device);
                throw;
            }

            if (!created)
            {
                gatewayDown?.Forget(device);
            }

            if (created)
            {
                outcome.Opened.Add(incident.Value);
            }
            else
            {
                repeated += members.Count;
            }

            foreach (var chunk in members.Select(m => new AlertLink(m.Alert.Source, m.Alert.Identity, incident, m.Generation, AlertLinkStatus.Firing, now)).Chunk(Chunk))
            {
                await links.PutAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var byChannel in unknown.GroupBy(u => (u.Channel.Platform, u.Channel.ChannelId)))
        {
            var list = byChannel.ToList();
            var names = list.Select(u => u.Named ?? "no device label").Distinct(StringComparer.Ordinal).ToList();
            var shown = string.Join(", ", names.Take(NamesShown)) + (names.Count > NamesShown ? $" and {names.Count - NamesShown} more" : string.Empty);
            var first = list[0].Alert;
            var text = list.Count == 1
                ? $"Alert {first.Name} from {first.SourceDisplayName} is for a device not in the inventory ({shown}): not diagnosed."
                : $"{list.Count} alerts from {first.SourceDisplayName} are for devices not in the inventory ({shown}): not diagnosed.";
            await notice.PostAsync(list[0].Channel, text, cancellationToken).ConfigureAwait(false);
            outcome.Notes.Add(text);
        }

        foreach (var (alert, device, window, channel) in maintenance)
        {
            var text = $"{device.Name.Value} is in a maintenance window until {Time(window.End)}{(window.Reason is { Length: > 0 } r ? " (" + r + ")" : string.Empty)}: alert {alert.Name} from {alert.SourceDisplayName} acknowledged, not diagnosed.";
            await notice.PostAsync(channel, text, cancellationToken).ConfigureAwait(false);
            outcome.Notes.Add(text);
        }

        return outcome with
        {
            Repeated = repeated,
            Refired = refired,
            Resolved = resolved,
            UnknownDevice = unknown.Count,
            Maintenance = maintenance.Count,
            Unrouted = unrouted,
            Deferred = deferred,
        };
    }

    /// <summary>The alert as the incident's requester: <c>alert:alertmanager/SSHDown</c>, shown "alert SSHDown from Alertmanager".</summary>
    public static ChatUser Requester(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var name = new string([.. alert.Name.Take(80).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);
        var display = Clean($"alert {alert.Name} from {alert.SourceDisplayName}", 200);
        return new ChatUser("alert", $"{alert.Source}/{name}", display);
    }

    private static string Actor(Alert alert) => Requester(alert).ToString();

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Describe(Alert alert)
    {
        var labels = string.Join(", ", alert.Labels.Where(l => l.Key != "alertname").OrderBy(l => l.Key, StringComparer.Ordinal).Take(8).Select(l => $"{l.Key}={l.Value}"));
        return Clean($"{alert.Name} ({labels})", 300);
    }

    /// <summary>What the Requested event keeps about the alert (labels, the link back), for the card and the record.</summary>
    private static AlertOrigin Origin(Alert alert)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in alert.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Take(30))
        {
            labels[Clean(k, 100)] = Clean(v, 300);
        }

        return new AlertOrigin(alert.Source, alert.SourceDisplayName, Clean(alert.Name, 200), labels)
        {
            Identity = alert.Identity,
            Url = alert.GeneratorUrl,
            StartsAt = alert.StartsAt,
        };
    }

    private static string Clean(string text, int max)
    {
        var s = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        if (s.Length == 0)
        {
            s = "?";
        }

        return s.Length > max ? s[..(max - 1)] + "…" : s;
    }
}
