using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Lab.Tests;

internal enum TcpOutcome { Open, Refused, Timeout }

internal static class Net
{
    /// <summary>A real TCP connect: RST shows as refused, dropped SYNs as a timeout.</summary>
    public static Task<TcpOutcome> ConnectAsync(string address, int port, int timeoutMs = 700) => ConnectAsync(null, address, port, timeoutMs);

    /// <summary>
    /// A TCP connect as the jump host makes it: from the jump host's namespace on the namespaced lab (the
    /// management subnet's view, 10.200.0.10), from this namespace on the loopback lab. The default wait is the
    /// bot's probe timeout (3 s): a first packet through the namespaces may wait for ARP or a SYN retransmission
    /// (1 s) on a loaded machine, where 700 ms once turned an RST into a "timeout".
    /// </summary>
    public static Task<TcpOutcome> ConnectFromJumpAsync(LabInstance lab, string address, int port, int timeoutMs = 3000) =>
        ConnectAsync(lab.JumpNetwork, address, port, timeoutMs);

    private static async Task<TcpOutcome> ConnectAsync(LabNetwork? jump, string address, int port, int timeoutMs)
    {
        using var socket = NewSocket(jump);
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), cts.Token);
            return TcpOutcome.Open;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return TcpOutcome.Refused;
        }
        catch (OperationCanceledException)
        {
            return TcpOutcome.Timeout;
        }
    }

    /// <summary>The first bytes a port sends to the jump host (see <see cref="ConnectFromJumpAsync"/>).</summary>
    public static async Task<string> ReadBannerFromJumpAsync(LabInstance lab, string address, int port)
    {
        using var socket = NewSocket(lab.JumpNetwork);
        using var cts = new CancellationTokenSource(5000);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(address), port), cts.Token);
        var buffer = new byte[256];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static Socket NewSocket(LabNetwork? jump) =>
        jump?.RunInside(LabNetwork.JumpNamespace, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
        }

        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish; stderr so far: {await e}");
        }

        return (p.ExitCode, await o, await e);
    }

    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }
}
