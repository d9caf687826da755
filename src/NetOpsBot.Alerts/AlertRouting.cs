using System.Net;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Alerts;

/// <summary>The web chat's one channel: where alerts go when no route names another.</summary>
public static class WebChatChannel
{
    public static ChatChannel Default { get; } = new("webchat", "netops", null);
}

/// <summary>Configuration turned into decisions: which runbook, which channel, which device, under maintenance or not.</summary>
public sealed class AlertRouting
{
    private readonly List<(LabelMatcher Match, string Runbook)> _runbooks;
    private readonly List<(LabelMatcher Match, ChatChannel Channel)> _routes;
    private readonly IReadOnlyList<string> _deviceLabels;
    private readonly IReadOnlyList<MaintenanceWindow> _maintenance;
    private readonly Dictionary<string, DeviceRef> _byName;
    private readonly Dictionary<string, DeviceRef> _byAddress;

    /// <param name="devices">The inventory: names, dial addresses and management IPs are all lookup keys.</param>
    /// <param name="defaultRunbook">The id of the runbook the default rules start (the registry's default).</param>
    public AlertRouting(AlertOptions options, IEnumerable<DeviceRef> devices, string defaultRunbook)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultRunbook);
        _runbooks = [.. options.EffectiveRunbooks(defaultRunbook).Select(r => (LabelMatcher.Parse(r.Match), r.Runbook))];
        _routes = [.. options.Routes.Select(r => (LabelMatcher.Parse(r.Match), new ChatChannel(r.Surface, r.Channel, null)))];
        _deviceLabels = options.EffectiveDeviceLabels;
        _maintenance = options.Maintenance;
        _byName = new(StringComparer.OrdinalIgnoreCase);
        _byAddress = new(StringComparer.OrdinalIgnoreCase);
        foreach (var d in devices)
        {
            _byName[d.Name.Value] = d;
            _byAddress.TryAdd(d.ManagementIp.ToString(), d);
            _byAddress.TryAdd(d.ManagementAddress, d);
        }
    }

    /// <summary>The runbook of the first rule that matches; null: not an alert NetOpsBot acts on.</summary>
    public string? Runbook(Alert alert) => _runbooks.FirstOrDefault(r => r.Match.Matches(alert.Labels)).Runbook;

    public ChatChannel Channel(Alert alert) =>
        _routes.FirstOrDefault(r => r.Match.Matches(alert.Labels)).Channel ?? WebChatChannel.Default;

    /// <summary>
    /// The inventory device the alert is about, from the configured labels in order: a device name, a host name
    /// (its first DNS label too), an IP address, or <c>instance</c>'s host part (a blackbox target "10.0.0.12:22").
    /// </summary>
    public DeviceRef? Device(Alert alert, out string? named)
    {
        ArgumentNullException.ThrowIfNull(alert);
        named = null;
        foreach (var label in _deviceLabels)
        {
            if (!alert.Labels.TryGetValue(label, out var value) || value.Length == 0)
            {
                continue;
            }

            named ??= $"{label}={value}";
            foreach (var candidate in Candidates(value))
            {
                if (_byName.TryGetValue(candidate, out var d) || _byAddress.TryGetValue(candidate, out d))
                {
                    return d;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The maintenance window covering the device at <paramref name="now"/>, if any: by name, by the device's inventory
    /// site (whatever labels monitoring sends), or by the alert's <c>site</c> label.
    /// </summary>
    public MaintenanceWindow? Maintenance(DeviceRef device, Alert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(alert);
        var label = alert.Labels.TryGetValue("site", out var s) ? s : null;
        return _maintenance.FirstOrDefault(w => w.Start <= now && now < w.End
            && (w.Devices.Contains(device.Name.Value, StringComparer.OrdinalIgnoreCase)
                || (device.Site is { Length: > 0 } site && w.Sites.Contains(site, StringComparer.OrdinalIgnoreCase))
                || (label is not null && w.Sites.Contains(label, StringComparer.OrdinalIgnoreCase))));
    }

    private static IEnumerable<string> Candidates(string value)
    {
        var v = value.Trim();
        yield return v;

        // A URL target (http_2xx probes) or host:port (instance).
        if (Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && v.Contains("://", StringComparison.Ordinal))
        {
            v = uri.Host;
            yield return v;
        }

        if (v.StartsWith('[') && v.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            yield return v[1..close];
        }
        else if (v.LastIndexOf(':') is var colon and > 0 && v.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            v = v[..colon];
            yield return v;
        }

        if (!IPAddress.TryParse(v, out _) && v.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
        {
            yield return v[..dot];
        }
    }
}
