using System.Diagnostics;
using System.Text.Json;
using NetOpsBot.Testing;

namespace NetOpsBot.Cli.Tests;

/// <summary>`netopsbot parse "&lt;command&gt;" &lt; output.txt`, the triage path for outputs users paste.</summary>
public sealed class ParseCommandTests
{
    private static async Task<(int Code, string Out)> ParseAsync(string command, string input)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netopsbot.dll"));
        psi.ArgumentList.Add("parse");
        psi.ArgumentList.Add(command);
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(input);
        p.StandardInput.Close();
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    [Fact]
    public async Task Parse_RealTcpStatusSample_PrintsListeners()
    {
        var sample = Path.Combine(RepoPaths.VrpSamples, "display_tcp_status", "blog-lanhongshi-quidway-s5700_1.txt");

        var (code, output) = await ParseAsync("dis tcp status", await File.ReadAllTextAsync(sample));

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("parsed").GetBoolean());
        Assert.Contains(23, doc.RootElement.GetProperty("value").GetProperty("listeningPorts").EnumerateArray().Select(p => p.GetInt32()));
    }

    [Fact]
    public async Task Parse_Garbage_ReportsUnparsedWithRawText()
    {
        var (code, output) = await ParseAsync("display arp", "\u0001\u0002 not an arp table\n");

        Assert.Equal(4, code);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("parsed").GetBoolean());
        Assert.Contains("not an arp table", doc.RootElement.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }
}
