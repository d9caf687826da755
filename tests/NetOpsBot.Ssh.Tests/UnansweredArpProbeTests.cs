using System.Diagnostics;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Lab;

namespace NetOpsBot.Ssh.Tests;

/// <summary>
/// A device on the jump host's own subnet that is powered off: nothing answers the jump host's ARP, so after ~3 s its
/// connect fails with "no route to host" and OpenSSH refuses the channel, which SSH.NET's forward reports exactly as
/// it reports an RST (the socket closes). Calling that "refused (RST): alive, nothing listens" told the storm's
/// gateway check that a powered-off gateway answers.
/// </summary>
public sealed class UnansweredArpProbeTests(SeedCaseLab lab) : IClassFixture<SeedCaseLab>
{
    [Fact]
    public async Task ProbeOfAnAddressNobodyAnswersArpFor_IsNoAnswer_NotAnRst()
    {
        var jump = lab.Controller.JumpNamespacePath;
        Assert.NotNull(jump);
        // sw-access-14 moved, for the jump host, onto a segment whose far end has no address: the jump host ARPs
        // for it there and nothing answers (as for a powered-off switch on the jump host's own subnet).
        var absent = lab.Device("sw-access-14");
        await RunAsync("/usr/bin/nsenter", "--net=" + jump, "--", "/usr/sbin/ip", "-batch", "-",
            $"link add arpq0 type veth peer name arpq1\nlink set arpq0 up\nlink set arpq1 up\nroute add {absent.ManagementAddress}/32 dev arpq0 scope link\n");

        await using var access = lab.Access(lab.Options() with { ConnectTimeout = TimeSpan.FromSeconds(10) });
        var clock = Stopwatch.StartNew();
        var probe = await access.ProbeAsync(absent, 22, TimeSpan.FromSeconds(8), CancellationToken.None);

        Assert.True(probe.Outcome == ProbeOutcome.Timeout, $"{probe.Outcome}: {probe.Detail} after {clock.Elapsed.TotalSeconds:0.0} s");
        // The kernel's answer (~3 s), not the probe's own 8 s budget: the line says what happened.
        Assert.Contains("too late for an RST", probe.Detail, StringComparison.Ordinal);

        // A closed port on a live switch is still an RST.
        var refused = await access.ProbeAsync(lab.Device("sw-access-13"), 23, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.True(refused.Outcome == ProbeOutcome.Refused, $"{refused.Outcome}: {refused.Detail} after {refused.Duration.TotalMilliseconds:0} ms");
    }

    private static async Task RunAsync(string file, params string[] argsAndStdin)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argsAndStdin[..^1])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException(file + " did not start");
        await p.StandardInput.WriteAsync(argsAndStdin[^1]);
        p.StandardInput.Close();
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
    }
}
