using System.Net;
using System.Net.Sockets;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

/// <summary>
/// The switch's Telnet server (TCP 23) when its configuration enables it. Only enough of RFC 854 to
/// be a truthful endpoint for probes and the telnet-only scenario: the server offers ECHO and SGA and
/// strips option negotiation from what it hands to the emulator.
/// </summary>
internal sealed class TelnetServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<IPEndPoint, ILabCliSession?> _open;
    private readonly CancellationTokenSource _stop = new();

    public TelnetServer(string address, int port, Func<IPEndPoint, ILabCliSession?> open)
    {
        _open = open;
        _listener = new TcpListener(IPAddress.Parse(address), port);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var socket = client.Client;
        client.NoDelay = true;
        using var session = _open((IPEndPoint)socket.RemoteEndPoint!);
        if (session is null)
        {
            return;
        }

        var sendLock = new object();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Output += data =>
        {
            lock (sendLock)
            {
                try
                {
                    socket.Send(data.Span);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    closed.TrySetResult();
                }
            }
        };
        session.Closed += _ => closed.TrySetResult();
        try
        {
            socket.Send([255, 251, 1, 255, 251, 3]);
            session.Start();
            var reading = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                var filter = new TelnetFilter();
                while (!session.IsClosed)
                {
                    var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }

                    var data = filter.Strip(buffer.AsSpan(0, n));
                    if (data.Length > 0)
                    {
                        session.Input(data);
                    }
                }
            });
            await Task.WhenAny(reading, closed.Task).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}

/// <summary>Removes Telnet commands (IAC sequences) from a byte stream, across reads.</summary>
internal sealed class TelnetFilter
{
    private int _state; // 0 data, 1 after IAC, 2 after IAC WILL/WONT/DO/DONT, 3 in subnegotiation, 4 IAC inside subnegotiation

    public byte[] Strip(ReadOnlySpan<byte> input)
    {
        var output = new List<byte>(input.Length);
        foreach (var b in input)
        {
            switch (_state)
            {
                case 0 when b == 255: _state = 1; break;
                case 0 when b == 0: break; // CR NUL from clients
                case 0: output.Add(b); break;
                case 1 when b == 255: output.Add(255); _state = 0; break;
                case 1 when b is >= 251 and <= 254: _state = 2; break;
                case 1 when b == 250: _state = 3; break;
                case 1: _state = 0; break;
                case 2: _state = 0; break;
                case 3 when b == 255: _state = 4; break;
                case 3: break;
                case 4 when b == 240: _state = 0; break;
                case 4: _state = 3; break;
                default: _state = 0; break;
            }
        }

        return [.. output];
    }
}
