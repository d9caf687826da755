using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NetOpsBot.Lab.Tests;

/// <summary>`netopsbot lab up/status/down` as a user runs them.</summary>
public sealed class LabCliTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "netopsbot.dll");

    private static Task<(int ExitCode, string StdOut, string StdErr)> Netopsbot(params string[] args) =>
        Net.RunAsync("/usr/bin/dotnet", [Cli, .. args], TimeSpan.FromSeconds(120));

    /// <param name="network">null: the default (auto: namespaces here, as root); "loopback": the fallback a normal user gets.</param>
    [Theory]
    [InlineData(null, "namespaces", "198.18.{0}.2", "10.12.0.12")]
    [InlineData("loopback", "loopback", "127.0.{0}.10", "127.0.{0}.12")]
    public async Task LabUpDetach_SeedCase_UpQuicklyStatusDescribesItAndDownLeavesNothing(string? network, string mode, string jumpAddress, string dutAddress)
    {
        var run = Path.Combine(Path.GetTempPath(), "netopsbot-cli-" + Guid.NewGuid().ToString("N")[..8]);
        var blockNumber = LabInstance.NextBlock();
        var block = blockNumber.ToString(CultureInfo.InvariantCulture);
        jumpAddress = string.Format(CultureInfo.InvariantCulture, jumpAddress, block);
        dutAddress = string.Format(CultureInfo.InvariantCulture, dutAddress, block);
        string[] choice = network is null ? [] : ["--network", network];
        var sw = Stopwatch.StartNew();
        var up = await Netopsbot(["lab", "up", "--scenario", "seed-case", "--detach", "--run-dir", run, "--address-block", block, .. choice]);
        var upTime = sw.Elapsed;
        try
        {
            Assert.True(up.ExitCode == 0, up.StdErr + up.StdOut);
            Assert.True(upTime < TimeSpan.FromSeconds(10), $"lab up took {upTime.TotalSeconds:0.0} s");
            Assert.Contains("inventory", up.StdOut, StringComparison.Ordinal);
            Assert.Contains("known_hosts", up.StdOut, StringComparison.Ordinal);
            Assert.Contains("network     " + mode, up.StdOut, StringComparison.Ordinal);
            var human = await Netopsbot("lab", "status", "--run-dir", run);
            Assert.Contains("network     " + mode, human.StdOut, StringComparison.Ordinal);

            var status = await Netopsbot("lab", "status", "--json", "--run-dir", run);
            Assert.Equal(0, status.ExitCode);
            using var doc = JsonDocument.Parse(status.StdOut);
            var root = doc.RootElement;
            Assert.Equal(mode, root.GetProperty("network").GetString());
            var jump = root.GetProperty("jumpHost");
            Assert.Equal(jumpAddress, jump.GetProperty("address").GetString());
            Assert.Equal(2222, jump.GetProperty("port").GetInt32());
            Assert.Equal("labjump", jump.GetProperty("user").GetString());
            Assert.True(File.Exists(jump.GetProperty("keyFile").GetString()));
            Assert.True(File.Exists(root.GetProperty("knownHosts").GetString()));
            Assert.True(File.Exists(root.GetProperty("inventory").GetString()));
            var devices = root.GetProperty("devices").EnumerateArray().ToList();
            Assert.True(devices.Count >= 4);
            var dut = devices.Single(d => d.GetProperty("name").GetString() == "sw-access-12");
            Assert.Equal(dutAddress, dut.GetProperty("address").GetString());
            Assert.Equal([64443], dut.GetProperty("ports").EnumerateArray().Select(p => p.GetInt32()));
            Assert.False(string.IsNullOrEmpty(dut.GetProperty("user").GetString()));
            Assert.False(string.IsNullOrEmpty(dut.GetProperty("password").GetString()));

            var again = await Netopsbot("lab", "up", "--scenario", "healthy", "--detach", "--run-dir", run, "--address-block", block);
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("already running", again.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            var down = await Netopsbot("lab", "down", "--run-dir", run);
            Assert.Equal(0, down.ExitCode);
        }

        Assert.False(Directory.Exists(run));
        Assert.False(File.Exists(run + ".daemon.log"));
        Assert.Empty(ProcessesMentioning(run));
        Assert.True(await Net.EventuallyAsync(() => Task.FromResult(!LabNetwork.RootLinkExists(blockNumber)), TimeSpan.FromSeconds(5)), "the namespaced lab's published link outlived `lab down`");
        Assert.Equal(TcpOutcome.Refused, await Net.ConnectAsync($"127.0.{block}.10", 2222));
        Assert.Equal(TcpOutcome.Refused, await Net.ConnectAsync($"127.0.{block}.12", 64443));
    }

    [Fact]
    public async Task LabUp_MalformedScenarioFile_FailsNamingFileAndField()
    {
        var file = Path.Combine(Path.GetTempPath(), "bad-scenario-" + Guid.NewGuid().ToString("N")[..8] + ".yml");
        await File.WriteAllTextAsync(file, "description: broken\ndevice:\n  ssh:\n    port: 99999\n");
        try
        {
            var up = await Netopsbot("lab", "up", "--scenario", file, "--detach", "--run-dir", file + ".run");

            Assert.NotEqual(0, up.ExitCode);
            Assert.Contains(file, up.StdErr, StringComparison.Ordinal);
            Assert.Contains("device.ssh.port", up.StdErr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(file + ".run"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task LabStatus_NoLab_SaysSoAndHowToStart()
    {
        var status = await Netopsbot("lab", "status", "--run-dir", "/tmp/netopsbot-none-" + Guid.NewGuid().ToString("N")[..6]);

        Assert.Equal(3, status.ExitCode);
        Assert.Contains("lab up", status.StdOut, StringComparison.Ordinal);
    }

    private static List<int> ProcessesMentioning(string run)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmd.Contains(run, StringComparison.Ordinal) && pid != Environment.ProcessId)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return found;
    }
}
