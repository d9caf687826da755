using System.Net;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.IosXe.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests;

public sealed class RemediationTests
{
    [Fact]
    public void DefaultRoute_RendersGatewayAndWrapsInConfigMode()
    {
        var plan = Assert.Single(IosXeRemediations.For(SshUnreachableCauses.ReturnRouteMissing, new IosXeRemediationInputs { GatewayIp = "10.0.0.1" }));

        Assert.Equal(["configure terminal", "ip route 0.0.0.0 0.0.0.0 10.0.0.1", "end", "write memory"], plan.Commands.Select(c => c.Text));
        Assert.Equal(RemediationKind.Config, plan.Kind);
        Assert.Equal(1, plan.ApproversRequired);
    }

    [Theory]
    [InlineData("10.0.0.1\nreload")]
    [InlineData("10.0.0.1; reload")]
    [InlineData("10.0.0")]
    [InlineData("gateway")]
    public void DefaultRoute_RefusesAnythingButAnIpv4(string gateway)
    {
        var plan = Assert.Single(IosXeRemediations.For(SshUnreachableCauses.ReturnRouteMissing, new IosXeRemediationInputs { GatewayIp = gateway }));

        Assert.Empty(plan.Commands);
        Assert.False(IosXeCommandTemplates.DefaultRoute.TryRender(new Dictionary<string, string> { ["gateway"] = gateway }).Succeeded);
    }

    [Fact]
    public void RsaKeyMissing_GeneratesKeyAndSshV2()
    {
        var plan = Assert.Single(IosXeRemediations.For(SshUnreachableCauses.RsaKeyMissing, new IosXeRemediationInputs()));

        Assert.Equal(["configure terminal", "crypto key generate rsa modulus 2048", "ip ssh version 2", "end", "write memory"], plan.Commands.Select(c => c.Text));
    }

    [Fact]
    public void VtyTelnetOnly_TransportInputSshOnTheVtyRange()
    {
        var plan = Assert.Single(IosXeRemediations.For(SshUnreachableCauses.VtyProtocolNotSsh, new IosXeRemediationInputs { VtyFirst = 0, VtyLast = 15 }));

        Assert.Equal(["configure terminal", "line vty 0 15", "transport input ssh", "end", "write memory"], plan.Commands.Select(c => c.Text));
    }

    [Fact]
    public void ListenerStuck_SaveAndReloadNeedsTwoApprovers()
    {
        var plan = Assert.Single(IosXeRemediations.For(SshUnreachableCauses.ListenerStuck, new IosXeRemediationInputs()));

        Assert.Equal(["write memory", "reload"], plan.Commands.Select(c => c.Text));
        Assert.Equal(RemediationKind.Reboot, plan.Kind);
        Assert.Equal(2, plan.ApproversRequired);
    }

    [Fact]
    public void VtyAcl_PermitGoesAheadOfTheDenyingEntry()
    {
        var config = RunningConfigParser.Parse("access-list 10 permit 192.168.99.0 0.0.0.255\naccess-list 10 deny   any log\nline vty 0 4\n access-class 10 in\n").Value!;
        var verdict = IosAclEvaluator.Evaluate(config, "10", IPAddress.Parse("10.0.0.5"));
        var plans = IosXeRemediations.For(SshUnreachableCauses.VtyAclDeniesManagement, new IosXeRemediationInputs
        {
            DenyingAcl = verdict,
            DenyingAclDefinition = config.AccessList("10"),
            ManagementNetwork = IPAddress.Parse("10.0.0.0"),
            ManagementWildcard = IPAddress.Parse("0.0.0.255"),
        });

        // The permit first (the primary action), taking the ACL off the VTY lines as the blunt alternative.
        Assert.Equal(["vty-acl-denies-management.permit-management", "vty-acl-denies-management.remove-access-class"], plans.Select(p => p.Id));
        Assert.Equal(["configure terminal", "ip access-list standard 10", "19 permit 10.0.0.0 0.0.0.255", "end", "write memory"], plans[0].Commands.Select(c => c.Text));
        Assert.Equal(["configure terminal", "line vty 0 4", "no access-class 10 in", "end", "write memory"], plans[1].Commands.Select(c => c.Text));
    }

    [Fact]
    public void VtyAcl_NamedAcl_NoCommandsAndANote()
    {
        var config = RunningConfigParser.Parse("ip access-list standard MGMT\n deny any\nline vty 0 4\n access-class MGMT in\n").Value!;
        var plan = Assert.Single(IosXeRemediations.For(SshUnreachableCauses.VtyAclDeniesManagement, new IosXeRemediationInputs
        {
            DenyingAcl = IosAclEvaluator.Evaluate(config, "MGMT", IPAddress.Parse("10.0.0.5")),
            DenyingAclDefinition = config.AccessList("MGMT"),
            ManagementNetwork = IPAddress.Parse("10.0.0.0"),
            ManagementWildcard = IPAddress.Parse("0.0.0.255"),
        }));

        Assert.Empty(plan.Commands);
        Assert.Contains(plan.Notes, n => n.Contains("named", StringComparison.Ordinal));
    }

    [Fact]
    public void Templates_OnlyTypedPlaceholders()
    {
        foreach (var t in IosXeCommandTemplates.All)
        {
            Assert.All(t.Parameters, p => Assert.True(Enum.IsDefined(p.Type)));
        }

        Assert.False(IosXeCommandTemplates.LineVty.TryRender(new Dictionary<string, string> { ["first"] = "0", ["last"] = "4 \n reload" }).Succeeded);
        Assert.False(IosXeCommandTemplates.AccessClassIn.TryRender(new Dictionary<string, string> { ["acl"] = "MGMT" }).Succeeded);
        Assert.Equal("access-class 10 in", IosXeCommandTemplates.AccessClassIn.TryRender(new Dictionary<string, string> { ["acl"] = "10" }).Command!.Text);
    }

    [Theory]
    [InlineData("reload", "Proceed with reload? [confirm]", "")]
    [InlineData("reload", "System configuration has been modified. Save? [yes/no]: ", "no")]
    [InlineData("write memory", "Destination filename [startup-config]? ", "")]
    [InlineData("crypto key generate rsa modulus 2048", "% Do you really want to replace them? [yes/no]: ", "no")]
    public void Confirmations_AnswersAsData(string command, string question, string answer)
    {
        Assert.Equal(answer, IosXeConfirmations.For(command, question)!.Answer);
    }

    [Fact]
    public void Confirmations_UnexpectedQuestionIsDeclined()
    {
        Assert.Null(IosXeConfirmations.For("reload", "Erase flash: before copying? [confirm]"));
        Assert.Null(IosXeConfirmations.For("write memory", "Proceed with reload? [confirm]"));
    }
}
