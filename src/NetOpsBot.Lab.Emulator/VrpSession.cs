using System.Globalization;
using System.Text;

namespace NetOpsBot.Lab.Emulator;

/// <summary>
/// One login (SSH, telnet or console) on a device: a line discipline with echo, paging and questions in front of the
/// command interpreter. Terminal state is guarded by the session's own lock; output is queued under it and raised
/// after it is released, in order, by whichever thread gets to drain the queue first.
/// </summary>
public sealed class VrpSession : IDisposable
{
    internal const int MaxLineLength = 510;
    internal const string MoreMarker = "  ---- More ----";

    // VRP5 S-series erases the pager marker with cursor-left 42, 42 spaces, cursor-left 42 (pagination sample).
    internal static readonly string MoreErase = "\u001b[42D" + new string(' ', 42) + "\u001b[42D";

    private readonly Lock _gate = new();
    private readonly Queue<object> _outbox = new();
    private readonly List<Action> _deferred = [];
    private readonly StringBuilder _line = new();
    private bool _draining;
    private Mode _mode = Mode.NotStarted;
    private bool _swallowLf;
    private int _escape;
    private List<string>? _pageLines;
    private int _pageIndex;
    private Reply? _afterPaging;
    private Question? _question;

    internal VrpSession(VrpDevice device, SessionOrigin origin)
    {
        Device = device;
        Origin = origin;
    }

    public event Action<ReadOnlyMemory<byte>>? Output;

    public event Action<string>? Closed;

    private enum Mode
    {
        NotStarted,
        Line,
        Paging,
        Question,
        Closed,
    }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _mode == Mode.Closed;
            }
        }
    }

    internal VrpDevice Device { get; }

    internal SessionOrigin Origin { get; }

    internal bool IsVty => Origin.Transport != SessionTransport.Console;

    internal int VtyIndex { get; private set; }

    internal DateTimeOffset LoginTime { get; private set; }

    // Command state below is touched only by command handlers, which run under the session lock.
    internal View View { get; set; } = View.User;

    internal int AclNumber { get; set; }

    /// <summary>The interface whose view the session is in (View.Interface).</summary>
    internal string InterfaceName { get; set; } = string.Empty;

    internal string VtyLabel { get; set; } = "vty0-4";

    internal int ScreenLength { get; set; } = 24;

    internal bool Monitor { get; set; }

    internal bool Debugging { get; set; }

    internal bool SshDebugging { get; set; }

    internal string Prompt
    {
        get
        {
            string name;
            lock (Device.Gate)
            {
                name = Device.Running.SysName;
            }

            return View switch
            {
                View.User => "<" + name + ">",
                View.System => "[" + name + "]",
                View.Vty => "[" + name + "-ui-" + VtyLabel + "]",
                View.Aaa => "[" + name + "-aaa]",
                View.Interface => "[" + name + "-" + InterfaceName + "]",
                _ => "[" + name + "-acl-basic-" + AclNumber.ToString(CultureInfo.InvariantCulture) + "]",
            };
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_mode != Mode.NotStarted)
            {
                return;
            }

            var (result, index, users, previous) = Device.Admit(this, Origin);
            switch (result)
            {
                case VrpDevice.Admission.Admitted:
                    VtyIndex = index;
                    LoginTime = Device.Time.GetUtcNow();
                    _mode = Mode.Line;
                    Write("\r\n");
                    foreach (var l in Banner(users, previous))
                    {
                        Write(l + "\r\n");
                    }

                    Write(Prompt);
                    break;
                case VrpDevice.Admission.Protocol:
                    // The vty refuses the service after the transport came up, so the client sees a reason before the drop.
                    Write("\r\nError: The user interface does not support the " + (Origin.Transport == SessionTransport.Ssh ? "SSH" : "Telnet") + " protocol.\r\n");
                    CloseLocked("refused-protocol", unregister: false);
                    break;
                case VrpDevice.Admission.Acl:
                    CloseLocked("refused-acl", unregister: false);
                    break;
                case VrpDevice.Admission.Limit:
                    Write("\r\nError: The number of VTY users has reached the upper limit.\r\n");
                    CloseLocked("refused-vty-limit", unregister: false);
                    break;
                default:
                    CloseLocked("device-not-up", unregister: false);
                    break;
            }
        }

        Flush();
    }

    private List<string> Banner(int vtyUsers, LoginRecord? previous)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        var now = LoginTime.ToString("yyyy-MM-dd HH:mm:ss", ci) + "+00:00";
        if (!IsVty)
        {
            lines.Add("Info: The current login time is " + now + ".");
            return lines;
        }

        lines.Add(string.Create(ci, $"Info: The max number of VTY users is {VrpDevice.MaxVtyUsers}, the number of current VTY users online is {vtyUsers}, and total number of terminal users online is {vtyUsers}."));
        lines.Add("      The current login time is " + now + ".");
        if (previous is not null)
        {
            var via = previous.Transport switch
            {
                SessionTransport.Ssh => "SSH",
                SessionTransport.Telnet => "TELNET",
                _ => "CONSOLE",
            };
            lines.Add("      The last login time is " + previous.Time.ToString("yyyy-MM-dd HH:mm:ss", ci) + "+00:00 from " + previous.Address + " through " + via + ".");
        }

        return lines;
    }

    public void Input(ReadOnlySpan<byte> data)
    {
        List<Action> deferred;
        lock (_gate)
        {
            foreach (var b in data)
            {
                if (_mode is Mode.Closed or Mode.NotStarted)
                {
                    break;
                }

                HandleByte(b);
            }

            deferred = [.. _deferred];
            _deferred.Clear();
        }

        Flush();
        foreach (var action in deferred)
        {
            action();
        }

        Flush();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_mode != Mode.Closed)
            {
                // Whatever was still queued is for a client that is gone; device state was already applied.
                _outbox.Clear();
                CloseLocked("disposed", unregister: true);
            }
        }

        Flush();
    }

    internal void CloseFromDevice(string reason)
    {
        lock (_gate)
        {
            CloseLocked(reason, unregister: false);
        }

        Flush();
    }

    private void CloseLocked(string reason, bool unregister)
    {
        if (_mode == Mode.Closed)
        {
            return;
        }

        _mode = Mode.Closed;
        _pageLines = null;
        _question = null;
        _outbox.Enqueue(new CloseNote(reason));
        if (unregister)
        {
            Device.Unregister(this);
        }
    }

    private void HandleByte(byte b)
    {
        if (_escape == 1)
        {
            _escape = b is (byte)'[' or (byte)'O' ? 2 : 0;
            return;
        }

        if (_escape == 2)
        {
            if (b is >= 0x40 and <= 0x7E)
            {
                _escape = 0;
            }

            return;
        }

        if (b == 0x1B)
        {
            _escape = 1;
            return;
        }

        if (_swallowLf && b == (byte)'\n')
        {
            _swallowLf = false;
            return;
        }

        _swallowLf = b == (byte)'\r';
        if (_mode == Mode.Paging)
        {
            PagingKey(b);
            return;
        }

        switch (b)
        {
            case (byte)'\r' or (byte)'\n':
                EndLine();
                break;
            case 0x03:
                _line.Clear();
                _question = null;
                _mode = Mode.Line;
                Write("\r\n" + Prompt);
                break;
            case 0x1A when _mode == Mode.Line:
                _line.Clear();
                View = View.User;
                Write("\r\n" + Prompt);
                break;
            case 0x08 or 0x7F:
                if (_line.Length > 0)
                {
                    _line.Length--;
                    Write("\b \b");
                }

                break;
            case >= 0x20 and < 0x7F:
                _line.Append((char)b);
                Write(((char)b).ToString());
                break;
            default:
                break;
        }
    }

    private void EndLine()
    {
        Write("\r\n");
        var text = _line.ToString();
        _line.Clear();
        if (_mode == Mode.Question && _question is { } q)
        {
            var answer = text.Trim();
            if (q.YesNo)
            {
                var yn = answer.ToUpperInvariant() switch
                {
                    "Y" or "YES" => "y",
                    "N" or "NO" => "n",
                    _ => null,
                };
                if (yn is null)
                {
                    // VRP keeps asking until it gets a usable answer.
                    Write(q.Text);
                    return;
                }

                answer = yn;
            }

            _question = null;
            _mode = Mode.Line;
            _deferred.Add(Device.NotifyStateChanged);
            Present(q.OnAnswer(answer));
            return;
        }

        if (text.Length > MaxLineLength)
        {
            Present(Reply.Text("Error: The command is too long."));
            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            Write(Prompt);
            return;
        }

        var reply = Commands.Execute(this, text, Prompt.Length);
        _deferred.Add(Device.NotifyStateChanged);
        Present(reply);
    }

    private void Present(Reply reply)
    {
        if (reply.After is { } after)
        {
            _deferred.Add(after);
        }

        if (reply.CloseReason is { } reason)
        {
            WriteLines(reply.Lines, 0, reply.Lines.Count);
            CloseLocked(reason, unregister: true);
            return;
        }

        if (ScreenLength > 0 && reply.Lines.Count > ScreenLength)
        {
            WriteLines(reply.Lines, 0, ScreenLength);
            _pageLines = reply.Lines;
            _pageIndex = ScreenLength;
            _afterPaging = reply;
            _mode = Mode.Paging;
            Write(MoreMarker);
            return;
        }

        WriteLines(reply.Lines, 0, reply.Lines.Count);
        Finish(reply);
    }

    private void Finish(Reply reply)
    {
        if (reply.Ask is { } ask)
        {
            _question = ask;
            _mode = Mode.Question;
            Write(ask.Text);
            return;
        }

        _mode = Mode.Line;
        Write(Prompt);
    }

    private void PagingKey(byte b)
    {
        var lines = _pageLines!;
        int take;
        switch (b)
        {
            case (byte)' ':
                take = ScreenLength;
                break;
            case (byte)'\r' or (byte)'\n':
                take = 1;
                break;
            case (byte)'q' or (byte)'Q' or 0x03:
                Write(MoreErase);
                _pageLines = null;
                _afterPaging = null;
                _mode = Mode.Line;
                Write(Prompt);
                return;
            default:
                return;
        }

        Write(MoreErase);
        var end = Math.Min(lines.Count, _pageIndex + take);
        WriteLines(lines, _pageIndex, end);
        _pageIndex = end;
        if (_pageIndex < lines.Count)
        {
            Write(MoreMarker);
            return;
        }

        var reply = _afterPaging!;
        _pageLines = null;
        _afterPaging = null;
        Finish(reply);
    }

    /// <summary>Asynchronous debug output: each message on its own lines, wrapped at 80 columns, followed by the re-printed prompt and typed text.</summary>
    internal void WriteDebug(string host, DateTimeOffset time, IReadOnlyList<string> messages)
    {
        lock (_gate)
        {
            if (_mode is Mode.Closed or Mode.NotStarted || !(Monitor && Debugging && SshDebugging))
            {
                return;
            }

            var ci = CultureInfo.InvariantCulture;
            var stamp = time.ToString("MMM", ci) + " " + time.Day.ToString(ci).PadLeft(2) + " " + time.ToString("yyyy HH:mm:ss.fff", ci) + ".1+00:00";
            foreach (var m in messages)
            {
                var text = stamp + " " + host + " SSH/7/SSH_DEBUG:" + m;
                var sb = new StringBuilder("\r\n");
                for (var i = 0; i < text.Length; i += 80)
                {
                    sb.Append(text, i, Math.Min(80, text.Length - i)).Append("\r\n");
                }

                sb.Append(_mode switch
                {
                    Mode.Paging => MoreMarker,
                    Mode.Question => _question?.Text + _line,
                    _ => Prompt + _line,
                });
                Write(sb.ToString());
            }
        }

        Flush();
    }

    private void WriteLines(List<string> lines, int from, int to)
    {
        var sb = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            sb.Append(lines[i]).Append("\r\n");
        }

        if (sb.Length > 0)
        {
            Write(sb.ToString());
        }
    }

    private void Write(string text) => _outbox.Enqueue(Encoding.UTF8.GetBytes(text));

    private void Flush()
    {
        lock (_gate)
        {
            if (_draining)
            {
                return;
            }

            _draining = true;
        }

        try
        {
            while (true)
            {
                object item;
                lock (_gate)
                {
                    if (_outbox.Count == 0)
                    {
                        _draining = false;
                        return;
                    }

                    item = _outbox.Dequeue();
                }

                if (item is byte[] bytes)
                {
                    Output?.Invoke(bytes);
                }
                else if (item is CloseNote note)
                {
                    Closed?.Invoke(note.Reason);
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _draining = false;
            }

            throw;
        }
    }

    private sealed record CloseNote(string Reason);
}
