using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Remediation;

namespace NetOpsBot.Vrp.Tests.Remediation;

/// <summary>
/// Issue 14, "verification that is not": a config fix is verified by the state that proves its effect (the
/// listener in <c>display tcp status</c>), not by its configuration line. Applied but without effect is neither
/// "done" nor "failed": it is "applied, not effective", with the evidence and what to do next.
/// </summary>
public sealed class HonestVerificationTests
{
    private const string SshStatusPort22 = """
        SSH Version                                : 2.0
        STELNET IPv4 server                        : Enable
        SSH IPv4 server port                       : 22
        """;

    private const string TcpStuckOn64443 = """
        TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State
        0d4315d0 102/1    0.0.0.0:64443         0.0.0.0:0             -1     Listening
        0d4316a0 103/1    0.0.0.0:23            0.0.0.0:0             -1     Listening
        """;

    private const string TcpOn22 = """
        TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State
        0d4315d0 102/1    0.0.0.0:22            0.0.0.0:0             -1     Listening
        """;

    private static DeviceRef Device() =>
        new(DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.0.1", IPAddress.Parse("10.12.0.12"), 22, [], null, null, null, "sw");

    private static RemediationPlan PortPlan() => new(
        "listener-stuck.ssh-server-port",
        SshUnreachableCauses.ListenerStuck,
        "Re-apply ssh server port 22",
        [CommandTemplate.Parse("system-view").Render(), CommandTemplate.Parse("ssh server port {port:ssh-port}").TryRender(new Dictionary<string, string> { ["port"] = "22" }).Command!, CommandTemplate.Parse("return").Render()],
        RemediationKind.Config,
        ApprovalPolicy.For(RemediationKind.Config));

    [Fact]
    public void SshPort_ConfigSays22_ListenerStillOn64443_NotVerified_NextStepIsReboot()
    {
        var outcome = RemediationVerifications.SshPort(SshStatusPort22, TcpStuckOn64443, 22);

        Assert.False(outcome.Verified, outcome.Evidence);
        Assert.Contains("SSH server port 22", outcome.Evidence, StringComparison.Ordinal);
        Assert.Contains("NOT listening on 22, listening ports: 23, 64443", outcome.Evidence, StringComparison.Ordinal);
        Assert.Equal("the listener is stuck (nothing on 22; listening: 23, 64443) and re-applying the port will not move it; a reboot re-binds it (request \"Save and reboot\": it saves the configuration first)", outcome.NextStep);
    }

    [Fact]
    public void SshPort_ConfigAndListenerOn22_Verified()
    {
        var outcome = RemediationVerifications.SshPort(SshStatusPort22, TcpOn22, 22);

        Assert.True(outcome.Verified, outcome.Evidence);
        Assert.Null(outcome.NextStep);
    }

    [Fact]
    public void SshPort_SocketTableNotUnderstood_NotVerified()
    {
        var outcome = RemediationVerifications.SshPort(SshStatusPort22, "Error: Unrecognized command found at '^' position.", 22);

        Assert.False(outcome.Verified, outcome.Evidence);
        Assert.NotNull(outcome.NextStep);
    }

    [Fact]
    public async Task ExecuteAsync_PortReappliedButListenerStuck_SucceededNotVerified_ThreadLineSaysAppliedNotEffective()
    {
        var session = new Session(tcp: TcpStuckOn64443);
        var executor = new RemediationExecutor(new NoAccess(), (_, _) => Task.FromResult<IConfirmingCliSession>(session), TimeProvider.System);

        var result = await executor.ExecuteAsync(Device(), PortPlan(), new ExecutionOptions(), new Lines(), CancellationToken.None);

        Assert.Equal(["system-view", "ssh server port 22", "return", "display ssh server status", "display tcp status"], session.Sent);
        Assert.True(result.Succeeded, result.Summary);
        Assert.False(result.Verified);
        Assert.True(result.AppliedNotEffective);
        Assert.DoesNotContain("verified", result.Summary, StringComparison.OrdinalIgnoreCase);
        var line = ExecutionOutcomeText.Line(result);
        Assert.Equal(
            "Applied, not effective: display ssh server status: SSH server port 22; display tcp status: NOT listening on 22, listening ports: 23, 64443; "
            + "next: the listener is stuck (nothing on 22; listening: 23, 64443) and re-applying the port will not move it; a reboot re-binds it (request \"Save and reboot\": it saves the configuration first)",
            line);
    }

    [Fact]
    public async Task ExecuteAsync_PortReappliedAndListening_DoneVerified()
    {
        var executor = new RemediationExecutor(new NoAccess(), (_, _) => Task.FromResult<IConfirmingCliSession>(new Session(tcp: TcpOn22)), TimeProvider.System);

        var result = await executor.ExecuteAsync(Device(), PortPlan(), new ExecutionOptions(), new Lines(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Summary);
        Assert.True(result.Verified, result.VerificationEvidence);
        Assert.False(result.AppliedNotEffective);
        Assert.Null(result.NextStep);
        Assert.Equal("Done: sw-access-12: Re-apply ssh server port 22: applied and verified", ExecutionOutcomeText.Line(result));
    }

    [Fact]
    public async Task ExecuteAsync_CommandRejected_FailedNotAppliedNotEffective()
    {
        var executor = new RemediationExecutor(new NoAccess(), (_, _) => Task.FromResult<IConfirmingCliSession>(new Session(tcp: TcpOn22, reject: "ssh server port 22")), TimeProvider.System);

        var result = await executor.ExecuteAsync(Device(), PortPlan(), new ExecutionOptions(), new Lines(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.False(result.AppliedNotEffective);
        Assert.StartsWith("Failed: ", ExecutionOutcomeText.Line(result), StringComparison.Ordinal);
    }

    private sealed class Session(string tcp, string? reject = null) : IConfirmingCliSession
    {
        public List<string> Sent { get; } = [];

        public Task<CliResult> RunAsync(string command, TimeSpan timeout, string? answer, CancellationToken cancellationToken)
        {
            Sent.Add(command);
            var output = command switch
            {
                "display ssh server status" => SshStatusPort22,
                "display tcp status" => tcp,
                _ => string.Empty,
            };
            var error = command == reject ? "Error: Wrong parameter found at '^' position." : null;
            return Task.FromResult(new CliResult(command, output, output, TimeSpan.Zero, error));
        }

        public Task<CliResult> RunAnsweringEachAsync(string command, TimeSpan timeout, Func<string, string?> answerFor, CancellationToken cancellationToken) =>
            RunAsync(command, timeout, null, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class NoAccess : IDeviceAccess
    {
        public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a config fix probes nothing");

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a config fix runs on the opened session");
    }

    private sealed class Lines : IExecutionObserver
    {
        public void Progress(string summary, string? detailJson)
        {
        }
    }
}
