using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.IosXe.Remediation;
using NetOpsBot.Lab.Emulator.IosXe;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests.Emulator;

/// <summary>
/// The IOS-XE executor carrying out the IOS-XE plans on the emulated switch: each plan's effect is read back in
/// IOS-XE's own "show" commands, IOS's questions get the answers of <see cref="IosXeConfirmations"/>, and a reload
/// is watched down and back. The switch is reached through <see cref="PlatformRemediationExecutor"/>, as in the Host.
/// </summary>
public sealed class IosXeExecutorTests
{
    private const string Address = "10.0.0.12";
    private const string Gateway = "10.0.0.1";
    private static readonly IPAddress Management = IPAddress.Parse("192.168.50.10");

    private static readonly ExecutionOptions Fast = new()
    {
        RecoveryDeadline = TimeSpan.FromSeconds(20),
        ProbeInterval = TimeSpan.FromMilliseconds(50),
        ProgressInterval = TimeSpan.Zero,
        CommandTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task DefaultRoutePlan_AppliedSavedAndReadBackWithShowIpRoute()
    {
        var device = new IosXeSwitch(IosXeScenarios.NoDefaultRoute("sw-e1", Address, Gateway));
        var plan = Plan(SshUnreachableCauses.ReturnRouteMissing, new IosXeRemediationInputs { GatewayIp = Gateway });

        var (result, lab) = await ExecuteAsync(device, plan);

        Assert.True(result.Succeeded && result.Verified, result.Summary);
        Assert.Equal(["configure terminal", "ip route 0.0.0.0 0.0.0.0 10.0.0.1", "end", "write memory", "show ip route"], result.Commands.Select(c => c.Command));
        Assert.True(device.HasRouteTo(Management.ToString()));
        Assert.Contains("via 10.0.0.1", result.VerificationEvidence, StringComparison.Ordinal);
        Assert.Empty(await lab.Executor.UnsavedChangesAsync(lab.Device, CancellationToken.None)); // write memory saved it
    }

    [Fact]
    public async Task ManagementInterfaceShutPlan_NoShutdownBringsTheRoutesBack()
    {
        var device = new IosXeSwitch(IosXeScenarios.ManagementInterfaceShut("sw-e6", Address, Gateway));
        Assert.False(device.ManagementInterfaceUp);

        var (result, lab) = await ExecuteAsync(device, Plan(SshUnreachableCauses.ManagementInterfaceDown, new IosXeRemediationInputs { ManagementInterface = "GigabitEthernet0/0" }));

        Assert.True(result.Succeeded && result.Verified, result.Summary + "\n" + string.Join("\n", result.Commands.Select(c => c.Command + ": " + c.Output)));
        Assert.Equal(["configure terminal", "interface GigabitEthernet0/0", "no shutdown", "end", "write memory", "show running-config"], result.Commands.Select(c => c.Command));
        Assert.Contains("interface GigabitEthernet0/0 has no 'shutdown'", result.VerificationEvidence, StringComparison.Ordinal);
        Assert.True(device.ManagementInterfaceUp);
        Assert.True(device.HasRouteTo(Management.ToString()));
        Assert.Empty(await lab.Executor.UnsavedChangesAsync(lab.Device, CancellationToken.None));
    }

    [Fact]
    public async Task TelnetOnlyPlan_SshAllowedOnTheVtyLines()
    {
        var device = new IosXeSwitch(IosXeScenarios.TelnetOnly("sw-e2", Address, Gateway));
        Assert.False(device.AdmitsVty(Management.ToString(), "ssh"));

        var (result, _) = await ExecuteAsync(device, Plan(SshUnreachableCauses.VtyProtocolNotSsh, new IosXeRemediationInputs { VtyFirst = 0, VtyLast = 4 }));

        Assert.True(result.Succeeded && result.Verified, result.Summary);
        Assert.Contains("line vty 0 4", result.Commands.Select(c => c.Command));
        Assert.True(device.AdmitsVty(Management.ToString(), "ssh"));
    }

    [Fact]
    public async Task NoRsaKeyPlan_KeyGeneratedAndSshListensOn22()
    {
        var device = new IosXeSwitch(IosXeScenarios.NoRsaKey("sw-e3", Address, Gateway));
        Assert.DoesNotContain(22, device.ListeningTcpPorts);

        var (result, _) = await ExecuteAsync(device, Plan(SshUnreachableCauses.RsaKeyMissing, new IosXeRemediationInputs()));

        Assert.True(result.Succeeded && result.Verified, result.Summary + "\n" + string.Join("\n", result.Commands.Select(c => c.Command + ": " + c.Output)));
        Assert.Contains(22, device.ListeningTcpPorts);
    }

    [Fact]
    public async Task AccessClassPlan_PermitAheadOfTheDeny_ManagementAdmitted()
    {
        var device = new IosXeSwitch(IosXeScenarios.VtyAccessClass("sw-e4", Address, Gateway, "10.0.0.0", "0.0.0.255"));
        var cli = new EmulatedCli(device);
        cli.Run("terminal length 0");
        var config = RunningConfigParser.Parse(cli.Run("show running-config"));
        var verdict = IosXeFactReader.Vty(config, Management).DenyingAcl;
        Assert.NotNull(verdict);
        Assert.False(device.AdmitsVty(Management.ToString(), "ssh"));
        var plan = Plan(SshUnreachableCauses.VtyAclDeniesManagement, new IosXeRemediationInputs
        {
            DenyingAcl = verdict,
            DenyingAclDefinition = config.Value!.AccessList(verdict.AclName),
            ManagementNetwork = IPAddress.Parse("192.168.50.0"),
            ManagementWildcard = IPAddress.Parse("0.0.0.255"),
        });

        var (result, _) = await ExecuteAsync(device, plan);

        Assert.True(result.Succeeded && result.Verified, result.Summary);
        Assert.True(device.AdmitsVty(Management.ToString(), "ssh"));
    }

    [Fact]
    public async Task RemoveAccessClassPlan_AclOffTheVtyLines_ManagementAdmitted_AclKept()
    {
        var device = new IosXeSwitch(IosXeScenarios.VtyAccessClass("sw-e9", Address, Gateway, "10.0.0.0", "0.0.0.255"));
        var cli = new EmulatedCli(device);
        cli.Run("terminal length 0");
        var config = RunningConfigParser.Parse(cli.Run("show running-config"));
        var verdict = IosXeFactReader.Vty(config, Management).DenyingAcl;
        var plan = IosXeRemediations.For(SshUnreachableCauses.VtyAclDeniesManagement, new IosXeRemediationInputs { DenyingAcl = verdict, VtyFirst = 0, VtyLast = 4 })
            .Single(p => p.Id == "vty-acl-denies-management.remove-access-class");

        var (result, _) = await ExecuteAsync(device, plan);

        Assert.True(result.Succeeded && result.Verified, result.Summary);
        Assert.Contains("no access-class 10 in", result.Commands.Select(c => c.Command));
        Assert.True(device.AdmitsVty(Management.ToString(), "ssh"));
        Assert.Contains("access-list 10", cli.Run("show running-config"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_NotSavedFirst_AnswersNoThenConfirm_SwitchBackWithItsSavedConfigAndListener()
    {
        var device = new IosXeSwitch(IosXeScenarios.ListenerStuck("sw-e5", Address, Gateway) with { BootTime = TimeSpan.FromMilliseconds(300) });
        Assert.DoesNotContain(22, device.ListeningTcpPorts);
        var cli = new EmulatedCli(device);
        cli.Run("configure terminal");
        cli.Run("ip route 172.31.0.0 255.255.0.0 10.0.0.1");
        cli.Run("end");
        var plan = Plan(SshUnreachableCauses.ListenerStuck, new IosXeRemediationInputs());
        Assert.Equal(RemediationKind.Reboot, plan.Kind);

        var lab = new EmulatedLab(device);
        var unsaved = await lab.Executor.UnsavedChangesAsync(lab.Device, CancellationToken.None);
        Assert.Equal(["not saved: ip route 172.31.0.0 255.255.0.0 10.0.0.1"], unsaved);
        var observer = new Lines();
        var result = await lab.Executor.ExecuteAsync(lab.Device, plan, Fast with { SaveBeforeReboot = false }, observer, CancellationToken.None);

        Assert.True(result.Succeeded, result.Summary + "\n" + string.Join("\n", observer.All));
        Assert.DoesNotContain("write memory", result.Commands.Select(c => c.Command));
        Assert.Equal(["System configuration has been modified. Save? [yes/no]:", "Proceed with reload? [confirm]"], lab.Questions);
        Assert.Equal(["n", "y"], lab.Answers);
        Assert.True(result.Recovery is { WentDown: true, CameBack: true, SshPortListening: true, SshLoginWorks: true }, result.Recovery?.Summary);
        Assert.True(cli.IsClosed); // every session dropped with the reload
        Assert.Equal(IosXePower.Up, device.Power);
        Assert.Contains(22, device.ListeningTcpPorts);
        Assert.DoesNotContain(new EmulatedCli(device).Parse<IosRoutingTable>("show ip route").Routes, r => r.Network == "172.31.0.0"); // unsaved: lost
        Assert.Contains(observer.All, l => l.Contains("show tcp brief all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_SavedFirst_WriteMemoryKeepsTheChange()
    {
        var device = new IosXeSwitch(IosXeScenarios.ListenerStuck("sw-e6", Address, Gateway) with { BootTime = TimeSpan.FromMilliseconds(300) });
        var cli = new EmulatedCli(device);
        cli.Run("configure terminal");
        cli.Run("ip route 172.31.0.0 255.255.0.0 10.0.0.1");
        cli.Run("end");

        var (result, lab) = await ExecuteAsync(device, Plan(SshUnreachableCauses.ListenerStuck, new IosXeRemediationInputs()), Fast with { SaveBeforeReboot = true });

        Assert.True(result.Succeeded, result.Summary);
        Assert.Equal(["write memory", "reload"], result.Commands.Take(2).Select(c => c.Command));
        Assert.Equal(["Proceed with reload? [confirm]"], lab.Questions); // nothing left unsaved to ask about
        Assert.Contains(new EmulatedCli(device).Parse<IosRoutingTable>("show ip route").Routes, r => r.Network == "172.31.0.0");
    }

    [Fact]
    public async Task UnexpectedQuestion_Declined_PlanStopsAndTheSwitchKeepsItsKey()
    {
        // A question no entry of IosXeConfirmations answers is declined: the executor never says yes on its own.
        var device = new IosXeSwitch(IosXeScenarios.Healthy("sw-e7", Address, Gateway));
        var lab = new EmulatedLab(device);
        var plan = new RemediationPlan("test.zeroize", SshUnreachableCauses.RsaKeyMissing, "t",
            [IosXeCommandTemplates.ConfigureTerminal.Render(), CommandTemplate.Parse("crypto key zeroize rsa").Render()], RemediationKind.Config, ApprovalPolicy.For(RemediationKind.Config));

        var result = await lab.Executor.ExecuteAsync(lab.Device, plan, Fast, new Lines(), CancellationToken.None);

        Assert.False(result.Succeeded, result.Summary);
        Assert.Contains("Declined by policy", result.Summary, StringComparison.Ordinal);
        Assert.Equal(["n"], lab.Answers.Select(a => a == "(declined)" ? "n" : a));
        Assert.Contains(22, device.ListeningTcpPorts);
    }

    [Fact]
    public async Task PlatformExecutor_UnknownPlatform_FailsAndOpensNothing()
    {
        var device = new IosXeSwitch(IosXeScenarios.Healthy("sw-e8", Address, Gateway));
        var lab = new EmulatedLab(device);
        var other = lab.Device with { Platform = "juniper-junos" };

        var result = await lab.Executor.ExecuteAsync(other, Plan(SshUnreachableCauses.ListenerStuck, new IosXeRemediationInputs()), Fast, new Lines(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("juniper-junos", result.Summary, StringComparison.Ordinal);
        Assert.Equal(0, lab.SessionsOpened);
    }

    private static RemediationPlan Plan(RootCause cause, IosXeRemediationInputs inputs) => IosXeRemediations.For(cause, inputs).First(p => p.Commands.Count > 0);

    private static async Task<(ExecutionResult Result, EmulatedLab Lab)> ExecuteAsync(IosXeSwitch device, RemediationPlan plan, ExecutionOptions? options = null)
    {
        var lab = new EmulatedLab(device);
        var result = await lab.Executor.ExecuteAsync(lab.Device, plan, options ?? Fast, new Lines(), CancellationToken.None);
        return (result, lab);
    }

    private sealed class Lines : IExecutionObserver
    {
        public List<string> All { get; } = [];

        public void Progress(string summary, string? detailJson)
        {
            lock (All)
            {
                All.Add(summary + (detailJson is null ? string.Empty : " " + detailJson));
            }
        }
    }

    /// <summary>
    /// The connector's side on an emulated switch: probes see its listeners, sessions speak to it through the IOS-XE
    /// dialect (questions detected and replied as the SSH connector's CliSession does).
    /// </summary>
    private sealed class EmulatedLab : IDeviceAccess
    {
        private readonly IosXeSwitch _switch;

        public EmulatedLab(IosXeSwitch device)
        {
            _switch = device;
            Device = new DeviceRef(DeviceName.Parse(device.Name), IosXePlatform.PlatformId, Address, IPAddress.Parse(Address), 22, [], null, null, null, "lab");
            Executor = new PlatformRemediationExecutor(
                new DevicePlatforms([IosXePlatform.Instance]),
                new RemediationExecutorContext(this, (_, _) => Task.FromResult<IConfirmingCliSession>(Open()), TimeProvider.System));
        }

        public DeviceRef Device { get; }

        public PlatformRemediationExecutor Executor { get; }

        public List<string> Questions { get; } = [];

        public List<string> Answers { get; } = [];

        public int SessionsOpened { get; private set; }

        public Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(new TcpProbeResult(port, _switch.Power != IosXePower.Up ? ProbeOutcome.Timeout : _switch.ListeningTcpPorts.Contains(port) ? ProbeOutcome.Open : ProbeOutcome.Refused, string.Empty, TimeSpan.Zero));

        public Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken) => Task.FromResult<IDeviceCliSession>(Open());

        private Session Open()
        {
            SessionsOpened++;
            var s = new Session(this, new EmulatedCli(_switch));
            s.Cli.Run("terminal length 0");
            return s;
        }

        private sealed class Session(EmulatedLab lab, EmulatedCli cli) : IConfirmingCliSession, IDeviceCliSession
        {
            public EmulatedCli Cli { get; } = cli;

            public AccessPath? Path => AccessPath.Ssh(22);

            public string Hostname => lab._switch.Name;

            public Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) => RunAnsweringEachAsync(command, timeout, _ => null, cancellationToken);

            public Task<CliResult> RunAsync(string command, TimeSpan timeout, string? answer, CancellationToken cancellationToken) => RunAnsweringEachAsync(command, timeout, _ => answer, cancellationToken);

            public Task<CliResult> RunAnsweringEachAsync(string command, TimeSpan timeout, Func<string, string?> answerFor, CancellationToken cancellationToken)
            {
                var dialect = IosXeDialect.Instance;
                var text = Cli.Run(command);
                string? declined = null;
                for (var i = 0; i < 5 && !Cli.IsClosed && dialect.DetectQuestionAtEnd(text) is { } q; i++)
                {
                    if (q.Kind == DialectQuestionKind.Value)
                    {
                        text += Cli.Run(string.Empty);
                        continue;
                    }

                    lab.Questions.Add(q.Text);
                    var a = answerFor(q.Text);
                    lab.Answers.Add(a ?? "(declined)");
                    declined ??= a is null ? "Declined by policy: " + q.Text : null;
                    text += Cli.Run(dialect.Reply(q, a == "y"));
                }

                var output = dialect.Clean(text, command, Hostname).Text;
                return Task.FromResult(new CliResult(command, output, text, TimeSpan.Zero, declined ?? dialect.FirstErrorLine(output)));
            }

            public Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken) => Task.FromResult(string.Empty);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
