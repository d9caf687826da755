using System.Diagnostics;
using NetOpsBot.Lab;
using NetOpsBot.Testing;

namespace NetOpsBot.Cli.Tests;

public sealed class JumpHostDownDiagTests(DisposableHealthyLab lab) : IClassFixture<DisposableHealthyLab>
{
    [Fact]
    public async Task Diag_JumpHostStopped_RootCauseJumpHostUnreachableThenHealthyWhenBack()
    {
        await lab.Controller.StopJumpHostAsync();
        var run = await lab.DiagAsync();
        var report = run.Report();
        Assert.Equal(["jump-host-unreachable"], DiagRun.RootCauses(report));
        Assert.Equal("skipped", DiagRun.Step(report, "routing").GetProperty("status").GetString());

        // The verdict was about the bastion, not the device: with the jump host back, the same device is healthy.
        await lab.Controller.StartJumpHostAsync();
        Assert.Equal(["healthy"], DiagRun.RootCauses((await lab.DiagAsync()).Report()));
    }
}

public sealed class HostKeyChangedDiagTests(DisposableHealthyLab lab) : IClassFixture<DisposableHealthyLab>
{
    /// <summary>
    /// A real key change, as an engineer would make it: `rsa local-key-pair create` on the console, replace
    /// answered y. The lab then restarts the device's sshd with a new RSA host key the bot has not pinned.
    /// </summary>
    [Fact]
    public async Task Diag_DeviceKeyRegenerated_RootCauseHostKeyMismatchAndNoCommandsSent()
    {
        var address = lab.Status.Devices.Single(d => d.Name == DiagLab.Dut).Address;
        var pinned = await ScanRsaKeyAsync(lab, address);
        await using (var console = SshTerminal.Start(lab.Status.SshConfig, "lab-console", lab.Status.Devices.Single(d => d.Name == DiagLab.Dut).ConsolePort, lab.Status.ConsoleServer.Password))
        {
            await console.ExpectAsync(@"<sw-access-12>\s*$");
            await console.SendAsync("system-view\r");
            await console.ExpectAsync(@"\[sw-access-12\]\s*$");
            await console.SendAsync("rsa local-key-pair create\r");
            await console.ExpectAsync(@"Confirm to replace them\? \[y/n\]:");
            await console.SendAsync("y\r");
            await console.ExpectAsync(@"Input the bits in the modulus\[default = \d+\]:");
            await console.SendAsync("2048\r");
            await console.ExpectAsync(@"\[sw-access-12\]\s*$", TimeSpan.FromSeconds(20));
        }

        // The lab swaps the sshd asynchronously; wait until port 22 really presents a different key.
        var watch = Stopwatch.StartNew();
        string presented;
        do
        {
            await Task.Delay(100);
            presented = await ScanRsaKeyAsync(lab, address);
        }
        while ((presented.Length == 0 || presented == pinned) && watch.Elapsed < TimeSpan.FromSeconds(20));
        Assert.NotEqual(pinned, presented);

        var report = (await lab.DiagAsync()).Report();
        Assert.Equal(["host-key-mismatch"], DiagRun.RootCauses(report));
        var access = DiagRun.Step(report, "access");
        Assert.Contains(DiagRun.Evidence(access), e => e.Contains("HOST KEY MISMATCH", StringComparison.Ordinal));
        // A security stop: nothing was typed into the device that presented the unknown key.
        Assert.Empty(access.GetProperty("commands").EnumerateArray());
        Assert.Equal("skipped", DiagRun.Step(report, "hardening").GetProperty("status").GetString());
    }

    /// <summary>
    /// The RSA host key sshd presents on port 22, or "" while none answers: ssh-keyscan run where the jump host
    /// is (its namespace on the namespaced lab, which alone has a route to the switches; here on loopback).
    /// </summary>
    private static async Task<string> ScanRsaKeyAsync(DiagLab lab, string address)
    {
        var jump = lab.Controller.JumpNamespacePath;
        string[] scan = ["/usr/bin/ssh-keyscan", "-T", "3", "-t", "rsa", address];
        var command = jump is null ? scan : ["/usr/bin/nsenter", "--net=" + jump, "--", .. scan];
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command[1..])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ssh-keyscan did not start");
        var output = await p.StandardOutput.ReadToEndAsync();
        _ = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output.Split('\n').FirstOrDefault(l => l.Contains("ssh-rsa", StringComparison.Ordinal))?.Split(' ').Last().Trim() ?? string.Empty;
    }
}

public sealed class BadInputDiagTests(HealthyLab lab) : IClassFixture<HealthyLab>
{
    public static TheoryData<string> MetacharacterNames => new()
    {
        "sw-access-12;reboot",
        "$(reboot)",
        "sw-access-12$(id)",
        "sw-access-12|reboot",
        "sw-access-12 reboot",
        "sw access 12",
        "sw-access-12\nreboot",
        "sw-access-12`id`",
    };

    [Theory]
    [MemberData(nameof(MetacharacterNames))]
    public async Task Diag_NameWithMetacharacters_Exit2NothingContacted(string name)
    {
        var logins = lab.JumpLogins();
        var run = await lab.DiagAsync(name);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("invalid device name", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("nothing was contacted", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.StdOut);
        Assert.Equal(logins, lab.JumpLogins());
    }

    [Fact]
    public async Task Diag_UnknownDevice_Exit2NamesItNothingContacted()
    {
        var logins = lab.JumpLogins();
        var run = await lab.DiagAsync("sw-access-99");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'sw-access-99' is not in the inventory", run.StdErr, StringComparison.Ordinal);
        Assert.Equal(logins, lab.JumpLogins());
    }

    [Fact]
    public async Task Diag_LabDirWithoutInventory_Exit2SaysWhatIsMissing()
    {
        var empty = Directory.CreateTempSubdirectory("netopsbot-cli-empty-");
        try
        {
            var run = await DiagRun.StartAsync(["diag", DiagLab.Dut, "--lab-dir", empty.FullName]);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("inventory file " + Path.Combine(empty.FullName, "inventory.json") + " not found", run.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    /// <summary>A real run does log in to the jump host: the "nothing contacted" checks above can fail.</summary>
    [Fact]
    public async Task Diag_KnownDevice_JumpLoginLoggedAndPasswordNeverPrinted()
    {
        var logins = lab.JumpLogins();
        var run = await lab.DiagAsync();
        Assert.Equal(["healthy"], DiagRun.RootCauses(run.Report()));
        Assert.True(lab.JumpLogins() > logins);
        var password = lab.Status.Devices[0].Password;
        Assert.DoesNotContain(password, run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(password, run.StdErr, StringComparison.Ordinal);
        Assert.True(File.Exists(LabLayout.CredentialsPath(lab.RunDirectory)));
    }
}
