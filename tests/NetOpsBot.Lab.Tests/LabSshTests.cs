namespace NetOpsBot.Lab.Tests;

/// <summary>The lab over real SSH: OpenSSH clients through the real jump host to real sshd listeners.</summary>
public sealed class LabSshTests
{
    private const string Dut = "sw-access-12";

    [Fact]
    public async Task SshJump_HealthyDevice_ShowsVrpPromptWithStrictHostKeyChecking()
    {
        await using var lab = await LabInstance.StartAsync("healthy");
        await using var ssh = lab.Ssh(Dut);

        await ssh.PromptAsync(Dut);
        var version = await ssh.RunAsync("display version", Dut);

        Assert.Contains("Huawei Versatile Routing Platform", version, StringComparison.Ordinal);
        Assert.DoesNotContain("Permanently added", ssh.StdErr, StringComparison.Ordinal);
        Assert.Contains("StrictHostKeyChecking yes", await File.ReadAllTextAsync(lab.Status.SshConfig), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "netopsbot-vty ")]
    [InlineData(true, "NetOpsBot.Lab.Vty.dll")]
    public async Task SshJump_EitherLoginShim_RelaysTheCliAndQuitEndsTheSession(bool dotNetShim, string expectedShim)
    {
        await using var lab = await LabInstance.StartAsync("healthy", dotNetVtyShim: dotNetShim);
        await using var ssh = lab.Ssh(Dut);

        await ssh.PromptAsync(Dut);
        var version = await ssh.RunAsync("display version", Dut);
        await ssh.SendAsync("quit\r");
        var ended = await ssh.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("Huawei Versatile Routing Platform", version, StringComparison.Ordinal);
        Assert.True(ended, "the SSH session stayed open after quit");
        var config = await File.ReadAllTextAsync(Path.Combine(lab.RunDirectory, "sshd", Dut + ".conf"));
        Assert.Contains(expectedShim, config.Split('\n').Single(l => l.TrimStart().StartsWith("ForceCommand", StringComparison.Ordinal)) + " ", StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshJump_WrongPinnedKey_IsRefusedByClient()
    {
        await using var lab = await LabInstance.StartAsync("healthy");
        var known = lab.Status.KnownHosts;
        var device = lab.Device(Dut);
        var other = lab.Device("sw-access-13");
        var lines = (await File.ReadAllLinesAsync(known)).ToList();
        var otherKey = lines.First(l => l.StartsWith(other.Address + " ", StringComparison.Ordinal)).Split(' ', 2)[1];
        lines = lines.Select(l => l.StartsWith(device.Address + " ", StringComparison.Ordinal) ? device.Address + " " + otherKey : l).ToList();
        await File.WriteAllLinesAsync(known, lines);

        await using var ssh = lab.Ssh(Dut);
        Assert.True(await ssh.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", ssh.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GhostPort_Port22_RefusedWithRstWhile64443AnswersSsh()
    {
        await using var lab = await LabInstance.StartAsync("ghost-port");
        var device = lab.Device(Dut);

        Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, device.Address, 22));
        Assert.StartsWith("SSH-2.0-", await Net.ReadBannerFromJumpAsync(lab, device.Address, 64443), StringComparison.Ordinal);
        Assert.Equal([64443], device.Ports);
    }

    [Fact]
    public async Task GhostPort_ThroughJumpHost_Port22ReportsConnectionRefused()
    {
        await using var lab = await LabInstance.StartAsync("ghost-port");
        var device = lab.Device(Dut);

        var (code, _, stderr) = await Net.RunAsync("/usr/bin/ssh", ["-F", lab.Status.SshConfig, "-W", $"{device.Address}:22", "lab-jump"], TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, code);
        Assert.Contains("open failed: connect failed: Connection refused", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedCase_RouteThenPortThenSavedReboot_RestoresSshOn22()
    {
        // Long enough that the "down while booting" check cannot miss it on a loaded 2-core machine.
        await using var lab = await LabInstance.StartAsync("seed-case", bootTimeSeconds: 6);
        var device = lab.Device(Dut);
        // Stage one: no route back to the management subnet, so even the listening 64443 times out.
        Assert.Equal(TcpOutcome.Timeout, await Net.ConnectFromJumpAsync(lab, device.Address, 64443));
        await using (var console = lab.Console(Dut))
        {
            await console.PromptAsync(Dut);
            await console.RunAsync("screen-length 0 temporary", Dut);
            var routes = await console.RunAsync("display ip routing-table", Dut);
            Assert.DoesNotContain("0.0.0.0/0", routes, StringComparison.Ordinal);

            var tcp = await console.RunAsync("display tcp status", Dut);
            Assert.Contains("0.0.0.0:64443", tcp, StringComparison.Ordinal);
            Assert.DoesNotContain("0.0.0.0:22 ", tcp, StringComparison.Ordinal);

            await console.RunAsync("system-view", Dut);
            await console.RunAsync("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", Dut);
            var portChange = await console.RunAsync("ssh server port 22", Dut);
            Assert.DoesNotContain("Error", portChange, StringComparison.Ordinal);
            await console.RunAsync("return", Dut);

            tcp = await console.RunAsync("display tcp status", Dut);
            Assert.Contains("0.0.0.0:64443", tcp, StringComparison.Ordinal);
            Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, device.Address, 22));
            routes = await console.RunAsync("display ip routing-table", Dut);
            Assert.Contains("0.0.0.0/0", routes, StringComparison.Ordinal);

            await console.SendAsync("save\r");
            await console.ExpectAsync(@"\[Y/N\]");
            await console.SendAsync("y\r");
            await console.PromptAsync(Dut);

            await console.SendAsync("reboot\r");
            await console.ExpectAsync(@"\[Y/N\]");
            await console.SendAsync("y\r");
            Assert.True(await console.WaitForExitAsync(TimeSpan.FromSeconds(10)), "reboot must drop the session");
        }

        // While the switch boots nothing answers: SYNs are dropped, not reset. The session ends the moment the
        // switch starts rebooting and the lab swaps the real listeners a moment later, so allow it that moment
        // (well inside the 6 s boot).
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, device.Address, 22, 400) == TcpOutcome.Timeout, TimeSpan.FromSeconds(3)), "port 22 must drop SYNs while the switch boots");
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, device.Address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(15)));
        Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, device.Address, 64443));

        await using var ssh = lab.Ssh(Dut);
        await ssh.PromptAsync(Dut);
        await ssh.RunAsync("screen-length 0 temporary", Dut);
        var after = await ssh.RunAsync("display tcp status", Dut);
        Assert.Contains("0.0.0.0:22 ", after, StringComparison.Ordinal);
        Assert.Contains("Listening", after, StringComparison.Ordinal);
        Assert.DoesNotContain("64443", after, StringComparison.Ordinal);
        var routesAfter = await ssh.RunAsync("display ip routing-table", Dut);
        Assert.Contains("0.0.0.0/0", routesAfter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reboot_UnsavedPortChange_IsLostAfterBoot()
    {
        await using var lab = await LabInstance.StartAsync("healthy", bootTimeSeconds: 1);
        var device = lab.Device(Dut);
        await using (var ssh = lab.Ssh(Dut))
        {
            await ssh.PromptAsync(Dut);
            await ssh.RunAsync("system-view", Dut);
            await ssh.RunAsync("ssh server port 2222", Dut);
            Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, device.Address, 2222) == TcpOutcome.Open, TimeSpan.FromSeconds(5)));
            Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, device.Address, 22));

            // The session that changed the port survives the listener move, as on a switch.
            await ssh.RunAsync("return", Dut);
            await ssh.SendAsync("reboot\r");
            await ssh.ExpectAsync(@"save.*\[Y/N\]");
            await ssh.SendAsync("n\r");
            await ssh.ExpectAsync(@"\[Y/N\]");
            await ssh.SendAsync("y\r");
            Assert.True(await ssh.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, device.Address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(15)));
        Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, device.Address, 2222));
    }

    [Fact]
    public async Task DebugCapture_RefusedAttemptSilent_ReachingAttemptLogged()
    {
        await using var lab = await LabInstance.StartAsync("ghost-port");
        var device = lab.Device(Dut);
        await using var console = lab.Console(Dut);
        await console.PromptAsync(Dut);
        await console.RunAsync("terminal monitor", Dut);
        await console.RunAsync("terminal debugging", Dut);
        await console.RunAsync("debugging ssh server all", Dut);
        var before = console.AllOutput.Length;

        Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, device.Address, 22));
        await Task.Delay(1500);
        Assert.DoesNotContain("SSH", console.AllOutput[before..], StringComparison.Ordinal);

        await Net.ReadBannerFromJumpAsync(lab, device.Address, 64443);
        await console.ExpectAsync("SSH", TimeSpan.FromSeconds(5));

        await console.RunAsync("undo debugging all", Dut);
        var quiet = console.AllOutput.Length;
        await Net.ReadBannerFromJumpAsync(lab, device.Address, 64443);
        await Task.Delay(1000);
        Assert.DoesNotContain("SSH/", console.AllOutput[quiet..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mgmt-interface-down")]
    [InlineData("interface-acl")]
    public async Task ManagementInterfaceCutOff_OnLoopback_PortsTimeOutConsoleWorks(string scenario)
    {
        // The loopback fallback's emulation of both scenarios (the namespaced physics: LabNamespaceTests).
        await using var lab = await LabInstance.StartAsync(scenario, network: LabNetworkMode.Loopback);
        var device = lab.Device(Dut);

        Assert.Equal(TcpOutcome.Timeout, await Net.ConnectFromJumpAsync(lab, device.Address, 22, 500));
        Assert.Equal(TcpOutcome.Open, await Net.ConnectFromJumpAsync(lab, lab.Device("sw-access-13").Address, 22));
        await using var console = lab.Console(Dut);
        await console.PromptAsync(Dut);
    }

    [Fact]
    public async Task SshDisabled_Port22Refused()
    {
        await using var lab = await LabInstance.StartAsync("ssh-disabled");

        Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, lab.Device(Dut).Address, 22));
        Assert.Empty(lab.Device(Dut).Ports);
    }

    [Fact]
    public async Task NoRsaKey_HandshakeFailsUntilKeyCreated()
    {
        await using var lab = await LabInstance.StartAsync("no-rsa-key");
        var device = lab.Device(Dut);
        Assert.Equal(TcpOutcome.Open, await Net.ConnectFromJumpAsync(lab, device.Address, 22));
        await using (var failing = lab.Ssh(Dut))
        {
            Assert.True(await failing.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.DoesNotContain("<" + Dut + ">", failing.AllOutput, StringComparison.Ordinal);
        }

        await using (var console = lab.Console(Dut))
        {
            await console.PromptAsync(Dut);
            await console.RunAsync("system-view", Dut);
            await console.SendAsync("rsa local-key-pair create\r");
            await console.ExpectAsync(@"Input the bits in the modulus\[default = \d+\]:");
            await console.SendAsync("2048\r");
            await console.PromptAsync(Dut, TimeSpan.FromSeconds(20));
        }

        await Task.Delay(500);
        await using var ssh = lab.Ssh(Dut);
        await ssh.PromptAsync(Dut, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task VtyAcl_SshFromManagementSubnetDenied_ConsoleWorks()
    {
        await using var lab = await LabInstance.StartAsync("vty-acl");
        await using (var ssh = lab.Ssh(Dut))
        {
            Assert.True(await ssh.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.DoesNotContain("<" + Dut + ">", ssh.AllOutput, StringComparison.Ordinal);
        }

        await using var console = lab.Console(Dut);
        await console.PromptAsync(Dut);
        var vty = await console.RunAsync("display current-configuration | begin user-interface", Dut);
        Assert.Contains("acl 2000 inbound", vty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TelnetOnlyVty_SshLoginDropped_TelnetPortOpen()
    {
        await using var lab = await LabInstance.StartAsync("telnet-only-vty");
        var device = lab.Device(Dut);
        Assert.Equal(TcpOutcome.Open, await Net.ConnectFromJumpAsync(lab, device.Address, 23));
        await using var ssh = lab.Ssh(Dut);
        Assert.True(await ssh.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.DoesNotContain("<" + Dut + ">", ssh.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoDefaultRoute_GatewayPingsButRouteMissing()
    {
        await using var lab = await LabInstance.StartAsync("no-default-route");
        await using var agg = lab.Ssh("sw-agg-01");
        await agg.PromptAsync("sw-agg-01");
        await agg.RunAsync("screen-length 0 temporary", "sw-agg-01");
        var arp = await agg.RunAsync("display arp", "sw-agg-01");
        Assert.Contains("10.12.0.12", arp, StringComparison.Ordinal);

        // No route back: the jump host gets no answer at all, so the switch's own view comes from its console.
        Assert.Equal(TcpOutcome.Timeout, await Net.ConnectFromJumpAsync(lab, lab.Device(Dut).Address, 22));
        await using var console = lab.Console(Dut);
        await console.PromptAsync(Dut);
        await console.RunAsync("screen-length 0 temporary", Dut);
        var routes = await console.RunAsync("display ip routing-table", Dut);
        Assert.DoesNotContain("0.0.0.0/0", routes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSessions_ShareDeviceState()
    {
        await using var lab = await LabInstance.StartAsync("healthy");
        await using var a = lab.Ssh(Dut);
        await using var b = lab.Ssh(Dut);
        await a.PromptAsync(Dut);
        await b.PromptAsync(Dut);

        await a.RunAsync("system-view", Dut);
        await a.RunAsync("ip route-static 10.99.0.0 24 10.12.0.1", Dut);
        await b.RunAsync("screen-length 0 temporary", Dut);
        var routes = await b.RunAsync("display ip routing-table", Dut);

        Assert.Contains("10.99.0.0/24", routes, StringComparison.Ordinal);
        var tcp = await b.RunAsync("display tcp status", Dut);
        Assert.True(tcp.Split("Established").Length - 1 >= 2, "both SSH sessions appear as established sockets:\n" + tcp);
    }

    [Fact]
    public async Task BadInput_UnknownCommandCtrlCAndDroppedSession_LeaveStateIntact()
    {
        await using var lab = await LabInstance.StartAsync("ghost-port");
        await using (var ssh = lab.Ssh(Dut, 64443))
        {
            await ssh.PromptAsync(Dut);
            var bad = await ssh.RunAsync("dispaly tcp status", Dut);
            Assert.Contains("Error: Unrecognized command found at '^' position.", bad, StringComparison.Ordinal);
            var wrongView = await ssh.RunAsync("ssh server port 22", Dut);
            Assert.Contains("Error:", wrongView, StringComparison.Ordinal);
            var tooLong = await ssh.RunAsync("display " + new string('x', 600), Dut);
            Assert.Contains("Error:", tooLong, StringComparison.Ordinal);

            await ssh.SendAsync("display current-configuration\r");
            await ssh.ExpectAsync("---- More ----");
            await ssh.SendAsync("\u0003");
            await ssh.PromptAsync(Dut);

            await ssh.SendAsync("display current-configuration\r");
            await ssh.ExpectAsync("---- More ----");
            ssh.Kill();
        }

        await using var again = lab.Ssh(Dut, 64443);
        await again.PromptAsync(Dut);
        await again.RunAsync("screen-length 0 temporary", Dut);
        var tcp = await again.RunAsync("display tcp status", Dut);
        Assert.Contains("0.0.0.0:64443", tcp, StringComparison.Ordinal);
        Assert.Equal([64443], lab.Device(Dut).Ports);
    }

    [Theory]
    [InlineData(LabNetworkMode.Auto)]
    [InlineData(LabNetworkMode.Loopback)]
    public async Task SecondLab_SameAddressBlock_FailsWithClearMessage(LabNetworkMode network)
    {
        var block = LabInstance.NextBlock();
        await using var first = await LabInstance.StartAsync(ScenarioLoader.Load("healthy"), block, network: network);

        var ex = await Assert.ThrowsAsync<LabException>(() => LabInstance.StartAsync(ScenarioLoader.Load("healthy"), block, network: network));

        // Either network says the same: what is in use (the jump host's address), by another lab, and what to do.
        Assert.Contains("already in use", ex.Message, StringComparison.Ordinal);
        Assert.Contains(first.Status.JumpHost.Address, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--address-block", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Netmiko_HuaweiDeviceTypeThroughJumpHost_SeesEmulatorState()
    {
        using var turn = await NetmikoClients.TakeTurnAsync();
        await using var lab = await LabInstance.StartAsync("healthy");
        var statusFile = Path.Combine(lab.RunDirectory, "status.json");
        var script = Path.Combine(AppContext.BaseDirectory, "netmiko_check.py");

        var (code, stdout, stderr) = await Net.RunAsync("/usr/bin/python3", [script, statusFile, Dut], TimeSpan.FromSeconds(90));

        Assert.True(code == 0, stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var tcp = doc.RootElement.GetProperty("tcp").GetString()!;
        var routes = doc.RootElement.GetProperty("routes").GetString()!;
        Assert.Contains("0.0.0.0:22", tcp, StringComparison.Ordinal);
        Assert.Contains("10.200.0.10", tcp, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0/0", routes, StringComparison.Ordinal);
        Assert.Contains("10.12.0.1", routes, StringComparison.Ordinal);
        Assert.Contains(Dut, doc.RootElement.GetProperty("prompt").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "PlainLoopback")]
    public async Task PlainLoopback_SshJump_ReachesDevice()
    {
        // Runs outside the test network namespace: the host's own loopback with stock TCP settings.
        await using var lab = await LabInstance.StartAsync("healthy", block: 211, network: LabNetworkMode.Loopback);
        await using var ssh = lab.Ssh(Dut);
        await ssh.PromptAsync(Dut);
        var version = await ssh.RunAsync("display version", Dut);
        Assert.Contains("VRP", version, StringComparison.Ordinal);
    }
}
