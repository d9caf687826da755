namespace NetOpsBot.Alerts;

/// <summary>Configuration section <c>NetOps:Alerts</c>.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "NetOps:Alerts";

    public ReceiverSecret Alertmanager { get; set; } = new();

    /// <summary>Generic JSON receivers by source name (<c>POST /api/alerts/generic/{source}</c>), e.g. <c>zabbix</c>.</summary>
    public Dictionary<string, GenericReceiverOptions> Generic { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Alert → runbook. Empty: <see cref="DefaultMatches"/>, each starting the default runbook. The first rule that matches wins.</summary>
    public List<RunbookRule> Runbooks { get; set; } = [];

    /// <summary>Alert → surface and channel. The first route that matches wins; none: the web chat channel.</summary>
    public List<ChannelRoute> Routes { get; set; } = [];

    /// <summary>Labels naming the device, tried in order; <c>instance</c> is read as host[:port].</summary>
    public List<string> DeviceLabels { get; set; } = [];

    public List<MaintenanceWindow> Maintenance { get; set; } = [];

    /// <summary>Many devices behind one gateway alerting within a window: the gateway is checked first, once.</summary>
    public StormOptions Storm { get; set; } = new();

    /// <summary>A firing alert within this long of its resolution re-opens the same incident rather than a new one.</summary>
    public double FlapWindowSeconds { get; set; } = 1800;

    /// <summary>More alerts than this in one notification is refused (413) as a whole, before any work.</summary>
    public int MaxAlertsPerNotification { get; set; } = 10000;

    /// <summary>Largest notification body accepted, in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Monitoring's usual names for "SSH to a device is down": with no rule configured they start the default runbook.</summary>
    public static IReadOnlyList<string> DefaultMatches { get; } = ["alertname=SSHDown", "probe_success{module=\"ssh_banner\"}"];

    public static IReadOnlyList<string> DefaultDeviceLabels { get; } = ["device", "hostname", "instance"];

    /// <summary>The rules in force: the configured ones, else <see cref="DefaultMatches"/> for <paramref name="defaultRunbook"/> (the registry's default runbook).</summary>
    public IReadOnlyList<RunbookRule> EffectiveRunbooks(string defaultRunbook) =>
        Runbooks.Count > 0 ? Runbooks : [.. DefaultMatches.Select(m => new RunbookRule { Match = m, Runbook = defaultRunbook })];

    public IReadOnlyList<string> EffectiveDeviceLabels => DeviceLabels.Count > 0 ? DeviceLabels : DefaultDeviceLabels;

    /// <summary>Problems, each naming its configuration key; empty when the section is usable.</summary>
    public IReadOnlyList<string> Validate(IReadOnlyCollection<string> knownRunbooks, IReadOnlyCollection<string> surfaces)
    {
        var p = new List<string>();
        var key = SectionName;
        for (var i = 0; i < Runbooks.Count; i++)
        {
            if (!LabelMatcher.TryParse(Runbooks[i].Match, out _, out var error))
            {
                p.Add($"{key}:Runbooks:{i}:Match: {error}");
            }

            if (!knownRunbooks.Contains(Runbooks[i].Runbook))
            {
                p.Add($"{key}:Runbooks:{i}:Runbook: '{Runbooks[i].Runbook}' is not a runbook (known: {string.Join(", ", knownRunbooks)})");
            }
        }

        for (var i = 0; i < Routes.Count; i++)
        {
            if (!LabelMatcher.TryParse(Routes[i].Match, out _, out var error))
            {
                p.Add($"{key}:Routes:{i}:Match: {error}");
            }

            if (!surfaces.Contains(Routes[i].Surface))
            {
                p.Add($"{key}:Routes:{i}:Surface: '{Routes[i].Surface}' is not a configured chat surface (configured: {string.Join(", ", surfaces)})");
            }

            if (string.IsNullOrWhiteSpace(Routes[i].Channel) || Routes[i].Channel.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                p.Add($"{key}:Routes:{i}:Channel is required (a Slack channel id, a Teams conversation id, or the web chat channel)");
            }
        }

        for (var i = 0; i < Maintenance.Count; i++)
        {
            var w = Maintenance[i];
            if (w.End <= w.Start)
            {
                p.Add($"{key}:Maintenance:{i}: End must be after Start");
            }

            if (w.Devices.Count == 0 && w.Sites.Count == 0)
            {
                p.Add($"{key}:Maintenance:{i}: name Devices or Sites");
            }
        }

        foreach (var (source, g) in Generic)
        {
            if (string.Equals(source, AlertmanagerPayload.Source, StringComparison.OrdinalIgnoreCase) || source.Length > Core.Incidents.AlertLink.MaxSourceLength
                || !source.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                p.Add($"{key}:Generic:{source}: a source name is 1-{Core.Incidents.AlertLink.MaxSourceLength} letters, digits, '-' or '_', and not 'alertmanager'");
            }

            p.AddRange(g.Mapping.Validate($"{key}:Generic:{source}"));
            p.AddRange(g.Validate($"{key}:Generic:{source}"));
        }

        p.AddRange(Alertmanager.Validate($"{key}:Alertmanager"));
        p.AddRange(Storm.Validate($"{key}:Storm"));
        if (MaxAlertsPerNotification < 1)
        {
            p.Add($"{key}:MaxAlertsPerNotification must be at least 1");
        }

        if (MaxBodyBytes < 1024)
        {
            p.Add($"{key}:MaxBodyBytes must be at least 1024");
        }

        if (FlapWindowSeconds < 0)
        {
            p.Add($"{key}:FlapWindowSeconds must not be negative");
        }

        return p;
    }
}

/// <summary>How a sender proves itself: a bearer token, or HTTP basic user and password. Neither set: the receiver is off.</summary>
public class ReceiverSecret
{
    public string? BearerToken { get; set; }

    public string? BasicUser { get; set; }

    public string? BasicPassword { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(BearerToken) || (!string.IsNullOrEmpty(BasicUser) && !string.IsNullOrEmpty(BasicPassword));

    public IReadOnlyList<string> Validate(string key)
    {
        var p = new List<string>();
        if (string.IsNullOrEmpty(BasicUser) != string.IsNullOrEmpty(BasicPassword))
        {
            p.Add($"{key}: BasicUser and BasicPassword go together");
        }

        if (BearerToken is { Length: > 0 and < 16 })
        {
            p.Add($"{key}:BearerToken is shorter than 16 characters");
        }

        return p;
    }
}

/// <summary>A generic JSON receiver: its secret and its field mapping.</summary>
public sealed class GenericReceiverOptions : ReceiverSecret
{
    public GenericAlertMapping Mapping { get; set; } = new();
}

public sealed class RunbookRule
{
    public string Match { get; set; } = string.Empty;

    public string Runbook { get; set; } = string.Empty;
}

public sealed class ChannelRoute
{
    public string Match { get; set; } = string.Empty;

    /// <summary><c>webchat</c>, <c>slack</c> or <c>teams</c>.</summary>
    public string Surface { get; set; } = "webchat";

    /// <summary>The web chat's channel (<c>netops</c>), a Slack channel id, or a Teams conversation id.</summary>
    public string Channel { get; set; } = string.Empty;
}

public sealed class MaintenanceWindow
{
    public List<string> Devices { get; set; } = [];

    /// <summary>Matched against the device's inventory site, and against the alert's <c>site</c> label.</summary>
    public List<string> Sites { get; set; } = [];

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    public string? Reason { get; set; }
}
