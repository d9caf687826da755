using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

/// <summary>What the VTY shim tells the controller about the SSH login it was started for.</summary>
internal sealed record VtyHello(string? SshConnection, string? User, string? Role, bool Interactive);

/// <summary>
/// The controller side of the VTY shim: a Unix socket in the run directory. Each connection is one
/// login on one device; bytes are relayed between the socket and that device's emulator session.
/// </summary>
internal sealed partial class VtyServer : IDisposable
{
    private const int MaxHelloBytes = 4096;
    private readonly Socket _listener;
    private readonly Func<VtyHello, ILabCliSession?> _openSession;
    private readonly Func<VtyHello, string?> _faultFor;
    private readonly IReadOnlySet<int> _allowedUids;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = [];

    public VtyServer(string socketPath, IReadOnlySet<int> allowedUids, Func<VtyHello, ILabCliSession?> openSession, Func<VtyHello, string?> faultFor, ILogger log)
    {
        _openSession = openSession;
        _faultFor = faultFor;
        _allowedUids = allowedUids;
        _log = log;
        if (File.Exists(socketPath))
        {
            File.Delete(socketPath);
        }

        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        // The shim runs as the device account, not root; peer credentials are checked on accept instead.
        File.SetUnixFileMode(socketPath, (UnixFileMode)0x1B6);
        _listener.Listen(128);
        _ = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private int? PeerUid(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } via SO_PEERCRED (SOL_SOCKET=1, 17).
        var buffer = new byte[12];
        try
        {
            var n = socket.GetRawSocketOption(1, 17, buffer);
            return n >= 8 ? BitConverter.ToInt32(buffer, 4) : null;
        }
        catch (SocketException ex)
        {
            LogPeerCredFailed(_log, ex.SocketErrorCode);
            return null;
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        lock (_connections)
        {
            _connections.Add(socket);
        }

        ILabCliSession? session = null;
        try
        {
            if (PeerUid(socket) is not { } uid || !_allowedUids.Contains(uid))
            {
                LogRejectedPeer(_log);
                return;
            }

            var (hello, rest) = await ReadHelloAsync(socket).ConfigureAwait(false);
            if (hello is null)
            {
                return;
            }

            if (_faultFor(hello) is { } fault)
            {
                await CliFaults.ServeAsync(socket, fault).ConfigureAwait(false);
                return;
            }

            session = _openSession(hello);
            if (session is null)
            {
                await socket.SendAsync("\r\nConnection closed by the lab: unknown device.\r\n"u8.ToArray()).ConfigureAwait(false);
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
                        var span = data.Span;
                        while (span.Length > 0)
                        {
                            var sent = socket.Send(span);
                            span = span[sent..];
                        }
                    }
                    catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                    {
                        closed.TrySetResult();
                    }
                }
            };
            session.Closed += _ => closed.TrySetResult();
            session.Start();
            if (rest.Length > 0)
            {
                session.Input(rest);
            }

            var reading = PumpInputAsync(socket, session);
            await Task.WhenAny(reading, closed.Task).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The client vanished; the session is disposed below and the device state is untouched.
        }
        finally
        {
            session?.Dispose();
            lock (_connections)
            {
                _connections.Remove(socket);
            }

            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            socket.Dispose();
        }
    }

    private static async Task PumpInputAsync(Socket socket, ILabCliSession session)
    {
        var buffer = new byte[4096];
        while (!session.IsClosed)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (n == 0)
            {
                return;
            }

            session.Input(buffer.AsSpan(0, n));
        }
    }

    private static async Task<(VtyHello? Hello, byte[] Remainder)> ReadHelloAsync(Socket socket)
    {
        var buffer = new byte[MaxHelloBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None).ConfigureAwait(false);
            if (n == 0)
            {
                return (null, []);
            }

            length += n;
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, length);
            if (newline >= 0)
            {
                try
                {
                    using var doc = JsonDocument.Parse(buffer.AsMemory(0, newline));
                    var root = doc.RootElement;
                    string? Get(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    var hello = new VtyHello(Get("sshConnection"), Get("user"), Get("role"), Get("interactive") == "1");
                    return (hello, buffer[(newline + 1)..length]);
                }
                catch (JsonException)
                {
                    return (null, []);
                }
            }
        }

        return (null, []);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        Socket[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        foreach (var s in open)
        {
            try
            {
                s.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VTY socket: could not read peer credentials ({Error}); connection refused")]
    private static partial void LogPeerCredFailed(ILogger log, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VTY socket: connection from a process that is not the device account was refused")]
    private static partial void LogRejectedPeer(ILogger log);
}

internal static class Utf8
{
    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
