using System.Collections.Concurrent;
using System.Net;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Alerts.Tests;

internal sealed class MemoryLinks : IAlertLinkStore
{
    public ConcurrentDictionary<(string, string), AlertLink> Links { get; } = new();

    public Task<IReadOnlyDictionary<string, AlertLink>> GetAsync(string source, IReadOnlyCollection<string> identities, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, AlertLink>>(identities
            .Where(i => Links.ContainsKey((source, i)))
            .ToDictionary(i => i, i => Links[(source, i)], StringComparer.Ordinal));

    public Task PutAsync(IReadOnlyCollection<AlertLink> links, CancellationToken cancellationToken)
    {
        foreach (var l in links)
        {
            Links[(l.Source, l.Identity)] = l;
        }

        return Task.CompletedTask;
    }

    public Task<bool> TransitionAsync(string source, string identity, AlertLinkStatus from, AlertLinkStatus status, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (Links.TryGetValue((source, identity), out var l) && l.Status == from)
        {
            return Task.FromResult(Links.TryUpdate((source, identity), l with { Status = status, UpdatedAt = at }, l));
        }

        return Task.FromResult(false);
    }
}

internal sealed class FakeIncidents : IAlertIncidents
{
    private readonly Dictionary<string, IncidentId> _byKey = new(StringComparer.Ordinal);
    private int _next;

    public List<(DeviceRef Device, ChatUser Requester, ChatChannel Channel, string Key, string Summary, AlertOrigin Alert)> Started { get; } = [];

    public List<(IncidentId Incident, string Actor, string Summary)> Notes { get; } = [];

    /// <summary>When set, every start throws this (a limit reached).</summary>
    public DiagnosisLimitException? Refuse { get; set; }

    /// <summary>The runbook each started incident was opened with, in the order of <see cref="Started"/>.</summary>
    public List<string> Runbooks { get; } = [];

    public Task<AlertStart> StartAsync(DeviceRef device, string runbookId, ChatUser requester, ChatChannel channel, string requestKey, string summary, AlertOrigin alert, CancellationToken cancellationToken)
    {
        if (Refuse is { } refuse)
        {
            throw refuse;
        }

        lock (_byKey)
        {
            if (_byKey.TryGetValue(requestKey, out var existing))
            {
                return Task.FromResult(new AlertStart(existing, false));
            }

            var id = IncidentId.Parse($"INC-{++_next:D8}");
            _byKey[requestKey] = id;
            Started.Add((device, requester, channel, requestKey, summary, alert));
            Runbooks.Add(runbookId);
            return Task.FromResult(new AlertStart(id, true));
        }
    }

    public List<(IncidentId Incident, DeviceRef Device)> Rechecks { get; } = [];

    public Task RecheckAsync(IncidentId incident, DeviceRef device, CancellationToken cancellationToken)
    {
        lock (Rechecks)
        {
            Rechecks.Add((incident, device));
        }

        return Task.CompletedTask;
    }

    public Task NoteAsync(IncidentId incident, string actor, string summary, CancellationToken cancellationToken)
    {
        lock (Notes)
        {
            Notes.Add((incident, actor, summary));
        }

        return Task.CompletedTask;
    }
}

internal sealed class FakeNotice : IAlertChannelNotice
{
    public List<(ChatChannel Channel, string Text)> Posted { get; } = [];

    public Task PostAsync(ChatChannel channel, string text, CancellationToken cancellationToken)
    {
        Posted.Add((channel, text));
        return Task.CompletedTask;
    }
}

internal static class Lab
{
    /// <summary>The registry's default runbook in the product (the default alert rules start it).</summary>
    public const string DefaultRunbook = "ssh-unreachable";

    public static DeviceRef Device(string name, string dialAddress, string managementIp) =>
        new(DeviceName.Parse(name), "huawei-vrp", dialAddress, IPAddress.Parse(managementIp), 22, [], null, "lab-jump", null, "lab-device");

    public static IReadOnlyList<DeviceRef> Devices { get; } =
    [
        Device("sw-access-12", "127.0.200.12", "10.20.0.12"),
        Device("sw-access-13", "127.0.200.13", "10.20.0.13"),
        Device("sw-agg-01", "127.0.200.2", "10.20.0.1"),
    ];
}
