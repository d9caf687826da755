using NetOpsBot.Lab.Emulator;
using NetOpsBot.Testing;

namespace NetOpsBot.Lab.Emulator.Tests;

/// <summary>Checks emulator output shape against the real captures in vrp-samples (headers, column layout, key names).</summary>
public sealed class SampleConformanceTests
{
    private static List<string> Sample(string relative) =>
        [.. File.ReadAllText(Path.Combine(RepoPaths.VrpSamples, relative)).Split('\n').Select(l => l.TrimEnd('\r', ' '))];

    private static List<string> Emulated(string command)
    {
        var lab = new Lab(access: p => p with { StaticRoutes = [new("0.0.0.0", 0, "10.12.0.1")] });
        using var t = lab.Ssh();
        t.Run("screen-length 0 temporary");
        return [.. t.Run(command).Select(l => l.TrimEnd())];
    }

    [Fact]
    public void DisplayTcpStatus_HeaderAndColumnsMatchSample()
    {
        var sample = Sample("display_tcp_status/blog-lanhongshi-quidway-s5700_1.txt");
        var emulated = Emulated("display tcp status");

        Assert.Equal(sample[1], emulated[0]);
        var listener = emulated.First(l => l.EndsWith("Listening", StringComparison.Ordinal));
        Assert.Equal(sample[2].IndexOf("0.0.0.0:", StringComparison.Ordinal), listener.IndexOf("0.0.0.0:", StringComparison.Ordinal));
        Assert.Equal(sample[2].IndexOf("-1", StringComparison.Ordinal), listener.IndexOf("-1", StringComparison.Ordinal));
        Assert.Equal(sample[2].IndexOf("Listening", StringComparison.Ordinal), listener.IndexOf("Listening", StringComparison.Ordinal));
    }

    [Fact]
    public void DisplayIpRoutingTable_HeadersAndColumnsMatchSample()
    {
        var sample = Sample("display_ip_routing-table/blog-muxvlan-s5700-ensp_1.txt");
        var emulated = Emulated("display ip routing-table");

        foreach (var header in sample.Skip(1).Take(3).Append(sample[5]))
        {
            Assert.Contains(header, emulated);
        }

        var sampleRow = sample.First(l => l.Contains("127.0.0.0/8", StringComparison.Ordinal));
        Assert.Contains(sampleRow, emulated);
        var sampleStatic = sample.First(l => l.Contains("Static", StringComparison.Ordinal));
        var emulatedStatic = emulated.First(l => l.Contains("Static", StringComparison.Ordinal));
        foreach (var column in new[] { "/", "Static", "60", "RD", "10.", "Vlanif" })
        {
            Assert.Equal(sampleStatic.IndexOf(column, StringComparison.Ordinal), emulatedStatic.IndexOf(column, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DisplaySshServerStatus_KeysAndColonColumnMatchSample()
    {
        var sample = Sample("display_ssh_server_status/blog-lanhongshi-quidway-s5700_1.txt").Skip(1).Where(l => l.Length > 0).ToList();
        var emulated = Emulated("display ssh server status");

        foreach (var line in sample)
        {
            var key = line[..(line.IndexOf(':', StringComparison.Ordinal) + 1)];
            Assert.Contains(emulated, l => l.StartsWith(key, StringComparison.Ordinal));
        }

        Assert.Contains(" SSH connection timeout              :60 seconds", emulated);
    }

    [Fact]
    public void DisplayArp_HeaderRulesAndColumnsMatchSample()
    {
        var sample = Sample("display_arp/nlb-multicast-s5720ei_1.txt");
        var emulated = Emulated("display arp");

        Assert.Equal(sample[1], emulated[0]);
        Assert.Equal(sample[2], emulated[1]);
        Assert.Equal(sample[3], emulated[2]);
        var sampleOwn = sample.First(l => l.Contains("I -", StringComparison.Ordinal));
        var emulatedOwn = emulated.First(l => l.Contains("I -", StringComparison.Ordinal));
        Assert.Equal(sampleOwn.IndexOf("I -", StringComparison.Ordinal), emulatedOwn.IndexOf("I -", StringComparison.Ordinal));
        Assert.Equal(sampleOwn.IndexOf("Vlanif", StringComparison.Ordinal), emulatedOwn.IndexOf("Vlanif", StringComparison.Ordinal));
        var footer = Sample("display_arp/blog-muxvlan-s5700-ensp_1.txt")[^2];
        Assert.Equal(footer.IndexOf("Dynamic:", StringComparison.Ordinal), emulated[^1].IndexOf("Dynamic:", StringComparison.Ordinal));
        Assert.Equal(footer.IndexOf("Interface:", StringComparison.Ordinal), emulated[^1].IndexOf("Interface:", StringComparison.Ordinal));
    }

    [Fact]
    public void DisplayIpInterfaceBrief_HeaderMatchesSample()
    {
        var sample = Sample("display_ip_interface_brief/blog-pppoe-ar-ensp_1.txt");
        var emulated = Emulated("display ip interface brief");

        Assert.Contains(sample.First(l => l.StartsWith("Interface ", StringComparison.Ordinal)), emulated);
        Assert.Contains(sample.First(l => l.StartsWith("NULL0", StringComparison.Ordinal)), emulated);
        Assert.Equal(sample[1], emulated[0]);
    }

    [Fact]
    public void DisplayVersion_FirstLinesMatchSampleShape()
    {
        var sample = Sample("display_version/blog-lanhongshi-quidway-s5700_1.txt");
        var emulated = Emulated("display version");

        Assert.Equal(sample[1], emulated[0]);
        Assert.Matches(@"^VRP \(R\) software, Version 5\.\d+ \(\S+ V\d+R\d+C\d+\w*\)$", emulated[1]);
        Assert.Matches(@"^.+ uptime is \d+ weeks?, \d+ days?, \d+ hours?, \d+ minutes?$", emulated[3]);
    }

    [Fact]
    public void Ping_LayoutMatchesSample()
    {
        var sample = Sample("ping/mpls-lab-es-ar-ensp_1.txt");
        var emulated = Emulated("ping 10.12.0.1");

        static string Shape(string l) => System.Text.RegularExpressions.Regex.Replace(l, @"\d+(\.\d+)*", "N");
        Assert.Equal(sample.Skip(1).Take(13).Select(Shape), emulated.Take(13).Select(Shape));
    }

    [Fact]
    public void Pager_MarkerAndEraseMatchSample()
    {
        var sample = File.ReadAllText(Path.Combine(RepoPaths.VrpSamples, "pagination/comocutor-vrp5-s-series-pager_1.txt"));
        var lab = new Lab();
        using var t = lab.Ssh();
        var output = t.Send("display current-configuration\r") + t.Send(" ");

        var marker = System.Text.RegularExpressions.Regex.Match(sample, "  ---- More ----\u001b\\[42D +\u001b\\[42D").Value;
        Assert.NotEmpty(marker);
        Assert.Contains(marker, output, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorCaret_LayoutMatchesSample()
    {
        var sample = Sample("error_messages/gnetcli-huawei-error-cases_1.txt");
        var emulated = Emulated("frobnicate");

        Assert.Equal(sample[1], emulated[1]);
        Assert.Matches(@"^ +\^$", emulated[0]);
    }
}
