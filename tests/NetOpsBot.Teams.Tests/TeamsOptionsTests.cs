using System.Text.Json;
using NetOpsBot.Teams.Protocol;
using NetOpsBot.Teams.Tests.Infrastructure;

namespace NetOpsBot.Teams.Tests;

public sealed class TeamsOptionsTests
{
    [Fact]
    public void PartialSection_NamesEveryMissingKey()
    {
        var problems = new TeamsOptions { AppType = "SingleTenant" }.Validate();
        Assert.Contains("Teams:AppId is required (the bot's Microsoft App ID)", problems);
        Assert.Contains(problems, p => p.StartsWith("Teams:TenantId is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Teams:ClientSecret, Teams:CertificatePath or Teams:FederatedManagedIdentityClientId is required", StringComparison.Ordinal));
    }

    [Fact]
    public void PlaygroundSwitchAlone_IsValid_ButNotWithHalfAnIdentity()
    {
        Assert.Empty(new TeamsOptions { AllowUnauthenticatedLoopback = true }.Validate());
        Assert.Contains(new TeamsOptions { AllowUnauthenticatedLoopback = true, ClientSecret = "x" }.Validate(), p => p.StartsWith("Teams:AllowUnauthenticatedLoopback must be false when Teams:ClientSecret is set", StringComparison.Ordinal));
    }

    [Fact]
    public void PlaygroundSwitch_NextToACompleteIdentity_IsRefused()
    {
        var o = new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = "s", AllowUnauthenticatedLoopback = true };
        Assert.Contains("Teams:AllowUnauthenticatedLoopback must be false when Teams:AppId is set (tokenless activities are for a Playground bot with no identity, never next to a real one)", o.Validate());
        Assert.False(o.PlaygroundOnly);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void ConnectorRetries_AtLeastOne(int retries, bool valid)
    {
        var problems = new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = "s", ConnectorRetries = retries }.Validate();
        Assert.Equal(valid ? [] : ["Teams:ConnectorRetries must be between 1 and 10"], problems);
    }

    [Theory]
    [InlineData("SingleTenant", true, "s", null)]
    [InlineData("UserAssignedMSI", true, null, null)]
    [InlineData("MultiTenant", false, "s", null)]
    [InlineData("Multitenant", false, "s", null)]
    public void CompleteIdentities_AreValid(string type, bool tenant, string? secret, string? federated)
    {
        var o = new TeamsOptions { AppId = TestIds.AppId, AppType = type, TenantId = tenant ? TestIds.TenantId : null, ClientSecret = secret, FederatedManagedIdentityClientId = federated };
        Assert.Empty(o.Validate());
    }

    [Fact]
    public void BadValues_AreNamed()
    {
        var problems = new TeamsOptions { AppId = "bot", AppType = "Anonymous", OpenIdMetadataUrl = "http://example.com/keys" }.Validate();
        Assert.Contains("Teams:AppId must be a GUID (the bot's Microsoft App ID)", problems);
        Assert.Contains("Teams:AppType must be SingleTenant, UserAssignedMSI or MultiTenant, not 'Anonymous'", problems);
        Assert.Contains("Teams:OpenIdMetadataUrl must be an https URL (http only on loopback, for tests)", problems);
        Assert.Contains(new TeamsOptions { AppId = TestIds.AppId, AppType = "UserAssignedMSI", TenantId = TestIds.TenantId, ClientSecret = "s" }.Validate(), p => p.Contains("must be empty for UserAssignedMSI", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://login.microsoftonline.com/", false)]
    [InlineData("http://127.0.0.1:5001/", false)]
    [InlineData("login.microsoftonline.us", false)]
    [InlineData("https://login.microsoftonline.us/", true)]
    [InlineData("https://127.0.0.1:5001/", true)]
    [InlineData(null, true)]
    public void AuthorityHost_IsHttpsOrUnset(string? authority, bool valid)
    {
        var problems = new TeamsOptions { AppId = TestIds.AppId, AppType = "SingleTenant", TenantId = TestIds.TenantId, ClientSecret = "s", AuthorityHost = authority }.Validate();
        Assert.Equal(valid ? [] : ["Teams:AuthorityHost must be an https URL (Azure.Identity refuses any other; empty means the public cloud)"], problems);
    }

    [Theory]
    [InlineData("<at>NetOpsBot</at> sshdiag sw-access-12", true, "/sshdiag sw-access-12")]
    [InlineData("<at>NetOpsBot</at>&nbsp;help", true, "/sshdiag help")]
    [InlineData("<at>Net Ops</at> sshdiag incident INC-1", false, "/sshdiag incident INC-1")]
    [InlineData("sshdiagnose everything", false, "sshdiagnose everything")]
    [InlineData("/sshdiag sw-access-12", false, "/sshdiag sw-access-12")]
    public void MentionsAreStripped_AndTheTeamsSpellingBecomesTheCommand(string text, bool entity, string expected)
    {
        var json = $$"""
            {"type":"message","text":{{JsonSerializer.Serialize(text)}},"recipient":{"id":"28:bot"},
             "entities":[{{(entity ? "{\"type\":\"mention\",\"mentioned\":{\"id\":\"28:bot\"},\"text\":\"<at>NetOpsBot</at>\"}" : string.Empty)}}]}
            """;
        var activity = JsonSerializer.Deserialize<Activity>(json, Activity.Json)!;
        Assert.Equal(expected, CommandText.From(activity, TestRunbooks.Registry));
    }
}
