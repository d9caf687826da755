using System.Collections.Concurrent;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>Scripted behaviour of one device: probe outcomes, command outputs (raw VRP text) and failures.</summary>
internal sealed class FakeDevice
{
    public Dictionary<int, ProbeOutcome> Probes { get; } = [];

    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths whose OpenCliAsync fails, with the failure reason.</summary>
    public Dictionary<AccessPath, DeviceAccessFailure> OpenFailures { get; } = [];

    /// <summary>Commands that throw the given exception.</summary>
    public Dictionary<string, Exception> Throws { get; } = new(StringComparer.Ordinal);

    /// <summary>Commands that never answer (until cancelled).</summary>
    public HashSet<string> Hangs { get; } = new(StringComparer.Ordinal);

    /// <summary>Commands that answer only once the given task completes.</summary>
    public Dictionary<string, Task> AnswersAfter { get; } = new(StringComparer.Ordinal);

    /// <summary>Asynchronous lines already waiting when debugging is on; a session hands them out once, as a real one does.</summary>
    public string AsyncLines { get; set; } = string.Empty;

    /// <summary>Lines the device logs only this long after the last connection attempt (a probe) to it.</summary>
    public List<(TimeSpan AfterAttempt, string Text)> LateAsyncLines { get; } = [];

    /// <summary>When the last probe of this device returned (for <see cref="LateAsyncLines"/>).</summary>
    public long? LastProbeAt { get; set; }

    public string Hostname { get; set; } = "HUAWEI";
}

/// <summary>In-memory <see cref="IDeviceAccess"/> that replays VRP text; records every command sent.</summary>
internal sealed class FakeDeviceAccess : IDeviceAccess
{
    public Dictionary<string, FakeDevice> Devices { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Sent { get; } = new();

    public ConcurrentQueue<string> Opened { get; } = new();

    /// <summary>Device names, once per session closed.</summary>
    public ConcurrentQueue<string> Closed { get; } = new();

    private readonly ConcurrentQueue<FakeSession> _sessions = new();

    /// <summary>The device ends every open session of <paramref name="name"/>: their next command fails.</summary>
    public void DropSessions(string name)
    {
        foreach (var s in _sessions.Where(s => s.Name == name))
        {
            s.Dropped = true;
        }
    }

    public ProbeOutcome? AllProbes { get; set; }

    public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var outcome = AllProbes ?? (Devices.TryGetValue(device.Name.Value, out var d) && d.Probes.TryGetValue(port, out var o) ? o : ProbeOutcome.Refused);
        if (Devices.TryGetValue(device.Name.Value, out var probed))
        {
            probed.LastProbeAt = TimeProvider.System.GetTimestamp();
        }

        return Task.FromResult(new TcpProbeResult(port, outcome, "fake", TimeSpan.FromMilliseconds(1)));
    }

    public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken)
    {
        Opened.Enqueue($"{device.Name}:{path}");
        if (!Devices.TryGetValue(device.Name.Value, out var d))
        {
            throw new DeviceAccessException(DeviceAccessFailure.Timeout, "no such device in the fake");
        }

        if (d.OpenFailures.TryGetValue(path, out var failure))
        {
            throw new DeviceAccessException(failure, $"fake {failure} on {path}");
        }

        var session = new FakeSession(this, device.Name.Value, d);
        _sessions.Enqueue(session);
        return Task.FromResult<IDeviceCliSession>(session);
    }

    private sealed class FakeSession(FakeDeviceAccess owner, string name, FakeDevice device) : IDeviceCliSession
    {
        public string Hostname => device.Hostname;

        public string Name => name;

        public bool Dropped { get; set; }

        public async Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (Dropped)
            {
                throw new DeviceAccessException(DeviceAccessFailure.Other, $"{name}: the session was closed by the device");
            }

            owner.Sent.Enqueue($"{name}: {command}");
            if (device.Throws.TryGetValue(command, out var ex))
            {
                throw ex;
            }

            if (device.Hangs.Contains(command))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (device.AnswersAfter.TryGetValue(command, out var answer))
            {
                await answer.WaitAsync(cancellationToken);
            }

            var raw = device.Outputs.TryGetValue(command, out var o)
                ? o
                : "              ^\nError: Unrecognized command found at '^' position.";
            var cleaned = VrpOutputCleaner.Clean(raw, command, device.Hostname).Text;
            return new CliResult(command, cleaned, raw, TimeSpan.FromMilliseconds(2), VrpErrors.FirstError(raw)?.Text);
        }

        private bool _waitingLinesTaken;
        private int _lateLinesTaken;

        public async Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken)
        {
            if (window > TimeSpan.Zero)
            {
                await Task.Delay(window, cancellationToken);
            }

            var lines = new List<string>();
            if (!_waitingLinesTaken && device.AsyncLines.Length > 0)
            {
                _waitingLinesTaken = true;
                lines.Add(device.AsyncLines.TrimEnd('\n'));
            }

            if (device.LastProbeAt is long probed)
            {
                var since = TimeProvider.System.GetElapsedTime(probed);
                var due = device.LateAsyncLines.OrderBy(l => l.AfterAttempt).Where(l => l.AfterAttempt <= since).ToList();
                lines.AddRange(due.Skip(_lateLinesTaken).Select(l => l.Text));
                _lateLinesTaken = due.Count;
            }

            return string.Join('\n', lines);
        }

        public ValueTask DisposeAsync()
        {
            owner.Closed.Enqueue(name);
            return ValueTask.CompletedTask;
        }
    }
}

internal sealed class FakeInventory(params DeviceRef[] devices) : IDeviceInventory
{
    public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken) =>
        Task.FromResult(devices.FirstOrDefault(d => d.Name == name));
}
