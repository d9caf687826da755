namespace NetOpsBot.Vrp.Tests;

/// <summary>
/// Outputs as real terminals deliver them (80-column wrap, protocol-filtered tables, counts that disagree with
/// the rows), not as clean documentation samples. Each test names the sample it starts from.
/// </summary>
public sealed class FieldOutputTests
{
    // Real eNSP AR capture, "dis ip routing-table protocol ospf" on a VRP5 router, copied from a public GitHub
    // markdown lab note (OSPF DR/BDR lab, found by exact-string search for "routing table status : <Inactive>"):
    // the terminal was 80 columns wide, so "GigabitEthernet0/0/0" wrapped after column 80.
    private const string EnspOspfWrapped = """
        [R1]dis ip routing-table protocol ospf
        Route Flags: R - relay, D - download to fib
        ------------------------------------------------------------------------------
        Public routing table : OSPF
                 Destinations : 4        Routes : 4

        OSPF routing table status : <Active>
                 Destinations : 4        Routes : 4

        Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

               10.0.2.2/32  OSPF    10   1           D   10.0.123.2      GigabitEthernet
        0/0/0
               10.0.3.3/32  OSPF    10   1           D   10.0.123.3      GigabitEthernet
        0/0/0
               10.1.0.1/32  OSPF    10   48          D   10.0.14.4       Serial2/0/0
               10.1.1.1/32  OSPF    10   48          D   10.0.14.4       Serial2/0/0

        OSPF routing table status : <Inactive>
                 Destinations : 0        Routes : 0

        [R1]
        """;

    [Fact]
    public void RoutingTable_InterfaceWrappedAt80Columns_RejoinedNotDropped()
    {
        var r = RoutingTableParser.Parse(EnspOspfWrapped);

        Assert.True(r.IsParsed);
        Assert.Equal(4, r.Value!.Routes.Count);
        Assert.Equal(["GigabitEthernet0/0/0", "GigabitEthernet0/0/0", "Serial2/0/0", "Serial2/0/0"], r.Value.Routes.Select(x => x.Interface));
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public void RoutingTable_ProtocolFiltered_SectionsAndCountsRead()
    {
        var r = RoutingTableParser.Parse(EnspOspfWrapped).Value!;

        Assert.Equal(("Public", "OSPF"), (r.TableName, r.Protocol));
        Assert.Equal((4, 4), (r.Destinations, r.RoutesCount));
        Assert.Equal(new RouteCounts(4, 4), r.ActiveCounts);
        Assert.Equal(new RouteCounts(0, 0), r.InactiveCounts);
        Assert.All(r.Routes, x => Assert.True(x.Active));
    }

    // Built on the layout of the eNSP capture above and of Huawei's "display ip routing-table protocol" reference
    // (VRP8: "_public_ Routing Table : Direct" / "Direct routing table status : <Inactive>"): a static default route
    // whose next hop is unresolved sits in the Inactive section. It must not count as a route back.
    private const string StaticWithInactiveDefault = """
        <SW1>display ip routing-table protocol static
        Route Flags: R - relay, D - download to fib
        ------------------------------------------------------------------------------
        Public routing table : Static
                 Destinations : 2        Routes : 2        Configured Routes : 2

        Static routing table status : <Active>
                 Destinations : 1        Routes : 1

        Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

             10.20.0.0/16   Static  60   0          RD   10.12.0.1       Vlanif10

        Static routing table status : <Inactive>
                 Destinations : 1        Routes : 1

        Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

               0.0.0.0/0    Static  60   0               10.99.0.1       Unknown

        <SW1>
        """;

    [Fact]
    public void RoutingTable_ProtocolStatic_InactiveDefaultRouteIsNotUsable()
    {
        var r = RoutingTableParser.Parse(StaticWithInactiveDefault);

        Assert.True(r.IsParsed);
        var t = r.Value!;
        Assert.Equal("Static", t.Protocol);
        Assert.Equal(2, t.Routes.Count);
        Assert.False(t.Routes.Single(x => x.IsDefault).Active);
        Assert.True(t.HasDefaultRoute);
        Assert.False(t.HasUsableDefaultRoute);
        Assert.Null(t.FindRoute("192.0.2.10"));
        Assert.Equal("10.12.0.1", t.FindRoute("10.20.1.1")!.NextHop);
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public void RoutingTable_SummaryCountDisagreesWithRows_Warns()
    {
        // display_ip_routing-table/ce12800-troubleshooting-notes_1.txt says "Summary Count : 4"; drop one ECMP row.
        var lines = SampleFiles.Read("display_ip_routing-table/ce12800-troubleshooting-notes_1.txt").Split('\n').ToList();
        var last = lines.FindLastIndex(l => l.Contains("100.125.232.58", StringComparison.Ordinal));
        lines.RemoveAt(last);

        var r = RoutingTableParser.Parse(string.Join('\n', lines));

        Assert.Equal(3, r.Value!.Routes.Count);
        Assert.Contains(r.Warnings, w => w.Contains("counts 4 routes, 3 were read", StringComparison.Ordinal));
    }

    [Fact]
    public void RoutingTable_DestinationsCountDisagreesWithRows_Warns()
    {
        // display_ip_routing-table/blog-vpn-gre-ar-ensp_1.txt prints "Destinations : 15 Routes : 15"; pretend one more.
        var text = SampleFiles.Read("display_ip_routing-table/blog-vpn-gre-ar-ensp_1.txt").Replace("Destinations : 15", "Destinations : 16", StringComparison.Ordinal);

        var r = RoutingTableParser.Parse(text);

        Assert.Contains(r.Warnings, w => w.Contains("counts 16 destinations, 15 were read", StringComparison.Ordinal));
    }

    [Fact]
    public void RoutingTable_UnknownLineInsideTable_WarnsWithTheLine()
    {
        // display_ip_routing-table/blog-vpn-gre-ar-ensp_1.txt with a line a newer release might add.
        var lines = SampleFiles.Read("display_ip_routing-table/blog-vpn-gre-ar-ensp_1.txt").Split('\n').ToList();
        var header = lines.FindIndex(l => l.TrimStart().StartsWith("Destination/Mask", StringComparison.Ordinal));
        lines.Insert(header + 2, "Tunnel0/0/1 route suppressed: flap dampening");

        var r = RoutingTableParser.Parse(string.Join('\n', lines));

        Assert.Contains("line not understood: Tunnel0/0/1 route suppressed: flap dampening", r.Warnings);
    }

    [Fact]
    public void RoutingTable_EverySharedSample_NoFalseWarnings()
    {
        foreach (var file in SampleFiles.Txt("display_ip_routing-table"))
        {
            var r = RoutingTableParser.Parse(SampleFiles.Read(file));
            if (file.EndsWith("lab-evpn-router-vrp8_1.txt", StringComparison.Ordinal))
            {
                // SOURCES.md: the author truncated this table (header says 10 routes, 6 shown): a true warning.
                Assert.Contains("table: the device counts 10 routes, 6 were read", r.Warnings);
                continue;
            }

            if (file.EndsWith("ntc-templates-verbose_2.txt", StringComparison.Ordinal))
            {
                // A test fixture cut to 8 of the 363 routes its header counts: a true warning.
                Assert.Contains("table: the device counts 363 routes, 8 were read", r.Warnings);
                continue;
            }

            Assert.True(r.Warnings.Count == 0, file + ": " + string.Join(" | ", r.Warnings));
        }
    }

    [Fact]
    public void Rsa_OpenSshKeyWrappedAt80Columns_Rejoined()
    {
        // display_rsa_local-key-pair_public/huawei-doc-vrp8-2023_1.txt, with the one-line OpenSSH key re-wrapped
        // the way an 80-column terminal prints it (the doc shows it unwrapped).
        var text = SampleFiles.Read("display_rsa_local-key-pair_public/huawei-doc-vrp8-2023_1.txt").Replace("\r\n", "\n", StringComparison.Ordinal);
        var keyLine = text.Split('\n').Single(l => l.StartsWith("ssh-rsa AAAA", StringComparison.Ordinal)).TrimEnd();
        var wrapped = string.Join('\n', keyLine.Chunk(80).Select(c => new string(c)));

        var r = RsaLocalKeyPairParser.Parse(text.Replace(keyLine, wrapped, StringComparison.Ordinal));

        Assert.True(keyLine.Length > 160);
        Assert.Equal(keyLine, r.Value!.Keys.Single().OpenSshPublicKey);
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public void Rsa_OpenSshKeyCutShort_Warns()
    {
        // Same sample, key line cut at 100 characters (a capture that ended early).
        var text = SampleFiles.Read("display_rsa_local-key-pair_public/huawei-doc-vrp8-2023_1.txt").Replace("\r\n", "\n", StringComparison.Ordinal);
        var keyLine = text.Split('\n').Single(l => l.StartsWith("ssh-rsa AAAA", StringComparison.Ordinal)).TrimEnd();

        var r = RsaLocalKeyPairParser.Parse(text.Replace(keyLine, keyLine[..100], StringComparison.Ordinal));

        Assert.Contains(r.Warnings, w => w.Contains("looks cut", StringComparison.Ordinal));
    }

    // ACL 2002 as published in public VRP ops notes (GitHub markdown), plus an advanced rule of the same device
    // style long enough to wrap; Wrap() cuts every line at 80 columns the way the terminal does.
    private static string Wrap(string text) => string.Join('\n', text.Split('\n').SelectMany(l => l.Length <= 80 ? [l] : l.Chunk(80).Select(c => new string(c))));

    private const string LongRules = """
        #
        acl number 2002
         rule 1 permit vpn-instance __LOCAL_OAM_VPN__ source 172.16.0.0 0.15.255.255
        #
        acl number 3001
         rule 5 permit tcp source 10.200.0.0 0.0.255.255 destination 10.12.0.12 0 destination-port eq 22
         rule 9 permit tcp source 10.200.0.0 0.0.255.255 destination 10.12.0.0 0.0.0.255 destination-port eq 22
         rule 15 deny ip
        #
        user-interface vty 0 4
         acl 3001 inbound
         protocol inbound ssh
        #
        """;

    [Fact]
    public void Configuration_AclRulesWrappedAt80Columns_RejoinedWhole()
    {
        var wrapped = Wrap(LongRules);
        Assert.Contains("\nation-port eq 22", wrapped, StringComparison.Ordinal); // cut inside a word
        Assert.Contains("\n destination-port eq 22", wrapped, StringComparison.Ordinal); // cut at a space

        var c = CurrentConfigurationParser.Parse(wrapped).Value!;
        var rules = c.Acls.Single(a => a.Number == "3001").Rules;

        Assert.Equal([5, 9, 15], rules.Select(r => r.Id!.Value));
        Assert.Equal(
            ["rule 5 permit tcp source 10.200.0.0 0.0.255.255 destination 10.12.0.12 0 destination-port eq 22",
             "rule 9 permit tcp source 10.200.0.0 0.0.255.255 destination 10.12.0.0 0.0.0.255 destination-port eq 22",
             "rule 15 deny ip"],
            rules.Select(r => r.Text));
        Assert.Equal(("10.12.0.0", "0.0.0.255"), (rules[1].Destination, rules[1].DestinationWildcard));
        Assert.Equal("3001", c.Vty.Single().AclInbound);
    }

    [Fact]
    public void Configuration_Unwrapped_SameAsWrapped()
    {
        var plain = CurrentConfigurationParser.Parse(LongRules).Value!;
        var wrapped = CurrentConfigurationParser.Parse(Wrap(LongRules)).Value!;

        Assert.Equal(plain.Acls.SelectMany(a => a.Rules).Select(r => r.Text), wrapped.Acls.SelectMany(a => a.Rules).Select(r => r.Text));
    }
}
