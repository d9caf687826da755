using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Diagnosis;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>Each rule of the table, positive and negative, over hand-built facts.</summary>
public sealed class SshUnreachableRulesTests
{
    private static DiagnosisFacts Healthy() => new()
    {
        ConfiguredPort = 22,
        Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Open, "", TimeSpan.Zero) },
        CliPath = AccessPath.Ssh(22),
        GatewayArpPresent = true,
        GatewayPingOk = true,
        HasRouteToManagement = true,
        StelnetEnabled = true,
        ListeningPorts = [22, 23],
        KnownServicePorts = [23, 830],
        SshDebugLineCount = 2,
        RsaKeyPresent = true,
        VtyProtocol = "ssh",
        AclDeniesManagement = false,
    };

    private static bool Fires(string ruleId, DiagnosisFacts facts) => SshUnreachableRules.All.Single(r => r.Id == ruleId).When(facts);

    [Fact]
    public void Table_RuleIds_AreUnique() =>
        Assert.Equal(SshUnreachableRules.All.Count, SshUnreachableRules.All.Select(r => r.Id).Distinct().Count());

    [Fact]
    public void JumpHost_Unreachable_Fires() => Assert.True(Fires("jump-host.unreachable", new DiagnosisFacts { JumpHostUnreachable = true }));

    [Fact]
    public void JumpHost_Reachable_DoesNotFire() => Assert.False(Fires("jump-host.unreachable", Healthy()));

    [Fact]
    public void HostKey_Mismatch_Fires() => Assert.True(Fires("access.host-key-mismatch", new DiagnosisFacts { HostKeyMismatch = true }));

    [Fact]
    public void HostKey_Match_DoesNotFire() => Assert.False(Fires("access.host-key-mismatch", Healthy()));

    [Fact]
    public void NoAnswer_AllProbesTimeOutAndNoCli_Fires()
    {
        var f = new DiagnosisFacts { Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Timeout, "", TimeSpan.Zero) }, GatewayArpPresent = false };
        Assert.True(Fires("access.no-answer", f));
        Assert.Equal(Confidence.High, SshUnreachableRules.Evaluate(f).Single().Confidence);
    }

    [Fact]
    public void ReturnRoute_UnreachableStage_SaysSoPlainlyFirst()
    {
        var f = new DiagnosisFacts
        {
            Probes = new Dictionary<int, TcpProbeResult>
            {
                [22] = new(22, ProbeOutcome.Timeout, "", TimeSpan.Zero),
                [64443] = new(64443, ProbeOutcome.Timeout, "", TimeSpan.Zero),
            },
            CliPath = AccessPath.Console,
            GatewayArpPresent = true,
            GatewayPingOk = true,
            HasRouteToManagement = false,
        };

        var finding = SshUnreachableRules.Evaluate(f).Single(x => x.Cause == SshUnreachableCauses.ReturnRouteMissing);

        Assert.Equal("no TCP answer from the management subnet, gateway has ARP and ping answers, the switch has no route back (CLI reached over the console)", finding.Evidence[0]);
    }

    [Fact]
    public void ReturnRoute_PortRefused_NoUnreachableSentence()
    {
        // Stage two: a RST proves a path back exists for some traffic; the sentence would contradict it.
        var f = Healthy();
        f.Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Refused, "", TimeSpan.Zero) };
        f.HasRouteToManagement = false;

        var finding = SshUnreachableRules.Evaluate(f).Single(x => x.Cause == SshUnreachableCauses.ReturnRouteMissing);

        Assert.DoesNotContain(finding.Evidence, e => e.StartsWith("no TCP answer", StringComparison.Ordinal));
    }

    [Fact]
    public void NoAnswer_PortRefused_DoesNotFire()
    {
        // A RST proves the host is alive.
        var f = new DiagnosisFacts { Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Refused, "", TimeSpan.Zero) } };
        Assert.False(Fires("access.no-answer", f));
    }

    [Fact]
    public void StelnetDisabled_False_Fires()
    {
        var f = Healthy();
        f.StelnetEnabled = false;
        Assert.True(Fires("service.stelnet-disabled", f));
    }

    [Fact]
    public void StelnetDisabled_Unknown_DoesNotFire()
    {
        var f = Healthy();
        f.StelnetEnabled = null;
        Assert.False(Fires("service.stelnet-disabled", f));
    }

    [Fact]
    public void RsaKeyMissing_Absent_Fires()
    {
        var f = Healthy();
        f.RsaKeyPresent = false;
        Assert.True(Fires("hardening.rsa-key-missing", f));
    }

    [Fact]
    public void RsaKeyMissing_Present_DoesNotFire() => Assert.False(Fires("hardening.rsa-key-missing", Healthy()));

    [Fact]
    public void VtyProtocol_TelnetOnly_Fires()
    {
        var f = Healthy();
        f.VtyProtocol = "telnet";
        Assert.True(Fires("hardening.vty-protocol-not-ssh", f));
    }

    [Theory]
    [InlineData("ssh")]
    [InlineData("all")]
    [InlineData(null)]
    public void VtyProtocol_SshAllOrDefault_DoesNotFire(string? protocol)
    {
        var f = Healthy();
        f.VtyProtocol = protocol;
        Assert.False(Fires("hardening.vty-protocol-not-ssh", f));
    }

    [Fact]
    public void VtyAcl_Denies_Fires()
    {
        var f = Healthy();
        f.AclDeniesManagement = true;
        Assert.True(Fires("hardening.vty-acl-denies-management", f));
    }

    [Fact]
    public void VtyAcl_Permits_DoesNotFire() => Assert.False(Fires("hardening.vty-acl-denies-management", Healthy()));

    [Fact]
    public void GhostPort_ListenerOn64443Not22_FiresWithHighConfidence()
    {
        var f = Healthy();
        f.ListeningPorts = [23, 64443];
        f.Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Refused, "", TimeSpan.Zero) };
        f.SshDebugLineCount = 0;
        Assert.True(Fires("listener.ghost-port", f));
        Assert.Equal(Confidence.High, SshUnreachableRules.Evaluate(f).Single(x => x.Cause == SshUnreachableCauses.ListenerStuck).Confidence);
    }

    [Fact]
    public void GhostPort_ListeningOnConfiguredPort_DoesNotFire()
    {
        var f = Healthy();
        f.ListeningPorts = [22, 64443];
        Assert.False(Fires("listener.ghost-port", f));
    }

    [Fact]
    public void NotListening_NoGhost_Fires()
    {
        var f = Healthy();
        f.ListeningPorts = [23];
        Assert.True(Fires("listener.not-listening", f));
    }

    [Fact]
    public void NotListening_RsaKeyMissing_DoesNotFire()
    {
        // Without a host key VRP may not bind SSH at all; that is rsa-key-missing, not a stuck listener.
        var f = Healthy();
        f.ListeningPorts = [23];
        f.RsaKeyPresent = false;
        Assert.False(Fires("listener.not-listening", f));
    }

    [Fact]
    public void NoReturnRoute_Missing_Fires()
    {
        var f = Healthy();
        f.HasRouteToManagement = false;
        Assert.True(Fires("routing.no-return-route", f));
    }

    [Fact]
    public void NoReturnRoute_Unknown_DoesNotFire()
    {
        var f = Healthy();
        f.HasRouteToManagement = null;
        Assert.False(Fires("routing.no-return-route", f));
    }

    [Fact]
    public void Healthy_AllGood_Fires() => Assert.True(Fires("verdict.healthy", Healthy()));

    [Fact]
    public void Healthy_PortRefused_DoesNotFire()
    {
        var f = Healthy();
        f.Probes = new Dictionary<int, TcpProbeResult> { [22] = new(22, ProbeOutcome.Refused, "", TimeSpan.Zero) };
        Assert.False(Fires("verdict.healthy", f));
    }

    [Fact]
    public void Evaluate_StoppingRule_SuppressesOthers()
    {
        var f = Healthy();
        f.HostKeyMismatch = true;
        f.HasRouteToManagement = false;
        Assert.Equal(["host-key-mismatch"], SshUnreachableRules.Evaluate(f).Select(x => x.Cause.Code));
    }

    [Fact]
    public void Evaluate_SeedFacts_FiresRouteAndListener()
    {
        var f = Healthy();
        f.HasRouteToManagement = false;
        f.ListeningPorts = [23, 64443];
        var codes = SshUnreachableRules.Evaluate(f).Select(x => x.Cause.Code).Order(StringComparer.Ordinal);
        Assert.Equal(["listener-stuck", "return-route-missing"], codes);
    }

    [Theory]
    [InlineData("10.200.0.10", false, "ACL 2000 rule 10 denies 10.200.0.10")]
    [InlineData("10.12.0.5", true, "ACL 2000 rule 5 permits 10.12.0.5")]
    public void AclEvaluator_LabAcl2000_FirstMatchByRuleId(string source, bool permitted, string finding)
    {
        var acl = new AclConfig("2000", null,
        [
            new AclRule(10, "deny", null, "10.200.0.0", "0.0.0.255", null, null, "rule 10 deny source 10.200.0.0 0.0.0.255"),
            new AclRule(5, "permit", null, "10.12.0.0", "0.0.0.255", null, null, "rule 5 permit source 10.12.0.0 0.0.0.255"),
        ]);
        var verdict = AclEvaluator.Evaluate("2000", [acl], IPAddress.Parse(source));
        Assert.Equal(permitted, verdict.Permitted);
        // The sentence a user reads on the card: English verbs, not "denys".
        Assert.Equal(finding, verdict.Reason);
    }

    [Fact]
    public void AclEvaluator_NoRuleMatches_Denies()
    {
        var acl = new AclConfig("2001", null, [new AclRule(5, "permit", null, "10.12.0.0", "0.0.0.255", null, null, "rule 5 permit source 10.12.0.0 0.0.0.255")]);
        Assert.False(AclEvaluator.Evaluate("2001", [acl], IPAddress.Parse("10.200.0.10")).Permitted);
    }

    [Fact]
    public void AclEvaluator_AclNotConfigured_Permits() =>
        Assert.True(AclEvaluator.Evaluate("2999", [], IPAddress.Parse("10.200.0.10")).Permitted);

    [Fact]
    public async Task Remediation_VtyAcl_PermitRuleGoesBeforeTheDeny()
    {
        var report = await new DiagnosisRunner(LabScenarios.VtyAclScenario(), new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp)
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);
        var plan = Assert.Single(report.Remediations);
        Assert.Equal(["system-view", "acl number 2000", "rule 9 permit source 10.200.0.0 0.0.0.255", "return"], plan.Commands.Select(c => c.Text));
        Assert.Contains(plan.Notes, n => n.Contains("rule 10 deny source 10.200.0.0 0.0.0.255", StringComparison.Ordinal));
    }
}
