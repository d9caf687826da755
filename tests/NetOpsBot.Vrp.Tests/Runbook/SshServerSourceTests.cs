using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// "ssh server-source -i X" lets SSH in only on X (Huawei command reference: "the system allows only SFTP, STelnet,
/// SCP, and SNETCONF users to log in to the server through the specified source interface"): a root cause of its
/// own when X is not the interface holding the device's management address.
/// </summary>
public sealed class SshServerSourceTests
{
    // Real CE switch configuration published in a public GitHub repository (hardening notes): SSH bound to LoopBack0.
    private const string CeLoopbackOnly = """
        #
        stelnet server enable
        ssh server rsa-key min-length 3072
        ssh server-source -i LoopBack0
        undo ssh server-source all-interface
        undo ssh ipv6 server-source all-interface
        ssh authorization-type default aaa
        #
        """;

    // Real VRP router notes (public GitHub markdown): two -i lines accumulate.
    private const string TwoSourceLines = """
        ssh server-source -i Ethernet0/0/0
        ssh server-source -i Ethernet0/0/1
        undo ssh server-source all-interface
        """;

    [Fact]
    public void Parse_RealSourceStatements_InterfacesAndAllInterfaceState()
    {
        var ce = CurrentConfigurationParser.Parse(CeLoopbackOnly).Value!;
        Assert.Equal(["LoopBack0"], ce.SshSourceInterfaces);
        Assert.False(ce.SshSourceAllInterfaces);
        Assert.True(ce.SshAnswersOn("loopback 0"));
        Assert.False(ce.SshAnswersOn("10GE1/0/4"));

        var two = CurrentConfigurationParser.Parse(TwoSourceLines).Value!;
        Assert.Equal(["Ethernet0/0/0", "Ethernet0/0/1"], two.SshSourceInterfaces);

        var undone = CurrentConfigurationParser.Parse(TwoSourceLines + "\nundo ssh server-source -i Ethernet0/0/0").Value!;
        Assert.Equal(["Ethernet0/0/1"], undone.SshSourceInterfaces);

        // display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt: "ssh server-source all-interface".
        var doc = CurrentConfigurationParser.Parse(SampleFiles.Read("display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt")).Value!;
        Assert.True(doc.SshSourceAllInterfaces);
        Assert.True(doc.SshAnswersOn("Vlanif10"));
    }

    [Fact]
    public void Parse_AllInterfaceUndoneAndNoList_NoInterfaceAnswers()
    {
        var c = CurrentConfigurationParser.Parse("stelnet server enable\nundo ssh server-source all-interface\n").Value!;

        Assert.False(c.SshAnswersOn("Vlanif12"));
        Assert.False(c.SshAnswersOn(null));
    }

    private static DiagnosisFacts Facts(bool? excludes, AccessPath? cli, ProbeOutcome probe22) => new()
    {
        ConfiguredPort = 22,
        Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, probe22, "", TimeSpan.Zero) },
        CliPath = cli,
        HasRouteToManagement = true,
        StelnetEnabled = true,
        ListeningPorts = [22],
        RsaKeyPresent = true,
        AclDeniesManagement = false,
        SshSourceExcludesManagement = excludes,
        ManagementInterface = "Vlanif12",
    };

    [Fact]
    public void Rule_ExcludedAndRefusedOverConsole_FiresHigh()
    {
        var f = SshUnreachableRules.Evaluate(Facts(true, AccessPath.Console, ProbeOutcome.Refused));

        var finding = Assert.Single(f);
        Assert.Equal((SshUnreachableCauses.SshSourceExcludesManagement, Confidence.High), (finding.Cause, finding.Confidence));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public void Rule_NotExcludedOrUnknown_DoesNotFire(bool? excludes) =>
        Assert.DoesNotContain(SshUnreachableRules.Evaluate(Facts(excludes, AccessPath.Console, ProbeOutcome.Refused)), x => x.Cause == SshUnreachableCauses.SshSourceExcludesManagement);

    [Fact]
    public void Rule_BotLoggedInOverSshOnConfiguredPort_DoesNotFire()
    {
        var f = SshUnreachableRules.Evaluate(Facts(true, AccessPath.Ssh(22), ProbeOutcome.Open));

        Assert.DoesNotContain(f, x => x.Cause == SshUnreachableCauses.SshSourceExcludesManagement);
        Assert.DoesNotContain(f, x => x.Cause == SshUnreachableCauses.Healthy);
    }

    private static FakeDeviceAccess LoopbackOnlyScenario(bool managementInterfaceInConfig = true)
    {
        var a = LabScenarios.Healthy();
        a.Sw().Probes[22] = ProbeOutcome.Refused;
        a.Sw().Probes[23] = ProbeOutcome.Refused;
        var cfg = LabScenarios.ConfigHealthy.Replace(
            "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1",
            "interface LoopBack0\n ip address 10.99.0.1 255.255.255.255\n#\nip route-static 0.0.0.0 0.0.0.0 10.12.0.1\n#\nssh server-source -i LoopBack0\nundo ssh server-source all-interface",
            StringComparison.Ordinal);
        if (!managementInterfaceInConfig)
        {
            cfg = cfg.Replace("interface Vlanif12\n ip address 10.12.0.12 255.255.255.0\n", string.Empty, StringComparison.Ordinal);
            a.Sw().Outputs["display ip interface brief"] = """
                <sw-access-12>display ip interface brief
                Interface                         IP Address/Mask      Physical   Protocol
                LoopBack0                         10.99.0.1/32         up         up(s)
                NULL0                             unassigned           up         up(s)
                Vlanif12                          10.12.0.12/24        up         up
                """;
        }

        a.Sw().Outputs["display current-configuration"] = cfg;
        return a;
    }

    private static Task<DiagnosisReport> RunAsync(FakeDeviceAccess access) =>
        new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp)
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Runner_SourceIsLoopbackOnly_RootCauseAndTypedFix(bool managementInterfaceInConfig)
    {
        var report = await RunAsync(LoopbackOnlyScenario(managementInterfaceInConfig));

        Assert.Equal(["ssh-source-excludes-management"], report.RootCauseCodes);
        var hardening = report.Step(SshUnreachableSteps.Hardening)!;
        Assert.Equal(StepStatus.Fail, hardening.Status);
        Assert.Contains("management interface: Vlanif12 holds 10.12.0.12", hardening.Evidence);
        var plan = Assert.Single(report.Remediations);
        Assert.Equal("ssh-source-excludes-management.add-management-interface", plan.Id);
        Assert.Equal(["system-view", "ssh server-source -i Vlanif12", "return"], plan.Commands.Select(c => c.Text));
        Assert.Equal((RemediationKind.Config, "ssh server-source -i {interface:interface}"), (plan.Kind, plan.Commands[1].Template));
    }

    [Theory]
    [InlineData("Vlanif12", true)]
    [InlineData("LoopBack0", true)]
    [InlineData("MEth0/0/1", true)]
    [InlineData("40GE2/0/35.205", true)]
    [InlineData("Eth-Trunk1", true)]
    [InlineData("Vlanif12 ; reboot", false)]
    [InlineData("Vlanif12|include", false)]
    [InlineData("all-interface", false)]
    [InlineData("Vlanif", false)]
    [InlineData("12", false)]
    [InlineData("Vlanif12.", false)]
    [InlineData("-Vlanif12", false)]
    public void Template_InterfaceParameter_ValidatesName(string value, bool ok)
    {
        var r = CommandTemplate.Parse("ssh server-source -i {interface:interface}").TryRender(new Dictionary<string, string> { ["interface"] = value });

        Assert.Equal(ok, r.Succeeded);
    }

    [Fact]
    public void Verification_ReadBackListsTheInterface()
    {
        var bound = CommandTemplate.Parse("ssh server-source -i {interface:interface}").TryRender(new Dictionary<string, string> { ["interface"] = "Vlanif12" }).Command!;
        var v = NetOpsBot.Vrp.Remediation.RemediationVerifications.For(bound)!;

        Assert.True(v.Judge([CeLoopbackOnly + "\nssh server-source -i Vlanif12\n"]).Verified);
        Assert.False(v.Judge([CeLoopbackOnly]).Verified);
    }
}
