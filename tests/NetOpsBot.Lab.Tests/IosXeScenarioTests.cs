using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Tests;

/// <summary>The mixed-site scenario and the topology it gives: pure, no processes.</summary>
public sealed class IosXeScenarioTests
{
    [Fact]
    public void Load_MixedSite_HasOneIosXeSwitchPerRootCause()
    {
        var scenario = ScenarioLoader.Load("mixed-site");

        Assert.Equal(ScenarioIosXeSwitch.Faults.Order(StringComparer.Ordinal), scenario.IosXeSwitches.Select(s => s.Fault).Order(StringComparer.Ordinal));
        Assert.Empty(ScenarioLoader.Load("healthy").IosXeSwitches);
    }

    [Theory]
    [InlineData("iosXeSwitches:\n  - { name: cat-1, fault: melted }\n", "iosXeSwitches[0].fault")]
    [InlineData("iosXeSwitches:\n  - { name: sw-access-12 }\n", "iosXeSwitches[0].name")]
    [InlineData("iosXeSwitches:\n  - { name: Cat_1 }\n", "iosXeSwitches[0].name")]
    [InlineData("iosXeSwitches:\n  - { name: cat-1 }\n  - { name: cat-1 }\n", "iosXeSwitches[1].name")]
    public void Parse_BadIosXeSwitch_NamesTheField(string yaml, string field)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("x", "x.yml", "description: x\n" + yaml));

        Assert.Contains($"field '{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Topology_MixedSite_PlacesIosXeSwitchesBesideTheVrpOnesWithTheirPlatform()
    {
        var scenario = ScenarioLoader.Load("mixed-site");

        var topology = new Topology(7, scenario, extraAccessSwitches: 100);

        var iosXe = topology.Devices.Where(d => d.Platform == LabPlatforms.CiscoIosXe).ToList();
        Assert.Equal(scenario.IosXeSwitches.Select(s => s.Name), iosXe.Select(d => d.Name));
        Assert.All(iosXe, d => Assert.NotNull(d.IosXe));
        Assert.All(topology.Devices.Except(iosXe), d => Assert.Equal(LabPlatforms.HuaweiVrp, d.Platform));
        // Even beside 100 extra VRP switches, no address or console port is shared.
        Assert.Equal(topology.Devices.Count, topology.Devices.Select(d => d.LabAddress).Distinct().Count());
        Assert.Equal(topology.Devices.Count, topology.Devices.Select(d => d.ConsolePort).Distinct().Count());
        Assert.DoesNotContain(topology.Devices, d => d.LabAddress == topology.ConsoleServerAddress || d.LabAddress == topology.JumpHostAddress);
        Assert.Equal("10.12.0.201", iosXe[0].ManagementIp);
    }

    [Fact]
    public void Topology_MixedSiteInNamespaces_EachIosXeSwitchOnItsManagementAddress_ExtraSwitchesStopBelowThem()
    {
        var scenario = ScenarioLoader.Load("mixed-site");

        var topology = new Topology(7, scenario, extraAccessSwitches: 186, network: LabNetworkMode.Namespaces);

        // As the VRP switches: the sockets of a namespaced switch are on its management address.
        Assert.All(topology.Devices, d => Assert.Equal(d.ManagementIp, d.LabAddress));
        Assert.Equal(topology.Devices.Count, topology.Devices.Select(d => d.ManagementIp).Distinct().Count());
        Assert.Equal("10.12.0.200", topology.Devices.Single(d => d.Name == "sw-access-200").ManagementIp);
        // The namespace is built with the IOS-XE profile's power and default route (none for the no-default-route switch).
        var iosXe = topology.Devices.Where(d => d.Platform == LabPlatforms.CiscoIosXe).ToDictionary(d => d.Name);
        Assert.Equal([new StaticRouteProfile("0.0.0.0", 0, "10.12.0.1")], iosXe["cat-access-21"].Profile.StaticRoutes);
        Assert.Empty(iosXe["cat-access-25"].Profile.StaticRoutes);
        Assert.False(iosXe["cat-access-26"].Profile.PoweredOn);
        // One more extra switch would take 10.12.0.201, the first IOS-XE switch's address.
        Assert.Throws<ArgumentOutOfRangeException>(() => new Topology(7, scenario, extraAccessSwitches: 187, network: LabNetworkMode.Namespaces));
    }
}
