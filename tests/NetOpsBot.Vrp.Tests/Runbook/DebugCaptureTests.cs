using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// The SSH debug capture ends once the attempt is over and the device has gone quiet, not after a fixed window:
/// what it counts must stay what the device logged about the attempt, and a "zero lines" finding must say how
/// long the capture listened and why it stopped.
/// </summary>
public sealed class DebugCaptureTests
{
    private static readonly SshUnreachableOptions Options = new() { DebugWindow = TimeSpan.FromSeconds(3), DebugQuiet = TimeSpan.FromMilliseconds(300) };

    private static string Line(string message) => "Dec  6 2026 08:00:01.120.1+00:00 sw-access-12 SSH/7/SSH_DEBUG:" + message;

    private static async Task<StepResult> DebugStepAsync(FakeDeviceAccess access)
    {
        var runner = new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, Options, TestPlatforms.Vrp);
        var report = await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None);
        return report.Step(SshUnreachableSteps.SshDebug)!;
    }

    [Fact]
    public async Task SshDebug_RefusedAttemptAndSilentDevice_SaysZeroLinesAndThatTheDeviceWasQuietAfterTheAttempt()
    {
        var debug = await DebugStepAsync(LabScenarios.SeedCaseScenario());

        Assert.Equal(StepStatus.Warn, debug.Status);
        Assert.Equal("Zero SSH debug lines while port 22 refused the attempt: rejected at the TCP layer, before SSH", debug.Finding);
        Assert.Contains("SSH debug lines during the attempt: 0", debug.Evidence);
        // The basis of "zero": how long it listened after the attempt, and that it stopped on silence, not on a whim.
        var capture = Assert.Single(debug.Evidence, e => e.StartsWith("capture: ", StringComparison.Ordinal));
        Assert.Matches(@"^capture: \d+\.\d+ s after the attempt ended, stopped after 0\.3 s without a new line \(window 3\.0 s\)$", capture);
        Assert.Equal("undo debugging all", debug.Commands[^1]);
    }

    [Fact]
    public async Task SshDebug_DeviceStillLoggingAfterTheAttempt_EveryLineUpToTheLastIsCaptured()
    {
        // A refused attempt, yet the device logs (another connection's lines, then the attempt's own) in steps
        // shorter than the quiet time: each line restarts the wait, so the capture runs until the last one.
        var access = LabScenarios.SeedCaseScenario();
        var sw = access.Sw();
        sw.LateAsyncLines.Add((TimeSpan.FromMilliseconds(150), Line("SSH server: Accept a new connection. (Client=10.200.0.10:50001, ServerPort=22)")));
        sw.LateAsyncLines.Add((TimeSpan.FromMilliseconds(350), Line("SSH server: Version exchange finished. (ServerVersion=SSH-2.0--, ClientVersion=SSH-2.0-OpenSSH)")));
        sw.LateAsyncLines.Add((TimeSpan.FromMilliseconds(550), Line("SSH server: Connection closed by peer. (Client=10.200.0.10:50001)")));

        var debug = await DebugStepAsync(access);

        Assert.Equal(StepStatus.Ok, debug.Status);
        Assert.Equal("3 SSH debug lines: the attempt reached the SSH server", debug.Finding);
        Assert.Contains("SSH debug lines during the attempt: 3", debug.Evidence);
        Assert.Contains(debug.Evidence, e => e.Contains("Connection closed by peer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SshDebug_OpenPortWhoseServerLogsLate_WaitsForTheAttemptsLinesPastTheQuietTime()
    {
        // The attempt reached a listener, so its server logs it: silence longer than the quiet time is not the end.
        // Another connection's line comes first and does not count as the attempt's.
        var access = LabScenarios.Healthy();
        var sw = access.Sw();
        sw.AsyncLines = string.Empty;
        sw.LateAsyncLines.Add((TimeSpan.FromMilliseconds(100), Line("SSH server: Accept a new connection. (Client=10.200.0.10:40000, ServerPort=64443)")));
        sw.LateAsyncLines.Add((TimeSpan.FromMilliseconds(900), Line("SSH server: Accept a new connection. (Client=10.200.0.10:50002, ServerPort=22)")));
        sw.LateAsyncLines.Add((TimeSpan.FromMilliseconds(1000), Line("SSH server: Key exchange finished. (Client=10.200.0.10:50002)")));

        var debug = await DebugStepAsync(access);

        Assert.Equal(StepStatus.Ok, debug.Status);
        Assert.Contains("SSH debug lines during the attempt: 2", debug.Evidence);
        Assert.Contains("not counted: 1 SSH debug lines of another connection (server port 64443), not the attempt", debug.Evidence);
    }

    [Fact]
    public async Task SshDebug_OpenPortThatNeverLogs_ListensForTheWholeWindowAndSaysSo()
    {
        var access = LabScenarios.Healthy();
        access.Sw().AsyncLines = string.Empty;
        var runner = new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, Options with { DebugWindow = TimeSpan.FromSeconds(1) }, TestPlatforms.Vrp);

        var debug = (await runner.RunAsync(LabScenarios.Device, null, CancellationToken.None)).Step(SshUnreachableSteps.SshDebug)!;

        Assert.Equal("Zero SSH debug lines during the attempt (port 22 open)", debug.Finding);
        Assert.Contains(debug.Evidence, e => e.StartsWith("capture: 1.", StringComparison.Ordinal) && e.EndsWith("s, the whole window (no line of the attempt came)", StringComparison.Ordinal));
    }
}
