using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Tests.Runbook;

namespace NetOpsBot.Vrp.Tests;

/// <summary>The spellings of the VTY count: "user-interface maximum-vty N" and the line ranges of "user-interface vty a b".</summary>
public sealed class VtyCountTests
{
    // display_current-configuration/blog-lanhongshi-quidway-user-interface_1.txt with the statement Huawei's AR/S
    // configuration guides show for 15 concurrent users ("user-interface maximum-vty 15", then "user-interface vty 5 14").
    private static string QuidwayWithMaximumVty(int n) =>
        SampleFiles.Read("display_current-configuration/blog-lanhongshi-quidway-user-interface_1.txt")
            .Replace("#\nuser-interface con 0", $"#\nuser-interface maximum-vty {n}\nuser-interface con 0", StringComparison.Ordinal);

    [Fact]
    public void MaximumVty_IsACountNotAUserInterfaceBlock()
    {
        var c = CurrentConfigurationParser.Parse(QuidwayWithMaximumVty(15)).Value!;

        Assert.Equal(["con", "vty", "vty"], c.UserInterfaces.Select(u => u.Kind));
        Assert.Equal(["0 4", "16 20"], c.Vty.Select(v => v.Range));
    }

    [Fact]
    public void MaximumVty_ReadWithDefaultWhenAbsent()
    {
        Assert.Equal(15, CurrentConfigurationParser.Parse(QuidwayWithMaximumVty(15)).Value!.MaximumVty);
        var plain = CurrentConfigurationParser.Parse(SampleFiles.Read("display_current-configuration/blog-lanhongshi-quidway-user-interface_1.txt")).Value!;
        Assert.Null(plain.MaximumVty);
        Assert.Equal(5, plain.VtyLinesInService);
    }

    [Fact]
    public void VtyRangeSpelling_WideRangeAndSingleLine_FirstAndLast()
    {
        // A VRP8 router config from public ops notes: "user-interface maximum-vty 21" then "user-interface vty 0 20".
        var c = CurrentConfigurationParser.Parse("""
            user-interface maximum-vty 21
            #
            user-interface vty 0 20
             acl 2001 inbound
             authentication-mode aaa
             idle-timeout 15 0
             protocol inbound ssh
            #
            user-interface vty 7
             protocol inbound telnet
            #
            """).Value!;

        Assert.Equal(21, c.MaximumVty);
        Assert.Equal([(0, 20, "ssh"), (7, 7, "telnet")], c.Vty.Select(v => (v.First!.Value, v.Last!.Value, v.ProtocolInbound!)));
        Assert.Equal("2001", c.Vty.First().AclInbound);
    }

    [Fact]
    public async Task TelnetOnlyVty_MaximumVty15_FixCoversEveryLineInService()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display current-configuration"] = LabScenarios.ConfigHealthy
            .Replace("protocol inbound ssh", "protocol inbound telnet", StringComparison.Ordinal)
            .Replace("user-interface con 0", "user-interface maximum-vty 15\nuser-interface con 0", StringComparison.Ordinal);

        var report = await new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp)
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);

        Assert.Contains("vty-protocol-not-ssh", report.RootCauseCodes);
        var plan = Assert.Single(report.Remediations, p => p.RootCause == SshUnreachableCauses.VtyProtocolNotSsh);
        Assert.Equal(["system-view", "user-interface vty 0 14", "protocol inbound ssh", "return"], plan.Commands.Select(c => c.Text));
        Assert.Contains("user-interface maximum-vty 15: VTY 0-14 take logins", report.Step(SshUnreachableSteps.Hardening)!.Evidence);
    }

    [Fact]
    public async Task MaximumVtyZero_HardeningFailsSayingSo()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display current-configuration"] = LabScenarios.ConfigHealthy
            .Replace("user-interface con 0", "user-interface maximum-vty 0\nuser-interface con 0", StringComparison.Ordinal);

        var report = await new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp)
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);

        var step = report.Step(SshUnreachableSteps.Hardening)!;
        Assert.Equal(StepStatus.Fail, step.Status);
        Assert.Contains("maximum-vty 0", step.Finding, StringComparison.Ordinal);
    }
}
