using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetOpsBot.Core.Access;
using NetOpsBot.Testing;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests;

/// <summary>
/// The bot's jump-host forwards listen on 127.0.0.1, reachable by every local user. Another uid (nobody, 65534)
/// connecting to one must not get a channel through the bot's jump session (issue 13 item 5). Runs as root
/// (the lab needs it), so the attacker is started with setpriv.
/// </summary>
public sealed class TunnelIsolationTests(HealthyLab lab, ITestOutputHelper output) : IClassFixture<HealthyLab>
{
    private const int Nobody = 65534;

    [Fact]
    public async Task OpenCliAsync_AnotherUidConnectsToTheForwardDuringTheSession_GetsNoBannerAndSessionStillWorks()
    {
        var logger = new CapturingLogger();
        await using var access = lab.Access(logger: logger);
        var before = OwnLoopbackListeners();
        await using var session = await access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None);

        // Other test classes may hold forwards too: every forward of this process must refuse the stranger.
        var forwards = OwnLoopbackListeners().Except(before).ToList();
        Assert.NotEmpty(forwards);
        foreach (var port in forwards)
        {
            var seen = await ConnectAsAsync(Nobody, port);
            output.WriteLine($"uid {Nobody} on 127.0.0.1:{port}: {seen}");
            Assert.DoesNotContain("SSH-", seen, StringComparison.Ordinal);
            Assert.True(seen is "EOF" or "RESET" or "REFUSED", seen);
        }

        var version = await session.RunAsync("display version", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Contains("VRP", version.Output, StringComparison.Ordinal);

        var security = logger.Lines.Where(l => l.Contains("SECURITY", StringComparison.Ordinal)).ToList();
        Assert.Contains(security, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"uid {Nobody}", StringComparison.Ordinal) && l.Contains(lab.Device().ManagementAddress, StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(lab.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenForward_StrangerFirstThenTheBot_StrangerRefusedBotGetsTheDeviceAndNoOneElseAfterIt()
    {
        var logger = new CapturingLogger();
        await using var access = lab.Access(logger: logger);
        var device = lab.Device("sw-access-13");
        await access.ProbeAsync(device, 22, TimeSpan.FromSeconds(5), CancellationToken.None);
        var jump = Assert.Single(access.JumpConnections);

        // A forward held open by the connector before its own connection arrives (the window of a probe).
        using var forward = await jump.OpenForwardAsync(device.ManagementAddress, 22, CancellationToken.None, probe: true);
        var stranger = await ConnectAsAsync(Nobody, forward.BoundPort);
        var own = await ReadBannerAsync(forward.BoundPort);
        var secondOwn = await ReadBannerAsync(forward.BoundPort);

        output.WriteLine($"stranger: {stranger}; bot: {own}; second bot connection: {secondOwn}");
        Assert.True(stranger is "EOF" or "RESET", stranger);
        Assert.StartsWith("SSH-2.0-", own, StringComparison.Ordinal);
        Assert.True(secondOwn is "EOF" or "RESET", secondOwn);
        Assert.Contains(logger.Lines, l => l.Contains("SECURITY", StringComparison.Ordinal) && l.Contains($"uid {Nobody}", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("SECURITY", StringComparison.Ordinal) && l.Contains("already served its 1 connection", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_OwnEstablishedLoopbackConnection_IsThisProcessUidAndCheap()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();
        var peer = (IPEndPoint)accepted.RemoteEndPoint!;
        var bound = ((IPEndPoint)listener.LocalEndPoint!).Port;

        var (netlinkUid, netlinkMicros) = Measure(() => LoopbackSocketOwner.Find(peer, bound));
        var (procUid, procMicros) = Measure(() => LoopbackSocketOwner.FindInProcTables(peer.Address, peer.Port, bound));
        var rows = File.ReadLines("/proc/net/tcp").Count() + File.ReadLines("/proc/net/tcp6").Count();
        output.WriteLine($"per lookup: netlink sock_diag {netlinkMicros:0} µs, /proc/net/tcp* {procMicros:0} µs ({rows} rows)");

        Assert.NotNull(LoopbackSocketOwner.ProcessUid);
        Assert.True(SockDiag.FindOwner(peer.Address, peer.Port, IPAddress.Loopback, bound).Available);
        Assert.Equal(LoopbackSocketOwner.ProcessUid, netlinkUid);
        Assert.Equal(LoopbackSocketOwner.ProcessUid, procUid);
        var unknownPort = peer.Port == 65535 ? 1 : peer.Port + 1;
        Assert.Null(LoopbackSocketOwner.Find(new IPEndPoint(IPAddress.Loopback, unknownPort), bound));
        Assert.Null(LoopbackSocketOwner.FindInProcTables(IPAddress.Loopback, unknownPort, bound));

        // The exact lookup must stay far below a channel open (milliseconds); generous for a shared machine.
        Assert.True(netlinkMicros < 2000, $"{netlinkMicros} µs");
    }

    private static (uint? Result, double Micros) Measure(Func<uint?> lookup)
    {
        _ = lookup();
        const int Rounds = 200;
        uint? result = null;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            result = lookup();
        }

        return (result, stopwatch.Elapsed.TotalMicroseconds / Rounds);
    }

    /// <summary>Ports of 127.0.0.1 LISTEN sockets whose inode is one of this process's file descriptors.</summary>
    private static HashSet<int> OwnLoopbackListeners()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // closed between listing and reading
            }
        }

        var ports = new HashSet<int>();
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 9 && f[3] == "0A" && f[1].StartsWith("0100007F:", StringComparison.Ordinal) && inodes.Contains(f[9]))
            {
                ports.Add(int.Parse(f[1].AsSpan(9), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return ports;
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> as <paramref name="uid"/> and reports what came back first.</summary>
    private static async Task<string> ConnectAsAsync(int uid, int port)
    {
        const string Script = """
            import socket, sys
            s = socket.socket()
            s.settimeout(3)
            try:
                s.connect(("127.0.0.1", int(sys.argv[1])))
                d = s.recv(256)
                print(("DATA:" + d.decode("ascii", "replace")) if d else "EOF")
            except ConnectionRefusedError:
                print("REFUSED")
            except ConnectionResetError:
                print("RESET")
            except socket.timeout:
                print("TIMEOUT")
            """;
        var start = new ProcessStartInfo("/usr/bin/setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "/usr/bin/python3", "-c", Script, port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
        var text = (await stdout).Trim();
        Assert.True(process.ExitCode == 0 && text.Length > 0, $"setpriv/python failed ({process.ExitCode}): {await stderr}");
        return text.StartsWith("DATA:", StringComparison.Ordinal) ? text[5..] : text;
    }

    private static async Task<string> ReadBannerAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        var buffer = new byte[256];
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return n == 0 ? "EOF" : System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return "RESET";
        }
    }
}
