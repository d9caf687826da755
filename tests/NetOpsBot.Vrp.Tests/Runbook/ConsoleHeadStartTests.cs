using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// Where no port answers (the namespaced lab's timeouts), the console is the path the access step ends up on, and its
/// login need not wait for the probes' timeout: it starts beside them once none has found an open port. The probes
/// here answer only when the test lets them, so what is checked is the order of events, not the clock.
/// </summary>
public sealed class ConsoleHeadStartTests
{
    private static readonly SshUnreachableOptions Options = new()
    {
        ProbeTimeout = TimeSpan.FromSeconds(3),
        ConsoleLoginAfter = TimeSpan.FromMilliseconds(50),
        DebugQuiet = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Long enough for any machine to start the console login; a run that never does fails here instead of hanging.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static FakeDeviceAccess AllPortsTimeOut()
    {
        var a = LabScenarios.NoDefaultRouteScenario();
        foreach (var p in new[] { 22, 64443, 23 })
        {
            a.Sw().Probes[p] = ProbeOutcome.Timeout;
        }

        return a;
    }

    private static DiagnosisRunner Runner(IDeviceAccess access, SshUnreachableOptions options) =>
        new(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, options, TestPlatforms.Vrp);

    [Fact]
    public async Task Access_NoPortAnswersYet_ConsoleLoginStartsWhileTheProbesStillWait_AndIsThePathTaken()
    {
        var fake = AllPortsTimeOut();
        var gated = new GatedProbes(fake);
        var run = Runner(gated, Options).RunAsync(LabScenarios.Device, null, CancellationToken.None);
        try
        {
            await gated.ConsoleRequested.WaitAsync(Patience);
            Assert.Equal(0, gated.ProbesAnswered);
        }
        finally
        {
            gated.Release();
        }

        var report = await run;

        var access = report.Step(SshUnreachableSteps.Access)!;
        Assert.Equal("Port 22 timed out (filtered or down); CLI via console", access.Finding);
        Assert.Equal(["sw-access-12:console"], fake.Opened.Where(o => o.StartsWith("sw-access-12", StringComparison.Ordinal)));
        Assert.Equal(["return-route-missing"], report.RootCauseCodes);
        Assert.Contains("every port timed out (22, 64443, 23)", report.RootCauses[0].KeyEvidence);
    }

    [Fact]
    public async Task Access_ConfiguredPortOpensAfterTheConsoleLoginStarted_SshIsTheCliAndTheConsoleSessionIsClosed()
    {
        var fake = LabScenarios.Healthy();
        var gated = new GatedProbes(fake);
        var run = Runner(gated, Options).RunAsync(LabScenarios.Device, null, CancellationToken.None);
        try
        {
            await gated.ConsoleRequested.WaitAsync(Patience);
        }
        finally
        {
            gated.Release();
        }

        var report = await run;

        Assert.Equal("Port 22 open; CLI via ssh:22", report.Step(SshUnreachableSteps.Access)!.Finding);
        Assert.Equal(["healthy"], report.RootCauseCodes);
        // The device steps ran on the SSH session; the console session opened on spec was closed before the SSH login,
        // since the connector gives a device one CLI session at a time (the SSH login would queue behind it).
        Assert.Equal(["sw-access-12:console", "sw-access-12:ssh:22"], fake.Opened.Where(o => o.StartsWith("sw-access-12", StringComparison.Ordinal)));
        Assert.Equal(1, gated.ClosedBeforeSsh);
        Assert.Equal(2, fake.Closed.Count(c => c == "sw-access-12"));
    }

    [Fact]
    public async Task Access_PortsAnswerBeforeTheHeadStart_NoConsoleLogin()
    {
        var fake = LabScenarios.SeedCaseScenario();

        var report = await Runner(fake, Options with { ProbeTimeout = TimeSpan.FromMinutes(1), ConsoleLoginAfter = TimeSpan.FromSeconds(50) })
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);

        Assert.Equal(["sw-access-12:ssh:64443"], fake.Opened.Where(o => o.StartsWith("sw-access-12", StringComparison.Ordinal)));
        Assert.Equal(["listener-stuck", "return-route-missing"], report.RootCauseCodes.Order(StringComparer.Ordinal));
    }

    /// <summary>The device's probes answer (with the fake's outcome) only once released; the console login is signalled.</summary>
    private sealed class GatedProbes(FakeDeviceAccess inner) : IDeviceAccess
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _console = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _answered;

        public Task ConsoleRequested => _console.Task;

        public int ProbesAnswered => Volatile.Read(ref _answered);

        public void Release() => _release.TrySetResult();

        /// <summary>The device's sessions already closed when its first SSH login was asked for.</summary>
        public int? ClosedBeforeSsh { get; private set; }

        public async Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (device.Name == LabScenarios.Device.Name && !_release.Task.IsCompleted)
            {
                await _release.Task.WaitAsync(cancellationToken);
                Interlocked.Increment(ref _answered);
            }

            return await inner.ProbeAsync(device, port, timeout, cancellationToken);
        }

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken)
        {
            if (path.Kind == AccessPathKind.Console)
            {
                _console.TrySetResult();
            }
            else if (device.Name == LabScenarios.Device.Name)
            {
                ClosedBeforeSsh ??= inner.Closed.Count(c => c == device.Name.Value);
            }

            return inner.OpenCliAsync(device, path, cancellationToken);
        }
    }
}
