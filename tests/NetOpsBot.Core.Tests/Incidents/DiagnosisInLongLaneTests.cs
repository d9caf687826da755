using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Tests.Fakes;
using NetOpsBot.Core.Tests.Runbooks;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// Issue 16 seam 3: a diagnosis runs in the long lane of the host's one <see cref="BackgroundJobs"/> (no Task.Run of
/// its own): it is listed there by what it is, and the jobs' stop cancels it, which records the interruption.
/// </summary>
public sealed class DiagnosisInLongLaneTests
{
    private static readonly DeviceRef Device = new(DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.1.12", IPAddress.Parse("127.0.1.12"), 22, [], null, "jump", null, "cred");
    private readonly List<(string What, Exception Error)> _reports = [];

    [Fact]
    public async Task Diagnosis_ListedInTheSharedLongLane_ItsStopInterruptsTheRun()
    {
        var store = new InMemoryIncidentStore();
        var runner = new UntilCancelled();
        var jobs = new BackgroundJobs(1, (what, ex) =>
        {
            lock (_reports)
            {
                _reports.Add((what, ex));
            }
        });
        await using var service = new IncidentService(store, runner, new NoNotifier(), new FakeTimeProvider(DateTimeOffset.UnixEpoch), new IncidentServiceOptions { InstanceId = "test" }, TestRunbooks.With(runner), jobs);

        var creation = await service.StartDiagnosisAsync(Device, new ChatUser("webchat", "alice", "alice"), new ChatChannel("webchat", "netops", null), "k1", CancellationToken.None);
        await runner.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([$"diagnosis of {creation.Incident.Id.Value} on sw-access-12"], jobs.LongRunning);

        await jobs.DisposeAsync();
        await Task.WhenAll(service.Running).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(IncidentState.Interrupted, (await store.GetAsync(creation.Incident.Id, CancellationToken.None))!.State);
        Assert.Contains(await store.TimelineAsync(creation.Incident.Id, 0, CancellationToken.None), e => e.Summary.StartsWith("Interrupted: the bot is shutting down", StringComparison.Ordinal));
        Assert.Empty(_reports);
    }

    private sealed class UntilCancelled : IDiagnosisRunner
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<StepDescriptor> Steps => TestRunbooks.SshDiag.Steps;

        public async Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class NoNotifier : IIncidentNotifier
    {
        public Task NotifyAsync(IncidentNotification notification, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
