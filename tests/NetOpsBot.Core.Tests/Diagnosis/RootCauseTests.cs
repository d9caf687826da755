using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Diagnosis;

public sealed class RootCauseTests
{
    private static readonly string[] StableCodes =
    [
        "healthy", "ssh-server-disabled", "rsa-key-missing", "return-route-missing", "listener-stuck", "vty-acl-denies-management",
        "vty-protocol-not-ssh", "device-unreachable", "jump-host-unreachable", "host-key-mismatch", "ssh-source-excludes-management",
        "mgmt-interface-down", "interface-acl-blocks-management",
    ];

    [Fact]
    public void All_Codes_AreTheStableSet() => Assert.Equal(
        StableCodes.Order(StringComparer.Ordinal),
        SshUnreachableRunbook.Definition.Causes.Select(r => r.Code).Order(StringComparer.Ordinal));

    [Fact]
    public void All_EachHasTitleAndExplanation() =>
        Assert.All(SshUnreachableRunbook.Definition.Causes, r => Assert.True(r.Title.Length > 3 && r.Meaning.Length > 40));

    [Fact]
    public void Cause_Known_ReturnsSameInstance() => Assert.Same(SshUnreachableCauses.ListenerStuck, SshUnreachableRunbook.Definition.Cause("listener-stuck")?.Cause);

    [Fact]
    public void Cause_Unknown_ReturnsNull() => Assert.Null(SshUnreachableRunbook.Definition.Cause("Listener-Stuck"));

    [Theory]
    [InlineData("Listener-Stuck")]
    [InlineData("listener stuck")]
    [InlineData("-stuck")]
    [InlineData("")]
    public void New_CodeNotKebabCase_Throws(string code) => Assert.Throws<ArgumentException>(() => new RootCause(code, "Title", "Explanation"));

    [Fact]
    public void New_KebabCode_IsAnOpenCause() => Assert.Equal("interface-down", new RootCause("interface-down", "Interface down", "It is down.").Code);

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
