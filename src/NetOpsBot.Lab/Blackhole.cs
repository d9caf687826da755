using System.Net;
using System.Net.Sockets;

namespace NetOpsBot.Lab;

/// <summary>
/// Makes an address:port drop SYNs, the way a powered-off or booting switch looks from the jump
/// host (connect times out, no RST), without a firewall or privileges: a listening socket whose
/// accept queue is full and never drained. Linux drops further SYNs to it instead of resetting them.
/// </summary>
internal sealed class Blackhole : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    public Blackhole(string address, int port)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(address), port);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(endpoint);
            _listener.Listen(0);

            // Backlog 0 still admits one queued connection; two fillers make sure the queue is full.
            for (var i = 0; i < 2; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try
                {
                    filler.Connect(endpoint);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                }

                _fillers.Add(filler);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var f in _fillers)
        {
            f.Dispose();
        }

        _fillers.Clear();
        _listener.Dispose();
    }
}
