using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// The container's user story without a container: the host runs as an unprivileged account (nobody) from
/// root-owned, read-only binaries, writes only its data folder, answers /healthz, and the image's HEALTHCHECK
/// command (`NetOpsBot.Host.dll --healthcheck`, also as nobody) reports it healthy, then unhealthy once it is gone.
/// </summary>
public sealed class NonRootHostTests
{
    [Fact]
    public async Task HostRunsAsNobody_HealthzAnswers_HealthcheckCommandPassesThenFails()
    {
        var work = Path.Combine(Path.GetTempPath(), "netopsbot-nonroot-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(work, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(work, (UnixFileMode)0x1ED);
        await File.WriteAllTextAsync(Path.Combine(work, "inventory.json"), """
            {"jumpHosts":[{"name":"bastion-1","address":"127.0.0.1","port":1,"user":"netopsbot","keyFile":"/nonexistent"}],"consoleServers":[],
             "devices":[{"name":"sw-access-12","managementAddress":"127.0.0.1","managementIp":"10.12.0.12","credential":"core","jumpHost":"bastion-1"}]}
            """);
        await File.WriteAllTextAsync(Path.Combine(work, "known_hosts"), string.Empty);
        Assert.Equal(0, (await DeploymentFilesTests.RunAsync("chown", "nobody", data)).Code);

        var port = FreePort();
        var psi = new ProcessStartInfo("/usr/sbin/runuser", ["-u", "nobody", "--", "/usr/bin/dotnet", HostProcess.HostDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["HOME"] = data;
        psi.Environment["DOTNET_CLI_HOME"] = data;
        psi.Environment["NetOps__InventoryPath"] = Path.Combine(work, "inventory.json");
        psi.Environment["NetOps__KnownHostsPath"] = Path.Combine(work, "known_hosts");
        psi.Environment["NetOps__LabRunDirectory"] = Path.Combine(work, "no-lab");
        // As in the image (Dockerfile): production, web chat off (without sign-in it would refuse to start).
        psi.Environment["NetOps__WebChat__Enabled"] = "false";
        psi.Environment["NetOps__Storage__ConnectionString"] = $"Data Source={Path.Combine(data, "netopsbot.db")}";
        var log = new StringBuilder();
        using var host = Process.Start(psi)!;
        host.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        host.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var sw = Stopwatch.StartNew();
            string? health = null;
            while (sw.Elapsed < TimeSpan.FromSeconds(30) && health is null && !host.HasExited)
            {
                try
                {
                    health = await http.GetStringAsync("/healthz");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(health == "ok", "no /healthz from the host running as nobody:\n" + log);
            Assert.All(HostUids(host.Id), uid => Assert.Equal("65534", uid));
            Assert.True(File.Exists(Path.Combine(data, "netopsbot.db")), "the host did not create its database in the data folder");

            var probe = await RunAsNobodyAsync(port);
            Assert.True(probe.Code == 0, "healthcheck: " + probe.Output);
            Assert.Contains("/healthz -> 200", probe.Output, StringComparison.Ordinal);

            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            var down = await RunAsNobodyAsync(port);
            Assert.Equal(1, down.Code);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The real uid of the dotnet process that runuser started (its only child).</summary>
    private static List<string> HostUids(int runuserPid)
    {
        var children = File.ReadAllText($"/proc/{runuserPid}/task/{runuserPid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(children);
        return children.Select(pid => File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
    }

    private static async Task<(int Code, string Output)> RunAsNobodyAsync(int port)
    {
        var psi = new ProcessStartInfo("/usr/sbin/runuser", ["-u", "nobody", "--", "/usr/bin/dotnet", HostProcess.HostDll, "--healthcheck"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://+:{port}";
        psi.Environment["HOME"] = "/tmp";
        psi.Environment["DOTNET_CLI_HOME"] = "/tmp";
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
