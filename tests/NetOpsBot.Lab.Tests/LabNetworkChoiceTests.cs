namespace NetOpsBot.Lab.Tests;

/// <summary>Which network `lab up` picks by default (Auto): no processes, only the decision.</summary>
public sealed class LabNetworkChoiceTests
{
    private static readonly LabNetworkCapabilities RootWithTools = new(Root: true, NetAdmin: true, SysAdmin: true, MissingTools: []);

    [Fact]
    public void Auto_RootWithCapabilitiesAndTools_GivesNamespaces()
    {
        var decision = LabNetworkDecision.Resolve(LabNetworkMode.Auto, RootWithTools);

        Assert.Equal(LabNetworkMode.Namespaces, decision.Mode);
    }

    [Fact]
    public void Auto_NotRoot_FallsBackToLoopbackAndSaysNamespacesNeedRoot()
    {
        // A normal user running the demo on a fresh machine: the loopback lab, told why in one line.
        var user = RootWithTools with { Root = false, NetAdmin = false, SysAdmin = false };

        var decision = LabNetworkDecision.Resolve(LabNetworkMode.Auto, user);

        Assert.Equal(LabNetworkMode.Loopback, decision.Mode);
        Assert.Equal("network namespaces need root; running the loopback lab", decision.Reason);
    }

    [Fact]
    public void Auto_RootWithoutNetAdmin_FallsBackNamingTheCapability()
    {
        var restricted = RootWithTools with { NetAdmin = false };

        var decision = LabNetworkDecision.Resolve(LabNetworkMode.Auto, restricted);

        Assert.Equal(LabNetworkMode.Loopback, decision.Mode);
        Assert.Contains("CAP_NET_ADMIN", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("CAP_SYS_ADMIN", decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith("running the loopback lab", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_RootWithoutNsenter_FallsBackNamingTheMissingTool()
    {
        var noNsenter = RootWithTools with { MissingTools = ["/usr/bin/nsenter"] };

        var decision = LabNetworkDecision.Resolve(LabNetworkMode.Auto, noNsenter);

        Assert.Equal(LabNetworkMode.Loopback, decision.Mode);
        Assert.Contains("/usr/bin/nsenter", decision.Reason, StringComparison.Ordinal);
        Assert.EndsWith("running the loopback lab", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_MixedSiteWithIosXeSwitches_GivesNamespacesAsRoot()
    {
        // IOS-XE switches get namespaces like the VRP ones: the mixed site no longer forces the loopback lab.
        var options = new LabOptions { RunDirectory = "/tmp/unused", Scenario = ScenarioLoader.Load("mixed-site") };
        var decision = LabNetworkDecision.Resolve(options.Network, RootWithTools);

        Assert.Equal(LabNetworkMode.Namespaces, decision.Mode);
        Assert.DoesNotContain("IOS-XE", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(new Topology(1, options.Scenario, network: decision.Mode).Devices, d => d.Platform == LabPlatforms.CiscoIosXe && d.LabAddress == d.ManagementIp);
    }

    [Theory]
    [InlineData(LabNetworkMode.Loopback)]
    [InlineData(LabNetworkMode.Namespaces)]
    public void ExplicitMode_IsKeptWhateverTheProcessMay(LabNetworkMode requested)
    {
        var user = new LabNetworkCapabilities(Root: false, NetAdmin: false, SysAdmin: false, MissingTools: ["/usr/sbin/ip"]);

        Assert.Equal(requested, LabNetworkDecision.Resolve(requested, user).Mode);
        Assert.Equal(requested, LabNetworkDecision.Resolve(requested, RootWithTools).Mode);
    }

    [Fact]
    public void Default_OfLabOptions_IsAuto()
    {
        var options = new LabOptions { RunDirectory = "/tmp/unused", Scenario = ScenarioLoader.Load("healthy") };

        Assert.Equal(LabNetworkMode.Auto, options.Network);
    }
}
