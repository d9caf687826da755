using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.IosXe.Tests.Emulator;
using NetOpsBot.Lab.Emulator.IosXe;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests;

/// <summary>
/// A shut management interface (Gi0/0) takes the switch's connected and default routes with it: the collector must
/// name the interface as the fault (the rule "interface.management-shut" reads these facts), not the missing route,
/// whose fix (a default route) cannot help while the interface is down.
/// </summary>
public sealed class ManagementInterfaceShutTests
{
    private const string Address = "10.12.0.28";
    private const string Gateway = "10.12.0.1";

    [Fact]
    public async Task Collector_ShutManagementInterface_IsTheFact_NotAMissingRoute()
    {
        var cli = Shut(new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("cat-access-28", Address, Gateway))));
        var collector = IosXePlatform.Instance.SshUnreachable!;
        var target = Target();

        var routing = await collector.RoutingAsync(Runner(cli), target, CancellationToken.None);

        Assert.Equal(StepStatus.Fail, routing.Status);
        Assert.False(routing.Facts.HasRouteToManagement);
        Assert.True(routing.Facts.ManagementInterfaceDown, string.Join("\n", routing.Evidence));
        Assert.Equal("GigabitEthernet0/0", routing.Facts.ManagementInterface);
        Assert.Contains("administratively down", routing.Finding, StringComparison.Ordinal);
        Assert.Contains(routing.Evidence, e => e.Contains("GigabitEthernet0/0", StringComparison.Ordinal) && e.Contains("shutdown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collector_MissingRouteWithTheInterfaceUp_StaysAMissingRoute()
    {
        var cli = new EmulatedCli(new IosXeSwitch(IosXeScenarios.NoDefaultRoute("cat-access-25", Address, Gateway)));
        cli.Run("terminal length 0");
        var routing = await IosXePlatform.Instance.SshUnreachable!.RoutingAsync(Runner(cli), Target(), CancellationToken.None);

        Assert.False(routing.Facts.HasRouteToManagement);
        Assert.False(routing.Facts.ManagementInterfaceDown);
        Assert.Equal("GigabitEthernet0/0", routing.Facts.ManagementInterface);
        Assert.DoesNotContain("administratively down", routing.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_ShutManagementInterface_IsNoShutdownOnThatInterface_OverTheConsole()
    {
        var cli = Shut(new EmulatedCli(new IosXeSwitch(IosXeScenarios.Healthy("cat-access-28", Address, Gateway))));
        var collector = IosXePlatform.Instance.SshUnreachable!;
        var routing = await collector.RoutingAsync(Runner(cli), Target(), CancellationToken.None);

        var plan = Assert.Single(collector.PlansFor(SshUnreachableCauses.ManagementInterfaceDown, routing.Facts, Target(), 1));

        Assert.Equal(
            ["configure terminal", "interface GigabitEthernet0/0", "no shutdown", "end", "write memory"],
            plan.Commands.Select(c => c.Text).ToList());
        Assert.Contains(plan.Notes, n => n.Contains("console", StringComparison.Ordinal));

        // The plan's commands, typed on the switch, bring the interface and its routes back.
        foreach (var c in plan.Commands)
        {
            cli.Run(c.Text);
        }

        var after = await collector.RoutingAsync(Runner(cli), Target(), CancellationToken.None);
        Assert.True(after.Facts.HasRouteToManagement, string.Join("\n", after.Evidence));
    }

    [Fact]
    public void Plan_ManagementInterfaceUnknown_HasNoCommandsAndSaysWhy()
    {
        var plan = Assert.Single(IosXePlatform.Instance.SshUnreachable!.PlansFor(SshUnreachableCauses.ManagementInterfaceDown, new SshUnreachableFacts { ManagementInterfaceDown = true }, Target(), 1));
        Assert.Empty(plan.Commands);
        Assert.Contains(plan.Notes, n => n.Contains("unknown", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("interface GigabitEthernet0/0\n ip address 10.12.0.28 255.255.255.0\n shutdown\n negotiation auto\n!\n", true)]
    [InlineData("interface GigabitEthernet0/0\n ip address 10.12.0.28 255.255.255.0\n negotiation auto\n!\ninterface Vlan1\n no ip address\n shutdown\n!\n", false)]
    public void RunningConfig_ShutdownIsReadPerInterface(string text, bool managementShut)
    {
        var cfg = RunningConfigParser.Parse("!\n" + text + "end\n");
        Assert.True(cfg.IsParsed);
        Assert.Equal("GigabitEthernet0/0", cfg.Value!.InterfaceHolding(Address));
        Assert.Equal(managementShut, cfg.Value.ShutdownInterfaces.Contains("GigabitEthernet0/0"));
    }

    [Fact]
    public void ReadBack_InterfaceStillShut_IsNotVerified()
    {
        var plan = Assert.Single(IosXePlatform.Instance.SshUnreachable!.PlansFor(SshUnreachableCauses.ManagementInterfaceDown, new SshUnreachableFacts { ManagementInterface = "GigabitEthernet0/0", ManagementInterfaceDown = true }, Target(), 1));
        var check = Assert.Single(plan.Commands.Select(NetOpsBot.IosXe.Remediation.IosXeVerifications.For).OfType<NetOpsBot.Core.Remediation.ReadBack>());

        Assert.False(check.Judge(["!\ninterface GigabitEthernet0/0\n ip address 10.12.0.28 255.255.255.0\n shutdown\n!\nend\n"]).Verified);
        Assert.True(check.Judge(["!\ninterface GigabitEthernet0/0\n ip address 10.12.0.28 255.255.255.0\n!\nend\n"]).Verified);
    }

    private static EmulatedCli Shut(EmulatedCli cli)
    {
        cli.Run("terminal length 0");
        foreach (var line in new[] { "configure terminal", "interface Gi0/0", "shutdown", "end" })
        {
            cli.Run(line);
        }

        return cli;
    }

    private static DeviceCommandRunner Runner(EmulatedCli cli) =>
        (command, _) => Task.FromResult(new CliResult(command, cli.Run(command), string.Empty, TimeSpan.Zero, null));

    private static SshUnreachableTarget Target() =>
        new(new DeviceRef(DeviceName.Parse("cat-access-28"), IosXePlatform.PlatformId, Address, IPAddress.Parse(Address), 22, [], null, null, null, "lab"),
            Ipv4Prefix.Parse("10.200.0.0/24"), IPAddress.Parse("10.200.0.10"), 22);
}
