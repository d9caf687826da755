using System.Net.Sockets;
using System.Text;

namespace NetOpsBot.Lab;

/// <summary>
/// Devices that misbehave below the CLI's logic, for testing that a client survives them: the SSH
/// session is real, what comes out of it is not a working VRP.
/// </summary>
internal static class CliFaults
{
    public const long FloodBytes = 100L * 1024 * 1024;

    public static async Task ServeAsync(Socket socket, string fault)
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        switch (fault)
        {
            case "hang":
                // Reads forever, answers nothing: no banner, no prompt.
                await DrainAsync(stream).ConfigureAwait(false);
                break;
            case "flood":
                await FloodAsync(stream).ConfigureAwait(false);
                break;
            case "garbage":
                var junk = new byte[4096];
                new Random(12).NextBytes(junk);
                await stream.WriteAsync(junk).ConfigureAwait(false);
                await DrainAsync(stream).ConfigureAwait(false);
                break;
            case "drop":
                await DropMidCommandAsync(stream).ConfigureAwait(false);
                break;
        }
    }

    private static async Task DrainAsync(NetworkStream stream)
    {
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task FloodAsync(NetworkStream stream)
    {
        var line = Encoding.ASCII.GetBytes(new string('#', 78) + "\r\n");
        var chunk = new byte[line.Length * 800];
        for (var i = 0; i < 800; i++)
        {
            line.CopyTo(chunk, i * line.Length);
        }

        try
        {
            await stream.WriteAsync("\r\n<sw-access-12>"u8.ToArray()).ConfigureAwait(false);
            for (long sent = 0; sent < FloodBytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The client cut the flood off, which is what it should do.
        }
    }

    private static async Task DropMidCommandAsync(NetworkStream stream)
    {
        // A working login, then the session dies halfway through the output of the second command.
        await stream.WriteAsync("\r\nInfo: The max number of VTY users is 5.\r\n<sw-access-12>"u8.ToArray()).ConfigureAwait(false);
        var lines = 0;
        var buffer = new byte[1024];
        int n;
        while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var text = Encoding.ASCII.GetString(buffer, 0, n);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text.Replace("\r", "\r\n", StringComparison.Ordinal))).ConfigureAwait(false);
            lines += text.Count(c => c == '\r');
            if (lines == 1)
            {
                await stream.WriteAsync("Info: The configuration takes effect on the current user terminal interface only.\r\n<sw-access-12>"u8.ToArray()).ConfigureAwait(false);
            }
            else if (lines >= 2)
            {
                await stream.WriteAsync("Route Flags: R - relay, D - download to fib\r\n-------------------------------"u8.ToArray()).ConfigureAwait(false);
                return;
            }
        }
    }
}
