using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetOpsBot.IosXe;

namespace NetOpsBot.Lab.Tests;

/// <summary>
/// Cisco IOS-XE switches in the lab (scenario mixed-site), seen by clients nobody on this team wrote: Debian's
/// netmiko (device type cisco_ios) and OpenSSH with -J, through the real jump host. What they receive must
/// parse with the product's IOS-XE parsers, without warnings, into the facts of each switch's root cause.
/// The lab runs on its default network, namespaces in this suite (LabInstance refuses a silent loopback fallback):
/// each IOS-XE switch has its own namespace behind sw-agg-01, so probes are made from the jump host's namespace.
/// </summary>
public sealed class LabIosXeTests
{
    private const string Healthy = "cat-access-21";
    private const string NoRsaKey = "cat-access-22";
    private const string TelnetOnly = "cat-access-23";
    private const string AccessClass = "cat-access-24";
    private const string NoDefaultRoute = "cat-access-25";
    private const string Down = "cat-access-26";
    private static readonly IPAddress JumpHost = IPAddress.Parse(Topology.JumpHostManagementIp);

    /// <summary>
    /// The ssh-unreachable runbook's commands on IOS-XE (issue 16), as netmiko and ssh -J send them. Not
    /// "| section access-list": on a switch without ACLs IOS prints nothing, which the parser rightly calls empty.
    /// </summary>
    private static readonly string[] RunbookCommands =
    [
        "show ip ssh",
        "show ip route",
        "show ip route 0.0.0.0",
        "show arp",
        "show tcp brief all",
        "show control-plane host open-ports",
        "show running-config | section line vty",
        "show crypto key mypubkey rsa",
        "show version",
    ];

    [Fact]
    public async Task Netmiko_CiscoIosDeviceTypeThroughJumpHost_RunbookCommandsParseIntoHealthyFacts()
    {
        using var turn = await NetmikoClients.TakeTurnAsync();
        await using var lab = await LabInstance.StartAsync("mixed-site");
        var script = Path.Combine(AppContext.BaseDirectory, "netmiko_iosxe_check.py");

        var (code, stdout, stderr) = await Net.RunAsync("/usr/bin/python3", [script, Path.Combine(lab.RunDirectory, "status.json"), Healthy, .. RunbookCommands], TimeSpan.FromSeconds(120));

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(Healthy + "#", doc.RootElement.GetProperty("prompt").GetString());
        var outputs = RunbookCommands.ToDictionary(c => c, c => doc.RootElement.GetProperty("outputs").GetProperty(c).GetString()!);
        AssertAllParseWithoutWarnings(outputs);

        Assert.True(IosXeFactReader.SshEnabled(ShowIpSshParser.Parse(outputs["show ip ssh"])));
        Assert.True(IosXeFactReader.RsaKeyPresent(ShowIpSshParser.Parse(outputs["show ip ssh"]), CryptoKeyParser.Parse(outputs["show crypto key mypubkey rsa"])));
        Assert.True(IosXeFactReader.HasRouteTo(ShowIpRouteParser.Parse(outputs["show ip route"]), JumpHost));
        Assert.True(ShowIpRouteEntryParser.Parse(outputs["show ip route 0.0.0.0"]).IsParsed);
        Assert.Contains(22, IosXeFactReader.ListeningPorts(TcpListenersParser.ParseTcpBrief(outputs["show tcp brief all"]), null)!);
        Assert.DoesNotContain(23, IosXeFactReader.ListeningPorts(null, TcpListenersParser.ParseOpenPorts(outputs["show control-plane host open-ports"]))!);
        // netmiko's own session is in the switch's TCP table, from the jump host's management address.
        Assert.Contains(TcpListenersParser.ParseTcpBrief(outputs["show tcp brief all"]).Value!.Connections, c => c.ForeignAddress == Topology.JumpHostManagementIp && c.LocalPort == 22);
        var vty = IosXeFactReader.Vty(RunningConfigParser.Parse(outputs["show running-config | section line vty"]), JumpHost);
        Assert.Equal("ssh", vty.VtyProtocol);
        Assert.False(vty.AclDeniesManagement);
        Assert.False(vty.TelnetServerEnabled);
    }

    [Fact]
    public async Task SshJump_NoDefaultRouteSwitch_TimesOutUntilTheRouteIsTypedOnTheConsole()
    {
        await using var lab = await LabInstance.StartAsync("mixed-site");
        var address = lab.Device(NoDefaultRoute).Address;

        // The switch listens on 22 but has no route back to the management subnet: its SYN-ACK has nowhere to go.
        Assert.Equal(TcpOutcome.Timeout, await Net.ConnectFromJumpAsync(lab, address, 22));
        var (code, _, stderr) = await SshJumpAsync(lab, NoDefaultRoute, "exit\n", connectTimeoutSeconds: 4);
        Assert.NotEqual(0, code);
        Assert.Contains("timed out", stderr, StringComparison.Ordinal);

        // Out of band, over OpenSSH -J to the console server, the runbook's commands show why.
        var outputs = await RunOverSshJumpAsync(lab, NoDefaultRoute, RunbookCommands, console: true);
        AssertAllParseWithoutWarnings(outputs);
        Assert.False(IosXeFactReader.HasRouteTo(ShowIpRouteParser.Parse(outputs["show ip route"]), JumpHost));
        Assert.False(ShowIpRouteParser.Parse(outputs["show ip route"]).Value!.HasDefaultRoute);
        Assert.True(IosXeFactReader.SshEnabled(ShowIpSshParser.Parse(outputs["show ip ssh"])));
        Assert.Equal("ssh", IosXeFactReader.Vty(RunningConfigParser.Parse(outputs["show running-config | section line vty"]), JumpHost).VtyProtocol);

        // The fix typed on the console reaches the switch's kernel at once: the jump host's SYN gets its SYN-ACK.
        var typed = await RunOverSshJumpAsync(lab, NoDefaultRoute, ["configure terminal", "ip route 0.0.0.0 0.0.0.0 10.12.0.1", "end", "show ip route 0.0.0.0"], console: true);
        Assert.True(ShowIpRouteEntryParser.Parse(typed["show ip route 0.0.0.0"]).IsParsed);
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(10)), "22 still silent after the route was typed");
        var afterFix = await RunOverSshJumpAsync(lab, NoDefaultRoute, ["show ip route"]);
        Assert.True(IosXeFactReader.HasRouteTo(ShowIpRouteParser.Parse(afterFix["show ip route"]), JumpHost));

        // The healthy switch beside it answers the same client with its default route, and the VRP switches still speak VRP.
        var healthy = await RunOverSshJumpAsync(lab, Healthy, ["show ip route"]);
        Assert.True(IosXeFactReader.HasRouteTo(ShowIpRouteParser.Parse(healthy["show ip route"]), JumpHost));
        await using var vrp = lab.Ssh("sw-access-12");
        await vrp.PromptAsync("sw-access-12");
        Assert.Contains("Huawei Versatile Routing Platform", await vrp.RunAsync("display version", "sw-access-12"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MixedSite_EachIosXeRootCause_LooksRightFromTheJumpHostAndTheConsole()
    {
        await using var lab = await LabInstance.StartAsync("mixed-site");
        var status = lab.Status;
        Assert.Equal(LabNetworkMode.Namespaces, lab.Controller.Topology.Network);
        Assert.Equal("10.12.0.201", lab.Device(Healthy).Address);

        // Inventory: the platform of every device, read back by the product's inventory reader shape.
        using (var inventory = JsonDocument.Parse(await File.ReadAllTextAsync(status.Inventory)))
        {
            var platforms = inventory.RootElement.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("platform").GetString());
            Assert.Equal(LabPlatforms.CiscoIosXe, platforms[Healthy]);
            Assert.Equal(LabPlatforms.CiscoIosXe, platforms[Down]);
            Assert.Equal(LabPlatforms.HuaweiVrp, platforms["sw-access-12"]);
            Assert.Equal(LabPlatforms.HuaweiVrp, platforms["sw-agg-01"]);
        }

        // No RSA key: IOS-XE has SSH disabled, so 22 is closed (a RST through the jump host).
        var (code, _, stderr) = await Net.RunAsync("/usr/bin/ssh", ["-F", status.SshConfig, "-W", $"{lab.Device(NoRsaKey).Address}:22", "lab-jump"], TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, code);
        Assert.Contains("Connection refused", stderr, StringComparison.Ordinal);
        Assert.Empty(lab.Device(NoRsaKey).Ports);

        // Telnet only: 22 still listens (the switch has a key) but the VTY refuses SSH; 23 answers.
        Assert.Equal([22, 23], lab.Device(TelnetOnly).Ports);
        Assert.Equal(TcpOutcome.Open, await Net.ConnectFromJumpAsync(lab, lab.Device(TelnetOnly).Address, 23));
        Assert.DoesNotContain(TelnetOnly + "#", await SessionTranscriptAsync(lab, TelnetOnly), StringComparison.Ordinal);

        // VTY access-class: no packet filter, so the jump host's connect is accepted; the VTY line then drops the login
        // without a prompt, and the console shows the ACL that denies the jump host.
        Assert.Equal(TcpOutcome.Open, await Net.ConnectFromJumpAsync(lab, lab.Device(AccessClass).Address, 22));
        Assert.DoesNotContain(AccessClass + "#", await SessionTranscriptAsync(lab, AccessClass), StringComparison.Ordinal);
        await using (var console = lab.Console(AccessClass))
        {
            await console.ExpectAsync(Regex.Escape(AccessClass) + "#");
            await console.SendAsync("terminal length 0\r");
            await console.ExpectAsync(Regex.Escape(AccessClass) + "#");
            await console.SendAsync("show running-config\r");
            var config = await console.ExpectAsync(@"\nend\r?\n[\s\S]*?" + Regex.Escape(AccessClass) + "#");
            var cleaned = IosXeOutputCleaner.Clean(config, "show running-config", AccessClass);
            var parsed = RunningConfigParser.Parse(cleaned.Text);
            Assert.True(parsed.IsParsed, parsed.Reason);
            Assert.Empty(parsed.Warnings);
            Assert.True(IosXeFactReader.Vty(parsed, JumpHost).AclDeniesManagement);
        }

        // Down: a dead link behind the gateway (a timeout, not a refusal, and no ARP entry at the gateway); the lab
        // reports it off, and its console line is silent.
        Assert.Equal(TcpOutcome.Timeout, await Net.ConnectFromJumpAsync(lab, lab.Device(Down).Address, 22));
        Assert.Equal("off", lab.Device(Down).Power);
        var gatewayArp = lab.JumpNetwork!.Neighbours("sw-agg-01");
        Assert.DoesNotContain(gatewayArp, e => e.Address == lab.Device(Down).Address);
        Assert.Contains(gatewayArp, e => e.Address == lab.Device(Healthy).Address);

        // Power on: after its boot time the switch listens on 22 again and takes logins.
        lab.Controller.IosXeDevice(Down)!.PowerOn();
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, lab.Device(Down).Address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(30)), "the switch did not come back after power-on");
        var afterBoot = await RunOverSshJumpAsync(lab, Down, ["show ip ssh"]);
        Assert.True(IosXeFactReader.SshEnabled(ShowIpSshParser.Parse(afterBoot["show ip ssh"])));
    }

    [Fact]
    public async Task Console_CryptoKeyGenerateOnNoRsaKeySwitch_OpensSshOn22ForOpenSshJ()
    {
        await using var lab = await LabInstance.StartAsync("mixed-site");
        Assert.Equal(TcpOutcome.Refused, await Net.ConnectFromJumpAsync(lab, lab.Device(NoRsaKey).Address, 22));

        // The fix a person would make out of band: a key pair enables SSH, and the switch's listener follows at once.
        await using (var console = lab.Console(NoRsaKey))
        {
            var prompt = Regex.Escape(NoRsaKey);
            await console.ExpectAsync(prompt + "#");
            await console.SendAsync("configure terminal\r");
            await console.ExpectAsync(prompt + @"\(config\)#");
            await console.SendAsync("crypto key generate rsa modulus 2048\r");
            await console.ExpectAsync(prompt + @"\(config\)#", TimeSpan.FromSeconds(30));
            await console.SendAsync("end\r");
            await console.ExpectAsync(prompt + "#");
        }

        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, lab.Device(NoRsaKey).Address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(10)), "22 did not open after crypto key generate rsa");
        var outputs = await RunOverSshJumpAsync(lab, NoRsaKey, ["show ip ssh", "show tcp brief all"]);
        AssertAllParseWithoutWarnings(outputs);
        Assert.True(IosXeFactReader.SshEnabled(ShowIpSshParser.Parse(outputs["show ip ssh"])));
        Assert.Contains(22, IosXeFactReader.ListeningPorts(TcpListenersParser.ParseTcpBrief(outputs["show tcp brief all"]), null)!);
    }

    [Fact]
    public async Task SshJump_ReloadConfirmed_DropsTheSessionThenTheSwitchComesBackOnItsListeners()
    {
        await using var lab = await LabInstance.StartAsync("mixed-site", bootTimeSeconds: 3);
        var address = lab.Device(Healthy).Address;

        // "reload" asks "Proceed with reload? [confirm]"; the empty line confirms, as on a real switch.
        var (code, stdout, stderr) = await SshJumpAsync(lab, Healthy, "reload\n\n");

        Assert.True(code == 0, stderr);
        Assert.Contains("[confirm]", stdout, StringComparison.Ordinal);
        Assert.Equal("rebooting", lab.Device(Healthy).Power);
        // The link follows the state asynchronously: while it boots, SYNs to 22 are dropped (a dead link).
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, address, 22, timeoutMs: 700) == TcpOutcome.Timeout, TimeSpan.FromSeconds(3)), "22 kept answering during the reload");
        Assert.True(await Net.EventuallyAsync(async () => await Net.ConnectFromJumpAsync(lab, address, 22) == TcpOutcome.Open, TimeSpan.FromSeconds(30)), "the switch did not come back after reload");
        var outputs = await RunOverSshJumpAsync(lab, Healthy, ["show ip ssh"]);
        Assert.True(IosXeFactReader.SshEnabled(ShowIpSshParser.Parse(outputs["show ip ssh"])));
    }

    private static void AssertAllParseWithoutWarnings(IReadOnlyDictionary<string, string> outputs)
    {
        foreach (var (command, output) in outputs)
        {
            var parse = IosXeParsers.ParseCommand(command, output);
            Assert.True(parse.Parsed, $"{command}: {parse.Reason}\n{output}");
            Assert.True(parse.Warnings.Count == 0, $"{command}: {string.Join("; ", parse.Warnings)}\n{output}");
        }
    }

    /// <summary>
    /// OpenSSH with -J, no terminal: the commands go in on stdin as a script would send them, and the
    /// transcript is cut at the switch's prompts into one output per command.
    /// </summary>
    private static async Task<Dictionary<string, string>> RunOverSshJumpAsync(LabInstance lab, string device, IReadOnlyList<string> commands, bool console = false)
    {
        var script = "terminal length 0\n" + string.Concat(commands.Select(c => c + "\n")) + "exit\n";
        var (code, stdout, stderr) = await SshJumpAsync(lab, device, script, console: console);
        Assert.True(code == 0, $"ssh -J {device} exited {code}: {stderr}\n{stdout}");

        // In configuration mode the prompt is "device(config)#": cut there too, so "end" and what follows are found.
        var prompt = device + "#";
        var segments = stdout.Replace(device + "(config)#", prompt, StringComparison.Ordinal).Split(prompt).Skip(1).ToList();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            var cleaned = IosXeOutputCleaner.Clean(prompt + segment, knownHostname: device);
            if (cleaned.EchoedCommand is { } echoed && commands.Contains(echoed))
            {
                outputs[echoed] = cleaned.Text;
            }
        }

        Assert.Equal(commands.Order(StringComparer.Ordinal), outputs.Keys.Order(StringComparer.Ordinal));
        return outputs;
    }

    /// <summary>What an SSH login that sends nothing but "exit" receives: the prompt when the VTY admits it.</summary>
    private static async Task<string> SessionTranscriptAsync(LabInstance lab, string device)
    {
        var (_, stdout, _) = await SshJumpAsync(lab, device, "exit\n");
        return stdout;
    }

    /// <summary>OpenSSH with -J to the switch, or (<paramref name="console"/>) to its line on the console server.</summary>
    private static async Task<(int Code, string StdOut, string StdErr)> SshJumpAsync(LabInstance lab, string device, string stdin, int connectTimeoutSeconds = 10, bool console = false)
    {
        var status = lab.Status;
        var askPass = Path.Combine(Path.GetTempPath(), "netopsbot-askpass-" + Guid.NewGuid().ToString("N")[..8]);
        await File.WriteAllTextAsync(askPass, "#!/bin/sh\nprintf '%s\\n' \"$LAB_DEVICE_PASSWORD\"\n");
        File.SetUnixFileMode(askPass, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // -J names the jump host explicitly (its entry in the lab's ssh_config holds its key and user); strict host keys for both hops.
            var target = console ? ["-p", lab.Device(device).ConsolePort.ToString(System.Globalization.CultureInfo.InvariantCulture), "lab-console"] : new[] { device };
            foreach (var a in new[] { "-F", status.SshConfig, "-J", "lab-jump", "-T", "-o", $"ConnectTimeout={connectTimeoutSeconds}", "-o", "NumberOfPasswordPrompts=1" }.Concat(target))
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["SSH_ASKPASS"] = askPass;
            psi.Environment["SSH_ASKPASS_REQUIRE"] = "force";
            psi.Environment["DISPLAY"] = ":0";
            psi.Environment["LAB_DEVICE_PASSWORD"] = console ? status.ConsoleServer.Password : lab.Device(device).Password;
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(stdin);
            await process.StandardInput.FlushAsync();
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"ssh -J {device} did not finish: {await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            File.Delete(askPass);
        }
    }
}
