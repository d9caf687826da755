using System.Collections.Concurrent;
using System.Net;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Fakes;

/// <summary>An inventory of the named devices; counts look-ups so a test can prove a refusal never reached it.</summary>
internal sealed class ListInventory(params string[] names) : IDeviceInventory
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        Interlocked.Increment(ref _lookups);
        return Task.FromResult(names.Contains(name.Value, StringComparer.Ordinal) ? Device(name.Value) : null);
    }

    public Task<IReadOnlyList<DeviceRef>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeviceRef>>([.. names.Select(Device)]);

    /// <summary>The entry of <paramref name="name"/>; its management IP ends in the name's number (sw-access-12: 10.0.0.12).</summary>
    public static DeviceRef Device(string name)
    {
        var digits = new string(name.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray());
        var host = int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and < 255 ? n : 12;
        return new(DeviceName.Parse(name), "huawei-vrp", "127.0.1.12", IPAddress.Parse("10.0.0." + host.ToString(System.Globalization.CultureInfo.InvariantCulture)), 22, [], null, "jump", null, "cred");
    }
}

/// <summary>
/// A runbook with no steps, remembering which devices it was asked to diagnose. It finishes at once, or, while
/// <see cref="Hold"/> is set, when <see cref="Release"/> is called (so an incident stays in one state for a test).
/// </summary>
internal sealed class RecordingRunner : IDiagnosisRunner
{
    private readonly ConcurrentQueue<DeviceRef> _runs = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Hold { get; init; }

    public void Release() => _gate.TrySetResult();

    public IReadOnlyList<StepDescriptor> Steps => [];

    public IReadOnlyList<DeviceRef> Runs => [.. _runs];

    public async Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
    {
        _runs.Enqueue(device);
        if (Hold)
        {
            await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new DiagnosisReport(device, DateTimeOffset.UnixEpoch, TimeSpan.Zero, [], [], []);
    }
}

internal sealed class NoNotifier : IIncidentNotifier
{
    public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Who may diagnose: everyone, or the listed platform:user ids.</summary>
internal sealed class AllowList(params string[] users) : IChatAuthorizer
{
    public bool CanDiagnose(ChatUser user, ChatChannel channel) =>
        users.Length == 0 || users.Contains(user.Platform + ":" + user.UserId, StringComparer.Ordinal);
}
