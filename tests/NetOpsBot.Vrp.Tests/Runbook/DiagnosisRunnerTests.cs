using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;

namespace NetOpsBot.Vrp.Tests.Runbook;

public sealed class DiagnosisRunnerTests
{
    private static async Task<DiagnosisReport> RunAsync(FakeDeviceAccess access, SshUnreachableOptions? options = null, IDiagnosisObserver? observer = null)
    {
        var runner = new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, options, TestPlatforms.Vrp);
        return await runner.RunAsync(LabScenarios.Device, observer, CancellationToken.None);
    }

    public static TheoryData<string, string[]> Scenarios => new()
    {
        { "healthy", ["healthy"] },
        { "ssh-disabled", ["ssh-server-disabled"] },
        { "no-rsa-key", ["rsa-key-missing"] },
        { "no-default-route", ["return-route-missing"] },
        { "ghost-port", ["listener-stuck"] },
        { "vty-acl", ["vty-acl-denies-management"] },
        { "telnet-only-vty", ["vty-protocol-not-ssh"] },
        { "device-down", ["device-unreachable"] },
        { "jump-host-down", ["jump-host-unreachable"] },
        { "host-key-mismatch", ["host-key-mismatch"] },
        { "seed-case", ["listener-stuck", "return-route-missing"] },
    };

    private static FakeDeviceAccess Scenario(string name) => LabScenarios.ByName(name);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task RunAsync_LabScenario_ReturnsExpectedRootCauses(string scenario, string[] expected)
    {
        var report = await RunAsync(Scenario(scenario));

        Assert.Equal(expected.Order(StringComparer.Ordinal), report.RootCauseCodes.Order(StringComparer.Ordinal));
        Assert.Equal(SshUnreachableSteps.All.Select(s => s.Id), report.Steps.Select(s => s.StepId));
        Assert.DoesNotContain(report.Steps, s => s.Status == StepStatus.Error);
    }

    [Fact]
    public async Task RunAsync_ConfigurationWithSecrets_SameVerdictAndNoSecretInAnyStep()
    {
        // Real lines: display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt and
        // real-ce-dc-switch-ssh-section_1.txt (../shared/vrp-samples), placed in the healthy lab configuration.
        var secrets = string.Join("\n",
            SampleLine("display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt", " local-user client001 password irreversible-cipher "),
            SampleLine("display_current-configuration/real-ce-dc-switch-ssh-section_1.txt", "privacy-mode aes128 cipher %^%#"),
            SampleLine("display_current-configuration/real-ce-dc-switch-ssh-section_1.txt", " set authentication password cipher $1c$"));
        var plain = await RunAsync(LabScenarios.Healthy());
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display current-configuration"] = LabScenarios.ConfigHealthy.Replace(" stelnet server enable", secrets + "\n stelnet server enable", StringComparison.Ordinal);
        var observer = new RecordingObserver();

        var report = await RunAsync(access, observer: observer);

        // Facts come from the session's own output: the verdict and every finding are what they were without secrets.
        Assert.Equal(plain.RootCauseCodes, report.RootCauseCodes);
        Assert.Equal(plain.Steps.Select(s => s.Finding), report.Steps.Select(s => s.Finding));
        var hardening = report.Steps.Single(s => s.StepId == SshUnreachableSteps.Hardening);
        Assert.Contains("local-user client001 password irreversible-cipher <redacted>", hardening.RawOutput, StringComparison.Ordinal);
        foreach (var step in report.Steps.Concat(observer.Results))
        {
            var text = step.RawOutput + string.Join("\n", step.Evidence) + step.Finding;
            Assert.DoesNotContain("%^%#", text, StringComparison.Ordinal);
            Assert.DoesNotContain("$1d$", text, StringComparison.Ordinal);
            Assert.DoesNotContain("$1c$", text, StringComparison.Ordinal);
        }
    }

    private static string SampleLine(string sample, string contains) =>
        SampleFiles.Read(sample).Split('\n').Select(l => l.TrimEnd('\r')).First(l => l.Contains(contains, StringComparison.Ordinal));

    [Fact]
    public async Task RunAsync_SeedCase_ShowsReferenceEvidenceAndPlans()
    {
        var access = LabScenarios.SeedCaseScenario();
        var report = await RunAsync(access);

        var accessStep = report.Step(SshUnreachableSteps.Access)!;
        Assert.Contains("Port 22 refused (RST)", accessStep.Finding, StringComparison.Ordinal);
        Assert.Contains("ssh:64443", accessStep.Finding, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Ok, report.Step(SshUnreachableSteps.Service)!.Status);
        var listener = report.Step(SshUnreachableSteps.Listener)!;
        Assert.Equal(StepStatus.Fail, listener.Status);
        Assert.Contains("64443", listener.Finding, StringComparison.Ordinal);
        Assert.Contains(listener.Evidence, l => l.Contains("0.0.0.0:64443", StringComparison.Ordinal));
        var debug = report.Step(SshUnreachableSteps.SshDebug)!;
        Assert.Contains("Zero SSH debug lines", debug.Finding, StringComparison.Ordinal);
        Assert.Contains("terminal monitor", debug.Commands);
        Assert.Equal("undo debugging all", debug.Commands[^1]);

        var route = Assert.Single(report.Remediations, p => p.RootCause == SshUnreachableCauses.ReturnRouteMissing);
        Assert.Contains(route.Commands, c => c.Text == "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1");
        Assert.Equal((RemediationKind.Config, 1), (route.Kind, route.ApproversRequired));
        var port = Assert.Single(report.Remediations, p => p.Id == "listener-stuck.ssh-server-port");
        Assert.Contains(port.Commands, c => c.Text == "ssh server port 22");
        var reboot = Assert.Single(report.Remediations, p => p.Kind == RemediationKind.Reboot);
        Assert.Equal(["save", "reboot"], reboot.Commands.Select(c => c.Text));
        Assert.Equal(2, reboot.ApproversRequired);
    }

    [Fact]
    public async Task RunAsync_NoRsaKey_FailedAccessStepSaysTheSshLoginFailed()
    {
        var report = await RunAsync(LabScenarios.NoRsaKeyScenario());

        var access = report.Step(SshUnreachableSteps.Access)!;
        Assert.Equal(StepStatus.Fail, access.Status);
        // Status and summary agree: the port is open, but SSH does not work there.
        Assert.Equal("Port 22 open but SSH login failed (SSH handshake failed); CLI via console", access.Finding);
        Assert.Contains(access.Evidence, l => l.StartsWith("cli via ssh:22: SSH handshake failed:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DeviceDown_NamesTheConsoleLineAndNoEnumNames()
    {
        var report = await RunAsync(LabScenarios.DeviceDownScenario());

        var access = report.Step(SshUnreachableSteps.Access)!;
        Assert.Contains("console 127.0.1.250 port 7012 gave no prompt", access.Finding, StringComparison.Ordinal);
        Assert.Contains(access.Evidence, l => l.StartsWith("cli via console: no CLI session given:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_TwoDiagnosesBehindOneGateway_ShareItsSessionThenItClosesWhenIdle()
    {
        var access = LabScenarios.Healthy();
        // No debug-capture wait: the second run must start inside the first one's gateway idle time.
        var runner = new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, new SshUnreachableOptions { GatewaySessionIdle = TimeSpan.FromMilliseconds(300), DebugWindow = TimeSpan.Zero }, TestPlatforms.Vrp);
        var gateway = LabScenarios.Gateway.Name.Value;

        var first = await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);
        var second = await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);
        var openWhileBurst = access.Closed.Count(n => n == gateway);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!access.Closed.Contains(gateway) && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.All(new[] { first, second }, r => Assert.Equal(StepStatus.Ok, r.Steps.Single(s => s.StepId == SshUnreachableSteps.Gateway).Status));
        Assert.Equal(1, access.Opened.Count(o => o.StartsWith(gateway + ":", StringComparison.Ordinal)));
        Assert.Equal(1, access.Sent.Count(c => c == $"{gateway}: {VrpCommands.ScreenLength}"));
        Assert.Equal(2, access.Sent.Count(c => c.StartsWith($"{gateway}: ping", StringComparison.Ordinal)));
        Assert.Equal(0, openWhileBurst);
        Assert.Equal(1, access.Closed.Count(n => n == gateway));
    }

    [Fact]
    public async Task RunAsync_KeptGatewaySessionDroppedByTheGateway_NextDiagnosisUsesANewOne()
    {
        var access = LabScenarios.Healthy();
        var runner = new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, new SshUnreachableOptions { GatewaySessionIdle = TimeSpan.FromSeconds(30) }, TestPlatforms.Vrp);
        var gateway = LabScenarios.Gateway.Name.Value;

        await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);
        access.DropSessions(gateway);
        var second = await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);

        Assert.Equal(StepStatus.Ok, second.Steps.Single(s => s.StepId == SshUnreachableSteps.Gateway).Status);
        Assert.Equal(2, access.Opened.Count(o => o.StartsWith(gateway + ":", StringComparison.Ordinal)));
        Assert.Equal(["healthy"], second.RootCauseCodes);
    }

    [Fact]
    public async Task RunAsync_GatewaySessionIdleZero_SessionPerStep()
    {
        var access = LabScenarios.Healthy();
        var runner = new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, new SshUnreachableOptions { GatewaySessionIdle = TimeSpan.Zero }, TestPlatforms.Vrp);
        var gateway = LabScenarios.Gateway.Name.Value;

        await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);
        await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);

        Assert.Equal(2, access.Opened.Count(o => o.StartsWith(gateway + ":", StringComparison.Ordinal)));
        Assert.Equal(2, access.Closed.Count(n => n == gateway));
    }

    [Fact]
    public async Task RunAsync_GatewayStillBusy_DeviceSessionClosedOnceItsStepsAreDone()
    {
        var access = LabScenarios.Healthy();
        var gatewayAnswers = new TaskCompletionSource();
        access.Gw().AnswersAfter[VrpCommands.ScreenLength] = gatewayAnswers.Task;

        // Commands wait longer than this test polls, so only the runner's own choice can close the session.
        var run = RunAsync(access, new SshUnreachableOptions { CommandTimeout = TimeSpan.FromSeconds(90) });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!access.Closed.Contains(LabScenarios.Device.Name.Value) && waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }

        var closedWhileGatewayBusy = access.Closed.Contains(LabScenarios.Device.Name.Value);
        var finishedEarly = run.IsCompleted;
        gatewayAnswers.SetResult();
        var report = await run;

        Assert.True(closedWhileGatewayBusy, "the device session stayed open while the gateway step waited");
        Assert.False(finishedEarly);
        Assert.Equal(["healthy"], report.RootCauseCodes);
        Assert.Equal(1, access.Closed.Count(n => n == LabScenarios.Device.Name.Value));
    }

    [Fact]
    public async Task RunAsync_Healthy_SendsScreenLengthFirstAndCommandsFromRunbookOnly()
    {
        var access = LabScenarios.Healthy();
        await RunAsync(access);

        var device = access.Sent.Where(s => s.StartsWith("sw-access-12: ", StringComparison.Ordinal)).Select(s => s["sw-access-12: ".Length..]).ToList();
        Assert.Equal("screen-length 0 temporary", device[0]);
        var gateway = access.Sent.Where(s => s.StartsWith("sw-agg-01: ", StringComparison.Ordinal)).Select(s => s["sw-agg-01: ".Length..]).ToList();
        Assert.Equal(["screen-length 0 temporary", "display arp | include 10.12.0.12", "ping -a 10.12.0.1 10.12.0.12"], gateway);
    }

    [Fact]
    public async Task RunAsync_GatewayIpUnknown_LearnsItFromInterfaceBrief()
    {
        var access = LabScenarios.Healthy();
        access.Gw().Outputs["display ip interface brief"] = "Interface                         IP Address/Mask      Physical   Protocol\nVlanif12                          10.12.0.1/24         up         up\nNULL0                             unassigned           up         up(s)";
        var device = LabScenarios.Device with { GatewayIp = null };
        var runner = new DiagnosisRunner(access, new FakeInventory(device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp);

        var report = await runner.RunAsync(device, null, CancellationToken.None);

        Assert.Equal(StepStatus.Ok, report.Step(SshUnreachableSteps.Gateway)!.Status);
        Assert.Contains("sw-agg-01: ping -a 10.12.0.1 10.12.0.12", access.Sent);
    }

    [Fact]
    public async Task RunAsync_JumpHostDown_StopsWithoutOpeningSessions()
    {
        var access = LabScenarios.JumpHostDownScenario();
        var report = await RunAsync(access);

        Assert.Empty(access.Opened);
        Assert.All(report.Steps.Where(s => s.StepId is not SshUnreachableSteps.Access and not SshUnreachableSteps.Verdict), s => Assert.Equal(StepStatus.Skipped, s.Status));
    }

    [Fact]
    public async Task RunAsync_HostKeyMismatch_NeverTriesAnotherPathAndProposesNoCommands()
    {
        var access = LabScenarios.HostKeyMismatchScenario();
        var report = await RunAsync(access);

        Assert.Equal(["sw-access-12:ssh:22"], access.Opened.Where(o => o.StartsWith("sw-access-12", StringComparison.Ordinal)));
        var plan = Assert.Single(report.Remediations);
        Assert.Empty(plan.Commands);
        Assert.Equal(RemediationKind.Manual, plan.Kind);
    }

    [Fact]
    public async Task RunAsync_CommandThrowsTimeout_StepIsErrorAndRunContinues()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Throws["display ip routing-table"] = new TimeoutException("no prompt after 10 s");
        var report = await RunAsync(access);

        var routing = report.Step(SshUnreachableSteps.Routing)!;
        Assert.Equal(StepStatus.Error, routing.Status);
        Assert.Contains("timed out", routing.Finding, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Ok, report.Step(SshUnreachableSteps.Listener)!.Status);
    }

    [Fact]
    public async Task RunAsync_CommandHangs_CommandTimeoutMakesErrorStep()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Hangs.Add("display tcp status");
        var report = await RunAsync(access, new SshUnreachableOptions { CommandTimeout = TimeSpan.FromMilliseconds(100) });

        var listener = report.Step(SshUnreachableSteps.Listener)!;
        Assert.Equal(StepStatus.Error, listener.Status);
        Assert.Contains("display tcp status", listener.Finding, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Ok, report.Step(SshUnreachableSteps.Hardening)!.Status);
    }

    [Fact]
    public async Task RunAsync_UnexpectedException_BecomesErrorStepNotCrash()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Throws["display ssh server status"] = new InvalidOperationException("boom");
        var report = await RunAsync(access);

        var service = report.Step(SshUnreachableSteps.Service)!;
        Assert.Equal(StepStatus.Error, service.Status);
        Assert.Contains("boom", service.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SessionDrops_LaterStepsSkipped()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Throws["display ssh server status"] = new DeviceAccessException(DeviceAccessFailure.Other, "channel closed");
        var report = await RunAsync(access);

        Assert.Equal(StepStatus.Error, report.Step(SshUnreachableSteps.Service)!.Status);
        Assert.Equal(StepStatus.Skipped, report.Step(SshUnreachableSteps.Hardening)!.Status);
    }

    [Fact]
    public async Task RunAsync_GarbageOutput_ErrorStepWithRawOutput()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display tcp status"] = "\u0001\u0002 lorem ipsum %%% not vrp";
        var report = await RunAsync(access);

        var listener = report.Step(SshUnreachableSteps.Listener)!;
        Assert.Equal(StepStatus.Error, listener.Status);
        Assert.Contains("not understood", listener.Finding, StringComparison.Ordinal);
        Assert.Contains("lorem ipsum", listener.RawOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Observer_SeesEveryStepFinishAndThrowingObserverIsIgnored()
    {
        var observer = new RecordingObserver();
        var report = await RunAsync(LabScenarios.Healthy(), observer: observer);

        Assert.Equal(SshUnreachableSteps.All.Select(s => s.Id).Order(StringComparer.Ordinal), observer.Finished.Order(StringComparer.Ordinal));
        Assert.Contains(SshUnreachableSteps.Gateway, observer.Started);
        Assert.Equal(["healthy"], report.RootCauseCodes);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var runner = new DiagnosisRunner(LabScenarios.Healthy(), new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(LabScenarios.Device, null, cts.Token));
    }

    private sealed class RecordingObserver : IDiagnosisObserver
    {
        private readonly Lock gate = new();

        public List<string> Started { get; } = [];

        public List<string> Finished { get; } = [];

        public List<StepResult> Results { get; } = [];

        public void StepStarted(string stepId, string title)
        {
            lock (gate)
            {
                Started.Add(stepId);
            }

            throw new InvalidOperationException("observer bug");
        }

        public void StepFinished(StepResult result)
        {
            lock (gate)
            {
                Finished.Add(result.StepId);
                Results.Add(result);
            }
        }
    }
}
