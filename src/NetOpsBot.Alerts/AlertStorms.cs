using System.Collections.Concurrent;
using System.Globalization;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Alerts;

/// <summary>Configuration section <c>NetOps:Alerts:Storm</c>: many devices behind one gateway alerting at once.</summary>
public sealed class StormOptions
{
    /// <summary>Alerts for devices behind one gateway within this long of the first one form one storm; 0 turns grouping off.</summary>
    public double WindowSeconds { get; set; } = 30;

    /// <summary>At least this many distinct devices behind one gateway make a storm (below it, each is diagnosed alone).</summary>
    public int MinDevices { get; set; } = 3;

    /// <summary>How long the one gateway check (a TCP connect to its SSH port from the jump host) waits for an answer.</summary>
    public double GatewayCheckTimeoutSeconds { get; set; } = 5;

    public IReadOnlyList<string> Validate(string key)
    {
        var p = new List<string>();
        if (WindowSeconds is < 0 or > 3600)
        {
            p.Add($"{key}:WindowSeconds must be between 0 (off) and 3600");
        }

        if (MinDevices < 2)
        {
            p.Add($"{key}:MinDevices must be at least 2");
        }

        if (GatewayCheckTimeoutSeconds is <= 0 or > 120)
        {
            p.Add($"{key}:GatewayCheckTimeoutSeconds must be above 0 and at most 120");
        }

        return p;
    }
}

/// <summary>What the one check of a storm's gateway found.</summary>
public enum GatewayAnswer
{
    /// <summary>It answered (a TCP handshake, or a reset: the host is alive).</summary>
    Answers,

    /// <summary>No answer within the timeout: down or cut off.</summary>
    Silent,

    /// <summary>The check itself could not be made (the jump host is down): nothing is known about the gateway.</summary>
    Unknown,
}

/// <param name="Evidence">What was seen, fit for a thread line ("TCP 10.12.0.1:22 from jump host lab-jump: timeout, …").</param>
public sealed record GatewayCheck(GatewayAnswer Answer, string Evidence);

/// <summary>Checks a gateway's reachability once for a whole storm; the host probes through the jump host.</summary>
public interface IGatewayCheck
{
    Task<GatewayCheck> CheckAsync(DeviceRef gateway, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>A storm's gateway and what its one check found, as of this device's admission.</summary>
/// <param name="Devices">Distinct devices behind the gateway alerted within the window so far.</param>
public sealed record StormVerdict(DeviceRef Gateway, int Devices, GatewayCheck Check)
{
    /// <summary>"sw-agg-01 (the gateway of 5 alerted devices) does not answer: …"; null when the gateway answers or is unknown.</summary>
    public string? GatewayDownLine => Check.Answer == GatewayAnswer.Silent
        ? $"{Gateway.Name.Value} (the gateway of {Devices} alerted devices) does not answer: {Check.Evidence}"
        : null;
}

/// <summary>A storm whose gateway was just checked: announced once, in one line.</summary>
public sealed record StormAnnouncement(StormVerdict Verdict, TimeSpan Window);

/// <summary>
/// Groups firing alerts by the inventory gateway of their devices, within a window from the storm's first alert.
/// When enough devices behind one gateway alert, the gateway is checked first, once per window, and every device
/// of the storm (then and later in the window) gets that one result: a dead aggregation switch is reported once
/// instead of N diagnoses each waiting out its timeouts behind it. State is per instance (each replica checks once).
/// </summary>
public sealed class AlertStorms(StormOptions options, IGatewayCheck check, Func<DeviceName, DeviceRef?> inventory, TimeProvider time)
{
    private readonly Dictionary<string, Storm> _storms = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public TimeSpan Window => TimeSpan.FromSeconds(options.WindowSeconds);

    /// <summary>
    /// Admits the devices about to get incidents. Returns the storm verdict of each device behind a storm's gateway
    /// (after the gateway's check, awaited here: the gateway first), and the storms to announce (each once).
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, StormVerdict> ByDevice, IReadOnlyList<StormAnnouncement> Announce)> AdmitAsync(IReadOnlyList<DeviceRef> devices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var byDevice = new Dictionary<string, StormVerdict>(StringComparer.OrdinalIgnoreCase);
        var announce = new List<StormAnnouncement>();
        if (options.WindowSeconds <= 0)
        {
            return (byDevice, announce);
        }

        var now = time.GetUtcNow();
        var joined = new List<(Storm Storm, List<DeviceRef> Devices, bool First)>();
        lock (_lock)
        {
            foreach (var group in devices.Where(d => d.GatewayName is not null).GroupBy(d => d.GatewayName!.Value, StringComparer.OrdinalIgnoreCase))
            {
                if (!_storms.TryGetValue(group.Key, out var storm) || now - storm.Started > Window)
                {
                    if (inventory(group.First().GatewayName!) is not { } gateway)
                    {
                        continue;
                    }

                    _storms[group.Key] = storm = new Storm(gateway, now);
                }

                foreach (var d in group)
                {
                    storm.Devices.Add(d.Name.Value);
                }

                var first = false;
                if (storm.Check is null && storm.Devices.Count >= options.MinDevices)
                {
                    storm.Check = CheckAsync(storm.Gateway);
                    first = true;
                }

                if (storm.Check is not null)
                {
                    joined.Add((storm, [.. group], first));
                }
            }

            foreach (var stale in _storms.Where(s => now - s.Value.Started > Window).Select(s => s.Key).ToList())
            {
                _storms.Remove(stale);
            }
        }

        foreach (var (storm, members, first) in joined)
        {
            var result = await storm.Check!.WaitAsync(cancellationToken).ConfigureAwait(false);
            int count;
            lock (_lock)
            {
                count = storm.Devices.Count;
            }

            var verdict = new StormVerdict(storm.Gateway, count, result);
            foreach (var d in members)
            {
                byDevice[d.Name.Value] = verdict;
            }

            if (first)
            {
                announce.Add(new StormAnnouncement(verdict, Window));
            }
        }

        return (byDevice, announce);
    }

    private async Task<GatewayCheck> CheckAsync(DeviceRef gateway)
    {
        // Not the caller's token: the result is shared by every alert of the storm, including later notifications.
        await Task.Yield();
        try
        {
            return await check.CheckAsync(gateway, TimeSpan.FromSeconds(options.GatewayCheckTimeoutSeconds), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a failed check must leave the devices to their own diagnoses, not fail the notification
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new GatewayCheck(GatewayAnswer.Unknown, $"the check failed: {ex.GetType().Name}");
        }
    }

    /// <summary>The storm's one thread line in the channel.</summary>
    public static string AnnouncementLine(StormAnnouncement a, string alertName, string source)
    {
        ArgumentNullException.ThrowIfNull(a);
        var v = a.Verdict;
        var head = string.Create(CultureInfo.InvariantCulture, $"Alert storm: {alertName} from {source} for {v.Devices} devices behind {v.Gateway.Name.Value} within {a.Window.TotalSeconds:0.#} s; the gateway was checked first, once.");
        return v.Check.Answer switch
        {
            GatewayAnswer.Silent => $"{head} {v.GatewayDownLine}. Their incidents say so instead of diagnosing each device through it.",
            GatewayAnswer.Answers => $"{head} {v.Gateway.Name.Value} answers ({v.Check.Evidence}): each device is diagnosed on its own.",
            _ => $"{head} Its state is unknown ({v.Check.Evidence}): each device is diagnosed on its own.",
        };
    }

    private sealed class Storm(DeviceRef gateway, DateTimeOffset started)
    {
        public DeviceRef Gateway { get; } = gateway;

        public DateTimeOffset Started { get; } = started;

        public HashSet<string> Devices { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<GatewayCheck>? Check { get; set; }
    }
}

/// <summary>
/// Devices whose storm gateway does not answer, waiting for their incident's run: the run that picks one up reports
/// the gateway's silence instead of diagnosing through it. Taken once, so a later re-check (monitoring's resolved, a
/// person's /sshdiag) diagnoses the device for real.
/// </summary>
public sealed class GatewayDownBoard(TimeProvider time)
{
    /// <summary>An entry not taken within this long is stale (its incident never started).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, (StormVerdict Verdict, DateTimeOffset At)> _down = new(StringComparer.OrdinalIgnoreCase);

    public void Mark(DeviceRef device, StormVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(device);
        _down[device.Name.Value] = (verdict, time.GetUtcNow());
    }

    public void Forget(DeviceRef device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _down.TryRemove(device.Name.Value, out _);
    }

    public StormVerdict? Take(DeviceRef device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return _down.TryRemove(device.Name.Value, out var e) && time.GetUtcNow() - e.At <= Lifetime ? e.Verdict : null;
    }
}
