using NetOpsBot.Testing;

namespace NetOpsBot.Vrp.Tests;

/// <summary>Enumerates the shared samples (../shared/vrp-samples, provenance in SOURCES.md); they are never copied here.</summary>
internal static class SampleFiles
{
    public static readonly string[] ParsedDirs =
    [
        "display_tcp_status", "display_ssh_server_status", "display_ip_routing-table", "display_arp", "ping",
        "display_rsa_local-key-pair_public", "display_current-configuration", "display_version", "terminal_monitor_logs",
    ];

    public static string Path(string relative) => System.IO.Path.Combine(RepoPaths.VrpSamples, relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));

    public static IEnumerable<string> Txt(string dir) =>
        Directory.EnumerateFiles(Path(dir), "*.txt").Order(StringComparer.Ordinal).Select(f => dir + "/" + System.IO.Path.GetFileName(f));
}
