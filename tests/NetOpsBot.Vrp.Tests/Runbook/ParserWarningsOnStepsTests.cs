using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>What a parser could not read reaches the step as "Warn:" evidence; an Ok step becomes Warn.</summary>
public sealed class ParserWarningsOnStepsTests
{
    private static Task<DiagnosisReport> RunAsync(FakeDeviceAccess access) =>
        new DiagnosisRunner(access, new FakeInventory(LabScenarios.Device, LabScenarios.Gateway), TimeProvider.System, TestPlatforms.Vrp)
            .RunAsync(LabScenarios.Device, null, CancellationToken.None);

    [Fact]
    public async Task Routing_CountSaysMoreRoutesThanRows_StepWarnsWithTheCount()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display ip routing-table"] = LabScenarios.RoutesWithDefault.Replace("Destinations : 4        Routes : 4", "Destinations : 12       Routes : 12", StringComparison.Ordinal);

        var step = (await RunAsync(access)).Step(SshUnreachableSteps.Routing)!;

        Assert.Equal(StepStatus.Warn, step.Status);
        Assert.Contains("parser warning", step.Finding, StringComparison.Ordinal);
        Assert.Contains("Warn: display ip routing-table: table: the device counts 12 routes, 4 were read", step.Evidence);
    }

    [Fact]
    public async Task Routing_UnknownLineInTable_StepEvidenceQuotesIt()
    {
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display ip routing-table"] = LabScenarios.RoutesWithDefault.Replace(
            "127.0.0.0/8   Direct  0    0           D   127.0.0.1       InLoopBack0",
            "127.0.0.0/8   Direct  0    0           D   127.0.0.1       InLoopBack0\nRoute suppressed by dampening: 10.99.0.0/16",
            StringComparison.Ordinal);

        var step = (await RunAsync(access)).Step(SshUnreachableSteps.Routing)!;

        Assert.Equal(StepStatus.Warn, step.Status);
        Assert.Contains(step.Evidence, l => l.StartsWith("Warn: ", StringComparison.Ordinal) && l.Contains("Route suppressed by dampening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listener_RowNotUnderstood_StepWarnsButKeepsItsFinding()
    {
        // A VRP5 row (display_tcp_status/blog-lanhongshi-quidway-s5700_1.txt layout) whose state column is unknown.
        var access = LabScenarios.Healthy();
        access.Sw().Outputs["display tcp status"] = LabScenarios.TcpHealthy + "\n0d4315f0 103/9    0.0.0.0:830           0.0.0.0:0             -1     Bound_Wait\n";

        var step = (await RunAsync(access)).Step(SshUnreachableSteps.Listener)!;

        Assert.Equal(StepStatus.Warn, step.Status);
        Assert.StartsWith("Listening on port 22", step.Finding, StringComparison.Ordinal);
        Assert.Contains(step.Evidence, l => l.StartsWith("Warn: display tcp status: line not understood:", StringComparison.Ordinal) && l.Contains("Bound_Wait", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_ArpTotalDisagrees_StepWarns()
    {
        var access = LabScenarios.Healthy();
        access.Gw().Outputs[$"display arp | include {LabScenarios.DeviceIp}"] = LabScenarios.ArpEntry + "\nTotal:2        Dynamic:2       Static:0     Interface:0";

        var step = (await RunAsync(access)).Step(SshUnreachableSteps.Gateway)!;

        Assert.Equal(StepStatus.Warn, step.Status);
        Assert.Contains($"Warn: display arp | include {LabScenarios.DeviceIp}: the device counts 2 ARP entries, 1 were read", step.Evidence);
    }

    [Fact]
    public async Task Healthy_CleanOutputs_NoWarnLines()
    {
        var report = await RunAsync(LabScenarios.Healthy());

        Assert.DoesNotContain(report.Steps.SelectMany(s => s.Evidence), l => l.StartsWith("Warn: ", StringComparison.Ordinal));
    }

    [Fact]
    public void TcpStatus_EverySharedSample_NoFalseWarnings()
    {
        foreach (var file in SampleFiles.Txt("display_tcp_status"))
        {
            var r = TcpStatusParser.Parse(SampleFiles.Read(file));
            Assert.True(r.Warnings.Count == 0, file + ": " + string.Join(" | ", r.Warnings));
        }
    }
}

/// <summary>ARP and ping outputs: counts checked, warnings reach the gateway step.</summary>
public sealed class GatewayWarningsTests
{
    [Fact]
    public void Arp_EverySharedSample_CountsAgreeWithRows()
    {
        foreach (var file in SampleFiles.Txt("display_arp"))
        {
            var r = ArpParser.Parse(SampleFiles.Read(file));
            if (file.EndsWith("napalm-huawei-vrp-vrp5_1.txt", StringComparison.Ordinal))
            {
                // SOURCES.md: a fixture whose Total line does not match its (trimmed) rows: a true warning.
                Assert.Equal(["the device counts 17 ARP entries, 7 were read"], r.Warnings);
                continue;
            }

            Assert.True(r.Warnings.Count == 0, file + ": " + string.Join(" | ", r.Warnings));
        }
    }

    [Fact]
    public void Arp_TotalSaysMoreThanRows_Warns()
    {
        // display_arp/blog-muxvlan-s5700-ensp_1.txt (a real eNSP capture) with its "Total:" count raised by one.
        var text = SampleFiles.Read("display_arp/blog-muxvlan-s5700-ensp_1.txt");
        var total = System.Text.RegularExpressions.Regex.Match(text, @"Total:(\d+)");
        Assert.True(total.Success);
        var n = int.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var r = ArpParser.Parse(text.Replace(total.Value, "Total:" + (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Contains($"the device counts {n + 1} ARP entries, {n} were read", r.Warnings);
    }

    [Fact]
    public void Ping_LabGatewayPing_NoWarning()
    {
        var r = PingParser.Parse(LabScenarios.PingOk);

        Assert.True(r.IsParsed);
        Assert.Empty(r.Warnings);
    }
}
