using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Core.Tests.Diagnosis;

public sealed class RootCauseTests
{
    [Fact]
    public void All_Codes_AreTheStableSet() => Assert.Equal(
        ["healthy", "ssh-server-disabled", "rsa-key-missing", "return-route-missing", "listener-stuck", "vty-acl-denies-management",
         "vty-protocol-not-ssh", "device-unreachable", "jump-host-unreachable", "host-key-mismatch", "ssh-source-excludes-management",
         "mgmt-interface-down", "interface-acl-blocks-management"],
        RootCause.All.Select(r => r.Code));

    [Fact]
    public void All_EachHasTitleAndExplanation() =>
        Assert.All(RootCause.All, r => Assert.True(r.Title.Length > 3 && r.Explanation.Length > 40));

    [Fact]
    public void FromCode_Known_ReturnsSameInstance() => Assert.Same(RootCause.ListenerStuck, RootCause.FromCode("listener-stuck"));

    [Fact]
    public void FromCode_Unknown_ReturnsNull() => Assert.Null(RootCause.FromCode("Listener-Stuck"));

    [Theory]
    [InlineData("10.200.0.0/24", "10.200.0.10", true)]
    [InlineData("10.200.0.0/24", "10.201.0.10", false)]
    [InlineData("0.0.0.0/0", "192.0.2.1", true)]
    public void Ipv4Prefix_Contains_MatchesMask(string prefix, string ip, bool expected) =>
        Assert.Equal(expected, Ipv4Prefix.Parse(prefix).Contains(System.Net.IPAddress.Parse(ip)));

    [Fact]
    public void Ipv4Prefix_Covers_DefaultCoversAnySubnet() =>
        Assert.True(Ipv4Prefix.Parse("0.0.0.0/0").Covers(Ipv4Prefix.Parse("10.200.0.0/24")));

    [Fact]
    public void Ipv4Prefix_Wildcard_IsInverseMask() => Assert.Equal("0.0.0.255", Ipv4Prefix.Parse("10.200.0.0/24").Wildcard.ToString());
}
