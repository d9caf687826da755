using System.Net;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.IosXe.Remediation;
using NetOpsBot.Lab.Emulator.IosXe;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests.Emulator;

/// <summary>
/// The IOS-XE emulator read by the product's parsers (themselves checked against real samples): every output
/// must parse without a warning, and each scenario must yield the fact of its root cause.
/// </summary>
public sealed class IosXeEmulatorTests
{
    private const string Address = "10.0.0.12";
    private const string Gateway = "10.0.0.1";
    private static readonly IPAddress Management = IPAddress.Parse("192.168.50.10");

    [Fact]
    public void Healthy_EveryRunbookCommandParsesWithoutWarnings()
    {
        var cli = new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("sw-x1", Address, Gateway)));

        var ssh = cli.Parse<IpSshStatus>("show ip ssh");
        Assert.True(ssh.Enabled);
        Assert.Equal(("2.0", 2048, "sw-x1.lab.local"), (ssh.Version, ssh.RsaModulusBits!.Value, ssh.RsaKeyName));
        var table = cli.Parse<IosRoutingTable>("show ip route");
        Assert.True(table.HasDefaultRoute);
        Assert.NotNull(table.RouteTo(Management));
        Assert.True(cli.Parse<IosRouteEntry>("show ip route 0.0.0.0").IsDefault);
        Assert.True(cli.Parse<IosArpTable>("show arp").HasResolved(Gateway));
        Assert.True(cli.Parse<IosPingResult>("ping " + Gateway).AnyReply);
        Assert.False(cli.Parse<IosPingResult>("ping 10.0.0.99").AnyReply);
        Assert.Equal([22], cli.Parse<IosTcpTable>("show tcp brief all").ListeningPorts);
        Assert.Equal([22], cli.Parse<IosOpenPorts>("show control-plane host open-ports").ListeningTcpPorts);
        var keys = cli.Parse<IosCryptoKeys>("show crypto key mypubkey rsa");
        Assert.Equal(2048, Assert.Single(keys.Keys).ModulusBits);
        var version = cli.Parse<IosVersionInfo>("show version");
        Assert.True(version.IsIosXe);
        Assert.Equal("sw-x1", version.Hostname);
        cli.Run("terminal length 0");
        var config = cli.Parse<IosRunningConfig>("show running-config");
        Assert.Equal("ssh", string.Join(' ', config.Vty[0].TransportInput!));
        Assert.True(config.StaticRoutes.Single().IsDefault);
    }

    [Fact]
    public void Scenarios_GiveTheFactOfTheirRootCause()
    {
        var noKey = new EmulatedCli(new IosXeSwitch(IosXeScenarios.NoRsaKey("sw-x2", Address, Gateway)));
        var ssh = IosXeParsers.ParseCommand("show ip ssh", noKey.Run("show ip ssh"));
        Assert.False(((IpSshStatus)ssh.Value!).Enabled);
        Assert.False(IosXeFactReader.RsaKeyPresent(ShowIpSshParser.Parse(noKey.Run("show ip ssh"))));
        Assert.Empty(noKey.Parse<IosTcpTable>("show tcp brief all").ListeningPorts);

        var telnet = new EmulatedCli(new IosXeSwitch(IosXeScenarios.TelnetOnly("sw-x3", Address, Gateway)));
        telnet.Run("terminal length 0");
        var facts = IosXeFactReader.Vty(RunningConfigParser.Parse(telnet.Run("show running-config | section line vty")), Management);
        Assert.Equal(("telnet", true), (facts.VtyProtocol, facts.TelnetServerEnabled!.Value));
        Assert.Equal([22, 23], telnet.Parse<IosOpenPorts>("show control-plane host open-ports").ListeningTcpPorts);

        var acl = new EmulatedCli(new IosXeSwitch(IosXeScenarios.VtyAccessClass("sw-x4", Address, Gateway, "172.16.0.0", "0.0.255.255")));
        acl.Run("terminal length 0");
        var aclFacts = IosXeFactReader.Vty(RunningConfigParser.Parse(acl.Run("show running-config")), Management);
        Assert.True(aclFacts.AclDeniesManagement);
        Assert.Equal("10", aclFacts.DenyingAcl!.AclName);

        var noRoute = new EmulatedCli(new IosXeSwitch(IosXeScenarios.NoDefaultRoute("sw-x5", Address, Gateway)));
        Assert.False(IosXeFactReader.HasRouteTo(ShowIpRouteParser.Parse(noRoute.Run("show ip route")), Management));
        Assert.False(noRoute.Parse<IosRouteEntry>("show ip route 0.0.0.0").Found);

        var down = new IosXeSwitch(IosXeScenarios.Down("sw-x6", Address, Gateway));
        Assert.Empty(down.ListeningTcpPorts);
        Assert.Throws<InvalidOperationException>(() => down.OpenSession("10.0.0.5", 1));
    }

    [Theory]
    [InlineData("rsa-key-missing")]
    [InlineData("vty-protocol-not-ssh")]
    [InlineData("return-route-missing")]
    [InlineData("vty-acl-denies-management")]
    public void RemediationPlan_AppliedOnTheEmulator_FixesItsFact(string cause)
    {
        var profile = cause switch
        {
            "rsa-key-missing" => IosXeScenarios.NoRsaKey("sw-r", Address, Gateway),
            "vty-protocol-not-ssh" => IosXeScenarios.TelnetOnly("sw-r", Address, Gateway),
            "return-route-missing" => IosXeScenarios.NoDefaultRoute("sw-r", Address, Gateway),
            _ => IosXeScenarios.VtyAccessClass("sw-r", Address, Gateway, "172.16.0.0", "0.0.255.255"),
        };
        var device = new IosXeSwitch(profile);
        var cli = new EmulatedCli(device);
        cli.Run("terminal length 0");
        var config = RunningConfigParser.Parse(cli.Run("show running-config"));
        var vty = IosXeFactReader.Vty(config, Management);
        var inputs = new IosXeRemediationInputs
        {
            GatewayIp = Gateway,
            VtyFirst = 0,
            VtyLast = 4,
            DenyingAcl = vty.DenyingAcl,
            DenyingAclDefinition = vty.DenyingAcl is null ? null : config.Value!.AccessList(vty.DenyingAcl.AclName),
            ManagementNetwork = IPAddress.Parse("192.168.50.0"),
            ManagementWildcard = IPAddress.Parse("0.0.0.255"),
        };
        var plan = IosXeRemediations.For(SshUnreachableRunbook.Definition.Cause(cause)!.Cause, inputs)[0];
        Assert.NotEmpty(plan.Commands);

        foreach (var command in plan.Commands)
        {
            var output = cli.Run(command.Text);
            Answer(cli, command.Text, output);
            Assert.False(IosXeErrors.HasError(cli.Everything[^Math.Min(cli.Everything.Length, 400)..]), command.Text + " failed:\n" + output);
        }

        var after = RunningConfigParser.Parse(cli.Run("show running-config"));
        switch (cause)
        {
            case "rsa-key-missing":
                Assert.True(IosXeFactReader.RsaKeyPresent(ShowIpSshParser.Parse(cli.Run("show ip ssh"))));
                Assert.Contains(22, device.ListeningTcpPorts);
                break;
            case "vty-protocol-not-ssh":
                Assert.Equal("ssh", IosXeFactReader.Vty(after, Management).VtyProtocol);
                break;
            case "return-route-missing":
                Assert.True(IosXeFactReader.HasRouteTo(ShowIpRouteParser.Parse(cli.Run("show ip route")), Management));
                break;
            default:
                Assert.False(IosXeFactReader.Vty(after, Management).AclDeniesManagement);
                Assert.True(device.AdmitsVty("192.168.50.10", "ssh"));
                break;
        }

        // Every plan ends with "write memory": the fix survives a reload.
        Assert.Contains("[OK]", cli.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_AsksSaveThenConfirm_DropsSessionsAndBootsFromStartupConfig()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));
        var device = new IosXeSwitch(IosXeScenarios.Healthy("sw-rl", Address, Gateway) with { BootTime = TimeSpan.FromSeconds(30) }, time);
        var cli = new EmulatedCli(device);
        cli.Run("configure terminal");
        cli.Run("ip route 172.31.0.0 255.255.0.0 10.0.0.1");
        cli.Run("end");

        var save = cli.Run("reload");
        var q = IosXeConfirmation.DetectAtEnd(save);
        Assert.Equal(IosXeQuestionKind.YesNo, q!.Kind);
        var answer = IosXeConfirmations.For("reload", q.Text)!.Answer;
        Assert.Equal("no", answer);

        var confirm = cli.Run(answer!);
        Assert.Equal(IosXeQuestionKind.Confirm, IosXeConfirmation.DetectAtEnd(confirm)!.Kind);
        cli.Run(IosXeConfirmations.For("reload", "Proceed with reload? [confirm]")!.Answer!);

        Assert.True(cli.IsClosed);
        Assert.Equal("reload", cli.CloseReason);
        Assert.Equal(IosXePower.Rebooting, device.Power);
        Assert.Empty(device.ListeningTcpPorts);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(IosXePower.Up, device.Power);
        var after = new EmulatedCli(device);
        var table = after.Parse<IosRoutingTable>("show ip route");
        Assert.DoesNotContain(table.Routes, r => r.Network == "172.31.0.0"); // not saved: gone after the reload
        Assert.True(table.HasDefaultRoute);
    }

    [Fact]
    public void Pager_MoreUntilSpace_AndTheStrippedCaptureStillParses()
    {
        var cli = new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("sw-pg", Address, Gateway)));

        var first = cli.Run("show running-config");
        Assert.True(IosXePaging.EndsWithMore(first));
        var rest = first;
        for (var i = 0; i < 20 && IosXePaging.EndsWithMore(rest); i++)
        {
            var more = cli.Keys(" ");
            first += more;
            rest = more;
        }

        Assert.False(IosXePaging.EndsWithMore(rest));
        var parsed = RunningConfigParser.Parse(first);
        Assert.True(parsed.IsParsed);
        Assert.Empty(parsed.Warnings);
        Assert.Equal("sw-pg", parsed.Value!.Hostname);
        Assert.Equal(2, parsed.Value.Vty.Count);
    }

    [Fact]
    public void Errors_InvalidAmbiguousIncomplete_AsIosPrintsThem()
    {
        var cli = new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("sw1", Address, Gateway)));

        var invalid = IosXeErrors.FirstError(cli.Run("show ip shh"));
        Assert.Equal(IosXeMessageKind.InvalidInput, invalid!.Kind);
        Assert.Equal("sw1#show ip ".Length, invalid.CaretColumn);
        Assert.Equal(IosXeMessageKind.Ambiguous, IosXeErrors.FirstError(cli.Run("show c"))!.Kind);
        Assert.Equal(IosXeMessageKind.Incomplete, IosXeErrors.FirstError(cli.Run("show ip"))!.Kind);
        Assert.Null(IosXeErrors.FirstError(cli.Run("sh ip ssh")));
        Assert.Null(IosXeErrors.FirstError(cli.Run("terminal width 511"))); // netmiko cisco_ios sends it at login
    }

    [Fact]
    public void Prompts_FollowTheModes()
    {
        var cli = new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("sw1", Address, Gateway)));

        Assert.Equal(IosXeMode.PrivilegedExec, IosXePrompt.FindAtEnd(cli.Run("terminal length 0"))!.Mode);
        Assert.Equal(IosXeMode.GlobalConfig, IosXePrompt.FindAtEnd(cli.Run("configure terminal"))!.Mode);
        Assert.Equal(IosXeMode.LineConfig, IosXePrompt.FindAtEnd(cli.Run("line vty 0 4"))!.Mode);
        Assert.Equal(IosXeMode.PrivilegedExec, IosXePrompt.FindAtEnd(cli.Run("end"))!.Mode);
        Assert.Equal(IosXeMode.UserExec, IosXePrompt.FindAtEnd(cli.Run("disable"))!.Mode);
    }

    [Fact]
    public void DebugIpSsh_ConnectionAttemptPrintsSshLinesToMonitorSessions()
    {
        var device = new IosXeSwitch(IosXeScenarios.Healthy("sw1", Address, Gateway));
        var cli = new EmulatedCli(device);
        cli.Run("terminal monitor");
        cli.Run("debug ip ssh");

        device.ReportSshConnectionAttempt("10.0.0.5", 40000, succeeded: true);

        Assert.Equal(6, SshDebugLogParser.CountSshDebugLines(cli.Keys(string.Empty)));
        cli.Run("undebug all");
        device.ReportSshConnectionAttempt("10.0.0.5", 40001, succeeded: true);
        Assert.Equal(0, SshDebugLogParser.CountSshDebugLines(cli.Keys(string.Empty)));
    }

    [Fact]
    public void CryptoKeyGenerate_WithAKey_AsksToReplace_AndTheAnswerKeepsTheHostKey()
    {
        var cli = new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("sw1", Address, Gateway)));
        var before = cli.Run("show ip ssh");
        cli.Run("configure terminal");

        var q = cli.Run("crypto key generate rsa modulus 2048");
        var question = IosXeConfirmation.DetectAtEnd(q);
        Assert.Equal(IosXeQuestionKind.YesNo, question!.Kind);
        cli.Run(IosXeConfirmations.For("crypto key generate rsa modulus 2048", question.Text)!.Answer!);
        cli.Run("end");

        Assert.Equal(Key(before), Key(cli.Run("show ip ssh")));
    }

    private static string Key(string showIpSsh) =>
        string.Concat(showIpSsh.Split('\n').SkipWhile(l => !l.StartsWith("ssh-rsa", StringComparison.Ordinal)).TakeWhile(l => !l.Contains('#', StringComparison.Ordinal)));

    // Answers every question a plan command asks, as the product's confirmation table says; an unknown question fails.
    private static void Answer(EmulatedCli cli, string command, string output)
    {
        for (var q = IosXeConfirmation.DetectAtEnd(output); q is not null; q = IosXeConfirmation.DetectAtEnd(output))
        {
            var a = IosXeConfirmations.For(command, q.Text);
            Assert.True(a?.Answer is not null, $"{command}: unexpected question '{q.Text}'");
            output = cli.Run(a!.Answer!);
        }
    }
}
