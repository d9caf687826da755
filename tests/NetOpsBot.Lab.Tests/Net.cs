using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Lab.Tests;

internal enum TcpOutcome { Open, Refused, Timeout }

internal static class Net
{
    /// <summary>A real TCP connect: RST shows as refused, dropped SYNs as a timeout.</summary>
    public static async Task<TcpOutcome> ConnectAsync(string address, int port, int timeoutMs = 700)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
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

    public static async Task<string> ReadBannerAsync(string address, int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Parse(address), port);
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(5000);
        var n = await client.GetStream().ReadAsync(buffer, cts.Token);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

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
