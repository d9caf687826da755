using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NetOpsBot.Lab;

/// <summary>A connection sshd logged: the client's address and port, and the server port it reached.</summary>
internal sealed record SshdConnection(string Client, int ClientPort, int ServerPort);

/// <summary>
/// Follows one sshd's log (LogLevel VERBOSE) and returns the connections logged since the last read, complete
/// lines only: what really reached a switch's listener, for its SSH debugging.
/// </summary>
internal sealed partial class SshdLogTail
{
    private long _offset;

    public IReadOnlyList<SshdConnection> ReadNewConnections(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (fs.Length <= _offset)
            {
                return [];
            }

            fs.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[fs.Length - _offset];
            var read = fs.Read(buffer, 0, buffer.Length);
            var text = Encoding.UTF8.GetString(buffer, 0, read);
            var lastNewline = text.LastIndexOf('\n');
            if (lastNewline < 0)
            {
                return [];
            }

            _offset += Encoding.UTF8.GetByteCount(text.AsSpan(0, lastNewline + 1));
            return [.. ConnectionLine().Matches(text[..(lastNewline + 1)]).Select(m => new SshdConnection(
                m.Groups["client"].Value,
                int.Parse(m.Groups["cport"].Value, CultureInfo.InvariantCulture),
                int.Parse(m.Groups["sport"].Value, CultureInfo.InvariantCulture)))];
        }
        catch (IOException)
        {
            // Log rotation or a restart in progress; the next tick catches up.
            return [];
        }
    }

    [GeneratedRegex(@"Connection from (?<client>\S+) port (?<cport>\d+) on (?<server>\S+) port (?<sport>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionLine();
}
