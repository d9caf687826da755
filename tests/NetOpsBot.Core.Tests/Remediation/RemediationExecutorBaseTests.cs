using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Remediation;

/// <summary>
/// The skeleton every platform's executor shares: only plan commands and the platform's read-only table reach the
/// device, the confirmation policy is asked per command with its role, and a reboot ends in Core's recovery watch.
/// </summary>
public sealed class RemediationExecutorBaseTests
{
    private static readonly DeviceRef Device = new(DeviceName.Parse("sw-test-1"), "test-os", "127.0.1.12", IPAddress.Parse("127.0.1.12"), 22, [], null, "jump", null, "cred");

    private static readonly ExecutionOptions Fast = new() { RecoveryDeadline = TimeSpan.FromSeconds(5), ProbeInterval = TimeSpan.FromMilliseconds(10), ProgressInterval = TimeSpan.Zero };

    [Fact]
    public async Task A_read_back_outside_the_read_only_table_is_refused_and_never_sent()
    {
        var session = new FakeSession();
        var executor = new TestExecutor(new FakeAccess(), session) { ReadBackCommand = "erase startup-config" };

        var result = await executor.ExecuteAsync(Device, Plan(RemediationKind.Config, "set thing"), Fast, new Lines(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("'erase startup-config' is not a read-only command", result.Summary, StringComparison.Ordinal);
        Assert.Equal(["set thing"], session.Sent);
    }

    [Fact]
    public async Task A_read_back_from_the_table_is_sent_and_judged()
    {
        var session = new FakeSession();
        var executor = new TestExecutor(new FakeAccess(), session);

        var result = await executor.ExecuteAsync(Device, Plan(RemediationKind.Config, "set thing"), Fast, new Lines(), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.True(result.Verified);
        Assert.Equal(["set thing", "show thing"], session.Sent);
        Assert.Equal([(PlanCommandRole.Config, "set thing"), (PlanCommandRole.ReadBack, "show thing")], executor.Asked);
    }

    [Fact]
    public async Task A_reboot_plan_asks_the_policy_per_role_skips_an_unapproved_save_and_ends_in_the_recovery_watch()
    {
        var session = new FakeSession();
        var access = new FakeAccess();
        var executor = new TestExecutor(access, session);
        var lines = new Lines();

        var saved = await executor.ExecuteAsync(Device, Plan(RemediationKind.Reboot, "prepare", "keep", "restart"), Fast, lines, CancellationToken.None);

        Assert.True(saved.Succeeded, saved.Summary);
        Assert.Equal([(PlanCommandRole.BeforeReboot, "prepare"), (PlanCommandRole.Save, "keep"), (PlanCommandRole.Reboot, "restart")], executor.Asked);
        Assert.Equal(["prepare", "keep", "restart"], session.Sent);
        Assert.Equal("y", session.AnswerEach!("Really restart?"));
        Assert.Contains("sw-test-1 recovered", saved.Summary, StringComparison.Ordinal);
        Assert.Contains(lines.Summaries, s => s == "SSH login through the jump host works; 0.0.0.0:22 up");
        Assert.True(access.Probes >= 2);

        var unsaved = new FakeSession();
        var without = new TestExecutor(new FakeAccess(), unsaved);
        var noSaveLines = new Lines();
        await without.ExecuteAsync(Device, Plan(RemediationKind.Reboot, "keep", "restart"), Fast with { SaveBeforeReboot = false }, noSaveLines, CancellationToken.None);
        Assert.Equal(["restart"], unsaved.Sent);
        Assert.Contains("Keep skipped", noSaveLines.Summaries);
    }

    [Fact]
    public async Task Cancellation_is_rethrown_and_device_trouble_is_a_result()
    {
        var executor = new TestExecutor(new FakeAccess(), new FakeSession { Throw = new TimeoutException("no prompt") });
        var trouble = await executor.ExecuteAsync(Device, Plan(RemediationKind.Config, "set thing"), Fast, new Lines(), CancellationToken.None);
        Assert.False(trouble.Succeeded);
        Assert.EndsWith("stopped: timeout: no prompt", trouble.Summary, StringComparison.Ordinal);

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var cancelled = new TestExecutor(new FakeAccess(), new FakeSession { Throw = new OperationCanceledException(cts.Token) });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.ExecuteAsync(Device, Plan(RemediationKind.Config, "set thing"), Fast, new Lines(), cts.Token));
    }

    private static RemediationPlan Plan(RemediationKind kind, params string[] commands) =>
        new("test." + kind.ToString().ToLowerInvariant(), SshUnreachableCauses.Healthy, "test fix", [.. commands.Select(c => CommandTemplate.Parse(c).Render())], kind, ApprovalPolicy.For(kind, 1));

    private sealed class TestExecutor(IDeviceAccess access, FakeSession session)
        : RemediationExecutorBase(access, (_, _) => Task.FromResult<IConfirmingCliSession>(session), TimeProvider.System, new ListenerReadBack("show listeners", (o, p) => o.Contains("LISTEN", StringComparison.Ordinal) ? "0.0.0.0:" + p : null, "up"))
    {
        public string ReadBackCommand { get; init; } = "show thing";

        public List<(PlanCommandRole, string)> Asked { get; } = [];

        protected override string SaveCommand => "keep";

        protected override string RebootCommand => "restart";

        protected override RebootWording Wording => new("restart", "restarted", "box", "Keep skipped", "cannot answer each");

        protected override IReadOnlyCollection<string> ReadOnlyCommands => ["show thing"];

        protected override (string Running, string Saved) ConfigurationReads => ("show running", "show saved");

        protected override CommandAnswers AnswersFor(PlanCommandRole role, string command, ExecutionOptions options)
        {
            Asked.Add((role, command));
            return role == PlanCommandRole.Reboot ? CommandAnswers.ByQuestion(_ => "y") : CommandAnswers.Alike(null);
        }

        protected override ReadBack? ReadBackFor(BoundCommand command) =>
            command.Text == "set thing" ? new ReadBack("thing", [ReadBackCommand], o => new ReadBackOutcome(o[0] == "thing is set", o[0])) : null;

        protected override IReadOnlySet<string> ConfigurationLines(string text) => text.Split('\n').ToHashSet(StringComparer.Ordinal);
    }

    private sealed class FakeSession : IConfirmingCliSession
    {
        public List<string> Sent { get; } = [];

        public Func<string, string?>? AnswerEach { get; private set; }

        public Exception? Throw { get; init; }

        public Task<CliResult> RunAsync(string command, TimeSpan timeout, string? answer, CancellationToken cancellationToken) => Answer(command);

        public Task<CliResult> RunAnsweringEachAsync(string command, TimeSpan timeout, Func<string, string?> answerFor, CancellationToken cancellationToken)
        {
            AnswerEach = answerFor;
            return Answer(command);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private Task<CliResult> Answer(string command)
        {
            if (Throw is not null)
            {
                throw Throw;
            }

            Sent.Add(command);
            var output = command == "show thing" ? "thing is set" : string.Empty;
            return Task.FromResult(new CliResult(command, output, output, TimeSpan.Zero, null));
        }
    }

    /// <summary>Down on the first probe, up from the second; the login check shows a listener.</summary>
    private sealed class FakeAccess : IDeviceAccess
    {
        public int Probes { get; private set; }

        public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(new TcpProbeResult(port, ++Probes == 1 ? ProbeOutcome.Refused : ProbeOutcome.Open, string.Empty, TimeSpan.Zero));

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) =>
            Task.FromResult<IDeviceCliSession>(new ListenerSession());
    }

    private sealed class ListenerSession : IDeviceCliSession
    {
        public string Hostname => "sw-test-1";

        public Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(new CliResult(command, "tcp 0.0.0.0:22 LISTEN", string.Empty, TimeSpan.Zero, null));

        public Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken) => Task.FromResult(string.Empty);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Lines : IExecutionObserver
    {
        public List<string> Summaries { get; } = [];

        public void Progress(string summary, string? detailJson) => Summaries.Add(summary);
    }
}
