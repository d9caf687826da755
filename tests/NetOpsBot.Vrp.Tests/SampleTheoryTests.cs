using System.Text.Json;
using YamlDotNet.Serialization;

namespace NetOpsBot.Vrp.Tests;

public sealed class SampleTheoryTests
{
    public static TheoryData<string> AllSamples()
    {
        var data = new TheoryData<string>();
        foreach (var dir in SampleFiles.ParsedDirs)
        {
            foreach (var f in SampleFiles.Txt(dir))
            {
                data.Add(f);
            }
        }

        return data;
    }

    public static TheoryData<string> ExpectedSamples()
    {
        var data = new TheoryData<string>();
        foreach (var dir in SampleFiles.ParsedDirs)
        {
            foreach (var f in Directory.EnumerateFiles(SampleFiles.Path(dir), "*.expected.yml").Order(StringComparer.Ordinal))
            {
                data.Add(dir + "/" + Path.GetFileName(f));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Parse_EverySample_ParsedWithMeaningfulField(string sample)
    {
        var text = SampleFiles.Read(sample);
        var dir = sample[..sample.IndexOf('/', StringComparison.Ordinal)];
        switch (dir)
        {
            case "display_tcp_status":
                var tcp = AssertParsed(TcpStatusParser.Parse(text), sample);
                Assert.NotEmpty(tcp.Sockets);
                Assert.All(tcp.Sockets, s => Assert.NotEqual(TcpState.Unknown, s.State));
                break;
            case "display_ssh_server_status":
                var ssh = AssertParsed(SshServerStatusParser.Parse(text), sample);
                Assert.NotNull(ssh.SshVersion);
                Assert.NotNull(ssh.StelnetEnabled);
                break;
            case "display_ip_routing-table":
                var rt = AssertParsed(RoutingTableParser.Parse(text), sample);
                Assert.NotEmpty(rt.Routes);
                Assert.All(rt.Routes, r => Assert.False(string.IsNullOrEmpty(r.NextHop)));
                break;
            case "display_arp":
                var arp = AssertParsed(ArpParser.Parse(text), sample);
                Assert.NotEmpty(arp.Entries);
                break;
            case "ping":
                var ping = AssertParsed(PingParser.Parse(text), sample);
                Assert.True(ping.Sent > 0);
                Assert.False(string.IsNullOrEmpty(ping.Target));
                break;
            case "display_rsa_local-key-pair_public":
                var rsa = AssertParsed(RsaLocalKeyPairParser.Parse(text), sample);
                Assert.True(rsa.KeyPresent);
                Assert.NotNull(rsa.Keys[0].KeyName);
                break;
            case "display_current-configuration":
                var cfg = AssertParsed(CurrentConfigurationParser.Parse(text), sample);
                Assert.NotEmpty(cfg.UserInterfaces);
                Assert.DoesNotContain("cipher", JsonSerializer.Serialize(cfg), StringComparison.OrdinalIgnoreCase);
                break;
            case "display_version":
                var ver = AssertParsed(VersionParser.Parse(text), sample);
                Assert.Matches(@"^[58]\.\d{3}$", ver.VrpVersion);
                Assert.NotNull(ver.Model);
                break;
            case "terminal_monitor_logs":
                var logs = AssertParsed(SshDebugLogParser.Parse(text), sample);
                Assert.NotEmpty(logs.Entries);
                break;
            default:
                Assert.Fail("no parser mapped for " + dir);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(ExpectedSamples))]
    public void Parse_NtcExpectedSample_MatchesFieldByField(string expectedFile)
    {
        var rows = LoadExpected(expectedFile);
        var sample = expectedFile.Replace(".expected.yml", ".txt", StringComparison.Ordinal);
        var text = SampleFiles.Read(sample);
        Assert.NotEmpty(rows);
        if (sample.StartsWith("display_version", StringComparison.Ordinal))
        {
            var v = AssertParsed(VersionParser.Parse(text), sample);
            var e = Assert.Single(rows);
            Assert.Equal(e["vrp_version"], v.VrpVersion);
            Assert.Equal(e["product_version"], v.ProductVersion);
            Assert.Equal(e["model"], v.Model);
            Assert.Equal(e["uptime"], v.Uptime);
            Assert.Equal(e["patch_version"], v.PatchVersion ?? string.Empty);
        }
        else if (sample.StartsWith("display_arp", StringComparison.Ordinal))
        {
            var arp = AssertParsed(ArpParser.Parse(text), sample);
            // ntc-templates' rule requires an INTERFACE column, so its expected output omits interface-less
            // static rows ("S--  MOBILE-OAM"); we keep them, so compare against the rows that have one.
            var withIf = arp.Entries.Where(x => x.Interface is not null).ToList();
            Assert.Equal(rows.Count, withIf.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var e = rows[i];
                var a = withIf[i];
                Assert.Equal(e["ip_address"], a.IpAddress);
                Assert.Equal(e["mac_address"], a.MacAddress);
                Assert.Equal(e["expire"].Trim(), a.ExpireMinutes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                Assert.Equal(e["type"], a.Type);
                Assert.Equal(e["interface"], a.Interface);
                if (e.TryGetValue("vpn_instance", out var vpn))
                {
                    Assert.Equal(vpn, a.VpnInstance ?? string.Empty);
                }

                if (e.TryGetValue("vlan_id", out var vlan))
                {
                    Assert.Equal(vlan, a.Vlan ?? string.Empty);
                }

                if (e.TryGetValue("pvc", out var pvc))
                {
                    Assert.Equal(pvc, a.Pvc ?? string.Empty);
                }
            }
        }
        else if (sample.StartsWith("display_ip_routing-table", StringComparison.Ordinal))
        {
            var rt = AssertParsed(RoutingTableParser.Parse(text), sample);
            Assert.Equal(rows.Count, rt.Routes.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var e = rows[i];
                var r = rt.Routes[i];
                Assert.Equal(e["destination"], r.Destination);
                Assert.Equal(e["protocol"], r.Protocol);
                Assert.Equal(e["process_id"], r.ProcessId);
                Assert.Equal(e["preference"], r.Preference?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(e["cost"], r.Cost?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(e["next_hop"], r.NextHop);
                Assert.Equal(e["neighbour"], r.Neighbour);
                Assert.Equal(e["state"], r.State);
                Assert.Equal(e["age"], r.Age);
                Assert.Equal(e["tag"], r.Tag);
                Assert.Equal(e["priority"], r.Priority);
                Assert.Equal(e["label"], r.Label);
                Assert.Equal(e["qos_info"], r.QosInfo);
                Assert.Equal(e["indirect_id"], r.IndirectId);
                Assert.Equal(e["relay_next_hop"], r.RelayNextHop);
                Assert.Equal(e["interface"], r.Interface);
                Assert.Equal(e["tunnel_id"], r.TunnelId);
                Assert.Equal(e["flags"], r.Flags);
            }
        }
        else
        {
            Assert.Fail("no field mapping for " + expectedFile);
        }
    }

    private static List<Dictionary<string, string>> LoadExpected(string relative)
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, string>>>>(SampleFiles.Read(relative));
        return yaml["parsed_sample"];
    }

    private static T AssertParsed<T>(ParseResult<T> r, string sample)
    {
        Assert.True(r.IsParsed, sample + ": " + r.Reason);
        Assert.NotNull(r.Value);
        return r.Value!;
    }
}
