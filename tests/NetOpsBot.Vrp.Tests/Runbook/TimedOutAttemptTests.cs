using System.Collections.Concurrent;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// Where the management subnet's SYNs get no answer at all (no return route, an inbound packet filter, a shut
/// management interface: the namespaced lab's timeouts), the access step has already waited the whole probe
/// timeout on the configured port. The SSH debug step's own attempt need not wait it again: it ends with the
/// capture's quiet time and says so. These tests read which timeout each attempt was given, never the clock.
/// </summary>
public sealed class TimedOutAttemptTests
{
    private static readonly SshUnreachableOptions Options = new()
    {
        ProbeTimeout = TimeSpan.FromSeconds(3),
        DebugWindow = TimeSpan.FromSeconds(3),
        DebugQuiet = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>The reference switch's first stage on a real network: no route back, so every port times out; the console works.</summary>
    private static FakeDeviceAccess NoReturnRouteTimeouts()
    {
        var a = LabScenarios.NoDefaultRouteScenario();
        foreach (var p in new[] { 22, 64443, 23 })
        {
            a.Sw().Probes[p] = ProbeOutcome.Timeout;
        }

        a.Sw().AsyncLines = string.Empty;
        return a;
    }

    private static async Task<(DiagnosisReport Report, ProbeRecorder Probes)> RunAsync(FakeDeviceAccess fake)
    {
        var probes = new ProbeRecorder(fake);
        var runner = new DiagnosisRunner(probes, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, Options, TestPlatforms.Vrp);
        return (await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None), probes);
    }

    [Fact]
    public async Task SshDebug_ConfiguredPortTimedOutInTheAccessStep_AttemptEndsWithTheQuietTimeNotASecondProbeTimeout()
    {
        var (report, probes) = await RunAsync(NoReturnRouteTimeouts());

        var device = probes.Of(LabScenarios.Device.Name.Value);
        // Three access probes (each with the whole probe timeout), then the debug step's one attempt on 22.
        Assert.Equal([(22, Options.ProbeTimeout), (64443, Options.ProbeTimeout), (23, Options.ProbeTimeout)], device.Take(3).OrderBy(p => p.Port == 22 ? 0 : p.Port == 64443 ? 1 : 2));
        var attempt = Assert.Single(device.Skip(3));
        Assert.Equal((22, Options.DebugQuiet), attempt);

        var debug = report.Step(SshUnreachableSteps.SshDebug)!;
        Assert.Contains("attempt to port 22: no answer within 0.3 s (timed out in the access probe too)", debug.Evidence);
        Assert.Contains("SSH debug lines during the attempt: 0", debug.Evidence);
        Assert.Equal("Zero SSH debug lines during the attempt (port 22: no answer within 0.3 s, timed out in the access probe too)", debug.Finding);
        Assert.Equal("undo debugging all", debug.Commands[^1]);

        // Same verdict and key evidence as a full second wait would give: the timed-out attempt proves nothing more.
        Assert.Equal(["return-route-missing"], report.RootCauseCodes);
        var finding = Assert.Single(report.RootCauses);
        Assert.Contains("every port timed out (22, 64443, 23)", finding.KeyEvidence);
        Assert.DoesNotContain(finding.KeyEvidence, k => k.Contains("SSH debug", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SshDebug_ConfiguredPortTimedOutButTheAttemptIsAnswered_CapturesTheAttemptAsBefore()
    {
        // The route came back between the two steps: the short attempt is answered and the capture waits for its lines.
        var fake = NoReturnRouteTimeouts();
        var recorder = new ProbeRecorder(fake) { AnswerAfterAccess = ProbeOutcome.Open };
        fake.Sw().LateAsyncLines.Add((TimeSpan.FromMilliseconds(400), "Dec  6 2026 08:00:01.120.1+00:00 sw-access-12 SSH/7/SSH_DEBUG:SSH server: Accept a new connection. (Client=10.200.0.10:50002, ServerPort=22)"));
        var runner = new DiagnosisRunner(recorder, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, Options, TestPlatforms.Vrp);

        var report = await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);

        var debug = report.Step(SshUnreachableSteps.SshDebug)!;
        Assert.Contains("attempt to port 22: open", debug.Evidence);
        Assert.Equal("1 SSH debug lines: the attempt reached the SSH server", debug.Finding);
    }

    [Theory]
    [InlineData(ProbeOutcome.Refused)]
    [InlineData(ProbeOutcome.Open)]
    public async Task SshDebug_ConfiguredPortAnsweredInTheAccessStep_AttemptKeepsTheWholeProbeTimeout(ProbeOutcome configured)
    {
        var fake = configured == ProbeOutcome.Refused ? LabScenarios.SeedCaseScenario() : LabScenarios.Healthy();

        var (report, probes) = await RunAsync(fake);

        var attempt = Assert.Single(probes.Of(LabScenarios.Device.Name.Value).Skip(3));
        Assert.Equal((22, Options.ProbeTimeout), attempt);
        Assert.Contains($"attempt to port 22: {(configured == ProbeOutcome.Refused ? "refused (RST)" : "open")}", report.Step(SshUnreachableSteps.SshDebug)!.Evidence);
    }

    /// <summary>Records every probe's port and the timeout it was given; a timed-out probe reports that timeout as its duration.</summary>
    private sealed class ProbeRecorder(FakeDeviceAccess inner) : IDeviceAccess
    {
        private readonly ConcurrentQueue<(string Device, int Port, TimeSpan Timeout)> _probes = new();
        private int _deviceProbes;

        /// <summary>When set, the device's probes after the access step's three answer with this outcome.</summary>
        public ProbeOutcome? AnswerAfterAccess { get; init; }

        public List<(int Port, TimeSpan Timeout)> Of(string device) => [.. _probes.Where(p => p.Device == device).Select(p => (p.Port, p.Timeout))];

        public async Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _probes.Enqueue((device.Name.Value, port, timeout));
            var result = await inner.ProbeAsync(device, port, timeout, cancellationToken);
            if (device.Name == LabScenarios.Device.Name && Interlocked.Increment(ref _deviceProbes) > 3 && AnswerAfterAccess is { } answer)
            {
                return result with { Outcome = answer };
            }

            return result.Outcome == ProbeOutcome.Timeout ? result with { Duration = timeout } : result;
        }

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) =>
            inner.OpenCliAsync(device, path, cancellationToken);
    }
}
